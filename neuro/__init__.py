"""The biophysical mode: a Brian2 leaky integrate-and-fire neuron set against Leaky ReLU."""

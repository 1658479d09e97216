"""Artificial networks in pure numpy: activations, initialisers, data, training, diagnostics."""

"""The numpy MLP whose hidden units can die: forward, backward, training step and probe."""

from models.network.batch_norm import BN_EPS, BN_MOMENTUM
from models.network.buffers import LastPass
from models.network.losses import LOSS_NAMES
from models.network.mlp import Network
from models.network.probe import BN_PROBE_MODES, ProbeResult

__all__ = ["BN_EPS", "BN_MOMENTUM", "BN_PROBE_MODES", "LOSS_NAMES", "LastPass", "Network",
           "ProbeResult"]

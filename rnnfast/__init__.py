"""rnnfast: a simple recurrent neural network, exact and fast.

Compiled Cython kernels for the forward time loop and truncated BPTT, a pure-NumPy reference
(the source textbook's code), and :class:`RecurrentNetwork` with the textbook's API.
``import rnnfast`` needs only NumPy and SciPy; TensorFlow is imported only by
:mod:`rnnfast.keras`, the data sets only by :mod:`rnnfast.datasets`.
"""

from ._cpu import cpu_level, cpu_levels
from .callbacks import Callback, LambdaCallback, ProgressBar
from .network import DivergenceError, RecurrentNetwork
from .reference import NumpyRecurrentNetwork

__version__ = "0.4.0"  # the one place (pyproject.toml reads it); see CHANGELOG.md

__all__ = [
    "RecurrentNetwork",
    "NumpyRecurrentNetwork",
    "Callback",
    "LambdaCallback",
    "ProgressBar",
    "DivergenceError",
    "cpu_level",
    "cpu_levels",
    "__version__",
]

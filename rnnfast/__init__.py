"""rnnfast: a simple recurrent neural network, exact and fast.

Compiled Cython kernels for the forward time loop and truncated BPTT, a pure-NumPy reference
(the source textbook's code), and :class:`RecurrentNetwork` with the textbook's API.
``import rnnfast`` needs only NumPy and SciPy; the submodules with heavier needs are imported
when first used, e.g. ``rnnfast.keras`` (TensorFlow) or ``rnnfast.datasets``.
"""

import importlib

from ._cpu import cpu_level, cpu_levels
from .callbacks import Callback, LambdaCallback, ProgressBar
from .exceptions import NotFittedError, RunawayTrainingWarning
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
    "NotFittedError",
    "RunawayTrainingWarning",
    "cpu_level",
    "cpu_levels",
    "__version__",
]

#: Submodules imported on first attribute access (``rnnfast.keras.build_s2`` after a plain
#: ``import rnnfast``), so that ``import rnnfast`` stays light.
_LAZY_SUBMODULES = ("datasets", "diagnostics", "experiments", "keras", "preprocessing")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))

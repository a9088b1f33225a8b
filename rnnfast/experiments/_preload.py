"""Imported once by the processes engine's fork server (Linux, macOS): what every worker
process needs -- rnnfast, the compiled backend and SciPy's BLAS behind it, threadpoolctl -- is
loaded there, and each worker forked from it starts with it (~0.15 s less per worker and
sweep; with 8 runs of a W1 epoch on 2 cores that is the difference between 0.72 and 0.6 of
the sequential time, benchmarks/sweep_cost.py)."""

from ..network import RecurrentNetwork
from . import _worker  # noqa: F401

try:
    RecurrentNetwork(1)  # the backend object: imports the compiled kernels
except Exception:  # no compiled build: the worker's own run will say so
    pass
try:
    import threadpoolctl  # noqa: F401
except ImportError:
    pass

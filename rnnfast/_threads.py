"""BLAS on one thread while a network of ordinary size trains.

OpenBLAS starts its threads for operands that are large for one call and small for a training
step (a dot product of more than 10,000 entries; the (m T, d) x (d, n_cells) product of an
embedding's Adam step), and its threads spin after each call: CPU time becomes twice the
wall time on 2 cores, and when another process holds a core (the app's window, a parallel
sweep) every step waits for a thread that cannot run -- an Adam + embedding epoch of the
source's S3 model took 2.6x its single-thread time with one core busy
(benchmarks/busy_core.py).  So ``fit`` holds BLAS to one thread for networks below
:data:`MULTITHREAD_CELLS` cells; from there the recurrent products are large enough for
threads to pay (measured on 2 cores: 256 cells 1.15x faster for 1.5x the CPU, 512 cells
1.27x, 1024 cells 1.73x).

This uses threadpoolctl where it is installed (it comes with the ``experiments``, ``gui``,
``bench`` extras and with scikit-learn); without it BLAS keeps its own setting
(``OPENBLAS_NUM_THREADS=1`` in the environment does the same by hand).
"""

import contextlib

#: Networks with at least this many cells train with BLAS's own thread count.
MULTITHREAD_CELLS = 512

_controller = None


def _get_controller():
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _controller = False
        else:
            _controller = ThreadpoolController()
    return _controller or None


def training_threads(net):
    """A context for one ``fit`` of ``net``: one BLAS thread below MULTITHREAD_CELLS cells
    (restored afterwards), else nothing."""
    controller = _get_controller() if net.n_cells < MULTITHREAD_CELLS else None
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")

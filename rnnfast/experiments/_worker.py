"""One run of a sweep, as any engine executes it: in this process, in a worker process or on
a Dask worker.  Every engine calls :func:`run_one`, so every engine computes the same numbers.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass

import numpy as np

#: Set in every worker process before its first run (Dask's nanny sets the same by default):
#: libraries loaded later start with one thread, too.
ONE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}


#: How many Data objects this process has received (unpickled): a Dask worker gets the data
#: once per sweep, whatever the number of its runs (tests/test_experiments.py counts).
received = 0


@dataclass
class Data:
    """The arrays every run trains on; sent to each worker once."""

    x: np.ndarray
    y: np.ndarray
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    n_features: int | None = None

    def __setstate__(self, state):
        global received
        received += 1
        # Dask's serialisation can hand arrays over unaligned (as they lay in its frames):
        # NumPy's loops then go element by element (a NumPy-backend fit ~10x slower), so copy
        # such an array once here, not in every batch of every run.
        for name in ("x", "y", "x_val", "y_val"):
            a = state.get(name)
            if a is not None and not a.flags.aligned:
                state[name] = np.require(a, requirements="A")
        self.__dict__.update(state)

    @property
    def aligned(self):
        return all(a is None or a.flags.aligned for a in (self.x, self.y, self.x_val, self.y_val))

    def save(self, folder):
        """Write the arrays as .npy files that workers map read-only (one copy in memory
        for all the workers of a machine)."""
        for name in ("x", "y", "x_val", "y_val"):
            a = getattr(self, name)
            if a is not None:
                np.save(os.path.join(folder, name + ".npy"), a, allow_pickle=False)
        return folder

    @classmethod
    def load(cls, folder, n_features):
        def read(name):
            path = os.path.join(folder, name + ".npy")
            return np.load(path, mmap_mode="r") if os.path.exists(path) else None

        return cls(read("x"), read("y"), read("x_val"), read("y_val"), n_features)


_threads_limited = False


def limit_blas_threads():
    """One BLAS/OpenMP thread in this process, once: each run uses one core, whichever
    engine runs it (the cores are the engine's to share out).  threadpoolctl sets the
    libraries already loaded; the environment covers those loaded later."""
    global _threads_limited
    if _threads_limited:
        return
    os.environ.update(ONE_THREAD_ENV)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the environment above is all there is
        pass
    else:
        threadpool_limits(1)
    _threads_limited = True


def one_blas_thread():
    """A context with one BLAS thread, for runs in the caller's own process (the sequential
    engine): the caller's setting comes back afterwards."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1)


def dask_run_one(*args) -> dict:
    """:func:`run_one` as a Dask task: the worker process keeps one BLAS thread (as Dask's
    nanny sets it by default), so runs sharing a worker do not share cores."""
    limit_blas_threads()
    return run_one(*args)


def run_one(cls, params, settings, seed, epochs, data: Data) -> dict:
    """Fit ``cls(**params, **settings, seed=seed)`` for ``epochs`` on ``data``; returns the
    run's record: the per-epoch history and where and how long it ran.  The engine has set
    BLAS to one thread (:func:`limit_blas_threads`, :func:`one_blas_thread`)."""
    from .. import __version__, cpu_level

    net = cls(**{**params, **dict(settings), "seed": seed, "verbose": 0, "warm_start": False})
    validation = None if data.x_val is None else (data.x_val, data.y_val)
    start, cpu_start = time.perf_counter(), time.process_time()
    net.fit(data.x, data.y, epochs=epochs, validation_data=validation, n_features=data.n_features)
    fit_seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    n = len(net.losses)
    return {
        "loss": [float(v) for v in net.losses],
        "accuracy": [float(v) for v in net.accuracies],
        "val_loss": [float(v) for v in net.val_losses] or [float("nan")] * n,
        "val_accuracy": [float(v) for v in net.val_accuracies] or [float("nan")] * n,
        "seconds": [float(v) for v in net.epoch_seconds],
        "fit_seconds": fit_seconds,
        "cpu_seconds": cpu_seconds,
        "worker": f"{platform.node()}:{os.getpid()}",
        "cpu_level": cpu_level(),
        "version": __version__,
    }

"""Helpers of the sweep tests that worker processes import: small data, and networks whose
process dies during a run (to test that no run is lost or counted twice)."""

import contextlib
import os
import signal
import tempfile

from rnnfast import RecurrentNetwork

#: The grid's learning rate picks the marker files, so tests do not see each other's.
MARKER = os.path.join(tempfile.gettempdir(), "rnnfast-test-kill-{lr!r}-{seed}")


def small_problem(n_train=600, n_val=200):
    """The bundled sample's first reviews: ``(x, y, x_val, y_val)`` token ids, 100 words."""
    from rnnfast.datasets import imdb

    x, y, x_val, y_val = imdb.load_textbook(source="sample")
    return x[:n_train], y[:n_train], x_val[:n_val], y_val[:n_val]


@contextlib.contextmanager
def local_cluster():
    """A Dask client on a LocalCluster of 2 single-threaded worker processes."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def same_numbers(a, b):
    """Two sweeps' frames are equal bit for bit, except the seconds."""
    import pandas as pd

    pd.testing.assert_frame_equal(
        a.frame.drop(columns="seconds"), b.frame.drop(columns="seconds"), check_exact=True
    )


def marker(lr, seed):
    return MARKER.format(lr=float(lr), seed=seed)


class KillOnce(RecurrentNetwork):
    """Seed 1's first run kills its own process (SIGKILL: no Python cleanup, as the
    kernel's OOM killer would); the run started again finds the marker and trains."""

    def fit(self, *args, **kwargs):
        path = marker(self.learning_rate, self.seed)
        if self.seed == 1 and not os.path.exists(path):
            open(path, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().fit(*args, **kwargs)


class KillSwitch(RecurrentNetwork):
    """Seed 1 kills its process every time it starts while the file ``marker(lr, "switch")``
    exists."""

    def fit(self, *args, **kwargs):
        if self.seed == 1 and os.path.exists(marker(self.learning_rate, "switch")):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().fit(*args, **kwargs)


class OneThreadOrFail(RecurrentNetwork):
    """Fails its run when a BLAS/OpenMP library in its process has more than one thread."""

    def fit(self, *args, **kwargs):
        from threadpoolctl import threadpool_info

        threads = {i["internal_api"]: i["num_threads"] for i in threadpool_info()}
        if not threads or max(threads.values()) != 1:
            raise RuntimeError(f"threads in the worker: {threads}")
        return super().fit(*args, **kwargs)


class FailsOnSeed1(RecurrentNetwork):
    """Seed 1's run raises, as a diverging run or a bug would."""

    def fit(self, *args, **kwargs):
        if self.seed == 1:
            raise FloatingPointError("seed 1 diverged")
        return super().fit(*args, **kwargs)

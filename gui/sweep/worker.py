"""The sweep in the background: :class:`SweepWorker` calls ``rnnfast.experiments.sweep`` in its
QThread and sends, after each run, a copy of what the view needs (the run's curves, and every
so often the paired comparisons); it never hands out the live ``Sweep`` until the sweep has
returned (``finished`` carries it: from then on it belongs to the GUI thread).

Stop sets a ``threading.Event`` that ``sweep()`` checks between runs: no further run starts, the
finished ones are kept (the processes engine terminates its workers; with Dask the pending
tasks are cancelled). The engines: ``"sequential"`` (the runs in this thread),
``"processes"`` (one worker process per core asked for), ``"dask"`` (a scheduler's address).
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
from PyQt5.QtCore import QObject, pyqtSignal, pyqtSlot

from ..text.i18n import translate
from .results import METRICS, compare_all

COMPARE_EVERY_S = 0.5  # the comparisons while running: at most this often


@dataclass
class SweepRequest:
    """Everything that shapes a sweep: the varied settings and their values (``grid``), the
    seeds, the model panel's settings (``network``: RecurrentNetwork's keyword arguments;
    ``epochs``), and where it runs."""

    grid: dict
    seeds: list
    epochs: int
    network: dict
    engine: str = "processes"  # "sequential" | "processes" | "dask"
    n_jobs: int | None = None
    address: str | None = None
    pairs: list = field(default_factory=list)  # the comparisons sent while running


def run_payload(sweep_obj, run, status, finished: list, grid: dict) -> dict:
    """What the view gets of a run: its cell (the indices of its values in ``grid``), seed,
    status, per-epoch curves (copies, from ``Sweep.record``) or error. ``finished``: the
    indices of the runs finished so far, this one included."""
    cell = tuple(
        next(i for i, v in enumerate(grid[name]) if v == value or (v is None and value is None))
        for name, value in run.settings
    )
    out = {"index": run.index, "cell": cell, "seed": run.seed, "status": status}
    if status == "failed":
        out["error"] = sweep_obj.failures.get(run.index, "")
        return out
    record = sweep_obj.record(run)
    out["curves"] = {m: np.array(record[m], dtype=float) for m in METRICS}
    return out


class SweepWorker(QObject):
    """Runs one sweep (see the module's docstring)."""

    run_done = pyqtSignal(object)  # a payload of run_payload (+ "comparisons" now and then)
    failed = pyqtSignal(str, str)  # title, message (the sweep could not start, or broke)
    finished = pyqtSignal(object)  # {"sweep": Sweep or None, "stopped": bool, "error": ...}

    def __init__(self, request: SweepRequest, data):
        super().__init__()
        self.request = request
        self.data = data  # gui.training.dataset.Dataset
        self.stop_event = threading.Event()
        self._finished = []
        self._next_compare = 0.0

    def stop(self):
        """From the GUI thread: no further run starts."""
        self.stop_event.set()

    @pyqtSlot()
    def run(self):
        result = {"sweep": None, "stopped": False, "error": None, "field": None}
        try:
            from rnnfast import RecurrentNetwork
            from rnnfast.experiments import sweep

            r, d = self.request, self.data
            kw = {}
            if d.encoding in ("ids", "embedding"):
                kw["n_features"] = int(d.n_features)
            if r.engine == "dask":
                kw["client"] = r.address
            elif r.engine == "processes":
                kw["n_jobs"] = r.n_jobs
            result["sweep"] = sweep(
                RecurrentNetwork(**r.network),
                r.grid,
                d.x_train,
                d.y_train,
                seeds=r.seeds,
                epochs=r.epochs,
                validation_data=(d.x_val, d.y_val),
                engine=r.engine,
                progress=False,
                on_run=self._on_run,
                stop=self.stop_event,
                **kw,
            )
        except ConnectionError as exc:  # an unreachable Dask scheduler
            result["error"], result["field"] = str(exc), "address"
            self.failed.emit(translate("Sweep", "No Dask scheduler"), str(exc))
        except (ValueError, TypeError, ImportError) as exc:  # refused before any run started
            result["error"] = str(exc)
            self.failed.emit(translate("Sweep", "The sweep could not start"), str(exc))
        # The edge of the thread: nothing may reach Qt from here; finished is always sent.
        except Exception as exc:
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            result["error"] = f"{type(exc).__name__}: {exc}\n\n{text}"
            self.failed.emit(translate("Sweep", "The sweep failed"), result["error"])
        finally:
            result["stopped"] = self.stop_event.is_set()
            self.finished.emit(result)

    def _on_run(self, sweep_obj, run, status):
        """sweep()'s on_run, in this thread: a copy of the run for the view."""
        if status != "failed":
            self._finished.append(run.index)
        payload = run_payload(sweep_obj, run, status, self._finished, self.request.grid)
        now = time.monotonic()
        if self.request.pairs and now >= self._next_compare:
            payload["comparisons"] = compare_all(sweep_obj, self.request.grid, self.request.pairs)
            self._next_compare = time.monotonic() + COMPARE_EVERY_S
        self.run_done.emit(payload)

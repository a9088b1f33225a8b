"""``sweep()``: settings x seeds on every core or a Dask cluster; ``Sweep``: what it found."""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from .. import hyperparams
from . import _engines, _plan, _store
from ._progress import Progress, duration
from ._result import Sweep, describe_plan
from ._worker import Data

ENGINES = ("auto", "sequential", "processes", "dask")


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl+C during a sweep.  ``.sweep`` holds the runs that finished (also in
    ``results_dir``, where a second call of the same sweep picks them up)."""

    def __init__(self, sweep):
        super().__init__(f"sweep interrupted: {sweep.n_done} of {len(sweep.plan)} runs finished")
        self.sweep = sweep


@dataclass
class _Job:
    """What every run shares: the estimator's class and other settings, epochs, the data."""

    cls: type
    params: dict
    epochs: int
    data: Data
    token: str

    def task_args(self, run):
        return (self.cls, self.params, run.settings, run.seed, self.epochs)


def sweep(
    estimator,
    grid,
    x,
    y,
    *,
    seeds=(0,),
    epochs=20,
    validation_data=None,
    n_features=None,
    engine="auto",
    n_jobs=None,
    client=None,
    results_dir=None,
    progress=True,
    on_run=None,
    stop=None,
):
    """Fit ``estimator`` with every combination of ``grid`` for every seed; returns a
    :class:`Sweep`.

    estimator: a :class:`rnnfast.RecurrentNetwork` holding the settings the runs share.
    grid: ``{name: [values]}`` of constructor parameters, e.g. ``{"backprop": ["exact",
        "textbook"], "bptt_steps": [10, None]}``; each run is ``clone(estimator)
        .set_params(**combination, seed=seed).fit(x, y, epochs=epochs, ...)``.
    x, y, validation_data, n_features: as :meth:`RecurrentNetwork.fit` takes them.
    seeds: the seeds of every combination (the same seeds for each: paired comparisons).
    engine: ``"sequential"`` (this process), ``"processes"`` (one worker process per core,
        ``n_jobs`` of them), ``"dask"`` (``client``: None starts a LocalCluster of ``n_jobs``
        processes, an address such as ``"tcp://10.0.0.5:8786"`` or a ``Client`` uses that
        cluster), ``"auto"`` (dask if a client is given, else processes when there is more
        than one run and more than one core, else sequential).  Every engine gives the same
        numbers; each run uses one BLAS thread.
    results_dir: a folder where each finished run is written at once; calling the same sweep
        with it again reads those back and runs only the rest.
    progress: one line per finished run on stderr, with an ETA.
    on_run: ``on_run(sweep, run, status)`` after each run (status ``"done"``, ``"failed"``
        or ``"resumed"``), in the calling thread: the app fills its views from it.
    stop: a callable (or ``threading.Event``); when it returns True no further run starts
        and the sweep returns with the runs finished so far.

    Everything is checked before the first run: an unknown setting, a value the estimator
    refuses, an empty grid or seed list, data fit() would refuse, a results_dir holding
    another sweep, an unreachable scheduler.  Ctrl+C raises :class:`SweepInterrupted`
    (a KeyboardInterrupt) holding the finished runs.
    """
    estimator = _plan.check_estimator(estimator)
    grid = _plan.check_grid(estimator, grid)
    seeds = _plan.check_seeds(seeds)
    epochs = hyperparams.check("epochs", epochs)
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
    if client is not None and engine not in ("auto", "dask"):
        raise ValueError(f"client is for engine='dask', got engine={engine!r}")
    n_jobs = _plan.check_n_jobs(n_jobs) if engine != "dask" and client is None else n_jobs
    data = _check_data(estimator, grid, x, y, validation_data, n_features)
    stop = _stop_function(stop)

    plan = _plan.make_runs(grid, seeds)
    shared = {k: val for k, val in estimator.get_params().items() if k not in grid}
    job = _Job(type(estimator), shared, epochs, data, uuid.uuid4().hex[:8])
    store = None
    if results_dir is not None:
        meta = _store.manifest(estimator, grid, epochs, _store.fingerprint(data))
        store = _store.Store(results_dir, meta)
    result = Sweep(grid, seeds, epochs, plan, metric_default=_default_metric(data))

    for run in plan:  # runs finished by an earlier call
        record = store.read(run) if store is not None else None
        if record is not None:
            result._add(run, record, "resumed")
            if on_run is not None:
                on_run(result, run, "resumed")
    todo = [run for run in plan if run.index not in result._records]
    engine, n_workers, client_obj, close = _choose_engine(engine, n_jobs, client, len(todo))

    prog = Progress(len(plan), len(plan) - len(todo), enabled=progress)
    prog.say(
        f"{len(plan)} runs ({describe_plan(grid, seeds)}), {epochs} epochs each"
        + (f"; {prog.already} already in {results_dir}" if prog.already else "")
        + (f"; engine {engine}" + (f" ({n_workers} workers)" if n_workers else "") if todo else "")
    )

    def done(run, record):
        result._add(run, record, "done")
        if store is not None:  # a Ctrl+C while writing raises after the file is complete
            store.write(run, record)
        prog.run_ended(
            run,
            f"{result.metric_default} {record[result.metric_default][-1]:.4f} "
            f"in {duration(record['fit_seconds'])}",
        )
        if on_run is not None:
            on_run(result, run, "done")

    def failed(run, message):
        result._fail(run, message)
        prog.run_ended(run, f"FAILED: {message}")
        if on_run is not None:
            on_run(result, run, "failed")

    try:
        if not todo:
            pass
        elif engine == "sequential":
            _engines.run_sequential(job, todo, done, failed, stop)
        elif engine == "processes":
            _engines.run_processes(job, todo, done, failed, stop, n_workers)
        else:
            _engines.run_dask(job, todo, done, failed, stop, client_obj)
    except KeyboardInterrupt:
        kept = f"; the finished runs are in {results_dir}" if store is not None else ""
        prog.say(f"interrupted: {result.n_done} of {len(plan)} runs finished{kept}")
        raise SweepInterrupted(result) from None
    finally:
        for c in close:
            c.close()
    if result.failures:
        first = next(iter(result.failures.values()))
        warnings.warn(
            f"{len(result.failures)} of {len(plan)} runs failed (first: {first}); see "
            "Sweep.runs; the others are complete",
            RuntimeWarning,
            stacklevel=2,
        )
    if todo:
        prog.say(f"{prog.finished} runs in {duration(prog.elapsed())}")
    return result


def _default_metric(data):
    return "val_accuracy" if data.x_val is not None else "accuracy"


def _stop_function(stop):
    if stop is None:
        return lambda: False
    if hasattr(stop, "is_set"):
        return stop.is_set
    if callable(stop):
        return stop
    raise TypeError(f"stop must be None, a callable or a threading.Event, got {stop!r}")


def _check_data(estimator, grid, x, y, validation_data, n_features):
    """The arrays as fit() sees them, checked now (once per embedding setting of the grid),
    so that bad data fails before the first run and not in every worker."""
    x_val, y_val = v.check_validation_data(validation_data, None, None)
    if n_features is not None:
        n_features = v.check_int(n_features, "n_features")
    x = v.as_array(x, "x")
    y = np.asarray(y)
    if x_val is not None:
        x_val, y_val = v.as_array(x_val, "x_val"), np.asarray(y_val)
    for dim in grid.get("embedding_dim", [estimator.embedding_dim]):
        v.check_training_data(x, y, x_val, y_val, n_features, dim)
    return Data(x, y, x_val, y_val, n_features)


def _choose_engine(engine, n_jobs, client, n_runs):
    """``(engine, n_workers, client, things to close)``."""
    if engine == "auto":
        if client is not None:
            engine = "dask"
        else:
            engine = "processes" if n_runs > 1 and n_jobs > 1 else "sequential"
    if engine == "sequential":
        return engine, 0, None, []
    if engine == "processes":
        return engine, min(n_jobs, max(n_runs, 1)), None, []
    if client is None:
        n_jobs = _plan.check_n_jobs(n_jobs)
    c, close = _engines.dask_client(client, n_jobs)
    return engine, len(c.scheduler_info().get("workers", {})) or None, c, close

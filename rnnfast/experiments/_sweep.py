"""``sweep()``: settings x seeds on every core or a Dask cluster; ``Sweep``: what it found."""

from __future__ import annotations

import json
import uuid
import warnings
from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from .. import hyperparams
from . import _engines, _plan, _stats, _store
from ._progress import Progress, duration
from ._worker import Data

ENGINES = ("auto", "sequential", "processes", "dask")
FRAME_METRICS = ("loss", "val_loss", "accuracy", "val_accuracy", "seconds")


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
        f"{len(plan)} runs ({_describe_plan(grid, seeds)}), {epochs} epochs each"
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


def _describe_plan(grid, seeds):
    sizes = " x ".join(f"{len(vals)} {name}" for name, vals in grid.items())
    return f"{sizes} x {len(seeds)} seeds"


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


class Sweep:
    """The runs of :func:`sweep` and what they say.

    Attributes: ``settings`` (the grid's names), ``grid``, ``seeds``, ``epochs``, ``plan``
    (every :class:`~rnnfast.experiments._plan.Run`), ``failures`` ({run index: error}).
    """

    def __init__(self, grid, seeds, epochs, plan, metric_default="val_accuracy"):
        self.grid = grid
        self.settings = tuple(grid)
        self.seeds = seeds
        self.epochs = epochs
        self.plan = plan
        self.metric_default = metric_default
        self.failures = {}
        self._records, self._status = {}, {}

    # ------------------------------------------------------------------ filling in
    def _add(self, run, record, status):
        self._records[run.index] = record
        self._status[run.index] = status
        self.failures.pop(run.index, None)

    def _fail(self, run, message):
        self.failures[run.index] = message
        self._status[run.index] = "failed"

    @property
    def n_done(self) -> int:
        return len(self._records)

    @property
    def complete(self) -> bool:
        return self.n_done == len(self.plan)

    def __repr__(self):
        return (
            f"<Sweep {_describe_plan(self.grid, self.seeds)}, {self.epochs} epochs: "
            f"{self.n_done}/{len(self.plan)} runs done, {len(self.failures)} failed>"
        )

    # ------------------------------------------------------------------ tables
    @property
    def frame(self):
        """A tidy DataFrame, one row per finished run and epoch: the grid's settings,
        ``seed``, ``epoch`` (1, 2, ...), ``loss``, ``val_loss``, ``accuracy``,
        ``val_accuracy``, ``seconds`` (wall time of that epoch, validation included); in the
        plan's order, whichever engine ran them and in whatever order they finished."""
        pd = _pandas()
        rows = {name: [] for name in (*self.settings, "seed", "epoch", *FRAME_METRICS)}
        for run in self.plan:
            rec = self._records.get(run.index)
            if rec is None:
                continue
            n = len(rec["loss"])
            for name, val in run.settings:
                rows[name] += [val] * n
            rows["seed"] += [run.seed] * n
            rows["epoch"] += list(range(1, n + 1))
            for m in FRAME_METRICS:
                rows[m] += list(rec[m])
        frame = pd.DataFrame(rows)
        for name in self.settings:  # None (e.g. full BPTT) stays None, not NaN
            if any(val is None for val in self.grid[name]):
                frame[name] = pd.Series(rows[name], dtype=object)
        frame["seed"] = frame["seed"].astype("int64")
        frame["epoch"] = frame["epoch"].astype("int64")
        for m in FRAME_METRICS:
            frame[m] = frame[m].astype("float64")
        return frame

    @property
    def runs(self):
        """One row per planned run: its settings, seed, ``status`` (done, resumed, failed,
        not run), ``error``, ``fit_seconds``, ``cpu_seconds``, ``worker`` (host:pid),
        ``cpu_level`` and ``version`` (rnnfast's)."""
        pd = _pandas()
        rows = []
        for run in self.plan:
            rec = self._records.get(run.index, {})
            rows.append(
                {
                    **dict(run.settings),
                    "seed": run.seed,
                    "status": self._status.get(run.index, "not run"),
                    "error": self.failures.get(run.index),
                    **{k: rec.get(k) for k in _store.RUN_FIELDS},
                }
            )
        return pd.DataFrame(rows)

    def record(self, run) -> dict | None:
        """One finished run's history (a :class:`Run` or its index): copies of the per-epoch
        lists ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``, ``seconds`` and its
        ``fit_seconds``, ``cpu_seconds``, ``worker``, ``cpu_level``, ``version``; None if the
        run has not finished (the app reads each run here as ``on_run`` reports it)."""
        rec = self._records.get(getattr(run, "index", run))
        return (
            None
            if rec is None
            else {k: list(v) if isinstance(v, list) else v for k, v in rec.items()}
        )

    def final(self, metric=None):
        """``{run index: the metric after the last epoch}`` of the finished runs."""
        metric = self._metric(metric)
        return {i: rec[metric][-1] for i, rec in self._records.items()}

    def _metric(self, metric):
        metric = metric or self.metric_default
        if metric not in ("loss", "val_loss", "accuracy", "val_accuracy"):
            raise ValueError(
                f"metric must be 'loss', 'val_loss', 'accuracy' or 'val_accuracy', got {metric!r}"
            )
        return metric

    def _groups(self, by):
        """``[(values of `by`, [runs])]`` in the grid's order."""
        groups = {}
        for run in self.plan:
            key = tuple(json.dumps(dict(run.settings)[b]) for b in by)
            groups.setdefault(key, []).append(run)
        return [(tuple(dict(rs[0].settings)[b] for b in by), rs) for rs in groups.values()]

    def summary(self, by=None, metric=None):
        """Per setting (default: every combination of the grid), the final ``metric``
        (default: val_accuracy, or accuracy without validation data) over the seeds:
        ``mean``, ``std``, ``n``, ``ci_low``, ``ci_high`` (95% interval of the mean)."""
        _pandas()
        metric = self._metric(metric)
        by = self._check_by(by)
        final = self.final(metric)
        rows = []
        for values, runs in self._groups(by):
            vals = [final[r.index] for r in runs if r.index in final]
            mean, std, n, low, high = _stats.interval(vals)
            rows.append(
                {**dict(zip(by, values)), "mean": mean, "std": std, "n": n}
                | {"ci_low": low, "ci_high": high}
            )
        frame = self._table(rows, by)
        frame.attrs["metric"] = metric
        return frame

    def _table(self, rows, settings):
        """A DataFrame of rows whose settings columns keep None (full BPTT) as None."""
        pd = _pandas()
        frame = pd.DataFrame(rows)
        for name in settings:
            if any(val is None for val in self.grid[name]):
                frame[name] = pd.Series([r[name] for r in rows], dtype=object)
        return frame

    def _check_by(self, by):
        if by is None:
            return list(self.settings)
        by = [by] if isinstance(by, str) else list(by)
        for b in by:
            if b not in self.settings:
                raise ValueError(f"by: {b!r} is not a setting of this sweep ({self.settings})")
        return by

    def _value(self, setting, value, name):
        values = self.grid[setting]
        if any(json.dumps(value) == json.dumps(x) for x in values):
            return value
        try:  # typed text, e.g. "full" for None
            parsed = hyperparams.parse(setting, str(value))
        except (KeyError, TypeError, ValueError):
            pass
        else:
            if any(json.dumps(parsed) == json.dumps(x) for x in values):
                return parsed
        raise ValueError(f"{name}: {value!r} is not a value of {setting} in this sweep ({values})")

    def compare(self, setting, a, b, metric=None):
        """The paired difference ``metric(a) - metric(b)`` between two values of one setting,
        seed by seed, at each combination of the other settings: ``n`` (seeds with both
        runs), ``mean_a``, ``mean_b``, ``difference`` (mean of the paired differences),
        ``ci_low``, ``ci_high`` (its 95% interval), ``p_paired_t`` (SciPy's paired t-test),
        ``p_sign_flip`` (the exact sign-flip permutation test) and ``verdict`` (``higher``,
        ``lower``: the interval excludes 0; ``no evidence``)."""
        _pandas()
        metric = self._metric(metric)
        if setting not in self.settings:
            raise ValueError(
                f"setting: {setting!r} is not a setting of this sweep ({self.settings})"
            )
        a, b = self._value(setting, a, "a"), self._value(setting, b, "b")
        others = [s for s in self.settings if s != setting]
        final = self.final(metric)
        rows = []
        for values, runs in self._groups(others):
            by_seed = {}
            for r in runs:
                if r.index in final:
                    by_seed.setdefault(r.seed, {})[json.dumps(dict(r.settings)[setting])] = final[
                        r.index
                    ]
            pairs = [
                (d[json.dumps(a)], d[json.dumps(b)])
                for d in by_seed.values()
                if json.dumps(a) in d and json.dumps(b) in d
            ]
            va = np.array([p[0] for p in pairs])
            vb = np.array([p[1] for p in pairs])
            diffs = va - vb
            mean, _, n, low, high = _stats.interval(diffs)
            rows.append(
                {
                    **dict(zip(others, values)),
                    "n": n,
                    "mean_a": float(va.mean()) if n else float("nan"),
                    "mean_b": float(vb.mean()) if n else float("nan"),
                    "difference": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "p_paired_t": _stats.paired_t_pvalue(diffs),
                    "p_sign_flip": _stats.sign_flip_pvalue(diffs),
                    "verdict": _stats.verdict(low, high),
                }
            )
        frame = self._table(rows, others)
        frame.attrs.update(metric=metric, setting=setting, a=a, b=b)
        return frame

    def describe_comparison(self, setting, a, b, metric=None):
        """:meth:`compare` in sentences, one per combination of the other settings, e.g.
        ``exact - textbook: +0.005 (95% interval -0.004 to +0.014) over 10 seeds, at
        bptt_steps=10: no evidence of a difference``."""
        table = self.compare(setting, a, b, metric)
        a, b = table.attrs["a"], table.attrs["b"]
        others = [s for s in self.settings if s != setting]
        lines = []
        for _, row in table.iterrows():
            at = ", ".join(f"{s}={_plan.format_value(s, row[s])}" for s in others)
            head = (
                f"{_plan.format_value(setting, a)} - {_plan.format_value(setting, b)}: "
                f"{row['difference']:+.4f}"
            )
            if row["n"] >= 2:
                head += f" (95% interval {row['ci_low']:+.4f} to {row['ci_high']:+.4f})"
            head += f" over {row['n']} seed{'s' if row['n'] != 1 else ''}"
            if at:
                head += f", at {at}"
            lines.append(f"{head}: {_VERDICT_WORDS[row['verdict']]}")
        return lines

    # ------------------------------------------------------------------ pictures
    def plot(self, kind="auto", metric=None, ax=None, **kwargs):
        """matplotlib: ``"curves"`` (the metric per epoch, one line per setting, a band of
        ± one standard deviation over the seeds), ``"bars"`` (the final metric per setting
        with its 95% interval), ``"heatmap"`` (two settings: the final metric's mean),
        ``"lines"`` (the final metric against the values of setting ``x=`` -- default the
        last -- one line per combination of the others, with 95% intervals).  ``"auto"``: a
        heatmap when two settings vary, else curves.  Returns the Axes."""
        from . import _plot

        return _plot.plot(self, kind, self._metric(metric), ax, **kwargs)


_VERDICT_WORDS = {
    "higher": "higher, the interval excludes 0",
    "lower": "lower, the interval excludes 0",
    "no evidence": "no evidence of a difference (the interval includes 0)",
    "too few seeds": "too few seeds for an interval",
}


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "a sweep's tables need pandas: pip install 'rnnfast[experiments]'"
        ) from None
    return pandas

"""``Sweep``: the runs of :func:`rnnfast.experiments.sweep` and what they say (the frame,
summary, paired comparisons, pictures)."""

from __future__ import annotations

import json

import numpy as np

from .. import hyperparams
from . import _plan, _stats, _store

FRAME_METRICS = ("loss", "val_loss", "accuracy", "val_accuracy", "seconds")


def describe_plan(grid, seeds):
    sizes = " x ".join(f"{len(vals)} {name}" for name, vals in grid.items())
    return f"{sizes} x {len(seeds)} seeds"


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
            f"<Sweep {describe_plan(self.grid, self.seeds)}, {self.epochs} epochs: "
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

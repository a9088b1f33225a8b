"""A sweep's pictures with matplotlib (imported here, when a plot is asked for).

Without an ``ax`` the figure is a plain :class:`matplotlib.figure.Figure` on the Agg canvas
(no pyplot state, no display needed); ``ax.figure.savefig(path)`` writes it.
"""

from __future__ import annotations

import numpy as np

from . import _plan, _stats

KINDS = ("auto", "curves", "bars", "heatmap", "lines")
_LABELS = {
    "loss": "loss",
    "val_loss": "validation loss",
    "accuracy": "accuracy",
    "val_accuracy": "validation accuracy",
}


def _axes(ax, figsize=(6.4, 4.0)):
    if ax is not None:
        return ax
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("Sweep.plot needs matplotlib: pip install matplotlib") from None
    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def _name(sweep, values):
    return ", ".join(f"{s}={_plan.format_value(s, val)}" for s, val in zip(sweep.settings, values))


def curve_bands(sweep, metric):
    """``[(label, epochs, mean, std)]`` per combination of the settings: the metric per
    epoch, mean and standard deviation over the finished seeds (the data of the curves)."""
    out = []
    for values, runs in sweep._groups(list(sweep.settings)):
        series = [sweep._records[r.index][metric] for r in runs if r.index in sweep._records]
        if not series:
            continue
        n = min(len(s) for s in series)
        a = np.array([s[:n] for s in series])
        std = a.std(axis=0, ddof=1) if len(a) > 1 else np.zeros(n)
        out.append((_name(sweep, values), np.arange(1, n + 1), a.mean(axis=0), std))
    return out


def plot(sweep, kind, metric, ax=None, **kwargs):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}, got {kind!r}")
    if kind == "auto":
        kind = "heatmap" if len(sweep.settings) == 2 else "curves"
    if kind == "heatmap" and len(sweep.settings) != 2:
        raise ValueError(
            f"kind='heatmap' needs a sweep of two settings, this one has {len(sweep.settings)}"
        )
    if not sweep.n_done:
        raise ValueError("this sweep has no finished run to plot")
    draw = {"curves": _curves, "bars": _bars, "heatmap": _heatmap, "lines": _lines}[kind]
    return draw(sweep, metric, _axes(ax), **kwargs)


def _curves(sweep, metric, ax, **kwargs):
    for label, epochs, mean, std in curve_bands(sweep, metric):
        (line,) = ax.plot(epochs, mean, label=label, **kwargs)
        ax.fill_between(epochs, mean - std, mean + std, color=line.get_color(), alpha=0.2)
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{_LABELS[metric]} (mean ± std over seeds)")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def _bars(sweep, metric, ax, **kwargs):
    table = sweep.summary(metric=metric)
    labels = [_name(sweep, [row[s] for s in sweep.settings]) for _, row in table.iterrows()]
    mean = table["mean"].to_numpy()
    err = np.vstack([mean - table["ci_low"].to_numpy(), table["ci_high"].to_numpy() - mean])
    x = np.arange(len(mean))
    ax.bar(x, mean, yerr=np.nan_to_num(err), capsize=4, **kwargs)
    ax.set_xticks(x, labels, rotation=30 if len(labels) > 3 else 0, ha="right")
    ax.set_ylabel(f"final {_LABELS[metric]} (mean, 95% interval)")
    low = np.nanmin(table["ci_low"].fillna(table["mean"]))
    high = np.nanmax(table["ci_high"].fillna(table["mean"]))
    pad = max((high - low) * 0.2, 1e-3)
    ax.set_ylim(low - pad, high + pad)
    ax.grid(alpha=0.3, axis="y")
    return ax


def heatmap_grid(sweep, metric):
    """``(row values, column values, means (rows, cols), n (rows, cols))`` of a two-setting
    sweep: the data of the heatmap (NaN where no run has finished)."""
    rows_name, cols_name = sweep.settings
    rv, cv = sweep.grid[rows_name], sweep.grid[cols_name]
    means = np.full((len(rv), len(cv)), np.nan)
    counts = np.zeros((len(rv), len(cv)), dtype=int)
    final = sweep.final(metric)
    for values, runs in sweep._groups([rows_name, cols_name]):
        i, j = rv.index(values[0]), cv.index(values[1])
        vals = [final[r.index] for r in runs if r.index in final]
        counts[i, j] = len(vals)
        if vals:
            means[i, j] = _stats.interval(vals)[0]
    return rv, cv, means, counts


def _heatmap(sweep, metric, ax, cmap="viridis", **kwargs):
    rows_name, cols_name = sweep.settings
    rv, cv, means, counts = heatmap_grid(sweep, metric)
    image = ax.imshow(means, cmap=cmap, aspect="auto", **kwargs)
    ax.set_xticks(range(len(cv)), [_plan.format_value(cols_name, c) for c in cv])
    ax.set_yticks(range(len(rv)), [_plan.format_value(rows_name, r) for r in rv])
    ax.set_xlabel(cols_name)
    ax.set_ylabel(rows_name)
    finite = means[np.isfinite(means)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0
    for i in range(len(rv)):
        for j in range(len(cv)):
            if counts[i, j]:
                ax.text(
                    j,
                    i,
                    f"{means[i, j]:.3f}\nn={counts[i, j]}",
                    ha="center",
                    va="center",
                    color="black" if means[i, j] > middle else "white",
                    fontsize="small",
                )
    ax.figure.colorbar(image, ax=ax, label=f"final {_LABELS[metric]} (mean over seeds)")
    return ax


def lines_data(sweep, metric, x):
    """``[(label, x values, means, low, high)]``: the final metric against the values of
    setting ``x``, one line per combination of the other settings (the data of "lines")."""
    others = [s for s in sweep.settings if s != x]
    table = sweep.summary(by=others + [x], metric=metric)
    out = []
    groups = table.groupby(others, sort=False, dropna=False) if others else [((), table)]
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{s}={_plan.format_value(s, v)}" for s, v in zip(others, key))
        out.append(
            (
                label or metric,
                [_plan.format_value(x, v) for v in part[x]],
                part["mean"].to_numpy(),
                part["ci_low"].to_numpy(),
                part["ci_high"].to_numpy(),
            )
        )
    return out


def _lines(sweep, metric, ax, x=None, **kwargs):
    x = x or sweep.settings[-1]
    if x not in sweep.settings:
        raise ValueError(f"x: {x!r} is not a setting of this sweep ({sweep.settings})")
    for label, xs, mean, low, high in lines_data(sweep, metric, x):
        err = np.nan_to_num(np.vstack([mean - low, high - mean]))
        ax.errorbar(range(len(xs)), mean, yerr=err, marker="o", capsize=4, label=label, **kwargs)
        ax.set_xticks(range(len(xs)), xs)
    ax.set_xlabel(x)
    ax.set_ylabel(f"final {_LABELS[metric]} (mean, 95% interval)")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax

"""The losses and accuracies per epoch: the source's ``plt.plot(rn.losses);
plt.plot(rn.val_losses)``, and the accuracies beside it.  :class:`rnnfast.callbacks.LivePlot`
redraws this picture while ``fit`` runs."""

from __future__ import annotations

from . import _data
from ._figure import Display, axes_for

#: panel -> (history keys, y label)
PANELS = {
    "loss": (("loss", "val_loss"), "loss (binary cross-entropy)"),
    "accuracy": (("accuracy", "val_accuracy"), "accuracy"),
}
LABELS = {
    "loss": "training",
    "val_loss": "validation",
    "accuracy": "training",
    "val_accuracy": "validation",
}


def check_metrics(metrics):
    """A tuple of panel names from ``metrics`` (a name or a sequence of "loss",
    "accuracy")."""
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    bad = [m for m in metrics if m not in PANELS]
    if bad or not metrics:
        raise ValueError(
            f"metrics must be one or more of {', '.join(map(repr, PANELS))}, got {metrics!r}"
        )
    return metrics


def draw(series, axes, metrics, **kwargs):
    """Draw ``series`` (:func:`rnnfast.plots._data.history_series`) on one Axes per metric;
    returns ``({key: line}, {key: values})``."""
    artists, data = {}, {}
    for ax, metric in zip(axes, metrics):
        keys, ylabel = PANELS[metric]
        for key in keys:
            if key in series:
                epochs, values = series[key]
                style = {"ls": "--"} if key.startswith("val_") else {}
                artists[key] = ax.plot(
                    epochs, values, marker="o", ms=3, label=LABELS[key], **style, **kwargs
                )[0]
                data[key] = values
        if metric == "accuracy":
            ax.axhline(0.5, color="grey", lw=1, ls=":", label="chance (0.5)")
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.set_title(ylabel.split(" (")[0])
        ax.grid(alpha=0.3)
        if ax.get_lines():
            ax.legend(fontsize="small")
    return artists, data


def history(rn, ax=None, *, metrics=("loss", "accuracy"), **kwargs):
    """The per-epoch losses and accuracies of a fitted network (or a ``history`` dict).

    rn: a ``RecurrentNetwork`` (its ``history``: ``losses``, ``val_losses``, ...) or a dict
    such as ``rn.history``.  metrics: panels, "loss" and/or "accuracy".  ax: None (a new
    figure), one Axes per metric (a sequence) or one Axes with one metric.  kwargs go to
    every line.  Returns a :class:`Display`: ``data[key]`` (epochs,) for each of ``loss``,
    ``val_loss``, ``accuracy``, ``val_accuracy`` that has values; the x values are 1 ..
    epochs.  Raises ValueError when there is no epoch to draw.
    """
    metrics = check_metrics(metrics)
    series = _data.history_series(rn)
    if not series:
        raise ValueError("nothing to plot: the network has no history yet (call fit() first)")
    axes, own = axes_for(ax, n=len(metrics), figsize=(4.2 * len(metrics), 3.4))
    if len(axes) != len(metrics):
        raise TypeError(f"ax: give {len(metrics)} Axes for metrics={metrics!r}")
    artists, data = draw(series, axes, metrics, **kwargs)
    return Display("history", axes, artists, data, own)

"""Figures without pyplot, and :class:`Display`, what every plot function returns.

matplotlib is imported here only when a figure is made (``import rnnfast`` never imports
it).  Without an ``ax`` a plot draws on a new :class:`matplotlib.figure.Figure` on the Agg
canvas: no pyplot state, no display needed, nothing left open; in Jupyter the returned
:class:`Display` shows itself (``_repr_png_``), elsewhere ``display.savefig(path)``.
"""

from __future__ import annotations

import io

import numpy as np


def require_matplotlib(what="this plot"):
    """Import matplotlib or raise ImportError saying how to install it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(
            f"{what} needs matplotlib: pip install matplotlib (it comes with the bench and "
            "test extras)"
        ) from None


def new_figure(figsize=(6.4, 4.0), ncols=1, nrows=1, layout="constrained", **kwargs):
    """A Figure on the Agg canvas and its array of Axes (nrows * ncols,).  layout:
    "constrained" (the default), or None (fixed margins: a render takes about half the time,
    for :class:`rnnfast.callbacks.LivePlot`)."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout=layout)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes.ravel()


def axes_for(ax, n=1, figsize=(6.4, 4.0)):
    """``(axes list of n, own)``: the given Axes (one, or a sequence of n) or a new figure's
    (own=True).  A single Axes where n > 1 are wanted gives ``[ax]`` (the caller draws what
    fits)."""
    if ax is None:
        return list(new_figure(figsize, ncols=n)[1]), True
    if hasattr(ax, "plot"):  # one Axes
        return [ax], False
    axes = list(np.ravel(ax))
    if len(axes) != n or not all(hasattr(a, "plot") for a in axes):
        raise TypeError(f"ax must be a matplotlib Axes or a sequence of {n} Axes, got {ax!r}")
    return axes, False


class Display:
    """What the plot functions return, in the manner of scikit-learn's ``...Display``.

    ``figure_``: the Figure; ``ax_``: the main Axes, ``axes_``: all the Axes drawn on;
    ``artists_``: ``{name: artist}`` (lines, bars, images); ``data``: ``{name: ndarray}``,
    exactly the numbers drawn (the tests compare them with the diagnostics' arrays).
    In Jupyter a Display of a figure it made itself shows as a PNG; ``savefig(path)``
    writes it anywhere.
    """

    def __init__(self, kind, axes, artists, data, own=False):
        self.kind = kind
        self.axes_ = list(axes)
        self.ax_ = self.axes_[0]
        self.figure_ = self.ax_.figure
        self.artists_ = dict(artists)
        self.data = dict(data)
        self._own = own

    def savefig(self, path, **kwargs):
        """``figure_.savefig(path, **kwargs)``; returns path."""
        self.figure_.savefig(path, **kwargs)
        return path

    def to_png(self, dpi=80):
        """The figure as PNG bytes."""
        buf = io.BytesIO()
        self.figure_.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()

    def _repr_png_(self):
        # only a figure made here: one passed in through ax= is the caller's to show
        return self.to_png() if self._own else None

    def __repr__(self):
        names = ", ".join(self.data)
        return f"<{self.kind} Display: {len(self.axes_)} axes; data: {names}>"


def legend_labels(ax):
    """The legend's texts of an Axes (tests and docs)."""
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]

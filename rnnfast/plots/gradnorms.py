"""The per-step gradient norm ``||dL/dz1_t||`` per epoch: the vanishing gradient over the
BPTT window, as lines (one per epoch, log scale) or a heatmap (epochs x steps back, log10,
the levels of the app's heatmap: :func:`rnnfast.plots._data.log_heatmap`)."""

from __future__ import annotations

import numpy as np

from . import _data
from ._figure import Display, axes_for

KINDS = ("lines", "heatmap")
#: at most this many epochs get a legend entry (the first, the last, evenly between)
MAX_LEGEND = 6


def legend_epochs(n):
    """The epochs (0-based) whose line is named in the legend."""
    return set(np.unique(np.linspace(0, n - 1, min(n, MAX_LEGEND)).round().astype(int)).tolist())


def grad_norms(rn, kind="lines", ax=None, **kwargs):
    """``rn.grad_norms`` (epochs, k): row e = epoch e + 1's mean over its batches of the
    gradient norm j steps back (j = 0: the last word).

    kind: "lines" (one line per epoch, light to dark, log y) or "heatmap" (log10, x = steps
    back, y = epoch).  ax: an Axes or None.  kwargs go to ``ax.plot`` / ``ax.imshow``.
    Returns a :class:`Display`: ``data["steps_back"]`` (k,), ``data["grad_norms"]``
    (epochs, k) = ``np.array(rn.grad_norms)``; for the heatmap also ``data["log10"]`` and
    ``data["levels"]`` (the colour range).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}, got {kind!r}")
    g = _data.grad_norm_matrix(rn)
    (ax,), own = axes_for(ax, figsize=(6.4, 4.0))
    steps = np.arange(g.shape[1])
    data = {"steps_back": steps, "grad_norms": g}
    if kind == "lines":
        from matplotlib import colormaps

        cmap = colormaps["viridis_r"]
        named = legend_epochs(len(g))
        artists = {}
        for e, row in enumerate(g):
            colour = cmap(0.15 + 0.8 * e / max(len(g) - 1, 1))
            label = f"epoch {e + 1}" if e in named else f"_epoch {e + 1}"
            positive = np.where(row > 0, row, np.nan)
            artists[f"epoch {e + 1}"] = ax.plot(
                steps, positive, color=colour, label=label, **kwargs
            )[0]
        ax.set_yscale("log")
        ax.set_ylabel("||dL/dz1_t|| (log)")
        ax.legend(fontsize="small", title="mean over the epoch")
    else:
        logimg, levels = _data.log_heatmap(g)
        lo, hi = levels or (-6.0, 0.0)
        kwargs.setdefault("cmap", "viridis")
        image = ax.imshow(
            logimg,
            aspect="auto",
            origin="lower",
            vmin=lo,
            vmax=hi,
            extent=(-0.5, g.shape[1] - 0.5, 0.5, len(g) + 0.5),
            interpolation="nearest",
            **kwargs,
        )
        ax.figure.colorbar(image, ax=ax, label="log10 ||dL/dz1||")
        ax.set_ylabel("epoch")
        artists = {"image": image}
        data.update(log10=logimg, levels=np.array([lo, hi]))
    ax.set_xlabel("time steps back (0 = last word)")
    ax.set_title("gradient norm per step back")
    return Display("grad_norms", [ax], artists, data, own)

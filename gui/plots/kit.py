"""What the plot widgets share, below the widgets (:mod:`gui.plots.base`): colors, pens, CSV
export, axis ranges that move in steps, and an axis whose tick labels never collide.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt

from ..training.runs import CURRENT_COLOR, KEPT_COLORS, run_color  # noqa: F401 (the plots' names)

pg.setConfigOptions(imageAxisOrder="row-major", background="w", foreground="k", antialias=False)

BLUE = (31, 119, 180)
ORANGE = (255, 127, 14)
GREEN = (44, 160, 44)
RED = (214, 39, 40)
GREY = (150, 150, 150)
PURPLE = (148, 103, 189)
BLACK = (60, 60, 60)
# the runs' colours are the runs' (gui.training.runs); the plots draw with them

MAX_HEATMAP_ROWS = 400
MAX_CURVE_POINTS = 800
MAX_SYMBOLS = 60  # per curve on screen; the CSV export has every point


SOLID, DASHED, DOTTED = Qt.SolidLine, Qt.DashLine, Qt.DotLine


def make_pen(color, width=1.5, style=SOLID, alpha=255):
    pen = pg.mkPen(color=(*color[:3], alpha), width=width)
    pen.setStyle(style)
    return pen


def finite_or_nan(v):
    a = np.asarray(v, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan)


def write_csv(path, columns: dict, comments: list[str] | None = None):
    """Columns of different lengths, padded with NaN, a header line of names; ``comments``
    go at the end, as ``# ...`` lines (``numpy.genfromtxt(names=True)`` reads the file)."""
    names = list(columns)
    arrays = [np.asarray(columns[n], dtype=np.float64).ravel() for n in names]
    n = max((len(a) for a in arrays), default=0)
    table = np.full((n, len(arrays)), np.nan)
    for j, a in enumerate(arrays):
        table[: len(a), j] = a
    header = ",".join(names)
    footer = "\n".join(comments) if comments else ""
    np.savetxt(path, table, delimiter=",", header=header, footer=footer, comments="", fmt="%.10g")
    return table


def no_si_prefix(plot_item):
    for name in ("left", "bottom"):
        plot_item.getAxis(name).enableAutoSIPrefix(False)


def nice_ceil(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= v (v > 0)."""
    if not np.isfinite(v) or v <= 0:
        return 1.0
    e = 10.0 ** np.floor(np.log10(v))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * e >= v * (1 - 1e-12):
            return float(m * e)
    return float(10 * e)


class RangeFollower:
    """Keeps a view on the data, moving its range only in steps.

    pyqtgraph's auto-range moves the axes on every new point, and redrawing the axes (ticks,
    text) is most of what a repaint costs; here the x range grows to the next "nice" value and
    the y range changes only when the data leave it or fill less than half of it. Following
    stops when the user pans or zooms, and resumes with pyqtgraph's "A" (auto-range) button.
    """

    def __init__(self, plot_item, x_from_zero=True):
        self.vb = plot_item.getViewBox()
        self.vb.disableAutoRange()
        self.x_from_zero = x_from_zero
        self.follow = True
        self.xr = None
        self.yr = None
        self.vb.sigRangeChangedManually.connect(self._manual)

    def _manual(self, *_):
        self.follow = False

    def reset(self):
        self.xr = self.yr = None

    def show_empty(self, x=(0.0, 1.0), y=(0.0, 1.0)):
        """No data: a range that means something (no negative epochs), followed again later."""
        self.reset()
        if self.follow:
            self.vb.setRange(xRange=x, yRange=y, padding=0.02)

    def update(self, xlo, xhi, ylo, yhi):
        """Data bounds (in view coordinates: log10 for a log axis)."""
        if any(self.vb.autoRangeEnabled()):  # the "A" button: follow again
            self.vb.disableAutoRange()
            self.follow = True
            self.reset()
        if not self.follow or not all(np.isfinite([xlo, xhi, ylo, yhi])):
            return
        if self.x_from_zero:
            xr = (0.0, nice_ceil(max(xhi, 1e-9)))
        else:
            xr = (xlo - 0.5, xhi + 0.5)
        if xr != self.xr:
            self.xr = xr
            self.vb.setXRange(*xr, padding=0.02)
        span = max(yhi - ylo, 1e-6 * max(1.0, abs(yhi)), 1e-9)
        yr = self.yr
        if yr is None or ylo < yr[0] or yhi > yr[1] or span < 0.5 * (yr[1] - yr[0]):
            pad = 0.08 * span
            self.yr = (ylo - pad, yhi + pad)
            self.vb.setYRange(*self.yr, padding=0)


class TidyAxis(pg.AxisItem):
    """An axis that draws no tick label over another: pyqtgraph always draws its first level of
    labels, which collide ("20406080") when the plot is narrow or the font large; here labels
    that would overlap one already placed (or stick out of the axis) are left out."""

    GAP = 4  # pixels between two labels along the axis

    def generateDrawSpecs(self, p):  # noqa: N802
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return (
            axis_spec,
            tick_specs,
            tidy_labels(text_specs, self.orientation in ("left", "right"), self.GAP),
        )

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802
        """pyqtgraph's decades and 2..9 between them; over less than a decade, where those
        leave fewer than two ticks (no scale), evenly spaced ticks in log10 instead."""
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if sum(len(v) for _, v in ticks) < 2:
            fine = [(s, v) for s, v in stdTicks if s < 1.0 and len(v) >= 2]
            if fine:
                return fine[:1]  # one level: its labels told apart by their digits
        return ticks

    def logTickStrings(self, values, scale, spacing):  # noqa: N802
        if spacing is not None and spacing < 1.0:  # ticks a fraction of a decade apart
            for digits in range(2, 7):  # as few digits as keep every label distinct
                out = [f"{10.0 ** float(v) * scale:.{digits}g}" for v in values]
                if len(set(out)) == len(out):
                    break
            return out
        return super().logTickStrings(values, scale, spacing)


def tidy_labels(text_specs, vertical: bool, gap: float = 4):
    """The (rect, flags, text) specs whose rects keep ``gap`` pixels from every one kept before
    them (pyqtgraph lists the coarsest level first, so its labels win)."""
    kept, spans = [], []
    for spec in text_specs:
        r = spec[0]
        lo, hi = (r.top(), r.bottom()) if vertical else (r.left(), r.right())
        if all(hi + gap <= a or lo >= b + gap for a, b in spans):
            kept.append(spec)
            spans.append((lo, hi))
    return kept


def tidy_axes(plot_item):
    """Replace a PlotItem's left and bottom axes with :class:`TidyAxis` (no SI prefixes), and
    turn pyqtgraph's own context menu off (English only; the app's Export menu does its work)."""
    plot_item.setAxisItems({"left": TidyAxis("left"), "bottom": TidyAxis("bottom")})
    for name in ("left", "bottom"):
        plot_item.getAxis(name).enableAutoSIPrefix(False)
    plot_item.setMenuEnabled(False)


def retire(widget) -> None:
    """Delete a widget holding pyqtgraph plots safely: each GraphicsView first clears its scene
    (pyqtgraph's ``close``), so that a paint already queued finds no deleted item (painting a
    deleted AxisItem crashed the process), then the widget leaves the window and is deleted."""
    for view in widget.findChildren(pg.GraphicsView):
        view.close()
    widget.setParent(None)
    widget.deleteLater()

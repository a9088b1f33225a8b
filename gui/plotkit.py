"""What the plot widgets (:mod:`gui.plots`) share: colors, pens, CSV export, axis ranges that
move in steps, and the two base widgets (curves on axes, an image with a color bar).

A new plot subclasses :class:`CurvePlot` (implements ``_refresh``, ``has_data``, ``export_csv``)
or :class:`ImagePlot`, and gets a place in :class:`gui.plotgrid.PlotGrid`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt

pg.setConfigOptions(imageAxisOrder="row-major", background="w", foreground="k", antialias=False)

BLUE = (31, 119, 180)
ORANGE = (255, 127, 14)
GREEN = (44, 160, 44)
RED = (214, 39, 40)
GREY = (150, 150, 150)
PURPLE = (148, 103, 189)

MAX_HEATMAP_ROWS = 400
MAX_CURVE_POINTS = 800
MAX_SYMBOLS = 60  # per curve on screen; the CSV export has every point


def make_pen(color, width=1.5, dashed=False, alpha=255):
    pen = pg.mkPen(color=(*color[:3], alpha), width=width)
    if dashed:
        pen.setStyle(Qt.DashLine)
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


def history_key(hist, kept=None):
    return (None if hist is None else hist.version, None if kept is None else kept.version)


def shrinkable_title(plot_item):
    """Let a PlotItem's title be narrower than its text (else a long title widens the plot
    beyond its widget and pushes the color bar out of sight)."""
    label = plot_item.titleLabel
    original = label.updateMin

    def update_min():
        original()
        h = label._sizeHint[Qt.SizeHint.MinimumSize][1]
        label._sizeHint[Qt.SizeHint.MinimumSize] = (0, h)
        label._sizeHint[Qt.SizeHint.PreferredSize] = (0, h)
        label.setMinimumWidth(0)
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


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


class Exportable:
    title = ""

    def export_png(self, path: str) -> bool:
        """Saves what is on screen (the widget grabbed into an image)."""
        return bool(self.grab().save(str(path), "PNG"))

    def export_csv(self, path: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def has_data(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class CurvePlot(pg.PlotWidget, Exportable):
    """Base of the line plots: a PlotWidget with a legend and helpers."""

    def __init__(self, title, xlabel, ylabel, parent=None):
        super().__init__(parent=parent)
        self.title = title
        pi = self.getPlotItem()
        shrinkable_title(pi)
        self.setTitle(title, size="10pt")
        no_si_prefix(pi)
        self.setLabel("bottom", xlabel)
        self.setLabel("left", ylabel)
        self.showGrid(x=True, y=True, alpha=0.25)
        self.legend = self.addLegend(offset=(-5, 5), labelTextSize="8pt", verSpacing=-6)
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 120))
        pi.setClipToView(True)
        self.setMinimumSize(220, 170)
        self._names = {}
        self._versions = {}
        self._counts = {}
        self._legend_items = []
        self._last_key = ()
        self._symbols = {}
        self._bounds = {}
        self._log_y = False
        self.follower = RangeFollower(pi, x_from_zero=True)

    def _curve(self, name, pen, symbol=None, color=None, size=5, in_legend=True):
        kw = {}
        if symbol:
            kw = dict(symbol=symbol, symbolSize=size, symbolBrush=color, symbolPen=None)
        c = self.plot([], [], pen=pen, connect="finite", **kw)
        if symbol:
            self._symbols[c] = [symbol, True]
        if name:
            self._names[c] = name
        return c

    def is_stale(self, hist, kept=None) -> bool:
        return history_key(hist, kept) != self._last_key

    def refresh(self, hist, kept=None):
        """Redraw from a run's history (and a kept run, dashed); nothing to do if neither changed."""
        key = history_key(hist, kept)
        if key == self._last_key:
            return
        self._last_key = key
        self._refresh(hist, kept)
        self._sync_legend()
        if self._bounds:
            b = np.array(list(self._bounds.values()))
            self.follower.update(b[:, 0].min(), b[:, 1].max(), b[:, 2].min(), b[:, 3].max())
        else:
            self.follower.reset()

    def _refresh(self, hist, kept):  # pragma: no cover - overridden
        raise NotImplementedError

    def _sync_legend(self):
        """Legend entries only for the curves that show something, in a fixed order."""
        want = [c for c in self._names if self._has(c)]
        if want != self._legend_items:
            self.legend.clear()
            for c in want:
                self.legend.addItem(c, self._names[c])
            self._legend_items = want

    def _set(self, curve, x, y, version=None):
        """setData, skipped when ``version`` says nothing changed; long curves decimated."""
        n = len(x)
        key = (version, n)
        if version is not None and self._versions.get(curve) == key:
            return
        self._versions[curve] = key
        self._counts[curve] = n
        if n == 0:
            self._bounds.pop(curve, None)
            curve.setData([], [])
            return
        x = np.asarray(x, dtype=np.float64)
        y = finite_or_nan(y)
        yv = np.log10(y[y > 0]) if self._log_y else y[np.isfinite(y)]
        if yv.size:
            self._bounds[curve] = (float(np.min(x)), float(np.max(x)), float(yv.min()), float(yv.max()))
        else:
            self._bounds.pop(curve, None)
        if n > MAX_CURVE_POINTS:
            step = int(np.ceil(n / MAX_CURVE_POINTS))
            idx = np.r_[np.arange(0, n - 1, step), n - 1]  # keep the newest point
            x, y = x[idx], y[idx]
        curve.setData(x, y, connect="finite")
        sym = self._symbols.get(curve)
        if sym is not None and sym[1] != (n <= MAX_SYMBOLS):  # markers only while there are few points
            sym[1] = n <= MAX_SYMBOLS
            curve.setSymbol(sym[0] if sym[1] else None)

    def _has(self, curve):
        return self._counts.get(curve, 0) > 0



class ImagePlot(pg.GraphicsLayoutWidget, Exportable):
    """Base of the heatmaps: a PlotItem with an ImageItem and a color bar."""

    def __init__(self, title, cmap, levels, parent=None):
        super().__init__(parent=parent)
        self.title = title
        self.plot_item = self.addPlot()
        shrinkable_title(self.plot_item)
        self.plot_item.setTitle(title, size="10pt")
        no_si_prefix(self.plot_item)
        self.image = pg.ImageItem()
        self.plot_item.addItem(self.image)
        self.cbar = pg.ColorBarItem(values=levels, colorMap=pg.colormap.get(cmap), width=12, interactive=False,
                                    pen="k")
        self.cbar.setImageItem(self.image, insert_in=self.plot_item)
        self.cbar.axis.setWidth(50)
        self.setMinimumSize(220, 170)
        self._last_key = ()

    def is_stale(self, hist, kept=None) -> bool:
        return history_key(hist) != self._last_key

    def has_data(self):
        img = self.image.image
        return img is not None and img.size > 0


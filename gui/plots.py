"""The five live plots, one widget each.

Every widget is refreshed from a :class:`gui.state.RunHistory` (and, for the compare
overlay, a kept one) by :meth:`refresh`; the window calls it from a QTimer, never from the
worker's signals. Every widget can export itself as PNG (:meth:`export_png`) and its data
as CSV (:meth:`export_csv`), and tells whether it shows data (:meth:`has_data`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QRectF, Qt
from PyQt5.QtGui import QFont
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

from .state import RunHistory, smooth_fast

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


def _pen(color, width=1.5, dashed=False, alpha=255):
    pen = pg.mkPen(color=(*color[:3], alpha), width=width)
    if dashed:
        pen.setStyle(Qt.DashLine)
    return pen


def _finite_or_nan(v):
    a = np.asarray(v, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan)


def _write_csv(path, columns: dict, comments: list[str] | None = None):
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


def _key(hist, kept=None):
    return (None if hist is None else hist.version, None if kept is None else kept.version)


def _shrinkable_title(plot_item):
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


def _no_si_prefix(plot_item):
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


class _Exportable:
    title = ""

    def export_png(self, path: str) -> bool:
        """Saves what is on screen (the widget grabbed into an image)."""
        return bool(self.grab().save(str(path), "PNG"))

    def export_csv(self, path: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def has_data(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class _CurvePlot(pg.PlotWidget, _Exportable):
    """Base of the line plots: a PlotWidget with a legend and helpers."""

    def __init__(self, title, xlabel, ylabel, parent=None):
        super().__init__(parent=parent)
        self.title = title
        pi = self.getPlotItem()
        _shrinkable_title(pi)
        self.setTitle(title, size="10pt")
        _no_si_prefix(pi)
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
        return _key(hist, kept) != self._last_key

    def refresh(self, hist: RunHistory | None, kept: RunHistory | None = None):
        """Redraw from a run's history (and a kept run, dashed); nothing to do if neither changed."""
        key = _key(hist, kept)
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
        y = _finite_or_nan(y)
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


class LossPlot(_CurvePlot):
    """1. Loss: per batch (raw, and smoothed) and per epoch for training; per epoch for validation."""

    def __init__(self, parent=None):
        super().__init__("Loss", "epoch", "binary cross-entropy", parent)
        self.raw = self._curve(None, _pen(GREY, 1, alpha=90))
        self.smooth = self._curve("train (batches, smoothed)", _pen(BLUE, 1.5))
        self.train = self._curve("train (epoch)", _pen(BLUE, 2), "o", BLUE)
        self.val = self._curve("validation", _pen(ORANGE, 2), "s", ORANGE)
        self.k_smooth = self._curve(None, _pen(BLUE, 1.2, dashed=True, alpha=140))
        self.k_val = self._curve("kept run: validation", _pen(ORANGE, 1.5, dashed=True, alpha=170))
        self.k_train = self._curve("kept run: train", _pen(BLUE, 1.5, dashed=True, alpha=170))
        self._hist = None
        self._kept = None

    def _refresh(self, hist: RunHistory | None, kept: RunHistory | None = None):
        self._hist, self._kept = hist, kept
        if hist is None:
            for c in (self.raw, self.smooth, self.train, self.val):
                self._set(c, [], [], 0)
        else:
            self._set(self.raw, hist.batch_x, hist.batch_loss, hist.uid)
            self._set(self.smooth, hist.batch_x, smooth_fast(hist.batch_loss, _window(hist)), hist.uid)
            self._set(self.train, hist.epoch_x, hist.epoch_loss, hist.uid)
            self._set(self.val, hist.epoch_x, hist.val_loss, hist.uid)
        if kept is None:
            for c in (self.k_smooth, self.k_train, self.k_val):
                self._set(c, [], [], 0)
        else:
            self._set(self.k_smooth, kept.batch_x, smooth_fast(kept.batch_loss, _window(kept)), kept.uid)
            self._set(self.k_train, kept.epoch_x, kept.epoch_loss, kept.uid)
            self._set(self.k_val, kept.epoch_x, kept.val_loss, kept.uid)

    def has_data(self):
        return self._has(self.smooth)

    def has_compare(self):
        return self._has(self.k_smooth) or self._has(self.k_train)

    def export_csv(self, path):
        h, k = self._hist or RunHistory(), self._kept or RunHistory()
        return _write_csv(
            path,
            {
                "batch_x": h.batch_x,
                "batch_loss": h.batch_loss,
                "batch_loss_smoothed": smooth_fast(h.batch_loss, _window(h)),
                "epoch": h.epoch_x,
                "train_loss": h.epoch_loss,
                "val_loss": h.val_loss,
                "kept_epoch": k.epoch_x,
                "kept_train_loss": k.epoch_loss,
                "kept_val_loss": k.val_loss,
            },
        )


class AccuracyPlot(_CurvePlot):
    """2. Accuracy: training (per batch smoothed, per epoch) and validation."""

    def __init__(self, parent=None):
        super().__init__("Accuracy", "epoch", "accuracy", parent)
        self.smooth = self._curve("train (batches, smoothed)", _pen(BLUE, 1.5))
        self.train = self._curve("train (epoch)", _pen(BLUE, 2), "o", BLUE)
        self.val = self._curve("validation", _pen(ORANGE, 2), "s", ORANGE)
        self.k_train = self._curve("kept run: train", _pen(BLUE, 1.5, dashed=True, alpha=170))
        self.k_val = self._curve("kept run: validation", _pen(ORANGE, 1.5, dashed=True, alpha=170))
        self.legend.setOffset((-5, -5))  # bottom right: accuracy rises
        self.chance = pg.InfiniteLine(pos=0.5, angle=0, pen=_pen(GREY, 1, dashed=True))
        self.addItem(self.chance)
        self._hist = None
        self._kept = None

    def _refresh(self, hist, kept=None):
        self._hist, self._kept = hist, kept
        if hist is None:
            for c in (self.smooth, self.train, self.val):
                self._set(c, [], [], 0)
        else:
            self._set(self.smooth, hist.batch_x, smooth_fast(hist.batch_acc, _window(hist)), hist.uid)
            self._set(self.train, hist.epoch_x, hist.epoch_acc, hist.uid)
            self._set(self.val, hist.epoch_x, hist.val_acc, hist.uid)
        if kept is None:
            self._set(self.k_train, [], [], 0)
            self._set(self.k_val, [], [], 0)
        else:
            self._set(self.k_train, kept.epoch_x, kept.epoch_acc, kept.uid)
            self._set(self.k_val, kept.epoch_x, kept.val_acc, kept.uid)

    def has_data(self):
        return self._has(self.smooth)

    def has_compare(self):
        return self._has(self.k_train) or self._has(self.k_val)

    def export_csv(self, path):
        h, k = self._hist or RunHistory(), self._kept or RunHistory()
        return _write_csv(
            path,
            {
                "batch_x": h.batch_x,
                "batch_accuracy": h.batch_acc,
                "batch_accuracy_smoothed": smooth_fast(h.batch_acc, _window(h)),
                "epoch": h.epoch_x,
                "train_accuracy": h.epoch_acc,
                "val_accuracy": h.val_acc,
                "kept_epoch": k.epoch_x,
                "kept_train_accuracy": k.epoch_acc,
                "kept_val_accuracy": k.val_acc,
            },
        )


class GradNormPlot(_CurvePlot):
    """3. ||dL/dZ1_t|| at each step of the truncation window, log scale, x = steps back in time."""

    RECENT = 20

    def __init__(self, parent=None):
        super().__init__("Gradient norm per time step", "steps back (0 = last word)", "||dL/dz1_t||", parent)
        self.setLogMode(x=False, y=True)
        self._log_y = True
        self.follower.x_from_zero = False
        self.first = self._curve("first epoch (mean)", _pen(GREY, 1.5))
        self.recent = self._curve(f"last {self.RECENT} batches (mean)", _pen(BLUE, 2.5))
        self.latest = self._curve("latest batch", _pen(RED, 1.2))
        self.kept = self._curve("kept run (last batches)", _pen(PURPLE, 1.5, dashed=True))
        self._cols = {}

    @staticmethod
    def _positive(v):
        v = _finite_or_nan(v)
        return np.where(v > 0, v, np.nan)

    def _refresh(self, hist, kept=None):
        cols = {}
        if hist is not None and len(hist.grad_matrix):
            g = hist.grad_matrix
            j = np.arange(g.shape[1])
            cols["step_back"] = j
            cols["latest"] = g[-1]
            cols["recent_mean"] = g[-self.RECENT :].mean(axis=0)
            first = hist.epoch_grads[0] if hist.epoch_grads else g[: min(len(g), self.RECENT)].mean(axis=0)
            cols["first_epoch_mean"] = first
            self._set(self.latest, j, self._positive(g[-1]), hist.version)
            self._set(self.recent, j, self._positive(cols["recent_mean"]), hist.version)
            self._set(self.first, np.arange(len(first)), self._positive(first), hist.version)
        else:
            for c in (self.latest, self.recent, self.first):
                self._set(c, [], [], 0)
        if kept is not None and len(kept.grad_matrix):
            kg = kept.grad_matrix[-self.RECENT :].mean(axis=0)
            cols["kept_step_back"] = np.arange(len(kg))
            cols["kept_recent_mean"] = kg
            self._set(self.kept, np.arange(len(kg)), self._positive(kg), kept.version)
        elif kept is not None and kept.epoch_grads:
            kg = kept.epoch_grads[-1]
            cols["kept_step_back"] = np.arange(len(kg))
            cols["kept_recent_mean"] = kg
            self._set(self.kept, np.arange(len(kg)), self._positive(kg), kept.version)
        else:
            self._set(self.kept, [], [], 0)
        self._cols = cols

    def has_data(self):
        return self._has(self.recent)

    def has_compare(self):
        return self._has(self.kept)

    def export_csv(self, path):
        cols = self._cols or {"step_back": [], "latest": [], "recent_mean": [], "first_epoch_mean": []}
        return _write_csv(path, cols)


class _ImagePlot(pg.GraphicsLayoutWidget, _Exportable):
    """Base of the heatmaps: a PlotItem with an ImageItem and a color bar."""

    def __init__(self, title, cmap, levels, parent=None):
        super().__init__(parent=parent)
        self.title = title
        self.plot_item = self.addPlot()
        _shrinkable_title(self.plot_item)
        self.plot_item.setTitle(title, size="10pt")
        _no_si_prefix(self.plot_item)
        self.image = pg.ImageItem()
        self.plot_item.addItem(self.image)
        self.cbar = pg.ColorBarItem(values=levels, colorMap=pg.colormap.get(cmap), width=12, interactive=False,
                                    pen="k")
        self.cbar.setImageItem(self.image, insert_in=self.plot_item)
        self.cbar.axis.setWidth(50)
        self.setMinimumSize(220, 170)
        self._last_key = ()

    def is_stale(self, hist, kept=None) -> bool:
        return _key(hist) != self._last_key

    def has_data(self):
        img = self.image.image
        return img is not None and img.size > 0


class GradHeatmap(_ImagePlot):
    """4. log10 of the per-step gradient norm over training: x = steps back, y = training progress."""

    def __init__(self, parent=None):
        super().__init__("Gradient norm over training (log10)", "viridis", (-6, 0), parent)
        self.plot_item.setLabel("bottom", "steps back in time")
        self.plot_item.setLabel("left", "training progress (epochs)")
        self._follower = RangeFollower(self.plot_item)
        self._view = None
        self._hist = None

    def refresh(self, hist, kept=None):
        """Redraw (the kept run is not shown here: one heatmap per run)."""
        key = _key(hist)
        if key == self._last_key:
            return
        self._last_key = key
        self._hist = hist
        if hist is None or not len(hist.grad_matrix):
            self.image.clear()
            self._view = None
            return
        if any(self._follower.vb.autoRangeEnabled()):  # the "A" button
            self._follower.vb.disableAutoRange()
            self._follower.follow, self._view = True, None
        g = hist.grad_matrix
        img = _bin_rows(g, MAX_HEATMAP_ROWS)
        with np.errstate(divide="ignore", invalid="ignore"):
            logimg = np.log10(np.where(img > 0, img, np.nan))
        finite = logimg[np.isfinite(logimg)]
        if finite.size:
            lo, hi = np.percentile(finite, [1, 99.5])
            # round outwards to a tenth: readable color-bar ticks, colors that do not flicker
            lo, hi = np.floor(lo * 10) / 10, np.ceil(hi * 10) / 10
            if hi - lo < 0.2:
                lo, hi = lo - 0.1, hi + 0.1
            self.cbar.setLevels((float(lo), float(hi)))
            logimg = np.where(np.isfinite(logimg), logimg, lo)
        self.image.setImage(logimg, autoLevels=False)
        k = g.shape[1]
        top = max(hist.batch_x[-1] if hist.batch_x else 1.0, 1e-9)
        self.image.setRect(QRectF(-0.5, 0.0, float(k), float(top)))
        # the view moves in whole epochs (nice steps), not with every batch: cheap repaints
        view = (k, nice_ceil(top) if top > 1 else 1.0)
        if view != self._view and self._follower.follow:
            self._view = view
            self._follower.vb.setRange(xRange=(-0.5, k - 0.5), yRange=(0.0, view[1]), padding=0.01)

    def export_csv(self, path):
        h = self._hist or RunHistory()
        g = h.grad_matrix
        names = ["epoch"] + [f"step_back_{j}" for j in range(g.shape[1] if g.ndim == 2 else 0)]
        cols = {"epoch": h.batch_x[: len(g)]}
        for j in range(len(names) - 1):
            cols[names[j + 1]] = g[:, j]
        return _write_csv(path, cols)


class HiddenStatesPlot(QWidget, _Exportable):
    """5. Hidden states h_t (T x n_cells) of one validation review, its words along the time axis."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = "Hidden states"
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.header = QLabel("Hidden states of a validation review")
        self.header.setAlignment(Qt.AlignCenter)
        self.header.setWordWrap(True)
        self.header.setFixedHeight(3 * self.header.fontMetrics().lineSpacing() + 6)  # no relayout on updates
        self.header.setStyleSheet("background: white; color: black; padding: 3px")
        lay.addWidget(self.header)
        self.view = pg.GraphicsLayoutWidget()
        lay.addWidget(self.view, 1)
        self.plot_item = self.view.addPlot()
        _no_si_prefix(self.plot_item)
        self.image = pg.ImageItem()
        self.plot_item.addItem(self.image)
        self.plot_item.invertY(True)
        self.plot_item.setLabel("bottom", "cell")
        self.plot_item.setLabel("left", "time step: word")
        self.cbar = pg.ColorBarItem(values=(-1, 1), colorMap=pg.colormap.get("CET-D1"), width=12, interactive=False,
                                    pen="k")
        self.cbar.setImageItem(self.image, insert_in=self.plot_item)
        self.cbar.getAxis("right").setLabel("h")
        self.hover = QLabel(" ")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        f = QFont()
        f.setPointSize(8)
        self.hover.setFont(f)
        self.hover.setStyleSheet("background: white; color: black; padding: 2px")
        lay.addWidget(self.hover)
        self.plot_item.scene().sigMouseMoved.connect(self._on_mouse)
        self.states = None
        self.words = []
        self._tick_words = None
        self._shape = None
        self.ids = None
        self.proba = None
        self.label = None
        self.index = None
        self.setMinimumSize(220, 170)

    def set_review(self, index, states, words, ids=None, proba=None, label=None):
        states = np.asarray(states, dtype=np.float64)
        self.index, self.states, self.words, self.proba, self.label = index, states, list(words), proba, label
        self.ids = None if ids is None else np.asarray(ids)
        T, n = states.shape
        self.image.setImage(states, autoLevels=False, levels=(-1, 1))
        if (T, n) != self._shape:
            self._shape = (T, n)
            self.image.setRect(QRectF(-0.5, -0.5, float(n), float(T)))
            self.plot_item.getViewBox().setRange(xRange=(-0.5, n - 0.5), yRange=(-0.5, T - 0.5), padding=0.0)
        lab = {0: "negative", 1: "positive"}.get(None if label is None else int(label), "?")
        color = "#2ca02c" if proba is not None and label is not None and (proba > 0.5) == bool(label) else "#d62728"
        p = "" if proba is None or not np.isfinite(proba) else f"P(positive) = {proba:.3f}"
        self._set_header(
            f"<b>Hidden states</b>, review #{index}<br>"
            f"label: {lab}, <span style='color:{color}'><b>{p}</b></span>"
        )
        if self.words != self._tick_words:
            self._tick_words = list(self.words)
            self._set_word_ticks()

    def show_words(self, index, words, label=None):
        """Before there is a network: the review's words on the time axis, no states yet."""
        self.clear()
        self.index, self.words, self.label = index, list(words), label
        T = len(self.words)
        lab = {0: "negative", 1: "positive"}.get(None if label is None else int(label), "?")
        self._set_header(f"<b>Hidden states</b>, review #{index}<br>label: {lab} (train to see them)")
        if T:
            self.plot_item.getViewBox().setRange(yRange=(-0.5, T - 0.5), padding=0.0)
        if self.words != self._tick_words:
            self._tick_words = list(self.words)
            self._set_word_ticks()

    def _set_header(self, html):
        if html != self.header.text():
            self.header.setText(html)

    def _set_word_ticks(self):
        w = self.words
        T = len(w)
        ax = self.plot_item.getAxis("left")
        if not T:
            ax.setTicks(None)
            return
        # three levels: pyqtgraph drops labels of a level that would overlap, so zooming in shows more words
        ax.setTicks(
            [
                [(t, f"{_short(w[t])}  {t}") for t in range(0, T, 10)],
                [(t, _short(w[t])) for t in range(T) if t % 10 == 5],
                [(t, _short(w[t])) for t in range(T) if t % 5 != 0 and t % 2 == 1],
                [(t, _short(w[t])) for t in range(T) if t % 5 != 0 and t % 2 == 0],
            ]
        )
        # allow the word levels to fill more of the axis than pyqtgraph's default
        ax.setStyle(tickFont=_small_font(), maxTextLevel=3,
                    textFillLimits=[(0, 0.95), (2, 0.85), (3, 0.75), (4, 0.6)])

    def clear(self):
        self.states = None
        self.proba = None
        self.image.clear()
        self._set_header("Hidden states of a validation review")

    def _on_mouse(self, pos):
        if self.states is None:
            return
        p = self.plot_item.vb.mapSceneToView(pos)
        t, c = int(round(p.y())), int(round(p.x()))
        T, n = self.states.shape
        if 0 <= t < T and 0 <= c < n:
            word = self.words[t] if t < len(self.words) else "?"
            self.hover.setText(f"t = {t}  word: {word!r}  cell {c}: h = {self.states[t, c]:+.3f}")

    def has_data(self):
        img = self.image.image
        return img is not None and img.size > 0

    def export_csv(self, path):
        if self.states is None:
            return _write_csv(path, {"t": []})
        T, n = self.states.shape
        cols = {"t": np.arange(T)}
        if self.ids is not None:
            cols["token_id"] = self.ids[:T]
        for j in range(n):
            cols[f"h_{j}"] = self.states[:, j]
        words = " ".join(w.replace(" ", "_") for w in self.words)
        comments = [
            f"# validation review {self.index}; label {self.label}; P(positive) {self.proba}",
            f"# words: {words}",
        ]
        return _write_csv(path, cols, comments=comments)


def _short(word, n=10):
    return word if len(word) <= n else word[: n - 1] + "\u2026"


def _small_font():
    f = QFont()
    f.setPointSize(7)
    return f


def _window(hist: RunHistory) -> int:
    n = len(hist.batch_loss)
    return max(1, min(50, n // 20 + 1))


def _bin_rows(g: np.ndarray, max_rows: int) -> np.ndarray:
    """Mean over groups of consecutive rows so that at most ``max_rows`` remain."""
    n = len(g)
    if n <= max_rows:
        return g
    f = int(np.ceil(n / max_rows))
    m = (n // f) * f
    out = g[:m].reshape(-1, f, g.shape[1]).mean(axis=1)
    if m < n:
        out = np.vstack([out, g[m:].mean(axis=0, keepdims=True)])
    return out

"""The five live plots, one widget each.

Every widget is refreshed from a :class:`gui.state.RunHistory` (and, for the compare
overlay, a kept one) by :meth:`refresh`; :class:`gui.plotgrid.PlotGrid` calls it from a
QTimer, never from the worker's signals. Every widget can export itself as PNG
(:meth:`export_png`) and its data as CSV (:meth:`export_csv`), and tells whether it shows
data (:meth:`has_data`). What they share (base widgets, pens, CSV, ranges) is in
:mod:`gui.plotkit`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QRectF, Qt
from PyQt5.QtGui import QFont
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

from .plotkit import (BLUE, GREY, MAX_HEATMAP_ROWS, ORANGE, PURPLE, RED, CurvePlot, Exportable, ImagePlot,
                      RangeFollower, finite_or_nan, make_pen, history_key, nice_ceil, no_si_prefix, write_csv)
from .state import RunHistory, smooth_fast


class LossPlot(CurvePlot):
    """1. Loss: per batch (raw, and smoothed) and per epoch for training; per epoch for validation."""

    def __init__(self, parent=None):
        super().__init__("Loss", "epoch", "binary cross-entropy", parent)
        self.raw = self._curve(None, make_pen(GREY, 1, alpha=90))
        self.smooth = self._curve("train (batches, smoothed)", make_pen(BLUE, 1.5))
        self.train = self._curve("train (epoch)", make_pen(BLUE, 2), "o", BLUE)
        self.val = self._curve("validation", make_pen(ORANGE, 2), "s", ORANGE)
        self.k_smooth = self._curve(None, make_pen(BLUE, 1.2, dashed=True, alpha=140))
        self.k_val = self._curve("kept run: validation", make_pen(ORANGE, 1.5, dashed=True, alpha=170))
        self.k_train = self._curve("kept run: train", make_pen(BLUE, 1.5, dashed=True, alpha=170))
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
        return write_csv(
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


class AccuracyPlot(CurvePlot):
    """2. Accuracy: training (per batch smoothed, per epoch) and validation."""

    def __init__(self, parent=None):
        super().__init__("Accuracy", "epoch", "accuracy", parent)
        self.smooth = self._curve("train (batches, smoothed)", make_pen(BLUE, 1.5))
        self.train = self._curve("train (epoch)", make_pen(BLUE, 2), "o", BLUE)
        self.val = self._curve("validation", make_pen(ORANGE, 2), "s", ORANGE)
        self.k_train = self._curve("kept run: train", make_pen(BLUE, 1.5, dashed=True, alpha=170))
        self.k_val = self._curve("kept run: validation", make_pen(ORANGE, 1.5, dashed=True, alpha=170))
        self.legend.setOffset((-5, -5))  # bottom right: accuracy rises
        self.chance = pg.InfiniteLine(pos=0.5, angle=0, pen=make_pen(GREY, 1, dashed=True))
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
        return write_csv(
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


class GradNormPlot(CurvePlot):
    """3. ||dL/dZ1_t|| at each step of the truncation window, log scale, x = steps back in time."""

    RECENT = 20

    def __init__(self, parent=None):
        super().__init__("Gradient norm per time step", "steps back (0 = last word)", "||dL/dz1_t||", parent)
        self.setLogMode(x=False, y=True)
        self._log_y = True
        self.follower.x_from_zero = False
        self.first = self._curve("first epoch (mean)", make_pen(GREY, 1.5))
        self.recent = self._curve(f"last {self.RECENT} batches (mean)", make_pen(BLUE, 2.5))
        self.latest = self._curve("latest batch", make_pen(RED, 1.2))
        self.kept = self._curve("kept run (last batches)", make_pen(PURPLE, 1.5, dashed=True))
        self._cols = {}

    @staticmethod
    def _positive(v):
        v = finite_or_nan(v)
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
        return write_csv(path, cols)



class GradHeatmap(ImagePlot):
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
        key = history_key(hist)
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
        return write_csv(path, cols)


class HiddenStatesPlot(QWidget, Exportable):
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
        no_si_prefix(self.plot_item)
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
            return write_csv(path, {"t": []})
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
        return write_csv(path, cols, comments=comments)


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

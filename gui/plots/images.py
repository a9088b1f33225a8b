"""The two image plots: the gradient norm over training (a heatmap of the current run) and the
hidden states of one validation review, its words along the time axis."""

from __future__ import annotations

import numpy as np
from PyQt5.QtCore import QRectF, Qt
from PyQt5.QtGui import QFont
from PyQt5.QtWidgets import QLabel

from rnnfast.plots._data import bin_rows as _bin_rows  # shared with rnnfast.plots
from rnnfast.plots._data import log_heatmap

from ..text.i18n import translate
from ..training.history import RunHistory
from .base import ImagePlot
from .kit import MAX_HEATMAP_ROWS, RangeFollower, nice_ceil, write_csv


class GradHeatmap(ImagePlot):
    """4. log10 of the per-step gradient norm over training: x = steps back, y = progress."""

    key = "grad_heatmap"
    EMPTY_LEVELS = (-6.0, 0.0)

    def __init__(self, parent=None):
        super().__init__("viridis", self.EMPTY_LEVELS, parent)
        self._follower = RangeFollower(self.plot_item)
        self._view = None
        self._hist = None
        self.show_axis_values(False)
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_title(translate("Plots", "Gradient norm over training (log10)"))
        self.set_axis_label("bottom", translate("Plots", "time steps back"))
        self.set_axis_label("left", translate("Plots", "epoch"))
        self._cbar_label = "log10 ‖∂L/∂z1‖"
        self._apply_cbar_label()

    def refresh_key(self, hist, runs=()):
        return None if hist is None else hist.version

    def is_stale(self, hist, runs=()) -> bool:
        return self.refresh_key(hist) != self._last_key

    def refresh(self, hist, runs=()):
        """Redraw (the kept runs are not shown here: one heatmap per run)."""
        key = self.refresh_key(hist)
        if key == self._last_key:
            return
        self._last_key = key
        self._hist = hist
        if hist is None or not len(hist.grad_matrix):  # empty: no old axes or colours left
            self.image.clear()
            self._view = None
            self.cbar.setLevels(self.EMPTY_LEVELS)
            self.show_axis_values(False)
            self._follower.show_empty((-0.5, 9.5), (0.0, 1.0))
            return
        self.show_axis_values(True)
        if any(self._follower.vb.autoRangeEnabled()):  # the "A" button
            self._follower.vb.disableAutoRange()
            self._follower.follow, self._view = True, None
        g = hist.grad_matrix
        # binned rows, log10 and levels as rnnfast.plots.grad_norms(kind="heatmap") draws them
        logimg, levels = log_heatmap(_bin_rows(g, MAX_HEATMAP_ROWS))
        if levels is not None:
            self.cbar.setLevels(levels)
        self.image.setImage(logimg, autoLevels=False)
        k = g.shape[1]
        top = max(hist.batch_x[-1] if hist.batch_x else 1.0, 1e-9)
        self.image.setRect(QRectF(-0.5, 0.0, float(k), float(top)))
        # the view moves in whole epochs (nice steps), not with every batch: cheap repaints
        view = (k, nice_ceil(top) if top > 1 else 1.0)
        if view != self._view and self._follower.follow:
            self._view = view
            self._follower.vb.setRange(xRange=(-0.5, k - 0.5), yRange=(0.0, view[1]), padding=0.01)

    def export_copy(self):
        twin = GradHeatmap()
        twin.refresh(self._hist)
        return twin

    def export_csv(self, path):
        h = self._hist or RunHistory()
        g = h.grad_matrix
        names = ["epoch"] + [f"step_back_{j}" for j in range(g.shape[1] if g.ndim == 2 else 0)]
        cols = {"epoch": h.batch_x[: len(g)]}
        for j in range(len(names) - 1):
            cols[names[j + 1]] = g[:, j]
        return write_csv(path, cols)


class HiddenStatesPlot(ImagePlot):
    """5. Hidden states h_t (T x n_cells) of one validation review, its words along time."""

    key = "hidden_states"

    def __init__(self, parent=None):
        super().__init__("CET-D1", (-1, 1), parent)
        self.info = QLabel(" ")
        self.info.setObjectName("hidden-info")
        self.info.setAlignment(Qt.AlignCenter)
        self.info.setWordWrap(True)
        self._lay.insertWidget(1, self.info)
        self.hover = QLabel(" ")
        self.hover.setObjectName("hidden-hover")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._lay.addWidget(self.hover)
        self.plot_item.invertY(True)
        self.plot_item.scene().sigMouseMoved.connect(self._on_mouse)
        self.states = None
        self.words = []
        self._tick_words = None
        self._shape = None
        self.ids = self.proba = self.label = self.index = None
        self.show_axis_values(False, ("bottom",))
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_title(translate("Plots", "Hidden states h_t of a validation review"))
        self.set_axis_label("bottom", translate("Plots", "cell"))
        self.set_axis_label("left", translate("Plots", "t: word"))
        self._cbar_label = "h"
        self._apply_cbar_label()
        self._show_info()
        self.hover.setText(" ")

    def apply_font_size(self, pt):
        super().apply_font_size(pt)
        for w in (self.info, self.hover):
            f = QFont(w.font())
            f.setPointSizeF(pt)
            w.setFont(f)
        if self._tick_words is not None:
            self._set_word_ticks()

    def set_review(self, index, states, words, ids=None, proba=None, label=None):
        states = np.asarray(states, dtype=np.float64)
        self.index, self.states, self.words, self.proba, self.label = (
            index,
            states,
            list(words),
            proba,
            label,
        )
        self.ids = None if ids is None else np.asarray(ids)
        T, n = states.shape
        self.show_axis_values(True, ("bottom",))
        self.image.setImage(states, autoLevels=False, levels=(-1, 1))
        if (T, n) != self._shape:
            self._shape = (T, n)
            self.image.setRect(QRectF(-0.5, -0.5, float(n), float(T)))
            self.plot_item.getViewBox().setRange(
                xRange=(-0.5, n - 0.5), yRange=(-0.5, T - 0.5), padding=0.0
            )
        self._show_info()
        if self.words != self._tick_words:
            self._tick_words = list(self.words)
            self._set_word_ticks()

    def show_words(self, index, words, label=None):
        """Before there is a network: the review's words on the time axis, no states yet."""
        self.clear()
        self.index, self.words, self.label = index, list(words), label
        T = len(self.words)
        self._show_info()
        if T:
            self.plot_item.getViewBox().setRange(yRange=(-0.5, T - 0.5), padding=0.0)
        if self.words != self._tick_words:
            self._tick_words = list(self.words)
            self._set_word_ticks()

    def _show_info(self):
        """Review number, its label, and P(positive): green when the prediction is right."""
        if self.index is None:
            text = translate("Plots", "choose a review in the data panel")
        else:
            lab = {0: translate("Plots", "negative"), 1: translate("Plots", "positive")}.get(
                None if self.label is None else int(self.label), "?"
            )
            text = translate("Plots", "review #{0}, label: {1}").format(self.index, lab)
            if self.proba is None or not np.isfinite(self.proba):
                text += " " + translate("Plots", "(train to see its hidden states)")
            else:
                right = self.label is not None and (self.proba > 0.5) == bool(self.label)
                verdict = translate("Plots", "right") if right else translate("Plots", "wrong")
                color = "#2ca02c" if right else "#d62728"
                text += (
                    f"<br><span style='color:{color}'><b>P(positive) = {self.proba:.3f}</b> "
                    f"({verdict})</span>"
                )
        self.info.setText(text)

    def _set_word_ticks(self):
        w = self.words
        T = len(w)
        ax = self.plot_item.getAxis("left")
        if not T:
            ax.setTicks(None)
            return
        # several levels: the axis leaves out labels that would overlap, so zooming in shows
        # more words
        ax.setTicks(
            [
                [(t, f"{_short(w[t])}  {t}") for t in range(0, T, 10)],
                [(t, _short(w[t])) for t in range(T) if t % 10 == 5],
                [(t, _short(w[t])) for t in range(T) if t % 5 != 0 and t % 2 == 1],
                [(t, _short(w[t])) for t in range(T) if t % 5 != 0 and t % 2 == 0],
            ]
        )
        f = QFont()
        f.setPointSizeF(max(7.0, (self.font_pt or 9.0) - 1.5))
        ax.setStyle(
            tickFont=f, maxTextLevel=3, textFillLimits=[(0, 0.95), (2, 0.85), (3, 0.75), (4, 0.6)]
        )

    def clear(self):
        self.states = None
        self.proba = None
        self._shape = None
        self.image.clear()
        self.show_axis_values(False, ("bottom",))  # no cells before a network
        self.plot_item.getViewBox().setRange(xRange=(-0.5, 0.5), padding=0.0)
        self._show_info()

    def _on_mouse(self, pos):
        if self.states is None:
            return
        p = self.plot_item.vb.mapSceneToView(pos)
        t, c = int(round(p.y())), int(round(p.x()))
        T, n = self.states.shape
        if 0 <= t < T and 0 <= c < n:
            word = self.words[t] if t < len(self.words) else "?"
            self.hover.setText(
                translate("Plots", "t = {0}, word: {1}, cell {2}: h = {3}").format(
                    t, repr(word), c, f"{self.states[t, c]:+.3f}"
                )
            )

    def has_data(self):
        img = self.image.image
        return img is not None and img.size > 0

    def export_copy(self):
        twin = HiddenStatesPlot()
        if self.states is not None:
            twin.set_review(self.index, self.states, self.words, self.ids, self.proba, self.label)
        elif self.index is not None:
            twin.show_words(self.index, self.words, self.label)
        return twin

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
    return word if len(word) <= n else word[: n - 1] + "…"


__all__ = ["GradHeatmap", "HiddenStatesPlot"]

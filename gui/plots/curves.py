"""The three line plots, one widget each: loss, accuracy, and the gradient norm per time step
(the heatmap and the hidden states: :mod:`gui.plots.images`).

Every widget is refreshed from the current run's :class:`gui.training.history.RunHistory` and the
kept runs shown (:class:`gui.training.runs.Run`, each in its own colour) by :meth:`refresh`;
:class:`gui.plots.grid.PlotGrid` calls it from a QTimer, never from the worker's signals. In every
plot a run has one colour; the line style says what a curve is (the legend under the plot lists the
styles, then the runs). Each exports itself as PNG, as a figure (:meth:`export_figure`) and its data
as CSV.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QLabel

from ..text.i18n import translate
from ..training.history import RunHistory, smooth_fast
from .base import CurvePlot
from .kit import CURRENT_COLOR, DASHED, DOTTED, GREY, SOLID, finite_or_nan, make_pen, write_csv


def _window(hist: RunHistory) -> int:
    n = len(hist.batch_loss)
    return max(1, min(50, n // 20 + 1))


class _EpochCurves(CurvePlot):
    """Loss and accuracy: batches (raw, smoothed) and epochs (training, validation)."""

    RAW = False  # draw the raw batch values of the current run
    series = ""  # "loss" | "acc"

    def __init__(self, parent=None):
        super().__init__(parent)
        c = CURRENT_COLOR
        self.raw = self._curve(make_pen(c, 1, alpha=70)) if self.RAW else None
        self.smooth = self._curve(make_pen(c, 1.5))
        self.train = self._curve(make_pen(c, 2), "o", c)
        self.val = self._curve(make_pen(c, 2, DASHED), "s", c)
        self._hist = None

    def _make_run_curves(self, color):
        return {
            "smooth": self._curve(make_pen(color, 1.2, alpha=150)),
            "train": self._curve(make_pen(color, 2), "o", color),
            "val": self._curve(make_pen(color, 2, DASHED), "s", color),
        }

    def _series(self, h):
        """(batch values, epoch training values, validation values) of history ``h``."""
        if self.series == "loss":
            return h.batch_loss, h.epoch_loss, h.val_loss
        return h.batch_acc, h.epoch_acc, h.val_acc

    def _refresh(self, hist, runs):
        self._hist = hist
        if hist is None:
            for c in (self.raw, self.smooth, self.train, self.val):
                if c is not None:
                    self._set(c, [], [], 0)
        else:
            batch, train, val = self._series(hist)
            if self.raw is not None:
                self._set(self.raw, hist.batch_x, batch, hist.uid)
            self._set(self.smooth, hist.batch_x, smooth_fast(batch, _window(hist)), hist.uid)
            self._set(self.train, hist.epoch_x, train, hist.uid)
            self._set(self.val, hist.epoch_x, val, hist.uid)
        for r in runs:
            k = r.history
            curves = self.run_curves(r, self._make_run_curves)
            batch, train, val = self._series(k)
            self._set(curves["smooth"], k.batch_x, smooth_fast(batch, _window(k)), k.uid)
            self._set(curves["train"], k.epoch_x, train, k.uid)
            self._set(curves["val"], k.epoch_x, val, k.uid)

    def _legend_styles(self):
        styles = []
        if self.raw is not None:
            styles.append(("raw", translate("Plots", "batches (raw)"), 1, SOLID, None, self.raw))
        styles += [  # a style is listed when the current run or a kept run draws it
            (
                "smooth",
                translate("Plots", "batches (smoothed)"),
                1.5,
                SOLID,
                None,
                [self.smooth, *self.kept_curves("smooth")],
            ),
            (
                "train",
                translate("Plots", "training (epoch)"),
                2,
                SOLID,
                "o",
                [self.train, *self.kept_curves("train")],
            ),
            (
                "val",
                translate("Plots", "validation (epoch)"),
                2,
                DASHED,
                "s",
                [self.val, *self.kept_curves("val")],
            ),
        ]
        return styles

    def has_data(self):
        return self._has(self.smooth)

    def _csv_columns(self, names):
        h = self._hist or RunHistory()
        batch, train, val = self._series(h)
        cols = {
            "batch_x": h.batch_x,
            names[0]: batch,
            names[0] + "_smoothed": smooth_fast(batch, _window(h)),
            "epoch": h.epoch_x,
            names[1]: train,
            names[2]: val,
        }
        for i, r in enumerate(self._runs, 1):
            batch, train, val = self._series(r.history)
            cols[f"kept{i}_epoch"] = r.history.epoch_x
            cols[f"kept{i}_{names[1]}"] = train
            cols[f"kept{i}_{names[2]}"] = val
        comments = [f"# kept{i}: {r.label}" for i, r in enumerate(self._runs, 1)]
        return cols, comments


class LossPlot(_EpochCurves):
    """1. Loss: per batch (raw, and smoothed) and per epoch for training; per epoch for
    validation."""

    key = "loss"
    RAW = True
    series = "loss"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_title(translate("Plots", "Loss (binary cross-entropy)"))
        self.set_axis_label("bottom", translate("Plots", "epoch"))
        self.set_axis_label("left", translate("Plots", "loss"))

    def export_csv(self, path):
        cols, comments = self._csv_columns(("batch_loss", "train_loss", "val_loss"))
        return write_csv(path, cols, comments)


class AccuracyPlot(_EpochCurves):
    """2. Accuracy: training (per batch smoothed, per epoch) and validation; chance at 0.5."""

    key = "accuracy"
    series = "acc"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chance = pg.InfiniteLine(pos=0.5, angle=0, pen=make_pen(GREY, 1.2, DOTTED))
        self.addItem(self.chance)
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_title(translate("Plots", "Accuracy"))
        self.set_axis_label("bottom", translate("Plots", "epoch"))
        self.set_axis_label("left", translate("Plots", "accuracy"))

    def _legend_styles(self):
        return super()._legend_styles() + [
            (
                "chance",
                translate("Plots", "chance (0.5)"),
                1.2,
                DOTTED,
                None,
                [self.smooth, *self.kept_curves("smooth")],
            )
        ]

    def export_csv(self, path):
        cols, comments = self._csv_columns(("batch_accuracy", "train_accuracy", "val_accuracy"))
        return write_csv(path, cols, comments)


class GradNormPlot(CurvePlot):
    """3. ||dL/dz1_t|| at each step of the truncation window, log scale, x = steps back in time."""

    key = "grad_norms"
    RECENT = 20
    EMPTY_RANGE = ((0.0, 10.0), (-3.0, 0.0))  # log10: 0.001 .. 1

    def __init__(self, parent=None):
        super().__init__(parent)
        # said on the plot when the norms are all 0: a log scale has no place for them
        self.note = QLabel()
        self.note.setObjectName("grad-note")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignCenter)
        self.note.setStyleSheet("color: #d62728")
        self.note.hide()
        self._lay.insertWidget(1, self.note)
        self.setLogMode(x=False, y=True)
        self.follower.x_from_zero = False
        c = CURRENT_COLOR
        self.first = self._curve(make_pen(c, 1.5, DOTTED))
        self.latest = self._curve(make_pen(c, 1, alpha=110))
        self.recent = self._curve(make_pen(c, 2.5))
        self._cols = {}
        self._hist = None
        self._zero = False
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_title(translate("Plots", "Gradient norm per time step"))
        self.set_axis_label("bottom", translate("Plots", "time steps back (0 = last word)"))
        self.set_axis_label("left", "‖∂L/∂z1<sub>t</sub>‖")
        self._show_note()

    @staticmethod
    def _positive(v):
        v = finite_or_nan(v)
        return np.where(v > 0, v, np.nan)

    @classmethod
    def recent_mean(cls, h):
        """The mean of the last RECENT batches (a loaded run: its last epoch), or None."""
        if len(h.grad_matrix):
            return h.grad_matrix[-cls.RECENT :].mean(axis=0)
        return h.epoch_grads[-1] if h.epoch_grads else None

    def _refresh(self, hist, runs):
        self._hist = hist
        cols = {}
        if hist is not None and len(hist.grad_matrix):
            g = hist.grad_matrix
            j = np.arange(g.shape[1])
            first = (
                hist.epoch_grads[0]
                if hist.epoch_grads
                else g[: min(len(g), self.RECENT)].mean(axis=0)
            )
            cols.update(
                step_back=j,
                latest=g[-1],
                recent_mean=self.recent_mean(hist),
                first_epoch_mean=first,
            )
            self._set(self.latest, j, self._positive(g[-1]), hist.version)
            self._set(self.recent, j, self._positive(cols["recent_mean"]), hist.version)
            self._set(self.first, np.arange(len(first)), self._positive(first), hist.version)
            zero = not np.any(np.asarray(cols["recent_mean"]) > 0)
        else:
            for c in (self.latest, self.recent, self.first):
                self._set(c, [], [], 0)
            zero = False
        self._zero = zero
        self._show_note()
        for i, r in enumerate(runs, 1):
            curve = self.run_curves(r, lambda color: {"recent": self._curve(make_pen(color, 2.5))})[
                "recent"
            ]
            kg = self.recent_mean(r.history)
            if kg is None:
                self._set(curve, [], [], 0)
                continue
            cols[f"kept{i}_step_back"] = np.arange(len(kg))
            cols[f"kept{i}_recent_mean"] = kg
            self._set(curve, np.arange(len(kg)), self._positive(kg), r.history.version)
        self._cols = cols

    def _show_note(self):
        self.note.setText(
            translate(
                "Plots",
                "‖∂L/∂z1‖ = 0 at every step of the last batches: a log scale cannot show 0, so "
                "these curves are missing (no gradient: see the warning above the plots).",
            )
        )
        self.note.setVisible(self._zero)

    def _legend_styles(self):
        return [
            ("latest", translate("Plots", "latest batch"), 1, SOLID, None, self.latest),
            (
                "recent",
                translate("Plots", "mean of the last {0} batches").format(self.RECENT),
                2.5,
                SOLID,
                None,
                [self.recent, *self.kept_curves("recent")],
            ),
            ("first", translate("Plots", "first epoch (mean)"), 1.5, DOTTED, None, self.first),
        ]

    def has_data(self):
        return self._has(self.recent)

    def export_csv(self, path):
        cols = self._cols or {
            "step_back": [],
            "latest": [],
            "recent_mean": [],
            "first_epoch_mean": [],
        }
        comments = [f"# kept{i}: {r.label}" for i, r in enumerate(self._runs, 1)]
        return write_csv(path, cols, comments)

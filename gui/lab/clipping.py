"""View 4, the clipping lab: gradient clipping made visible.

Modes: none, global norm (``clip_norm``: all gradients scaled so that their global norm is at
most c; Pascanu, Mikolov & Bengio 2013) and per entry (``clip_value``: each entry into
[-c, c], as min-char-rnn does).  The plot shows, per batch, the gradients' global norm before
and after clipping and the threshold, with the share of clipped batches.  The "explode"
preset starts from a W1h with sigma_max 2-3, where unclipped gradients blow up.

The per-batch numbers come from the library's clipping report (``LabRecorder`` reads
``info["clip"]`` or ``network.last_clip``); a library without it shows "not recorded".  The
dots, always there, are the probe batch's norm before and after the network's clipping at
each snapshot (:func:`gui.lab.recorder.probe_clip`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from .common import (
    BLUE,
    GREEN,
    RED,
    LabView,
    curve,
    fmt,
    lab_plot,
    make_pen,
    note_label,
    positive,
    set_values,
    table_from_columns,
    translate,
)
from .presets import CLIP_MODES, EXPLODE_SIGMA


class ClippingView(LabView):
    """Norm before/after clipping per batch, the threshold, the share of clipped batches;
    controls for the mode, the threshold and the "explode" preset."""

    key = "clipping"
    #: ``{"mode", "threshold", "explode", "sigma_max"}``: train again with these settings
    settings_requested = pyqtSignal(object)

    def __init__(self, parent=None, *, per_entry=True):
        super().__init__(parent)
        self.mode_box = QComboBox()
        labels = {
            "none": translate("lab", "none"),
            "norm": translate("lab", "global norm (clip_norm)"),
            "value": translate("lab", "per entry (clip_value)"),
        }
        for mode in CLIP_MODES:
            self.mode_box.addItem(labels[mode], mode)
        if not per_entry:
            item = self.mode_box.model().item(CLIP_MODES.index("value"))
            item.setEnabled(False)
            item.setToolTip(translate("lab", "this rnnfast has no per-entry clipping"))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(1e-4, 1e4)
        self.threshold.setDecimals(4)
        self.threshold.setValue(1.0)
        self.explode = QCheckBox(translate("lab", "explode: sigma_max(W1h) ="))
        self.explode.setToolTip(
            translate(
                "lab",
                "Start from W1h rescaled so that its largest singular value is this: the "
                "per-step factor can exceed 1 and the gradients grow step after step back.",
            )
        )
        self.sigma = QDoubleSpinBox()
        self.sigma.setRange(0.1, 10.0)
        self.sigma.setSingleStep(0.25)
        self.sigma.setValue(EXPLODE_SIGMA)
        self.apply = QPushButton(translate("lab", "Train with these settings"))
        self.apply.clicked.connect(lambda: self.settings_requested.emit(self.settings()))
        self.plot = lab_plot(
            translate("lab", "global gradient norm per batch"),
            translate("lab", "batch"),
            translate("lab", "norm (log)"),
            log_y=True,
        )
        self.before = curve(self.plot, translate("lab", "before clipping"), RED)
        self.after = curve(self.plot, translate("lab", "after clipping"), GREEN)
        self.probe_before = self._dots(translate("lab", "probe batch, before"), RED)
        self.probe_after = self._dots(translate("lab", "probe batch, after"), GREEN)
        self.line = pg.InfiniteLine(
            angle=0, pen=make_pen(BLUE, 1, dashed=True), label="c", labelOpts={"position": 0.05}
        )
        self.line.hide()
        self.plot.addItem(self.line)
        self.status = note_label()
        layout = QVBoxLayout(self)
        for row in (
            (
                QLabel(translate("lab", "clipping")),
                self.mode_box,  # two rows: the
                QLabel(translate("lab", "threshold c")),
                self.threshold,
            ),  # view fits a
            (self.explode, self.sigma, self.apply),
        ):  # narrow window
            controls = QHBoxLayout()
            for w in row:
                controls.addWidget(w)
            controls.addStretch(1)
            layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)

    def _dots(self, name, color):
        return self.plot.plot(
            [],
            [],
            pen=None,
            symbol="o",
            symbolSize=7,
            symbolPen=None,
            symbolBrush=(*color, 160),
            name=name,
        )

    def title(self):
        return translate("lab", "Clipping lab")

    def settings(self):
        return {
            "mode": self.mode_box.currentData(),
            "threshold": self.threshold.value(),
            "explode": self.explode.isChecked(),
            "sigma_max": self.sigma.value(),
        }

    def show_settings(self, mode, threshold=None, explode=None):
        """Put a run's settings into the controls (without emitting anything)."""
        self.mode_box.setCurrentIndex(CLIP_MODES.index(mode))
        if threshold:
            self.threshold.setValue(threshold)
        if explode is not None:
            self.explode.setChecked(bool(explode))

    # ------------------------------------------------------------------ drawing

    def update_from(self, record):
        self.record = record
        clip, series = record["clip"], record["series"]
        settings = clip["settings"]
        threshold = settings.get("clip_value") or settings.get("clip_norm")
        sigma = fmt(record["factors"]["singular_values"][0], 3)
        set_values(self.probe_before, series["batch"], positive(series["probe_norm_before"]))
        set_values(self.probe_after, series["batch"], positive(series["probe_norm_after"]))
        if settings.get("clip_norm") and not settings.get("clip_value"):
            self.line.setValue(np.log10(settings["clip_norm"]))
            self.line.show()
        else:
            self.line.hide()
        if not clip["recorded"]:
            for c in (self.before, self.after):
                c.setData([], [])
            self.status.setText(
                translate(
                    "lab",
                    "Per batch: not recorded (this rnnfast does not report the norm before "
                    "and after clipping). Dots: the probe batch at each snapshot, threshold "
                    "{c}. sigma_max(W1h) = {s}.",
                ).format(c=fmt(threshold, 3), s=sigma)
            )
            return
        x = clip["batch"]
        set_values(self.before, x, positive(clip["norm_before"]))
        set_values(self.after, x, positive(clip["norm_after"]))
        self.status.setText(
            translate(
                "lab",
                "{share} of the batches clipped (threshold {c}); last norm {b} -> {a}; "
                "sigma_max(W1h) = {s}.",
            ).format(
                share=f"{100 * clip['share']:.1f}%",
                c=fmt(threshold, 3),
                b=fmt(float(clip["norm_before"][-1]), 3),
                a=fmt(float(clip["norm_after"][-1]), 3),
                s=sigma,
            )
        )

    def has_data(self):
        return self.record is not None and len(self.record["series"]["batch"]) > 0

    def tables(self):
        if self.record is None:
            return {"probe": (["batch", "probe_norm_before", "probe_norm_after"], [])}
        series, clip = self.record["series"], self.record["clip"]
        out = {
            "probe": table_from_columns(
                {
                    "batch": series["batch"],
                    "probe_norm_before": series["probe_norm_before"],
                    "probe_norm_after": series["probe_norm_after"],
                }
            )
        }
        if clip["recorded"]:
            out["per_batch"] = table_from_columns(
                {
                    "batch": clip["batch"],
                    "norm_before": clip["norm_before"],
                    "norm_after": clip["norm_after"],
                    "clipped": clip["clipped"].astype(int),
                }
            )
        return out

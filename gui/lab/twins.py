"""View 6, twin runs: two settings trained from the same initial weights at once.

The pairs of the issue: the exact vs the textbook rule, k = 10 vs full BPTT.  Both runs start
from the same weights (the same seed; the same "explode" rescaling), each in its own thread
(the kernels release the GIL: one core each), each drawn in its own colour and labelled by
the settings that differ.  Overlaid: the loss over training, cos(exact, textbook) of W1h,
the gradient norm per step back and the factor per step back.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from ..training.history import smooth_fast
from .common import (
    BLUE,
    ORANGE,
    LabView,
    curve,
    lab_plot,
    note_label,
    positive,
    table_from_columns,
    translate,
    unit_line,
)
from .recorder import LabRecorder
from .runner import LabTrainer, start

#: the pairs of settings a twin run compares: {name: (changes of run A, changes of run B)}
PAIRS = {
    "rules": ({"backprop": "exact"}, {"backprop": "textbook"}),
    "window": ({"bptt_steps": 10}, {"bptt_steps": None}),
}
RUNS = ("A", "B")
COLOURS = {"A": BLUE, "B": ORANGE}


def twin_settings(base, pair):
    """Two copies of ``base`` (:class:`gui.lab.runner.LabSettings`) that differ as ``pair``
    says; the seed (so the initial weights) is the base's in both."""
    out = []
    for changes in PAIRS[pair]:
        train = dataclasses.replace(base.train, **changes)
        out.append(dataclasses.replace(base, train=train))
    return tuple(out)


def differences(a, b):
    """The labels of two settings: ``"name=value"`` of each field in which they differ."""
    da, db = dataclasses.asdict(a), dataclasses.asdict(b)
    da.update(da.pop("train")), db.update(db.pop("train"))
    keys = [k for k in da if da[k] != db[k]]

    def label(d):  # the app's words for a setting, in the language shown (정확, 교재식)
        from ..training.runs import phrase

        return ", ".join(phrase(k, d[k]) for k in keys)

    return label(da) or "A", label(db) or "B"


class TwinView(LabView):
    """Two runs overlaid, each in its colour: loss, cos(W1h), gradient norm and factor per
    step back.  ``update_from(record, run="A")``."""

    key = "twins"
    #: the pair to run (a key of PAIRS)
    run_requested = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.records = {}
        self.labels = dict(zip(RUNS, RUNS))
        self.pair_box = QComboBox()
        self.pair_box.addItem(translate("lab", "exact vs textbook rule"), "rules")
        self.pair_box.addItem(translate("lab", "k = 10 vs full BPTT"), "window")
        self.run_button = QPushButton(translate("lab", "Train both from the same weights"))
        self.run_button.clicked.connect(
            lambda: self.run_requested.emit(self.pair_box.currentData())
        )
        self.status = note_label()
        batch, back = translate("lab", "batch"), translate("lab", "steps back")
        self.plots = {
            "loss": lab_plot(
                translate("lab", "training loss (mean of 20 batches)"),
                batch,
                translate("lab", "loss"),
            ),
            "cos": lab_plot(
                translate("lab", "cos(exact, textbook) of W1h"), batch, translate("lab", "cosine")
            ),
            "norms": lab_plot(
                translate("lab", "||err_to_cell|| per step back"),
                back,
                "||dL/dz1|| (log)",
                log_y=True,
            ),
            "factor": lab_plot(
                translate("lab", "factor per step back"),
                back,
                translate("lab", "factor (log)"),
                log_y=True,
            ),
        }
        unit_line(self.plots["factor"], 1.0, "1")
        self.curves = {
            (name, run): curve(plot, run, COLOURS[run], width=2.0)
            for name, plot in self.plots.items()
            for run in RUNS
        }
        controls = QHBoxLayout()
        controls.addWidget(self.pair_box)
        controls.addWidget(self.run_button)
        controls.addWidget(self.status, 1)
        grid = QGridLayout()
        for j, plot in enumerate(self.plots.values()):
            grid.addWidget(plot, j // 2, j % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(grid, 1)

    def title(self):
        return translate("lab", "Twin runs")

    def start(self, labels):
        """A new pair of runs: forget the old records, name the curves."""
        self.records.clear()
        self.labels = dict(zip(RUNS, labels))
        for c in self.curves.values():
            c.setData([], [])
        for name, plot in self.plots.items():
            legend = plot.getPlotItem().legend
            legend.clear()
            for run in RUNS:
                legend.addItem(self.curves[(name, run)], self.labels[run])
        self.status.setText(" / ".join(self.labels.values()))

    def update_from(self, record, run="A"):
        self.record = record
        self.records[run] = record
        series, f = record["series"], record["factors"]
        losses = record.get("batch_losses") or {}  # every batch, not one point a snapshot
        if len(losses.get("batch", ())):  # every batch, smoothed: a batch's loss is noisy
            self.curves[("loss", run)].setData(losses["batch"], smooth_fast(losses["loss"], 20))
        else:
            self.curves[("loss", run)].setData(series["batch"], series["loss"])
        self.curves[("cos", run)].setData(series["batch"], series["cos_w1h"])
        norms = record["grad_norms"]
        if norms is not None:
            self.curves[("norms", run)].setData(np.arange(len(norms)), positive(norms))
        self.curves[("factor", run)].setData(
            np.arange(1, len(f["measured"]) + 1), positive(f["measured"])
        )

    def has_data(self):
        return len(self.records) == len(RUNS)

    def tables(self):
        over, steps = [], []
        for run, rec in sorted(self.records.items()):
            s, norms = rec["series"], rec["grad_norms"]
            label = np.full(len(s["batch"]), self.labels[run], dtype=object)
            over.append(
                {"run": label, "batch": s["batch"], "loss": s["loss"], "cos_w1h": s["cos_w1h"]}
            )
            n = len(rec["factors"]["measured"])
            norms = (
                np.full(n, math.nan)
                if norms is None
                else np.r_[norms[:n], np.full(max(n - len(norms), 0), math.nan)]
            )
            steps.append(
                {
                    "run": np.full(n, self.labels[run], dtype=object),
                    "step_back": np.arange(1, n + 1),
                    "grad_norm": norms,
                    "factor": rec["factors"]["measured"],
                }
            )
        return {
            "series": table_from_columns(_stack(over, ("run", "batch", "loss", "cos_w1h"))),
            "steps": table_from_columns(_stack(steps, ("run", "step_back", "grad_norm", "factor"))),
        }


def _stack(parts, names):
    """The columns ``names`` of the runs' tables one after the other."""
    return {k: np.concatenate([p[k] for p in parts]) if parts else np.array([]) for k in names}


class TwinRuns(QObject):
    """Trains two settings at once, each in its thread with its own recorder; ``record``
    carries ``(run, record)``, ``finished`` comes once both are done."""

    record = pyqtSignal(str, object)
    finished = pyqtSignal()

    def __init__(self, data, parent=None):
        super().__init__(parent)
        self.data = data
        self.threads = {}
        self.trainers = {}

    @property
    def running(self):
        return bool(self.threads)

    def start(self, settings_a, settings_b):
        """Start both (after stopping a pair still running); returns their labels."""
        self.stop()
        d = self.data
        for run, settings in zip(RUNS, (settings_a, settings_b)):
            recorder = LabRecorder(d["x_probe"], d["y_probe"])
            trainer = LabTrainer(settings, (d["x_train"], d["y_train"], d["n_features"]), recorder)
            trainer.record.connect(lambda rec, r=run, tr=trainer: self._receive(r, tr, rec))
            trainer.finished.connect(lambda _, r=run, tr=trainer: self._done(r, tr))
            self.trainers[run] = trainer
            self.threads[run] = start(trainer)
        return differences(settings_a, settings_b)

    def _receive(self, run, trainer, record):
        if self.trainers.get(run) is trainer:
            self.record.emit(run, record)

    def _done(self, run, trainer):
        if self.trainers.get(run) is not trainer:
            return
        thread = self.threads.pop(run)
        thread.quit()
        thread.wait()
        del self.trainers[run]
        if not self.threads:
            self.finished.emit()

    def stop(self):
        """Stop both runs (after their current batch) and wait for their threads."""
        for run in list(self.threads):
            self.trainers.pop(run).stop_requested = True
            thread = self.threads.pop(run)
            thread.quit()
            thread.wait()

"""The BPTT lab's controller part in the app (see :mod:`gui.lab.panel` for the widget).

:class:`LabLink` owns a :class:`~gui.lab.recorder.LabRecorder` over the first validation
reviews (the probe batch), which the training controller adds to the worker's callbacks
(``TrainingController.extra_callbacks``; for a new run also the "explode" start of its
settings, the form's field, applied once ``fit`` has initialised the weights). Its records
reach the GUI thread by a signal (copies made in the worker thread); the network is read here
only when the controller allows it (idle, or the worker paused) or once the worker has handed
it over. The views' requests: a review (the data panel's review, both ways), a gradient
check (now on the idle or paused network, else at the next snapshot), the clipping lab's
settings (the form's clip and explode fields, then a new run), twin runs
(:class:`~gui.lab.twins.TwinRuns` with the form's settings, from the same initial weights).
"""

from __future__ import annotations

import numpy as np
from PyQt5.QtCore import QObject, Qt, pyqtSignal
from PyQt5.QtWidgets import QApplication

from ..text.i18n import translate
from ..training.runs import phrase
from ..training.settings import SettingsError
from .presets import EXPLODE_SIGMA, ExplodeAtStart
from .recorder import LabRecorder
from .runner import LabSettings
from .twins import TwinRuns, twin_settings

N_PROBE = 32  # the probe batch: the first validation reviews


def clip_of(settings) -> tuple:
    """``(mode, threshold)`` of the clipping lab for training settings (per entry first)."""
    if settings.clip_value:
        return "value", float(settings.clip_value)
    if settings.clip_norm:
        return "norm", float(settings.clip_norm)
    return "none", None


def twin_labels(a, b) -> tuple:
    """The labels of two runs' settings: the settings in which they differ, in the language in
    use (gui.training.runs.phrase)."""
    da, db = a.to_dict(), b.to_dict()
    keys = [k for k in da if da[k] != db[k]]
    return tuple(
        ", ".join(phrase(k, d[k]) for k in keys) or run for d, run in ((da, "A"), (db, "B"))
    )


class LabLink(QObject):
    """The lab's controller part (see the module's docstring)."""

    record = pyqtSignal(object)  # a record of the recorder (emitted in the worker's thread too)
    twin_record = pyqtSignal(str, object)  # run ("A", "B"), its record
    twins_started = pyqtSignal(object)  # the two runs' TrainSettings
    new_run = pyqtSignal()  # the recorder's history starts again: the views too
    changed = pyqtSignal()  # what the lab's actions allow may differ
    message = pyqtSignal(str)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.win, self.controller = window, window.controller
        self.recorder = None  # per data set
        self.recording = True  # the recorder trains along (Lab > Record while training)
        self.network = None  # the network whose history the recorder holds (None: a new run's)
        self.twin_runs = None
        self.twin_pair = None  # the pair of the last twin runs ("rules" | "window")

    def set_dataset(self, d, review: int):
        self.stop_twins()
        n = min(N_PROBE, d.n_val)
        self.recorder = LabRecorder(
            d.x_val[:n],
            d.y_val[:n],
            reviews=(d.x_val, d.y_val),
            review=review,
            sink=self.record.emit,
        )
        self.network = None
        self.twin_runs = TwinRuns(
            {
                "x_train": d.x_train,
                "y_train": d.y_train,
                "x_probe": d.x_val[:n],
                "y_probe": d.y_val[:n],
                "n_features": d.n_features,
            },
            self,
        )
        self.twin_runs.record.connect(self.twin_record)
        self.twin_runs.finished.connect(self._twins_finished)
        self.new_run.emit()
        self.changed.emit()

    # -- training --------------------------------------------------------------------------------
    def callbacks(self, settings, network) -> list:
        """What the controller adds to a worker's callbacks: ``network`` is the one continued
        (its recorded history carries on) or None (a new run)."""
        if self.recorder is None:
            return []
        if network is None or network is not self.network:
            self.recorder.reset()
            self.new_run.emit()
        self.network = network
        explode = getattr(settings, "explode", None)
        out = [ExplodeAtStart(explode)] if network is None and explode else []
        return out + [self.recorder] if self.recording else out

    def finished(self, result):
        """The worker is done: its network is the GUI thread's (before the state says so)."""
        self.network = result.get("network")
        if self.recorder is not None and (self.recorder.check_requested or not self.recording):
            self.refresh(self.network)  # a check asked for while not recording; the trained network
        self.changed.emit()

    def refresh(self, network=None) -> bool:
        """A snapshot now, when the network may be read here (idle, or the worker paused; or
        ``network``, one the worker has handed over)."""
        c, rec = self.controller, self.recorder
        net, d = network or c.network_for_gui(), c.dataset
        if rec is None or net is None or not net.is_fitted or d is None or not d.fits(net):
            return False
        if not c.is_training and net is not self.network:  # e.g. a loaded model
            rec.reset()
            self.network = net
            self.new_run.emit()
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            rec.record(net)
        except (ValueError, ArithmeticError) as e:  # e.g. weights gone non-finite
            self.message.emit(translate("LabPanel", "BPTT lab: {0}").format(e))
        finally:
            QApplication.restoreOverrideCursor()
        return True

    def gradient_check(self) -> bool:
        """``gradient_check`` on the probe batch: now when idle or paused, else at the next
        snapshot (the end of training when not recording); True when done now."""
        if self.recorder is None:
            return False
        self.recorder.request_gradient_check()
        if self.refresh():
            return True
        if not self.controller.is_training:
            self.recorder.check_requested = False
            self.message.emit(
                translate("LabPanel", "gradient check: train (or load) a network first")
            )
        else:
            self.message.emit(
                translate("LabPanel", "gradient check: at the next snapshot")
                if self.recording
                else translate("LabPanel", "gradient check: when training pauses or ends")
            )
        return False

    def apply_clipping(self, request: dict) -> bool:
        """The clipping lab's "Train with these settings": the form's clip fields and its
        "explode" field (they last as long as the form says), then a new run (the current one
        stopped)."""
        mode, c = request["mode"], float(request["threshold"])
        model = self.win.side.model
        model.clip_norm.set_value(c if mode == "norm" else None)
        model.clip_value.set_value(c if mode == "value" else None)
        model.explode.set_value(float(request["sigma_max"]) if request["explode"] else None)
        if self.controller.is_loading:
            return False
        if self.controller.is_training:
            self.controller.stop(wait=True)
        return self.win.start_training()

    # -- twin runs -------------------------------------------------------------------------------
    def start_twins(self, pair: str):
        """Two runs of the form's settings from the same initial weights, ``pair`` ("rules":
        exact vs textbook, "window": k = 10 vs full) apart; returns their labels (None: refused)."""
        d = self.controller.dataset
        if self.twin_runs is None or d is None or self.controller.is_training:
            return None
        try:
            train = self.win.side.model.settings_unchecked()
            if train.seed is None:  # the same initial weights in both
                train.seed = int(np.random.default_rng().integers(2**31))
            mode, c = clip_of(train)
            base = LabSettings(
                train.validate(maxlen=d.maxlen, n_train=d.n_train),
                clip=mode,
                threshold=c or 1.0,
                explode=bool(train.explode),
                sigma_max=train.explode or EXPLODE_SIGMA,
            )
            runs = twin_settings(base, pair)
            for s in runs:
                s.train.validate(maxlen=d.maxlen)
        except SettingsError as e:
            self.win.show_error(translate("MainWindow", "Invalid settings"), str(e))
            return None
        self.twin_runs.start(*runs)
        self.twin_pair = pair
        self.twins_started.emit(tuple(s.train for s in runs))
        labels = twin_labels(*(s.train for s in runs))
        self.message.emit(
            translate("LabPanel", "twin runs: {0} and {1}, from the same weights").format(*labels)
        )
        self.changed.emit()
        return labels

    def _twins_finished(self):
        self.message.emit(translate("LabPanel", "twin runs finished"))
        self.changed.emit()

    def stop_twins(self):
        if self.twin_runs is not None and self.twin_runs.running:
            self.twin_runs.stop()
            self.changed.emit()

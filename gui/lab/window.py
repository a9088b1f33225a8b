"""The lab's standalone window: the five views in tabs over one training run.

It shows how the app wires the views: a :class:`LabRecorder` in the training's callbacks,
its records delivered by a signal, the newest kept and drawn by a timer into the visible
view (the others when they are shown); the views' requests (a review, a gradient check, new
clipping settings) go to the recorder while training and to the idle network otherwise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from .clipping import ClippingView
from .common import translate
from .erratum import ErratumView
from .inspector import InspectorView
from .recorder import LabRecorder
from .runner import LabSettings, LabTrainer, start
from .truncation import TruncationView
from .twins import TwinRuns, TwinView, twin_settings
from .vanishing import VanishingView

#: the views in their tab order
VIEWS = (ErratumView, VanishingView, TruncationView, ClippingView, InspectorView)

#: milliseconds between two redraws of the visible view
REDRAW_MS = 250


def make_views(per_entry=True):
    """One instance of every view, ``{key: view}`` in tab order (``per_entry=False`` greys
    out per-entry clipping)."""
    return {cls.key: (cls(per_entry=per_entry) if cls is ClippingView else cls()) for cls in VIEWS}


class LabWindow(QMainWindow):
    """Tabs of the BPTT lab over a training of ``data`` (x_train, y_train, x_probe, y_probe,
    n_features) with ``settings`` (:class:`LabSettings`)."""

    def __init__(self, data, settings=None, decode=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("lab", "rnnfast - the BPTT lab"))
        self.data = data
        self.settings = settings or LabSettings()
        self.recorder = LabRecorder(data["x_probe"], data["y_probe"])
        self.views = make_views()
        self.tabs = QTabWidget()
        for view in self.views.values():
            self.tabs.addTab(view, view.title())
        self.twins = TwinView()
        self.tabs.addTab(self.twins, self.twins.title())
        self.twin_runs = TwinRuns(data, self)
        self.twin_runs.record.connect(self._receive_twin)
        self.twins.run_requested.connect(self.train_twins)
        self._twin_latest = {}
        self.status = QLabel()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(body)
        self.network = None
        self.latest = None
        self._drawn = {}
        self._thread = self._trainer = None
        for key in ("truncation", "inspector"):
            self.views[key].set_review_count(len(data["x_probe"]))
            self.views[key].review_changed.connect(self.choose_review)
            if decode is not None:
                self.views[key].set_decoder(decode)
        self.views["erratum"].check_requested.connect(self.gradient_check)
        self.views["clipping"].settings_requested.connect(self.retrain)
        self.views["clipping"].show_settings(
            self.settings.clip, self.settings.threshold, self.settings.explode
        )
        self.tabs.currentChanged.connect(lambda _: self.redraw())
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.redraw)
        self.timer.start(REDRAW_MS)

    # ------------------------------------------------------------------ training

    @property
    def is_training(self):
        return self._thread is not None

    @property
    def busy(self):
        """A run or a pair of twin runs is training."""
        return self.is_training or self.twin_runs.running

    def train(self):
        """Start a run with the current settings (after the previous one has stopped)."""
        if self.is_training:
            return False
        self.latest = None
        self._drawn.clear()
        trainer = LabTrainer(
            self.settings,
            (self.data["x_train"], self.data["y_train"], self.data["n_features"]),
            self.recorder,
        )
        # Signals of a run that was stopped may still be queued: they name their trainer.
        trainer.record.connect(lambda rec, tr=trainer: self._receive(tr, rec))
        trainer.failed.connect(self._failed)
        trainer.finished.connect(lambda net, tr=trainer: self._finished(tr, net))
        self._trainer = trainer
        self._thread = start(trainer)
        self.status.setText(translate("lab", "training ..."))
        return True

    def stop(self):
        """Stop the run (after its current batch) and wait for its thread."""
        trainer, thread = self._trainer, self._thread
        if trainer is None:
            return
        trainer.stop_requested = True
        thread.quit()
        thread.wait()
        self._trainer = self._thread = None
        self.network = trainer.network

    def wait(self, timeout_ms=600_000):
        """Process events until the run (and twin runs) have finished (screenshot mode)."""
        import time

        from PyQt5.QtCore import QCoreApplication

        end = time.monotonic() + timeout_ms / 1000
        while self.busy and time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.02)
        QCoreApplication.processEvents()
        return not self.busy

    def train_twins(self, pair):
        """Twin runs (view 6): the current settings changed as ``pair`` says, both from the
        same initial weights."""
        self._twin_latest.clear()
        self.twins.start(self.twin_runs.start(*twin_settings(self.settings, pair)))

    def _receive_twin(self, run, record):
        self._twin_latest[run] = record

    def retrain(self, request):
        """New clipping / explode settings from the clipping view: train again."""
        s = self.settings
        s.clip, s.threshold = request["mode"], request["threshold"]
        s.explode, s.sigma_max = request["explode"], request["sigma_max"]
        self.stop()
        self.train()

    def _receive(self, trainer, record):
        if trainer is self._trainer:
            self.latest = record

    def _failed(self, message):
        self.status.setText(translate("lab", "training stopped: {m}").format(m=message))

    def _finished(self, trainer, network):
        if trainer is not self._trainer:  # a run stopped by stop(): already joined
            return
        thread, self._thread, self._trainer = self._thread, None, None
        thread.quit()
        thread.wait()
        self.network = network
        if self.recorder.last_record is not None:
            self.latest = self.recorder.last_record
        rec = self.recorder
        self.status.setText(
            self.status.text()
            if trainer.failed_message
            else translate(
                "lab", "trained: {b} batches, {n} snapshots ({s:.2f} s recording)"
            ).format(b=rec.batches_seen, n=rec.snapshots, s=rec.seconds_recording)
        )
        self.redraw(all_views=True)

    # ------------------------------------------------------------------ requests from views

    def choose_review(self, index):
        self.recorder.review = int(index)
        self._refresh_idle()

    def gradient_check(self):
        self.recorder.request_gradient_check()
        self._refresh_idle()

    def _refresh_idle(self):
        """With no training running, a new snapshot of the idle network now."""
        if not self.is_training and self.network is not None and self.network.is_fitted:
            self.latest = self.recorder.record(self.network)
            self.redraw()

    # ------------------------------------------------------------------ drawing

    def redraw(self, all_views=False):
        """Draw the newest record into the visible view (or every view) if it is new."""
        current = self.tabs.currentWidget()
        if all_views or current is self.twins:
            for run, record in self._twin_latest.items():
                if self._drawn.get(("twins", run)) is not record:
                    self.twins.update_from(record, run)
                    self._drawn[("twins", run)] = record
        if self.latest is None:
            return
        views = self.views.values() if all_views else [current]
        for view in views:
            if view is self.twins:
                continue
            if self._drawn.get(view.key) is not self.latest:
                view.update_from(self.latest)
                self._drawn[view.key] = self.latest

    def save_screenshots(self, path):
        """One PNG per view, ``<stem>_<n>_<key>.png`` beside ``path``; returns the paths."""
        path = Path(path)
        self.redraw(all_views=True)
        out = []
        views = list(self.views.values()) + ([self.twins] if self.twins.has_data() else [])
        for n, view in enumerate(views, 1):
            self.tabs.setCurrentWidget(view)
            target = path.with_name(f"{path.stem}_{n}_{view.key}.png")
            if view.export_png(target):
                out.append(target)
        return out

    def closeEvent(self, event):
        self.timer.stop()
        self.stop()
        self.twin_runs.stop()
        super().closeEvent(event)


def lab_data(path=None, n_probe=32):
    """The source's data (load_textbook: 100 words, T = 100), token ids; the probe batch is
    the first ``n_probe`` validation reviews.  ``path=None``: the bundled sample."""
    from rnnfast.datasets import imdb

    source = None if path else "sample"
    x, y, x_val, y_val = imdb.load_textbook(path=path, source=source)
    n_features = int(max(x.max(), x_val.max())) + 1
    return {
        "x_train": x,
        "y_train": y,
        "x_probe": x_val[:n_probe],
        "y_probe": y_val[:n_probe],
        "n_features": max(n_features, 100),
    }


def word_decoder(path=None):
    """``decode(ids) -> words`` from the IMDB word index (the sample's when ``path`` is
    None); None when no word index is found."""
    from rnnfast.datasets import imdb

    try:
        index = (
            imdb.get_word_index(source="sample")
            if path is None
            else (imdb.get_word_index(Path(path).with_name("imdb_word_index.json")))
        )
    except (FileNotFoundError, ValueError):
        return None
    words = {rank + 3: w for w, rank in index.items()}
    words.update({0: "<pad>", 1: "<start>", 2: "<oov>"})
    return lambda ids: [words.get(int(i), "?") for i in np.asarray(ids).reshape(-1)]

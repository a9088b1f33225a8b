"""The main window: panels on the left, the five plots on the right, controls on top.

Threads: the data loader and the training worker are QObjects moved to QThreads; the window
only reads the copies they send (signals, queued into the GUI thread), stores them in a
:class:`gui.state.RunHistory`, and redraws the plots from a QTimer (``refresh_hz`` times a
second, only when something new arrived). While a worker trains, the network belongs to it;
when it finishes, the network is handed back (save, hidden states of other reviews, ...).
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

import numpy as np
from PyQt5.QtCore import QThread, QTimer, Qt, pyqtSignal
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import (
    QAction,
    QApplication,
    QFileDialog,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QWidget,
)

from .panels import SidePanel
from .plots import AccuracyPlot, GradHeatmap, GradNormPlot, HiddenStatesPlot, LossPlot
from .state import DataSettings, RunHistory, SettingsError, TrainSettings
from .worker import DataLoader, TrainingWorker

APP_NAME = "rnnfast: recurrent network trainer"
PLOT_ORDER = ("loss", "accuracy", "grad_norms", "grad_heatmap", "hidden_states")


class MainWindow(QMainWindow):
    """``python -m gui``'s window. Every action is also a method (used by the tests)."""

    data_loaded = pyqtSignal(object)  # Dataset
    training_started = pyqtSignal()
    training_finished = pyqtSignal(object)  # the worker's result dict
    plots_refreshed = pyqtSignal()
    error_shown = pyqtSignal(str, str)

    def __init__(self, *, autoload: bool = True, refresh_hz: float = 33.0, data_settings: DataSettings | None = None,
                 dialogs: bool = True):
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.dialogs = dialogs  # False: errors go to stderr and self.errors only (screenshot mode)
        self.dataset = None
        self.network = None
        self.history: RunHistory | None = None
        self.kept: RunHistory | None = None
        self.errors: list[tuple[str, str]] = []
        self.state = "idle"  # idle | loading | ready | running | paused | stopping
        self._train_thread = None
        self._worker = None
        self._load_thread = None
        self._loader = None
        self._next_plot = 0
        self.plot_refreshes = {name: 0 for name in PLOT_ORDER}
        self._hidden_payload = None
        self._last_dir = os.getcwd()
        self._open_boxes = []
        self._just_loaded = None
        self._status_payload = None
        self._worker_paused = False  # the worker said it waits between two batches
        self.refresh_count = 0

        self.side = SidePanel()
        scroll = QScrollArea()
        scroll.setWidget(self.side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(330)
        scroll.setMaximumWidth(460)

        self.loss_plot = LossPlot()
        self.acc_plot = AccuracyPlot()
        self.grad_plot = GradNormPlot()
        self.heatmap = GradHeatmap()
        self.hidden_plot = HiddenStatesPlot()
        self.plots = {
            "loss": self.loss_plot,
            "accuracy": self.acc_plot,
            "grad_norms": self.grad_plot,
            "grad_heatmap": self.heatmap,
            "hidden_states": self.hidden_plot,
        }
        grid_w = QWidget()
        grid = QGridLayout(grid_w)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setSpacing(4)
        grid.addWidget(self.loss_plot, 0, 0)
        grid.addWidget(self.acc_plot, 0, 1)
        grid.addWidget(self.grad_plot, 1, 0)
        grid.addWidget(self.heatmap, 1, 1)
        grid.addWidget(self.hidden_plot, 0, 2, 2, 1)
        for c, stretch in enumerate((1, 1, 1)):
            grid.setColumnStretch(c, stretch)
        for r in range(2):
            grid.setRowStretch(r, 1)

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(grid_w)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 880])
        self.setCentralWidget(splitter)

        self._make_actions()
        self._make_status_bar()

        d = self.side.data
        d.load_requested.connect(self.load_data)
        d.review_changed.connect(self._review_changed)
        self.side.model.changed.connect(self._update_actions)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(max(10, int(1000 / refresh_hz)))
        self.refresh_timer.timeout.connect(lambda: self.refresh_plots(all_plots=False))
        self.refresh_timer.start()

        if data_settings is not None:
            d.set_settings(data_settings)
        self._update_actions()
        self.resize(1280, 800)
        if autoload:
            QTimer.singleShot(0, self.load_data)

    # -- construction -------------------------------------------------------------------
    def _action(self, text, slot, shortcuts=(), tip="", menu=None, toolbar=None):
        a = QAction(text, self)
        if shortcuts:
            a.setShortcuts([QKeySequence(s) for s in shortcuts])
            a.setShortcutContext(Qt.ApplicationShortcut)
            keys = ", ".join(QKeySequence(s).toString(QKeySequence.NativeText) for s in shortcuts)
            a.setToolTip(f"{tip or text} ({keys})")
        elif tip:
            a.setToolTip(tip)
        a.setStatusTip(tip or text)
        a.triggered.connect(lambda checked=False: slot())
        if menu is not None:
            menu.addAction(a)
        if toolbar is not None:
            toolbar.addAction(a)
        return a

    def _make_actions(self):
        mb = self.menuBar()
        fm = mb.addMenu("&File")
        tm = mb.addMenu("&Train")
        em = mb.addMenu("&Export")
        hm = mb.addMenu("&Help")
        tb = self.addToolBar("Training")
        tb.setObjectName("training-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextOnly)

        self.act_load_data = self._action("Load data", self.load_data, ["Ctrl+L"], "Load the reviews (background)", fm)
        fm.addSeparator()
        self.act_save_model = self._action("Save model...", self.save_model, ["Ctrl+S"], "Save the network's weights", fm)
        self.act_load_model = self._action("Load model...", self.load_model, ["Ctrl+O"], "Load a saved network", fm)
        self.act_save_run = self._action("Save run...", self.save_run, ["Ctrl+Shift+S"], "Save settings + history as JSON", fm)
        self.act_load_run = self._action("Load run to compare...", self.load_run, [],
                                         "Overlay a saved run (JSON) on the plots, as a kept run", fm)
        fm.addSeparator()
        self.act_quit = self._action("Quit", self.close, ["Ctrl+Q"], "Close the window (stops training)", fm)

        self.act_train = self._action("Train", self.start_training, ["F5", "Ctrl+Return"], "Train a new network", tm, tb)
        self.act_continue = self._action("Continue", self.continue_training, ["F6"],
                                         "Train the current network for the form's number of epochs more "
                                         "(its weights, optimizer state and history carry on)", tm, tb)
        self.act_pause = self._action("Pause", self.toggle_pause, ["Ctrl+P", "Pause"], "Pause / resume training", tm, tb)
        self.act_stop = self._action("Stop", self.stop, ["Shift+F5", "Esc"], "Stop after the current batch", tm, tb)
        self.act_step = self._action("Step", self.step, ["F10", "Ctrl+N"], "Train one batch, then pause", tm, tb)
        self.act_reset = self._action("Reset", self.reset, ["Ctrl+R"], "Forget the network and its history", tm, tb)
        tm.addSeparator()
        tb.addSeparator()
        self.act_keep = self._action("Keep for compare", self.keep_run, ["Ctrl+K"],
                                     "Keep this run and overlay the next one on the same axes", tm, tb)
        self.act_clear_compare = self._action("Clear compare", self.clear_compare, ["Ctrl+Shift+K"],
                                              "Remove the kept run from the plots", tm, tb)
        self.compare_label = QLabel("")
        self.compare_label.setStyleSheet("color: #7a4fb0; padding-left: 8px")
        tb.addWidget(self.compare_label)

        names = {"loss": "Loss", "accuracy": "Accuracy", "grad_norms": "Gradient norm per step",
                 "grad_heatmap": "Gradient heatmap", "hidden_states": "Hidden states"}
        self.export_actions = {}
        for key, text in names.items():
            sub = em.addMenu(text)
            a1 = self._action("PNG image...", lambda k=key: self.export_plot(k, kind="png"), menu=sub)
            a2 = self._action("CSV data...", lambda k=key: self.export_plot(k, kind="csv"), menu=sub)
            self.export_actions[key] = (a1, a2)
        em.addSeparator()
        self.act_export_all = self._action("All plots (PNG + CSV) to a folder...", self.export_all, ["Ctrl+E"], menu=em)
        self.act_screenshot = self._action("Window screenshot...", self.save_screenshot, [], menu=em)

        self._action("Keyboard shortcuts", self._show_shortcuts, ["F1"], menu=hm)
        self._action("About", self._show_about, menu=hm)

    def _make_status_bar(self):
        sb = self.statusBar()
        self.status_epoch = QLabel("")
        self.status_speed = QLabel("")
        self.status_eta = QLabel("")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        for w in (self.status_epoch, self.status_speed, self.status_eta):
            w.setMinimumWidth(90)
            sb.addPermanentWidget(w)
        sb.addPermanentWidget(self.progress)
        sb.showMessage("starting ...")

    # -- state ------------------------------------------------------------------------------
    @property
    def is_training(self) -> bool:
        return self._train_thread is not None

    @property
    def is_loading(self) -> bool:
        return self._load_thread is not None

    def _set_state(self, state):
        self.state = state
        self._update_actions()

    def _update_actions(self):
        training = self.is_training
        loading = self.is_loading
        has_data = self.dataset is not None
        paused = self.state == "paused"
        self.act_load_data.setEnabled(not training and not loading)
        self.act_train.setEnabled(has_data and not training and not loading)
        self.act_continue.setEnabled(has_data and not training and not loading and self._can_continue())
        self.act_pause.setEnabled(training and self.state in ("running", "paused"))
        self.act_pause.setText("Resume" if paused else "Pause")
        self.act_stop.setEnabled(training and self.state != "stopping")
        self.act_step.setEnabled(has_data and not loading and (not training or self.state in ("running", "paused")))
        self.act_reset.setEnabled(not loading)
        has_hist = self.history is not None and self.history.has_data
        self.act_keep.setEnabled(has_hist)
        self.act_clear_compare.setEnabled(self.kept is not None)
        self.act_save_model.setEnabled(self._network_for_gui() is not None)
        self.act_load_model.setEnabled(not training)
        self.act_save_run.setEnabled(self.history is not None)
        self.side.data.set_busy(training or loading)
        self.side.model.set_busy(training)

    def _network_for_gui(self):
        """The network, when the GUI thread may read it (not while the worker computes)."""
        if not self.is_training:
            return self.network
        if self._worker_paused and self._worker is not None:  # blocked between two batches
            return self._worker.network
        return None

    # -- data -------------------------------------------------------------------------------
    def load_data(self, settings: DataSettings | None = None):
        if self.is_loading or self.is_training:
            return False
        try:
            settings = settings or self.side.data.settings()
        except SettingsError as e:
            self.show_error("Invalid data settings", str(e))
            return False
        self.statusBar().showMessage("loading data ...")
        self.progress.setRange(0, 0)  # busy
        loader = DataLoader(settings)
        thread = QThread(self)
        loader.moveToThread(thread)
        thread.started.connect(loader.run)
        loader.progress.connect(self.statusBar().showMessage)
        loader.loaded.connect(self._on_data_loaded)
        loader.failed.connect(self._on_load_failed)
        loader.finished.connect(thread.quit)
        thread.finished.connect(self._on_load_thread_finished)
        self._loader, self._load_thread = loader, thread
        self._set_state("loading")
        self.side.data.set_loading(True)
        thread.start()
        return True

    def _on_data_loaded(self, dataset):
        self.dataset = dataset
        self.side.data.set_dataset(dataset)
        self.side.data.set_embedding_available(dataset.capabilities.get("embedding", False))
        self.side.model.set_maxlen(dataset.maxlen)
        self.side.model.set_embedding(dataset.encoding == "embedding")
        self.statusBar().showMessage(
            f"loaded {dataset.n_train:,} training and {dataset.n_val:,} validation reviews ({dataset.source_label}) "
            f"in {dataset.load_seconds:.2f} s"
        )
        if self.network is not None and not self._network_fits_data(self.network):
            self.network = None
        self._show_review_words()
        self._update_hidden_from_network()
        self._just_loaded = dataset

    def _on_load_failed(self, message):
        self.show_error("Could not load the data", message)

    def _on_load_thread_finished(self):
        if self._load_thread is not None:
            self._load_thread.wait()
            self._load_thread.deleteLater()
        self._loader, self._load_thread = None, None
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.side.data.set_loading(False)
        self._set_state("ready" if self.dataset is not None else "idle")
        loaded, self._just_loaded = self._just_loaded, None
        if loaded is not None:
            self.data_loaded.emit(loaded)  # after the loader thread is gone: Train is possible

    # -- training ---------------------------------------------------------------------------
    def start_training(self, steps: int | None = None) -> bool:
        """Train a new network with the form's settings (``steps``: pause after that many batches)."""
        if self.is_training or self.is_loading:
            return False
        if self.dataset is None:
            self.show_error("No data", "Load the data first (Ctrl+L).")
            return False
        try:
            settings = self.side.model.settings(maxlen=self.dataset.maxlen, n_train=self.dataset.n_train)
        except SettingsError as e:
            self.show_error("Invalid settings", str(e))
            return False
        self.history = RunHistory(settings, self.dataset.summary())
        self.history.status = "running"
        self.network = None
        self._hidden_payload = None
        worker = TrainingWorker(settings, self.dataset, review_index=self.side.data.review.value(), initial_steps=steps)
        self._launch_worker(worker, f"training: {settings.label()} ({settings.backend})", steps)
        return True

    def _launch_worker(self, worker: TrainingWorker, message: str, steps: int | None):
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.started.connect(self._on_train_started)
        worker.batches.connect(self._on_batches)
        worker.epoch_end.connect(self._on_epoch_end)
        worker.hidden.connect(self._on_hidden)
        worker.state.connect(self._on_worker_state)
        worker.failed.connect(self.show_error)
        worker.finished.connect(self._on_train_finished)
        worker.finished.connect(thread.quit)
        thread.finished.connect(self._on_train_thread_finished)
        self._worker, self._train_thread = worker, thread
        self._train_t0 = time.perf_counter()
        self.progress.setValue(0)
        self.status_epoch.setText("starting")
        self.status_speed.setText("")
        self.status_eta.setText("")
        self.statusBar().showMessage(message)
        self._set_state("running" if steps is None else "paused")
        thread.start()
        self.training_started.emit()

    def _can_continue(self) -> bool:
        net = self.network
        return (net is not None and getattr(net, "w1h", None) is not None
                and self._network_fits_data(net))

    def continue_training(self) -> bool:
        """Train the current network (trained here, stopped, or loaded) for the form's number
        of epochs more: warm start, so its weights, optimizer state and shuffling carry on and
        the plots extend its history.  The other form fields do not apply: they are the
        network's own (a new network needs Train)."""
        if self.is_training or self.is_loading or self.dataset is None or not self._can_continue():
            return False
        net = self.network
        form = self.side.model.settings_unchecked()
        # the network's own hyperparameters with the form's epochs (the only field that applies)
        settings = TrainSettings(**{**form.to_dict(), **_settings_of(net), "epochs": form.epochs})
        try:
            settings.validate(maxlen=self.dataset.maxlen, n_train=self.dataset.n_train)
        except SettingsError as e:
            self.show_error("Cannot continue", str(e))
            return False
        self.side.model.set_settings({**_settings_of(net), "epochs": form.epochs})  # the form shows what trains
        h = self.history
        if h is None or not (h.batch_x or h.epoch_x):
            h = _history_from_network(net, settings) or RunHistory(settings, self.dataset.summary())
        # after the last position shown; a stopped epoch's remainder is not replayed: the
        # network starts a new epoch (its shuffling stream carries on)
        offset = float(math.ceil(max(h.batch_x[-1] if h.batch_x else 0.0, h.epoch_x[-1] if h.epoch_x else 0.0)))
        h.status = "running"
        self.history = h
        self.network = None  # the worker's until it finishes
        self._hidden_payload = None
        self._launch_worker(TrainingWorker(settings, self.dataset, review_index=self.side.data.review.value(),
                                           network=net, epoch_offset=offset),
                            f"continuing: {settings.label()} for {settings.epochs} more epochs", steps=None)
        return True

    def toggle_pause(self):
        if self.state == "paused":
            self.resume()
        else:
            self.pause()

    def pause(self):
        if self._worker is not None and self.state == "running":
            self._worker.pause()
            self.state = "paused"
            self._update_actions()

    def resume(self):
        if self._worker is not None and self.state == "paused":
            self._worker_paused = False
            self._worker.resume()
            self.state = "running"
            self._update_actions()

    def step(self, n: int = 1):
        """One batch: starts a run paused after its first batch, or lets a paused run do one more."""
        if not self.is_training:
            return self.start_training(steps=n)
        if self._worker is not None and self.state in ("paused", "running"):
            self._worker_paused = False
            self._worker.step(n)
            self.state = "paused"
            self._update_actions()
            return True
        return False

    def stop(self, wait: bool = False):
        if self._worker is None:
            return
        self._worker.request_stop()
        self._worker_paused = False
        self.state = "stopping"
        self._update_actions()
        self.statusBar().showMessage("stopping after the current batch ...")
        if wait:
            self._wait_for_threads()

    def reset(self):
        """Stops training, forgets the network and its history (a kept run stays)."""
        if self.is_training:
            self.stop(wait=True)
            QApplication.processEvents()
        self.network = None
        self.history = None
        self._hidden_payload = None
        self.hidden_plot.clear()
        self._show_review_words()
        self.progress.setValue(0)
        self.status_epoch.setText("")
        self.status_speed.setText("")
        self.status_eta.setText("")
        self.refresh_plots()
        self.statusBar().showMessage("reset")
        self._set_state("ready" if self.dataset is not None else "idle")

    def _on_train_started(self, info):
        n = info.get("n_samples")
        self.statusBar().showMessage(
            f"training on {n:,} reviews, {info.get('n_batches')} batches per epoch, {info.get('epochs')} epochs"
            if n is not None else "training"
        )

    def _on_batches(self, payload):
        if self.history is None:
            return
        first = not self.history.has_data
        self.history.add_batches(payload)
        self._status_payload = payload  # shown by the next refresh, not now
        if first:
            self._update_actions()

    def _show_progress(self, payload):
        total = max(1, int(payload["total"]))
        self.progress.setValue(int(1000 * payload["done"] / total))
        self.status_epoch.setText(
            f"epoch {payload['epoch'] + 1}/{payload['epochs']}  batch {payload['batch'] + 1}/{payload['n_batches']}"
        )
        sps = payload.get("samples_per_second", float("nan"))
        self.status_speed.setText(f"{sps:,.0f} samples/s" if math.isfinite(sps) else "")
        eta = payload.get("eta", float("nan"))
        self.status_eta.setText(f"ETA {_fmt_seconds(eta)}" if math.isfinite(eta) else "")

    def _on_epoch_end(self, info):
        if self.history is None:
            return
        self.history.add_epoch(info)
        va = info.get("val_accuracy")
        msg = f"epoch {info['epoch'] + 1}: loss {info['loss']:.4f}"
        if va is not None:
            msg += f", val_loss {info['val_loss']:.4f}, val_accuracy {va:.4f}"
        self.statusBar().showMessage(msg)

    def _on_hidden(self, payload):
        self._hidden_payload = payload

    def _on_worker_state(self, state):
        if self._worker is None or self.state == "stopping":
            return
        self._worker_paused = state == "paused"
        self.state = state
        self._update_actions()

    def _on_train_finished(self, result):
        if self._status_payload is not None:
            self._show_progress(self._status_payload)
            self._status_payload = None
        net = result.get("network")
        self.network = net
        h = self.history
        if h is not None:
            if result.get("error"):
                h.status, h.error = "failed", result["error"]
            elif result.get("diverged"):
                h.status, h.error = "failed", f"diverged: {result['diverged']}"
            else:
                h.status = "stopped" if result.get("stopped") else "finished"
            if net is not None and getattr(net, "val_accuracies", None):
                h.final_val_accuracy = float(net.val_accuracies[-1])
        if h is not None and h.status == "finished":
            self.progress.setValue(1000)
            self.status_eta.setText("")
        elapsed = result.get("elapsed", 0.0)
        what = {"finished": "finished", "stopped": "stopped", "failed": "failed"}.get(h.status if h else "", "done")
        acc = f", validation accuracy {h.final_val_accuracy:.4f}" if h is not None and h.final_val_accuracy is not None else ""
        # the error's first line stays in view once its dialog is closed (e.g. what to build)
        why = f": {result['error'].splitlines()[0]}" if result.get("error") else ""
        self.statusBar().showMessage(f"training {what} after {elapsed:.1f} s{acc}{why}")
        self.training_finished.emit(result)

    def _on_train_thread_finished(self):
        if self._train_thread is not None:
            self._train_thread.wait()
            self._train_thread.deleteLater()
        # the worker has no parent: dropping the last reference deletes it (its thread is done)
        self._worker, self._train_thread = None, None
        self._worker_paused = False
        self._set_state("ready" if self.dataset is not None else "idle")

    def _wait_for_threads(self, timeout_ms: int | None = None):
        """Stops the worker and joins both threads (used by close and reset)."""
        for worker, thread in ((self._worker, self._train_thread), (self._loader, self._load_thread)):
            if worker is not None and hasattr(worker, "request_stop"):
                worker.request_stop()
            if thread is not None:
                thread.quit()
                if timeout_ms is None:
                    thread.wait()
                else:
                    thread.wait(timeout_ms)
        # deliver the queued finished signals now that the threads are done
        QApplication.sendPostedEvents()
        if self._train_thread is not None and self._train_thread.isFinished():
            self._on_train_thread_finished()
        if self._load_thread is not None and self._load_thread.isFinished():
            self._on_load_thread_finished()

    # -- hidden states ---------------------------------------------------------------------
    def _review_changed(self, index):
        if self._worker is not None:
            self._worker.set_review(index)
        elif self.network is None:
            self._show_review_words()
        else:
            self._update_hidden_from_network()

    def _show_review_words(self):
        """The chosen review's words on the hidden-states plot's time axis, before any training."""
        d = self.dataset
        i = self.side.data.review.value()
        if d is None or not 0 <= i < d.n_val or self.network is not None:
            return
        self.hidden_plot.show_words(i, d.words(d.ids_val[i]), label=int(d.y_val[i]))

    def _network_fits_data(self, net) -> bool:
        d = self.dataset
        if d is None:
            return False
        nf = getattr(net, "n_features", None)
        if nf is None and getattr(net, "w1x", None) is not None:
            nf = np.shape(net.w1x)[0]
        if nf is None or int(nf) != int(d.n_features):
            return False
        if getattr(net, "embedding_dim", None):  # an embedding layer reads token ids only
            return d.encoding in ("ids", "embedding")
        return True

    def _update_hidden_from_network(self):
        net = self.network
        if net is None or self.is_training or not self._network_fits_data(net):
            return
        i = self.side.data.review.value()
        try:
            x = self.dataset.review_input(i)
            states = np.asarray(net.hidden_states(x))[0]
            proba = float(np.asarray(net.predict_proba(x)).ravel()[0])
        except Exception as e:
            self.statusBar().showMessage(f"hidden states unavailable: {e}")
            return
        self._hidden_payload = {"index": i, "states": states, "proba": proba}

    # -- drawing ----------------------------------------------------------------------------------
    def refresh_plots(self, all_plots: bool = True):
        """Redraw, from the latest data, the plots whose data changed.

        The QTimer calls it with ``all_plots=False``: then one stale plot per tick, round robin
        (a tick every ``1 / refresh_hz`` s, so each plot still redraws >= 5 times a second
        while five are stale), so that no tick stalls the event loop painting all five.
        """
        if self._status_payload is not None:
            self._show_progress(self._status_payload)
            self._status_payload = None
        h, k = self.history, self.kept
        stale = [name for name in PLOT_ORDER if self._is_stale(name, h, k)]
        if not stale:
            return []
        if not all_plots:
            n = len(PLOT_ORDER)
            for i in range(n):
                name = PLOT_ORDER[(self._next_plot + i) % n]
                if name in stale:
                    self._next_plot = (PLOT_ORDER.index(name) + 1) % n
                    stale = [name]
                    break
        for name in stale:
            self._refresh_one(name, h, k)
            self.plot_refreshes[name] += 1
        self.refresh_count += 1
        self.plots_refreshed.emit()
        return stale

    def plots_up_to_date(self) -> bool:
        """True when every plot shows the latest data received."""
        return not any(self._is_stale(name, self.history, self.kept) for name in PLOT_ORDER)

    def _is_stale(self, name, h, k) -> bool:
        if name == "hidden_states":
            return self._hidden_payload is not None
        return self.plots[name].is_stale(h, k)

    def _refresh_one(self, name, h, k):
        if name != "hidden_states":
            self.plots[name].refresh(h, k)
            return
        hp, self._hidden_payload = self._hidden_payload, None
        if hp is not None and self.dataset is not None and 0 <= hp["index"] < self.dataset.n_val:
            i = hp["index"]
            ids = self.dataset.ids_val[i]
            self.hidden_plot.set_review(i, hp["states"], self.dataset.words(ids), ids=ids, proba=hp["proba"],
                                        label=int(self.dataset.y_val[i]))

    def plots_with_data(self) -> dict:
        return {name: p.has_data() for name, p in self.plots.items()}

    # -- compare -----------------------------------------------------------------------------------
    def keep_run(self):
        if self.history is None or not self.history.has_data:
            return False
        self.kept = self.history.copy()
        self.compare_label.setText(f"comparing with: {self.kept.label}")
        self._update_actions()
        self.statusBar().showMessage("run kept: the next run is drawn over it (dashed)")
        return True

    def clear_compare(self):
        self.kept = None
        self.compare_label.setText("")
        self._update_actions()

    # -- files ---------------------------------------------------------------------------------------
    def _ask_path(self, title, filt, default_name, save=True):
        start = os.path.join(self._last_dir, default_name)
        if save:
            path, _ = QFileDialog.getSaveFileName(self, title, start, filt)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, self._last_dir, filt)
        if path:
            self._last_dir = os.path.dirname(path)
        return path or None

    def save_model(self, path: str | None = None):
        net = self._network_for_gui()
        if net is None:
            self.show_error("No model", "Train (or load) a network first; while training, pause it to save.")
            return None
        path = path or self._ask_path("Save model", "rnnfast model (*.npz);;all files (*)", "model.npz")
        if not path:
            return None
        try:
            net.save(path)
        except Exception as e:
            self.show_error("Could not save the model", f"{type(e).__name__}: {e}")
            return None
        self.statusBar().showMessage(f"model saved to {path}")
        return path

    def load_model(self, path: str | None = None):
        if self.is_training:
            return None
        path = path or self._ask_path("Load model", "rnnfast model (*.npz);;all files (*)", "", save=False)
        if not path:
            return None
        try:
            from rnnfast import RecurrentNetwork

            net = RecurrentNetwork.load(path)
        except Exception as e:
            self.show_error("Could not load the model", f"{type(e).__name__}: {e}")
            return None
        self.network = net
        try:
            self.side.model.set_settings(_settings_of(net))
        except Exception:
            pass
        # the plots show this network's history (none if it has none), not the previous run's
        self.history = _history_from_network(net, self.side.model.settings_unchecked())
        msg = f"model loaded from {os.path.basename(path)}"
        if self.dataset is not None and not self._network_fits_data(net):
            msg += (f" (its input, {getattr(net, 'n_features', '?')} features"
                    f"{' with an embedding' if getattr(net, 'embedding_dim', None) else ''}, does not match the "
                    f"loaded data: {self.dataset.n_features} features, {self.dataset.encoding})")
        elif self.dataset is not None:
            try:
                acc = float(net.score(self.dataset.x_val, self.dataset.y_val))
                msg += f"; validation accuracy {acc:.4f}"
            except Exception:
                pass
            self._update_hidden_from_network()
        self._update_actions()
        self.statusBar().showMessage(msg)
        return net

    def save_run(self, path: str | None = None):
        if self.history is None:
            self.show_error("Nothing to save", "Train first: a run is its settings and its history.")
            return None
        path = path or self._ask_path("Save run", "JSON (*.json)", "run.json")
        if not path:
            return None
        extra = {
            "data_settings": self.dataset.settings.to_dict() if self.dataset is not None else None,
            "kept_run": self.kept.to_json_dict() if self.kept is not None else None,
            "app": "rnnfast gui",
        }
        try:
            self.history.save_json(path, extra=extra)
        except Exception as e:
            self.show_error("Could not save the run", f"{type(e).__name__}: {e}")
            return None
        self.statusBar().showMessage(f"run saved to {path}")
        return path

    def load_run(self, path: str | None = None):
        """A run saved with Save run, shown as the kept run (dashed) to compare with."""
        path = path or self._ask_path("Load run", "JSON (*.json)", "", save=False)
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as f:
                kept = RunHistory.from_json_dict(json.load(f))
        except Exception as e:
            self.show_error("Could not load the run", f"{type(e).__name__}: {e}")
            return None
        self.kept = kept
        self.compare_label.setText(f"comparing with: {kept.label} ({os.path.basename(path)})")
        self._update_actions()
        self.statusBar().showMessage(f"run loaded from {path}: drawn dashed")
        return kept

    def export_plot(self, name: str, path: str | None = None, kind: str = "png"):
        plot = self.plots[name]
        if kind not in ("png", "csv"):
            raise ValueError("kind must be 'png' or 'csv'")
        filt = "PNG image (*.png)" if kind == "png" else "CSV (*.csv)"
        path = path or self._ask_path(f"Export {plot.title}", filt, f"{name}.{kind}")
        if not path:
            return None
        try:
            self.refresh_plots()
            if kind == "png":
                if not plot.export_png(path):
                    raise OSError(f"could not write {path}")
            else:
                plot.export_csv(path)
        except Exception as e:
            self.show_error("Export failed", f"{type(e).__name__}: {e}")
            return None
        self.statusBar().showMessage(f"exported {path}")
        return path

    def export_all(self, directory: str | None = None):
        directory = directory or QFileDialog.getExistingDirectory(self, "Export all plots to", self._last_dir)
        if not directory:
            return []
        os.makedirs(directory, exist_ok=True)
        out = []
        for name in self.plots:
            for kind in ("png", "csv"):
                p = self.export_plot(name, os.path.join(directory, f"{name}.{kind}"), kind)
                if p:
                    out.append(p)
        return out

    def save_screenshot(self, path: str | None = None):
        path = path or self._ask_path("Window screenshot", "PNG image (*.png)", "screenshot.png")
        if not path:
            return None
        self.refresh_plots()
        ok = self.grab().save(path, "PNG")
        if not ok:
            self.show_error("Screenshot failed", f"could not write {path}")
            return None
        return path

    # -- messages --------------------------------------------------------------------------------------
    def show_error(self, title: str, message: str):
        """A non-blocking dialog; the app stays usable."""
        self.errors.append((title, message))
        print(f"[rnnfast gui] {title}: {message}", file=sys.stderr)
        self.statusBar().showMessage(f"{title}: {message.splitlines()[0] if message else ''}")
        self.error_shown.emit(title, message)
        if not self.dialogs:
            return None
        box = QMessageBox(QMessageBox.Warning, title, message.split("\n\n")[0], QMessageBox.Ok, self)
        if "\n\n" in message:
            box.setDetailedText(message)
        box.setWindowModality(Qt.WindowModal)
        box.finished.connect(lambda *_: self._open_boxes.remove(box) if box in self._open_boxes else None)
        self._open_boxes.append(box)
        box.open()
        return box

    def _show_shortcuts(self):
        rows = []
        for a in (self.act_train, self.act_continue, self.act_pause, self.act_stop, self.act_step, self.act_reset,
                  self.act_keep,
                  self.act_clear_compare, self.act_load_data, self.act_save_model, self.act_load_model,
                  self.act_save_run, self.act_export_all, self.act_quit):
            keys = ", ".join(s.toString(QKeySequence.NativeText) for s in a.shortcuts())
            rows.append(f"<tr><td>{a.text().replace('&', '')}</td><td><b>{keys}</b></td></tr>")
        QMessageBox.information(self, "Keyboard shortcuts", "<table>" + "".join(rows) + "</table>")

    def _show_about(self):
        QMessageBox.about(
            self,
            "About",
            "<b>rnnfast</b>: a simple recurrent network (tanh cell, sigmoid output) trained with truncated "
            "backpropagation through time, with compiled kernels.<br><br>"
            "The gradient-norm plots show ||dL/dz1|| at each step back in time: the repeated products of "
            "W1h and (1 - h&sup2;) make it shrink (vanish) the further back it goes.",
        )

    # -- closing -------------------------------------------------------------------------------------------
    def closeEvent(self, event):
        self.refresh_timer.stop()
        for box in list(self._open_boxes):
            box.close()
        self._wait_for_threads()
        event.accept()
        super().closeEvent(event)


def _fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "?"
    s = int(round(s))
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s:02d} s"
    h, m = divmod(m, 60)
    return f"{h} h {m:02d} min"


def _settings_of(net) -> dict:
    """The network's hyperparameters as :class:`TrainSettings` fields (epochs excluded)."""
    cfg = net.get_config() if hasattr(net, "get_config") else {}
    out = {}
    for name in ("n_cells", "batch_size", "learning_rate", "bptt_steps", "backprop", "optimizer", "clip_norm",
                 "backend", "seed", "dtype", "embedding_dim"):
        if name in cfg:
            v = cfg[name]
            out[name] = str(v) if name == "dtype" and v is not None else v
    return out


def _history_from_network(net, settings: TrainSettings) -> RunHistory | None:
    """What a saved network remembers of its training, as a history to plot (may be empty)."""
    losses = list(getattr(net, "losses", []) or [])
    if not losses:
        return None
    h = RunHistory(settings, {}, label=f"loaded: {settings.label()}")
    val_losses = list(getattr(net, "val_losses", []) or [])
    accs = list(getattr(net, "accuracies", []) or [])
    val_accs = list(getattr(net, "val_accuracies", []) or [])
    grads = list(getattr(net, "grad_norms", []) or [])
    for e, loss in enumerate(losses):
        h.add_epoch({
            "epoch": e,
            "loss": loss,
            "accuracy": accs[e] if e < len(accs) else None,
            "val_loss": val_losses[e] if e < len(val_losses) else None,
            "val_accuracy": val_accs[e] if e < len(val_accs) else None,
            "grad_norms": grads[e] if e < len(grads) else None,
        })
    bl = list(getattr(net, "batch_losses", []) or [])
    if bl:
        n = len(bl)
        per = max(1, n // len(losses))
        x = [(i + 1) / per for i in range(n)]
        h.add_batches({"x": x, "losses": bl, "accuracies": [float("nan")] * n, "grad_norms": None})
    if grads:
        # one row per epoch: the heatmap of a loaded model is per epoch
        h._grads.append_rows(np.vstack([np.asarray(g, dtype=float) for g in grads]))
        if not bl:
            h.batch_x = [float(e + 1) for e in range(len(grads))]
    h.status = "loaded"
    return h

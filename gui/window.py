"""The main window: it builds the layout, the menus and the toolbar, and wires the pieces.

* :class:`gui.controller.TrainingController`: loading and training in worker threads, the
  state (an enum), the data set, the network and the run's history;
* :class:`gui.plotgrid.PlotGrid`: the five plots, redrawn from a QTimer at a bounded rate;
* :class:`gui.files.FileActions`: the File and Export menus;
* :class:`gui.panels.SidePanel` (the forms) and :class:`gui.statusbar.StatusBar`.

They talk through signals, all delivered in the GUI thread; the window itself keeps only the
compare label, the error dialogs and which actions are enabled.
"""

from __future__ import annotations

import sys

from PyQt5.QtCore import QTimer, Qt, pyqtSignal
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction, QLabel, QMainWindow, QMessageBox, QScrollArea, QSplitter

from .controller import CONTROLLABLE, State, TrainingController
from .files import FileActions
from .panels import SidePanel
from .plotgrid import PLOT_NAMES, PlotGrid
from .state import DataSettings
from .statusbar import StatusBar

APP_NAME = "rnnfast: recurrent network trainer"


class MainWindow(QMainWindow):
    """``python -m gui``'s window. Every action is also a method, and the pieces' state reads
    through the window (``win.state``, ``win.history``, ``win.loss_plot``, ...): the tests and
    the command line drive it so."""

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
        self.errors: list[tuple[str, str]] = []
        self._open_boxes = []
        self.controller = TrainingController(self)
        self.side = SidePanel()
        self.grid = PlotGrid(refresh_hz)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.files = FileActions(self, self.controller, self.grid, self.side)
        self.setCentralWidget(_side_by_side(self.side, self.grid))
        self._make_actions()
        self._wire()
        # the pieces' widgets under the names the tests and the command line use
        g, sb = self.grid, self.status
        self.plots, self.refresh_timer = g.plots, g.timer
        self.loss_plot, self.acc_plot, self.grad_plot = g.loss_plot, g.acc_plot, g.grad_plot
        self.heatmap, self.hidden_plot = g.heatmap, g.hidden_plot
        self.progress, self.status_epoch, self.status_speed, self.status_eta = sb.progress, sb.epoch, sb.speed, sb.eta
        if data_settings is not None:
            self.side.data.set_settings(data_settings)
        self._update_actions()
        self.resize(1280, 800)
        if autoload:
            QTimer.singleShot(0, self.load_data)

    # -- construction --------------------------------------------------------------------------------
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
        act, f = self._action, self.files
        mb = self.menuBar()
        fm, tm, em, hm = (mb.addMenu(t) for t in ("&File", "&Train", "&Export", "&Help"))
        tb = self.addToolBar("Training")
        tb.setObjectName("training-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextOnly)

        self.act_load_data = act("Load data", self.load_data, ["Ctrl+L"], "Load the reviews (background)", fm)
        fm.addSeparator()
        self.act_save_model = act("Save model...", f.save_model, ["Ctrl+S"], "Save the network's weights", fm)
        self.act_load_model = act("Load model...", f.load_model, ["Ctrl+O"], "Load a saved network", fm)
        self.act_save_run = act("Save run...", f.save_run, ["Ctrl+Shift+S"], "Save settings + history as JSON", fm)
        self.act_load_run = act("Load run to compare...", f.load_run, [],
                                "Overlay a saved run (JSON) on the plots, as a kept run", fm)
        fm.addSeparator()
        self.act_quit = act("Quit", self.close, ["Ctrl+Q"], "Close the window (stops training)", fm)

        self.act_train = act("Train", self.start_training, ["F5", "Ctrl+Return"], "Train a new network", tm, tb)
        self.act_continue = act("Continue", self.continue_training, ["F6"],
                                "Train the current network for the form's number of epochs more "
                                "(its weights, optimizer state and history carry on)", tm, tb)
        self.act_pause = act("Pause", self.toggle_pause, ["Ctrl+P", "Pause"], "Pause / resume training", tm, tb)
        self.act_stop = act("Stop", self.stop, ["Shift+F5", "Esc"], "Stop after the current batch", tm, tb)
        self.act_step = act("Step", self.step, ["F10", "Ctrl+N"], "Train one batch, then pause", tm, tb)
        self.act_reset = act("Reset", self.reset, ["Ctrl+R"], "Forget the network and its history", tm, tb)
        tm.addSeparator()
        tb.addSeparator()
        self.act_keep = act("Keep for compare", self.keep_run, ["Ctrl+K"],
                            "Keep this run and overlay the next one on the same axes", tm, tb)
        self.act_clear_compare = act("Clear compare", self.clear_compare, ["Ctrl+Shift+K"],
                                     "Remove the kept run from the plots", tm, tb)
        self.compare_label = QLabel("")
        self.compare_label.setStyleSheet("color: #7a4fb0; padding-left: 8px")
        tb.addWidget(self.compare_label)

        self.export_actions = {}
        for key, text in PLOT_NAMES.items():
            sub = em.addMenu(text)
            self.export_actions[key] = (act("PNG image...", lambda k=key: f.export_plot(k, kind="png"), menu=sub),
                                        act("CSV data...", lambda k=key: f.export_plot(k, kind="csv"), menu=sub))
        em.addSeparator()
        self.act_export_all = act("All plots (PNG + CSV) to a folder...", f.export_all, ["Ctrl+E"], menu=em)
        self.act_screenshot = act("Window screenshot...", f.save_screenshot, [], menu=em)

        act("Keyboard shortcuts", lambda: _show_shortcuts(self, self._shortcut_actions()), ["F1"], menu=hm)
        act("About", lambda: _show_about(self), menu=hm)

    def _shortcut_actions(self):
        return (self.act_train, self.act_continue, self.act_pause, self.act_stop, self.act_step, self.act_reset,
                self.act_keep, self.act_clear_compare, self.act_load_data, self.act_save_model, self.act_load_model,
                self.act_save_run, self.act_export_all, self.act_quit)

    def _wire(self):
        c, f, g, sb = self.controller, self.files, self.grid, self.status
        c.changed.connect(self._update_actions)
        c.message.connect(sb.showMessage)
        c.error.connect(self.show_error)
        c.progress.connect(sb.set_pending)
        c.hidden.connect(g.set_hidden)
        c.history_changed.connect(g.set_history)
        c.data_loaded.connect(self._on_data_loaded)
        c.data_loaded.connect(self.data_loaded)  # after the panels know the data
        c.training_started.connect(lambda: sb.clear_progress("starting"))
        c.training_started.connect(self.training_started)
        c.training_finished.connect(self._on_training_finished)
        c.training_finished.connect(self.training_finished)
        f.error.connect(self.show_error)
        f.message.connect(sb.showMessage)
        f.kept_loaded.connect(lambda kept, name: self._show_kept(kept, f"{kept.label} ({name})"))
        g.refreshed.connect(self.plots_refreshed)
        g.timer.timeout.connect(sb.flush)  # the progress shown at the plots' rate, not at every chunk
        self.side.data.load_requested.connect(self.load_data)
        self.side.data.review_changed.connect(self._show_review)
        self.side.model.changed.connect(self._update_actions)

    # -- what the pieces say ---------------------------------------------------------------------------
    def _update_actions(self):
        c = self.controller
        st, training, loading = c.state, c.is_training, c.is_loading
        ready = st is State.READY  # data, and no thread
        self.act_load_data.setEnabled(not training and not loading)
        self.act_train.setEnabled(ready)
        self.act_continue.setEnabled(ready and c.can_continue())
        self.act_pause.setEnabled(st in CONTROLLABLE)
        self.act_pause.setText("Resume" if st in (State.PAUSING, State.PAUSED) else "Pause")
        self.act_stop.setEnabled(training and st is not State.STOPPING)
        self.act_step.setEnabled(ready or st in CONTROLLABLE)
        self.act_reset.setEnabled(not loading)
        self.act_keep.setEnabled(c.history is not None and c.history.has_data)
        self.act_clear_compare.setEnabled(self.grid.kept is not None)
        self.act_save_model.setEnabled(c.network_for_gui() is not None)
        self.act_load_model.setEnabled(not training)
        self.act_save_run.setEnabled(c.history is not None)
        self.side.data.set_busy(training or loading)
        self.side.model.set_busy(training)
        self.status.set_busy(loading)

    def _on_data_loaded(self, dataset):
        self.side.data.set_dataset(dataset)
        self.side.model.set_maxlen(dataset.maxlen)
        self.side.model.set_embedding(dataset.encoding == "embedding")
        self.grid.set_dataset(dataset)
        self._show_review(self.side.data.review.value())

    def _show_review(self, index: int):
        """Its hidden states from the network (the worker's, while training), else its words."""
        if not self.controller.set_review(index):
            self.grid.show_words(index)

    def _on_training_finished(self, _result):
        h = self.controller.history
        self.status.finish(completed=h is not None and h.status == "finished")

    def _show_kept(self, kept, text: str):
        self.grid.set_kept(kept)
        self.compare_label.setText(f"comparing with: {text}" if kept is not None else "")
        self._update_actions()

    # -- the actions -------------------------------------------------------------------------------------
    def start_training(self, steps: int | None = None) -> bool:
        """Train a new network with the form's settings (``steps``: pause after that many batches)."""
        return self.controller.start(self.side.model.settings_unchecked(), self.side.data.review.value(), steps)

    def continue_training(self) -> bool:
        """Train the current network for the form's number of epochs more (see
        :meth:`gui.controller.TrainingController.continue_training`); the form then shows the
        network's own settings, which are what trains."""
        settings = self.controller.continue_training(self.side.model.settings_unchecked(),
                                                     self.side.data.review.value())
        if settings is not None:
            self.side.model.set_settings(settings)
        return settings is not None

    def step(self, n: int = 1) -> bool:
        """One batch: starts a run paused after its first batch, or lets a paused run do one more."""
        if not self.controller.is_training:
            return self.start_training(steps=n)
        return self.controller.step(n)

    def reset(self):
        """Stops training, forgets the network and its history (a kept run stays)."""
        self.controller.reset()
        self.hidden_plot.clear()
        self.grid.show_words(self.side.data.review.value())
        self.status.clear_progress()
        self.refresh_plots()
        self.status.showMessage("reset")

    def keep_run(self) -> bool:
        h = self.controller.history
        if h is None or not h.has_data:
            return False
        self._show_kept(h.copy(), h.label)
        self.status.showMessage("run kept: the next run is drawn over it (dashed)")
        return True

    def clear_compare(self):
        self._show_kept(None, "")

    def refresh_plots(self, all_plots: bool = True) -> list[str]:
        """Redraw now what changed (progress included); the timer does it at its own rate."""
        self.status.flush()
        return self.grid.refresh(all_plots)

    def load_data(self, settings: DataSettings | None = None) -> bool:
        return self.files.load_data(settings)

    def toggle_pause(self):
        self.controller.toggle_pause()

    def pause(self):
        self.controller.pause()

    def resume(self):
        self.controller.resume()

    def stop(self, wait: bool = False):
        self.controller.stop(wait)

    def save_model(self, path: str | None = None):
        return self.files.save_model(path)

    def load_model(self, path: str | None = None):
        return self.files.load_model(path)

    def save_run(self, path: str | None = None):
        return self.files.save_run(path)

    def load_run(self, path: str | None = None):
        return self.files.load_run(path)

    def export_plot(self, name: str, path: str | None = None, kind: str = "png"):
        return self.files.export_plot(name, path, kind)

    def export_all(self, directory: str | None = None):
        return self.files.export_all(directory)

    def save_screenshot(self, path: str | None = None):
        return self.files.save_screenshot(path)

    def plots_up_to_date(self) -> bool:
        return self.grid.up_to_date()

    def plots_with_data(self) -> dict:
        return self.grid.with_data()

    # -- the pieces' state, read through the window --------------------------------------------------------
    state = property(lambda self: self.controller.state, doc="a gui.controller.State (a str)")
    is_training = property(lambda self: self.controller.is_training)
    is_loading = property(lambda self: self.controller.is_loading)
    dataset = property(lambda self: self.controller.dataset)
    network = property(lambda self: self.controller.network)
    history = property(lambda self: self.controller.history)
    kept = property(lambda self: self.grid.kept)
    refresh_count = property(lambda self: self.grid.refresh_count)

    # -- messages ----------------------------------------------------------------------------------------
    def show_error(self, title: str, message: str):
        """A non-blocking dialog; the app stays usable."""
        self.errors.append((title, message))
        print(f"[rnnfast gui] {title}: {message}", file=sys.stderr)
        self.status.showMessage(f"{title}: {message.splitlines()[0] if message else ''}")
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

    # -- closing -------------------------------------------------------------------------------------------
    def closeEvent(self, event):
        self.grid.timer.stop()
        for box in list(self._open_boxes):
            box.close()
        self.controller.join_threads()
        event.accept()
        super().closeEvent(event)


def _side_by_side(side, grid):
    """The forms (scrolling, of bounded width) left of the plots."""
    scroll = QScrollArea()
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(330)
    scroll.setMaximumWidth(460)
    splitter = QSplitter(Qt.Horizontal)
    splitter.addWidget(scroll)
    splitter.addWidget(grid)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([400, 880])
    return splitter


def _show_shortcuts(parent, actions):
    rows = []
    for a in actions:
        keys = ", ".join(s.toString(QKeySequence.NativeText) for s in a.shortcuts())
        rows.append(f"<tr><td>{a.text().replace('&', '')}</td><td><b>{keys}</b></td></tr>")
    QMessageBox.information(parent, "Keyboard shortcuts", "<table>" + "".join(rows) + "</table>")


def _show_about(parent):
    QMessageBox.about(
        parent,
        "About",
        "<b>rnnfast</b>: a simple recurrent network (tanh cell, sigmoid output) trained with truncated "
        "backpropagation through time, with compiled kernels.<br><br>"
        "The gradient-norm plots show ||dL/dz1|| at each step back in time: the repeated products of "
        "W1h and (1 - h&sup2;) make it shrink (vanish) the further back it goes.",
    )

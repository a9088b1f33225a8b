"""The main window: it builds the layout, the menus and the toolbar, and wires the pieces.

* :class:`gui.training.controller.TrainingController`: loading and training in worker threads, the
  state (an enum), the data set, the network and the run's history;
* :class:`gui.plots.grid.PlotGrid`: the five plots, redrawn from a QTimer at a bounded rate;
* :class:`gui.training.runs.RunList`: the kept runs, each in its own colour, drawn with the current
  one;
* :class:`gui.app.files.FileActions`: the File and Export menus;
* :class:`gui.lab.panel.LabPanel`: the BPTT lab's views, in the place of the plots when shown
  (the Lab menu);
* :class:`gui.panels.model.SidePanel` (the forms, the runs list),
  :class:`gui.app.statusbar.StatusBar`, :class:`gui.training.health.HealthBanner` (training gone
  bad) and :class:`gui.app.menus.Menus`.

:mod:`gui.app.wiring` makes the window's actions and connects the pieces. They talk through
signals, all delivered in the GUI thread; the window itself keeps only the error dialogs, which
actions are enabled, the language and the question before quitting.
"""

from __future__ import annotations

import sys

from PyQt5.QtCore import QEvent, Qt, QTimer, pyqtSignal
from PyQt5.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..lab.panel import LabPanel
from ..panels.model import SidePanel
from ..panels.runs import RunsPanel
from ..plots.grid import PlotGrid
from ..sweep import SweepPanel
from ..text import i18n
from ..text.help import PlotsHelp, show_plot_help
from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.controller import CONTROLLABLE, State, TrainingController
from ..training.health import HealthBanner
from ..training.runs import RunList
from ..training.settings import DataSettings, SettingsError
from .files import FileActions
from .menus import Menus, ask_unsaved, error_box
from .statusbar import StatusBar
from .wiring import make_actions, wire

#: the methods of FileActions that are the window's too
FILE_ACTIONS = (
    "save_model", "load_model", "save_run", "load_run",
    "export_plot", "export_figure", "export_all", "save_screenshot",
)  # fmt: skip


class MainWindow(QMainWindow):
    """``python -m gui``'s window. Every action is also a method, and the pieces' state reads
    through the window (``win.state``, ``win.history``, ``win.loss_plot``, ...): the tests and
    the command line drive it so."""

    data_loaded = pyqtSignal(object)  # Dataset
    training_started = pyqtSignal()
    training_finished = pyqtSignal(object)  # the worker's result dict
    plots_refreshed = pyqtSignal()
    error_shown = pyqtSignal(str, str)

    def __init__(
        self,
        *,
        autoload: bool = True,
        refresh_hz: float = 33.0,
        data_settings: DataSettings | None = None,
        dialogs: bool = True,
    ):
        super().__init__()
        self.dialogs = dialogs  # False: errors go to stderr and self.errors only (screenshot mode)
        self.confirm_quit = dialogs  # ask before closing with an unsaved run
        self.errors: list[tuple[str, str]] = []
        self._open_boxes = []
        self._quit_asked = False
        self._language_shown = None
        self.controller = c = TrainingController(self)
        # as methods of the window
        self.toggle_pause, self.pause, self.resume = c.toggle_pause, c.pause, c.resume
        self.runs = RunList(self)
        self.side = SidePanel(RunsPanel(self.runs))
        self.grid = PlotGrid(refresh_hz)
        self.banner = HealthBanner()
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.files = f = FileActions(self, self.controller, self.grid, self.side, self.runs)
        for name in FILE_ACTIONS:  # the file actions, as methods of the window
            setattr(self, name, getattr(f, name))
        self.lab = LabPanel(self)  # the BPTT lab: shown in the place of the plots (Lab > BPTT lab)
        self.setCentralWidget(_side_by_side(self.side, self.banner, self.lab.beside(self.grid)))
        self.side_scroll = self.centralWidget().widget(0)
        self.sweep = SweepPanel(self)  # many runs (Lab > Sweep): in the place of the plots too
        self.lab.outer.addWidget(self.sweep)
        self.ui = Menus(self)
        make_actions(self)
        wire(self)
        self.lab.attach()
        self.sweep.attach()
        # the pieces' widgets under the names the tests and the command line use
        g, sb = self.grid, self.status
        self.plots, self.refresh_timer = g.plots, g.timer
        self.loss_plot, self.acc_plot, self.grad_plot = g.loss_plot, g.acc_plot, g.grad_plot
        self.heatmap, self.hidden_plot = g.heatmap, g.hidden_plot
        self.progress, self.status_epoch, self.status_speed, self.status_eta = (
            sb.progress,
            sb.epoch,
            sb.speed,
            sb.eta,
        )
        if data_settings is not None:
            self.side.data.set_settings(data_settings)
        self.retranslate()
        self._update_actions()
        self.resize(1280, 800)
        if autoload:
            QTimer.singleShot(0, self.load_data)

    # -- language ----------------------------------------------------------------------------------
    def set_language(self, lang: str):
        """Switch the whole window to ``lang`` ("en" or "ko") while it runs."""
        i18n.set_language(lang)
        self.retranslate()

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.LanguageChange and self._language_shown not in (
            None,
            i18n.language(),
        ):
            self.retranslate()  # a translator installed from elsewhere
        super().changeEvent(event)

    def retranslate(self):
        self._language_shown = i18n.language()
        self.setWindowTitle(translate("MainWindow", "rnnfast: recurrent neural network trainer"))
        self.ui.retranslate()
        self.side.retranslate()
        self.grid.retranslate()
        self.grid.refresh()  # legends and run labels in the new language now, not at next ticks
        self.lab.retranslate()
        self.sweep.retranslate()
        for dialog in self.findChildren(QDialog):  # the help and figure dialogs that are open
            if hasattr(dialog, "retranslate"):
                dialog.retranslate()
        self.banner.retranslate()
        self.status.retranslate()
        self._update_actions()
        # the forms never cut: the side is as wide as their widest row (the labels' language)
        bar = self.side_scroll.verticalScrollBar().sizeHint().width()
        self.side_scroll.setMinimumWidth(self.side.minimumSizeHint().width() + bar + 4)

    # -- what the pieces say -----------------------------------------------------------------------
    def _update_actions(self):
        c = self.controller
        st, training, loading = c.state, c.is_training, c.is_loading
        ready = st is State.READY  # data, and no thread
        self.act_load_data.setEnabled(not training and not loading)
        self.act_train.setEnabled(ready)
        self.act_continue.setEnabled(ready and c.can_continue())
        self.act_pause.setEnabled(st in CONTROLLABLE)
        paused = st in (State.PAUSING, State.PAUSED)
        self.ui.set_text(
            self.act_pause,
            translate("Menus", "Resume") if paused else translate("Menus", "Pause"),
            translate("Menus", "Pause / resume training"),
        )
        self.act_stop.setEnabled(training and st is not State.STOPPING)
        self.act_step.setEnabled(ready or st in CONTROLLABLE)
        self.act_reset.setEnabled(not loading)
        can_keep = c.history is not None and c.history.has_data
        self.act_keep.setEnabled(can_keep)
        self.side.runs.set_keep_enabled(can_keep)
        self.act_clear_compare.setEnabled(bool(self.runs.kept))
        self.act_save_model.setEnabled(c.network_for_gui() is not None)
        self.act_load_model.setEnabled(not training)
        self.act_save_run.setEnabled(c.history is not None)
        self.side.data.set_busy(training or loading)
        self.side.model.set_busy(training)
        self.status.set_busy(loading)
        self.runs.set_current(c.history)
        self.status.set_state(run_state(self.controller, self.lab.link))

    def _runs_changed(self):
        self.grid.set_runs(self.runs.shown(), self.runs.current_label)
        self.act_clear_compare.setEnabled(bool(self.runs.kept))

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

    # -- the actions -------------------------------------------------------------------------------
    def _form(self):
        """The form's settings, or None (its errors in a dialog: the fields marked in red)."""
        try:
            return self.side.model.settings_unchecked()
        except SettingsError as e:
            self.show_error(
                translate("MainWindow", "Invalid settings"),
                translate("MainWindow", "Correct the fields marked in red:") + "\n" + str(e),
            )
            return None

    def _data_as_loaded(self) -> bool:
        """The data panel says what is loaded (else a dialog: Train would not use its fields)."""
        refusal = data_refusal(self.side.data, self.controller)
        if refusal is not None:
            self.show_error(*refusal)
        return refusal is None

    def start_training(self, steps: int | None = None) -> bool:
        """Train a new network with the form's settings (``steps``: pause after that many
        batches) on the data loaded, which the data panel must describe."""
        form = self._form()
        return (
            form is not None
            and self._data_as_loaded()
            and self.controller.start(form, self.side.data.review.value(), steps)
        )

    def continue_training(self) -> bool:
        """Train the current network for the form's number of epochs more (see
        :meth:`gui.training.controller.TrainingController.continue_training`); the form then shows
        the network's own settings, which are what trains."""
        form = self._form()
        settings = (
            None
            if form is None or not self._data_as_loaded()
            else self.controller.continue_training(form, self.side.data.review.value())
        )
        if settings is not None:
            self.side.model.set_settings(settings)
        return settings is not None

    def step(self, n: int = 1) -> bool:
        """One batch: starts a run paused after its first batch, or lets a paused run do one
        more."""
        if not self.controller.is_training:
            return self.start_training(steps=n)
        return self.controller.step(n)

    def reset(self):
        """Stops training, forgets the network and its history (the kept runs stay)."""
        self.controller.reset()
        self.hidden_plot.clear()
        self.grid.show_words(self.side.data.review.value())
        self.status.clear_progress()
        self.refresh_plots()
        self.status.show_translated("MainWindow", QT_TRANSLATE_NOOP("MainWindow", "reset"))

    def keep_run(self):
        """Keep the current run in the plots (a copy, in its own colour); returns its Run."""
        h = self.controller.history
        if h is None or not h.has_data:
            return None
        run = self.runs.keep(h.copy())
        self.status.show_translated(
            "MainWindow", QT_TRANSLATE_NOOP("MainWindow", "run kept: {0}"), run.label
        )
        return run

    def clear_compare(self):
        self.runs.clear()

    def refresh_plots(self, all_plots: bool = True) -> list[str]:
        """Redraw now what changed (progress included); the timer does it at its own rate."""
        self.status.flush()
        return self.grid.refresh(all_plots)

    def load_data(self, settings: DataSettings | None = None) -> bool:
        return self.files.load_data(settings)

    def stop(self, wait: bool = False):
        self.controller.stop(wait)

    def show_plots_help(self):
        dlg = PlotsHelp(self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def show_plot_help(self, key: str):
        return show_plot_help(self, key)

    def plots_up_to_date(self) -> bool:
        return self.grid.up_to_date()

    def plots_with_data(self) -> dict:
        return self.grid.with_data()

    # -- the pieces' state, read through the window ------------------------------------------------
    state = property(
        lambda self: self.controller.state, doc="a gui.training.controller.State (a str)"
    )
    is_training = property(lambda self: self.controller.is_training)
    is_loading = property(lambda self: self.controller.is_loading)
    dataset = property(lambda self: self.controller.dataset)
    network = property(lambda self: self.controller.network)
    history = property(lambda self: self.controller.history)
    kept = property(lambda self: self.runs.kept)
    refresh_count = property(lambda self: self.grid.refresh_count)

    # -- messages ----------------------------------------------------------------------------------
    def show_error(self, title: str, message: str):
        """A non-blocking dialog; the app stays usable."""
        self.errors.append((title, message))
        print(f"[rnnfast gui] {title}: {message}", file=sys.stderr)
        self.status.showMessage(f"{title}: {message}")
        self.error_shown.emit(title, message)
        if not self.dialogs:
            return None
        box = error_box(self, title, message)
        box.finished.connect(
            lambda *_: self._open_boxes.remove(box) if box in self._open_boxes else None
        )
        self._open_boxes.append(box)
        return box

    # -- closing -----------------------------------------------------------------------------------
    def closeEvent(self, event):  # noqa: N802
        if self.confirm_quit and not self._quit_asked and self.files.unsaved():
            event.ignore()
            self._open_boxes.append(ask_unsaved(self, self._quit_answer))
            return
        self.grid.timer.stop()
        for box in list(self._open_boxes):
            box.close()
        self.controller.join_threads()
        self.lab.shutdown()
        self.sweep.shutdown()
        event.accept()
        super().closeEvent(event)

    def _quit_answer(self, button):
        if button == QMessageBox.Save and not self.files.save_run():
            return  # not saved (cancelled or failed): stay
        if button in (QMessageBox.Save, QMessageBox.Discard):
            self._quit_asked = True
            QTimer.singleShot(0, self.close)


def data_refusal(data, controller) -> tuple | None:
    """``(title, message)`` when the data panel ``data`` does not describe the data loaded (a
    field in red, or settings not loaded yet): Train would not use what it says; else None."""
    if data.dataset is None or controller.dataset is None:
        return None  # no data: the controller says so
    try:
        data.settings()
    except SettingsError as e:
        return (
            translate("MainWindow", "Invalid data settings"),
            translate("MainWindow", "Correct the fields marked in red:") + "\n" + str(e),
        )
    if data.differs_from_loaded():
        return (
            translate("MainWindow", "Data not loaded"),
            translate(
                "MainWindow",
                "The data panel's settings are not those of the data loaded. Press Load "
                "data (Ctrl+L) to load them, then train.",
            ),
        )
    return None


def run_state(controller, lab_link=None) -> str:
    """What the status bar's indicator says: the controller's state, how the run ended, or
    that the lab's twin runs train (``lab_link``: gui.lab.link.LabLink)."""
    twins = lab_link is not None and lab_link.twin_runs is not None and lab_link.twin_runs.running
    if twins and not controller.is_training and not controller.is_loading:
        return "twins"
    st, h = controller.state, controller.history
    if st is State.READY and h is not None and h.status in ("finished", "stopped", "failed"):
        return h.status
    return st.value


def _side_by_side(side, banner, plots):
    """The forms (scrolling, of bounded width) left of the warning banner and the plots (and
    the lab)."""
    scroll = QScrollArea()
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setMaximumWidth(460)
    right = QWidget()
    lay = QVBoxLayout(right)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(banner)
    lay.addWidget(plots, 1)
    splitter = QSplitter(Qt.Horizontal)
    splitter.addWidget(scroll)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([360, 900])
    return splitter

"""The Sweep view (issue 19): many runs of the model panel's network over up to two settings
and a number of seeds, on this computer's cores or a Dask cluster, in the place of the plots
(Lab > Sweep, Ctrl+M; again for the plots).

:class:`SweepPanel` lays out the form (:mod:`gui.sweep.form`), Run / Stop / Export, the cells'
plot and the selected cell's curves (:mod:`gui.sweep.plots`), and the paired comparison in
words (:mod:`gui.sweep.results`). The sweep runs in a :class:`gui.sweep.worker.SweepWorker` on
its QThread; what it sends is kept in a :class:`~gui.sweep.results.SweepResults` and drawn from
a QTimer at most every ``REDRAW_S`` seconds. Stop keeps the finished runs; closing the window
stops the sweep and joins its thread (the worker processes end with it).
"""

from __future__ import annotations

import time

from PyQt5.QtCore import QCoreApplication, Qt, QTimer
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.loading import dispose, start_in_thread
from ..training.settings import SettingsError
from .export import export_csv, export_png
from .form import SweepForm
from .plots import CellPlot, CurvesPlot
from .results import SweepResults, compare_all
from .words import ComparisonBox
from .worker import SweepRequest, SweepWorker

REDRAW_S = 0.25


class SweepPanel(QWidget):
    """See the module's docstring. ``win``: the main window (its controller's data set, its
    model panel's settings, its status bar and error dialogs)."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("sweep-panel")
        self.win = window
        self.form = SweepForm()
        self.run_button, self.stop_button = QPushButton(), QPushButton()
        self.csv_button, self.png_button = QPushButton(), QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("sweep-status")
        self.cells, self.curves = CellPlot(), CurvesPlot()
        self.comparison = ComparisonBox()
        self.pair_box, self.words = self.comparison.pair_box, self.comparison.words
        buttons = QHBoxLayout()
        for b in (self.run_button, self.stop_button, self.csv_button, self.png_button):
            buttons.addWidget(b)
        buttons.addWidget(self.status, 1)
        self.plots = QSplitter(Qt.Horizontal)
        self.plots.addWidget(self.cells)
        self.plots.addWidget(self.curves)
        self.shown_area = QWidget()  # what Export PNG writes: the plots and the words
        area = QVBoxLayout(self.shown_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.addWidget(self.plots, 1)
        area.addWidget(self.comparison)
        self.shown_area.setStyleSheet("background: white; color: black;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.form)
        lay.addLayout(buttons)
        lay.addWidget(self.shown_area, 1)
        self.results = None  # SweepResults of the sweep shown
        self.sweep = None  # the library's Sweep once the worker has returned it
        self.worker = self.thread = None
        self.selected = None
        self._drawn = None
        self._message = None  # (text, args) of the status line, translated when shown
        self._started = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(int(REDRAW_S * 1000))
        self.timer.timeout.connect(self.redraw)
        self.timer.start()
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.png_button.clicked.connect(lambda: self.export_png())
        self.cells.cell_selected.connect(self.select)
        self.form.changed.connect(self._show_shared)
        self.retranslate()

    # -- in the window -------------------------------------------------------------------------
    def attach(self):
        """Connected to the window's pieces (once its actions exist)."""
        w = self.win
        w.data_loaded.connect(lambda d: self.form.set_maxlen(d.maxlen))
        w.side.model.changed.connect(self._show_shared)
        w.controller.changed.connect(self.update_actions)
        w.act_sweep_show.setCheckable(True)
        w.lab.outer.currentChanged.connect(lambda _i: self._shown())
        self.update_actions()

    def _shown(self):
        self.update_actions()
        if self.isVisible():
            self.redraw(force=True)

    def slots(self) -> dict:
        return {
            "act_sweep_show": self.toggle,
            "act_sweep_stop": self.stop,
            "act_sweep_csv": lambda: self.export_csv(),
            "act_sweep_png": lambda: self.export_png(),
        }

    def toggle(self):
        outer = self.win.lab.outer
        outer.setCurrentWidget(self.win.grid if outer.currentWidget() is self else self)

    def show_view(self):
        self.win.lab.outer.setCurrentWidget(self)

    @property
    def running(self) -> bool:
        return self.thread is not None

    def update_actions(self):
        w = self.win
        c = w.controller
        ready = c.dataset is not None and not c.is_training and not c.is_loading
        self.run_button.setEnabled(ready and not self.running)
        self.stop_button.setEnabled(self.running and not self.worker.stop_event.is_set())
        done = self.sweep is not None and self.sweep.n_done > 0
        self.csv_button.setEnabled(done)
        self.png_button.setEnabled(self.results is not None)
        self.form.set_busy(self.running)
        if hasattr(w, "act_sweep_stop"):
            w.act_sweep_stop.setEnabled(self.stop_button.isEnabled())
            w.act_sweep_csv.setEnabled(done)
            w.act_sweep_png.setEnabled(self.results is not None)
            w.act_sweep_show.setChecked(w.lab.outer.currentWidget() is self)

    # -- running -------------------------------------------------------------------------------
    def start(self) -> bool:
        """A sweep of the form's settings; False (and why, in the status line or the fields)
        when it cannot start."""
        w, c = self.win, self.win.controller
        if self.running or c.dataset is None or c.is_training or c.is_loading:
            self._say(
                QT_TRANSLATE_NOOP("Sweep", "Load the data, and stop training, before a sweep.")
            )
            return False
        d = c.dataset
        try:
            parts = self.form.request_parts()
            train = w.side.model.settings(maxlen=d.maxlen, n_train=d.n_train)
        except SettingsError as e:
            w.show_error(
                translate("MainWindow", "Invalid settings"),
                translate("MainWindow", "Correct the fields marked in red:") + "\n" + str(e),
            )
            return False
        self.results = SweepResults(parts["grid"], parts["seeds"], train.epochs)
        request = SweepRequest(
            grid=parts["grid"],
            seeds=parts["seeds"],
            epochs=int(train.epochs),
            network={k: v for k, v in train.network_kwargs().items() if k != "seed"},
            engine=parts["engine"],
            n_jobs=parts["n_jobs"],
            address=parts["address"],
            pairs=self.results.pairs(),
        )
        self.request, self.sweep, self._drawn = request, None, None
        self.selected = self.results.cells[0]
        self.comparison.set_results(self.results)
        self.worker = SweepWorker(request, d)
        self.worker.run_done.connect(self._run_done)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._finished)
        self._started = time.monotonic()
        self.thread = start_in_thread(self.worker, self, self._thread_finished)
        self._say_progress()
        self.update_actions()
        self.redraw(force=True)
        return True

    def stop(self, wait: bool = False):
        """No further run starts; the finished ones stay (``wait``: until the thread is gone)."""
        if self.worker is not None:
            self.worker.stop()
            self._say(
                QT_TRANSLATE_NOOP(
                    "Sweep",
                    "stopping: the runs in progress are dropped, the finished ones kept ...",
                )
            )
            self.update_actions()
        if wait and self.thread is not None:
            self.thread.quit()  # worker.finished -> quit is queued here: not run while we wait
            self.thread.wait()
            QCoreApplication.sendPostedEvents()  # the worker's last words (queued)
            self._thread_finished()

    def shutdown(self):
        """Closing the window: the sweep stops and its thread is joined."""
        self.timer.stop()
        self.stop(wait=True)

    def _run_done(self, payload):
        if self.results is not None:
            self.results.add(payload)
            self._say_progress()

    def _failed(self, title, message):
        self.win.show_error(title, message)

    def _finished(self, result):
        """The worker is done (its thread ends next): the Sweep is the GUI thread's now."""
        s = result["sweep"]
        if s is not None:
            self.sweep = s
            if self.results is not None:
                pairs = self.results.pairs()
                self.results.set_comparisons(compare_all(s, self.results.grid, pairs))
        if result.get("field") == "address":
            address = self.request.address
            self.form.set_address_problem()
            self._say(QT_TRANSLATE_NOOP("Sweep", "No Dask scheduler at {0}: nothing ran."), address)
        elif result.get("error") is None and self.results is not None:
            n, total = self.results.n_done, self.results.n_planned
            if result.get("stopped"):
                self._say(
                    QT_TRANSLATE_NOOP("Sweep", "sweep stopped: {0} of {1} runs finished, kept"),
                    n,
                    total,
                )
            else:
                self._say(
                    QT_TRANSLATE_NOOP("Sweep", "sweep finished: {0} of {1} runs in {2} s"),
                    n,
                    total,
                    f"{time.monotonic() - self._started:.1f}",
                )
        elif result.get("error") is not None:
            self._say(QT_TRANSLATE_NOOP("Sweep", "The sweep did not run: see the message."))

    def _thread_finished(self):
        if self.thread is None:
            return
        dispose(self.thread)
        self.thread = self.worker = None
        self.update_actions()
        self.redraw(force=True)

    # -- showing -------------------------------------------------------------------------------
    def select(self, cell):
        self.selected = tuple(cell)
        self.redraw(force=True)

    def redraw(self, force: bool = False) -> bool:
        """The plots and the words again when the results changed (the timer's tick)."""
        r = self.results
        if r is None or (
            not force and (self._drawn == (r.version, self.selected) or not self.isVisible())
        ):
            return False
        self._drawn = (r.version, self.selected)
        self.cells.draw(r, self.selected)
        self.curves.draw(r, self.selected)
        self.comparison.show_words()
        return True

    def sentences(self) -> list:
        return self.comparison.sentences()

    def _show_shared(self):
        self.form.show_shared(model_settings(self.win.side.model))

    def _say(self, text, *args):
        """The status line (``text`` is a "Sweep" text, translated now and at a language
        change)."""
        self._message = (text, args)
        self.status.setText(translate("Sweep", text).format(*args))

    def _say_progress(self):
        self._message = None
        self.status.setText(progress_text(self.results, self.request))

    # -- export --------------------------------------------------------------------------------
    def export_csv(self, path: str | None = None):
        """The sweep's frame as CSV and its summary beside it (:func:`.export.export_csv`)."""
        return export_csv(self, path)

    def export_png(self, path: str | None = None):
        """The plots and the words as on screen (:func:`.export.export_png`)."""
        return export_png(self, path)

    # -- language ------------------------------------------------------------------------------
    def retranslate(self):
        self.form.retranslate()
        for b, text in (
            (self.run_button, QT_TRANSLATE_NOOP("Sweep", "Run the sweep")),
            (self.stop_button, QT_TRANSLATE_NOOP("Sweep", "Stop")),
            (self.csv_button, QT_TRANSLATE_NOOP("Sweep", "Export CSV...")),
            (self.png_button, QT_TRANSLATE_NOOP("Sweep", "Export PNG...")),
        ):
            b.setText(translate("Sweep", text))
        self.run_button.setToolTip(
            translate(
                "Sweep",
                "Train every combination with every seed (the model panel's other settings)",
            )
        )
        self.stop_button.setToolTip(
            translate("Sweep", "No further run starts; the finished runs are kept")
        )
        self.comparison.retranslate()
        self.cells.retranslate()
        self.curves.retranslate()
        self.cells.setToolTip(translate("Sweep", "Click a cell to see its curves"))
        if self.results is not None:
            self.comparison.set_results(self.results)
            self.redraw(force=True)
        if self.running:
            self._say_progress()
        elif self._message is not None:
            self._say(self._message[0], *self._message[1])
        else:
            self._say(
                QT_TRANSLATE_NOOP("Sweep", "Choose the settings to vary, then Run the sweep.")
            )
        self._show_shared()


def progress_text(r, request) -> str:
    """The status line while a sweep runs: runs finished of planned, where, failures."""
    where = {
        "sequential": translate("Sweep", "in the app's process"),
        "processes": translate("Sweep", "on {0} worker processes").format(request.n_jobs),
        "dask": translate("Sweep", "on the Dask scheduler {0}").format(request.address),
    }[request.engine]
    text = translate("Sweep", "{0} of {1} runs finished, {2}").format(r.n_done, r.n_planned, where)
    if r.failed:
        text += translate("Sweep", "; {0} failed").format(len(r.failed))
    return text


def model_settings(model):
    """The model panel's settings, or None while a field is not valid."""
    try:
        return model.settings_unchecked()
    except (SettingsError, ValueError):  # ValueError: a field not retranslated yet
        return None

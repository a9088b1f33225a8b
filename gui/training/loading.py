"""Loading the data set in a worker thread for :class:`gui.training.controller.TrainingController`,
and the two helpers of the worker threads (the loader's and the training worker's).

:class:`DataLoading` runs a :class:`gui.training.worker.DataLoader` in its QThread, one loading at a
time, and tells the controller what happens: the steps and the outcome (``message``), a failure
(``error``), the data set as soon as it is loaded (``loaded``), and the thread gone (``done``).
"""

from __future__ import annotations

from PyQt5.QtCore import QObject, QThread, pyqtSignal

from ..text.i18n import translate
from .worker import DataLoader


def start_in_thread(worker: QObject, parent: QObject, on_thread_finished) -> QThread:
    """Run ``worker.run`` in a new QThread that quits when ``worker.finished`` is sent. Slots
    the caller connected to ``finished`` before run before the thread quits."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    thread.finished.connect(on_thread_finished)
    thread.start()
    return thread


def dispose(thread: QThread | None):
    """Join a thread that has finished (or is about to) and let Qt delete it."""
    if thread is not None:
        thread.wait()
        thread.deleteLater()


class DataLoading(QObject):
    """The loader and its thread (see the module's docstring). Slots of the loader's signals are
    methods of this QObject, so Qt runs them in the GUI thread."""

    message = pyqtSignal(str)  # a step of the loading, then its outcome: for the status bar
    error = pyqtSignal(str, str)  # title, message: for a dialog
    loaded = pyqtSignal(object)  # the Dataset, as soon as it is loaded (its thread still runs)
    done = pyqtSignal(object)  # the thread is gone: the Dataset loaded, or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.loader = self.load_thread = None
        self._loaded = None  # the data set just loaded, announced once its thread is gone

    def start(self, settings):
        """Load ``settings`` (:class:`gui.training.settings.DataSettings`) in a new thread."""
        loader = DataLoader(settings)
        loader.progress.connect(self.message)
        loader.loaded.connect(self._on_data_loaded)
        loader.failed.connect(self._on_load_failed)
        self.loader = loader
        self.load_thread = start_in_thread(loader, self, self.thread_finished)

    def _on_data_loaded(self, dataset):
        self._loaded = dataset
        self.loaded.emit(dataset)
        self.message.emit(
            translate(
                "Controller", "loaded {0} training and {1} validation reviews in {2} s"
            ).format(f"{dataset.n_train:,}", f"{dataset.n_val:,}", f"{dataset.load_seconds:.2f}")
        )

    def _on_load_failed(self, message):
        self.error.emit(translate("Controller", "Could not load the data"), message)

    def thread_finished(self):
        """The thread is done: joined, then ``done`` (also called by the controller's
        ``join_threads``)."""
        dispose(self.load_thread)
        self.loader = self.load_thread = None
        loaded, self._loaded = self._loaded, None
        self.done.emit(loaded)

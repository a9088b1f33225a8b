"""The training controller: loading and training in worker threads, the app's state as one enum.

The window asks (:meth:`~TrainingController.load_data`, :meth:`~TrainingController.start`,
:meth:`~TrainingController.continue_training`, :meth:`~TrainingController.pause`,
:meth:`~TrainingController.resume`, :meth:`~TrainingController.step`,
:meth:`~TrainingController.stop`, :meth:`~TrainingController.reset`) and listens to signals.
The controller owns the worker QObjects (:mod:`gui.training.worker`; the loader through
:class:`gui.training.loading.DataLoading`) and their QThreads, the data set, the network and the
run's :class:`gui.training.history.RunHistory`, which it fills from the workers' payloads (queued
into the GUI thread as copies). While a worker trains, the network is the worker's;
:meth:`~TrainingController.network_for_gui` says when the GUI thread may read it.
"""

from __future__ import annotations

import enum
import math

from PyQt5.QtCore import QCoreApplication, QObject, pyqtSignal

from rnnfast.plots._data import review_states  # shared with rnnfast.plots.hidden_states

from ..text.i18n import translate
from .history import RunHistory
from .loading import DataLoading, dispose, start_in_thread
from .runs import settings_phrase
from .settings import SettingsError, TrainSettings, network_settings
from .worker import TrainingWorker


class State(str, enum.Enum):
    """What the app is doing (a ``str``: ``state == "paused"`` holds for ``State.PAUSED``)."""

    IDLE = "idle"  # no data, no thread
    LOADING = "loading"  # the loader's thread runs
    READY = "ready"  # data, no thread
    RUNNING = "running"  # the worker trains
    PAUSING = "pausing"  # a pause (or a step) was asked for; the worker has not stopped yet
    PAUSED = "paused"  # the worker waits between two batches: the GUI thread may read the network
    STOPPING = "stopping"  # a stop was asked for; the worker finishes its batch


TRAINING = frozenset({State.RUNNING, State.PAUSING, State.PAUSED, State.STOPPING})
CONTROLLABLE = frozenset(
    {State.RUNNING, State.PAUSING, State.PAUSED}
)  # pause, resume and step apply


class TrainingController(QObject):
    """Start, continue, pause, step, stop and reset a run; load the data. Slots of the worker
    signals are methods of this QObject, so Qt runs them in the GUI thread."""

    # the state, the network or the history changed: what is allowed may differ
    changed = pyqtSignal()
    message = pyqtSignal(str)  # a line for the status bar
    error = pyqtSignal(str, str)  # title, message: for a dialog
    # Dataset, once the loader's thread is gone (Train is possible)
    data_loaded = pyqtSignal(object)
    history_changed = pyqtSignal(object)  # another RunHistory to draw (or None)
    progress = pyqtSignal(object)  # the worker's latest chunk of batches: epoch, batch, rate, ETA
    hidden = pyqtSignal(object)  # hidden states of the chosen review: {"index", "states", "proba"}
    training_started = pyqtSignal()
    training_finished = pyqtSignal(object)  # the worker's result dict

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state = State.IDLE
        self.dataset = None
        self.network = None  # the GUI thread's while no worker trains it
        self.history: RunHistory | None = None
        self.worker = self.train_thread = None
        self.loading = loading = DataLoading(self)  # the loader and its thread
        loading.message.connect(self.message)
        loading.error.connect(self.error)
        loading.loaded.connect(self._on_data_loaded)
        loading.done.connect(self._on_loading_done)
        # f(settings, the network continued or None) -> more rnnfast callbacks for the worker
        # (the BPTT lab)
        self.extra_callbacks = lambda settings, network: ()

    # -- state -------------------------------------------------------------------------------------
    @property
    def is_training(self) -> bool:
        return self.state in TRAINING

    @property
    def is_loading(self) -> bool:
        return self.state is State.LOADING

    def _set_state(self, state: State):
        self.state = state
        self.changed.emit()

    def _settle(self):
        """The state once no thread runs."""
        self._set_state(State.READY if self.dataset is not None else State.IDLE)

    def _set_history(self, history):
        self.history = history
        self.history_changed.emit(history)

    def network_for_gui(self):
        """The network, when the GUI thread may read it (not while the worker computes)."""
        if not self.is_training:
            return self.network
        if self.state is State.PAUSED:  # the worker is blocked between two batches
            return self.worker.network
        return None

    def can_continue(self) -> bool:
        net, d = self.network, self.dataset
        return net is not None and net.is_fitted and d is not None and d.fits(net)

    # -- data --------------------------------------------------------------------------------------
    def load_data(self, settings) -> bool:
        """Load ``settings`` (:class:`gui.training.settings.DataSettings`) in the background."""
        if self.is_loading or self.is_training:
            return False
        self.message.emit(translate("Controller", "loading data ..."))
        self._set_state(State.LOADING)
        self.loading.start(settings)
        return True

    load_thread = property(lambda self: self.loading.load_thread, doc="the loader's QThread")

    def _on_data_loaded(self, dataset):
        self.dataset = dataset
        if self.network is not None and not dataset.fits(self.network):
            self.network = None

    def _on_loading_done(self, loaded):
        self._settle()
        if loaded is not None:
            self.data_loaded.emit(loaded)

    # -- training ----------------------------------------------------------------------------------
    def start(self, form: TrainSettings, review: int = 0, steps: int | None = None) -> bool:
        """Train a new network with ``form`` (pause after ``steps`` batches when given); the
        hidden states shown are those of validation review ``review``."""
        if self.is_training or self.is_loading:
            return False
        if self.dataset is None:
            self.error.emit(
                translate("Controller", "No data"),
                translate("Controller", "Load the data first (Ctrl+L)."),
            )
            return False
        try:
            settings = form.validate(maxlen=self.dataset.maxlen, n_train=self.dataset.n_train)
        except SettingsError as e:
            self.error.emit(translate("Controller", "Invalid settings"), str(e))
            return False
        history = RunHistory(settings, self.dataset.summary())
        history.status = "running"
        self._set_history(history)
        self.network = None
        worker = TrainingWorker(
            settings,
            self.dataset,
            review_index=review,
            initial_steps=steps,
            callbacks=self.extra_callbacks(settings, None),
        )
        self._launch(
            worker,
            translate("Controller", "training: {0}").format(settings_phrase(settings)),
            State.RUNNING if steps is None else State.PAUSING,
        )
        return True

    def continue_training(self, form: TrainSettings, review: int = 0) -> TrainSettings | None:
        """Train the current network (trained here, stopped, or loaded) for ``form.epochs``
        more: warm start, so its weights, optimizer state and shuffling carry on and its
        history extends. The other fields of ``form`` do not apply: they are the network's
        own. Returns the settings it trains with (None: it cannot)."""
        if self.is_training or self.is_loading or not self.can_continue():
            return None
        net = self.network
        # the network's own settings; its start (explode) is the run's, not the form's
        started = self.history.train_settings if self.history is not None else None
        explode = getattr(started, "explode", None)
        settings = TrainSettings(
            **{**form.to_dict(), **network_settings(net), "epochs": form.epochs, "explode": explode}
        )
        try:
            settings.validate(maxlen=self.dataset.maxlen, n_train=self.dataset.n_train)
        except SettingsError as e:
            self.error.emit(translate("Controller", "Cannot continue"), str(e))
            return None
        h, offset = _continued_history(self.history, net, settings, self.dataset)
        h.status = "running"
        self._set_history(h)
        self.network = None  # the worker's until it finishes
        worker = TrainingWorker(
            settings,
            self.dataset,
            review_index=review,
            network=net,
            epoch_offset=offset,
            callbacks=self.extra_callbacks(settings, net),
        )
        self._launch(
            worker,
            translate("Controller", "continuing: {0}, {1} more epochs").format(
                settings_phrase(settings), settings.epochs
            ),
            State.RUNNING,
        )
        return settings

    def _launch(self, worker: TrainingWorker, message: str, state: State):
        worker.started.connect(self._on_train_started)
        worker.batches.connect(self._on_batches)
        worker.epoch_end.connect(self._on_epoch_end)
        worker.hidden.connect(self.hidden)
        worker.state.connect(self._on_worker_state)
        worker.failed.connect(self.error)
        worker.finished.connect(self._on_train_finished)
        self.worker = worker
        self.message.emit(message)
        self._set_state(state)
        self.train_thread = start_in_thread(worker, self, self._on_train_thread_finished)
        self.training_started.emit()

    def toggle_pause(self):
        if self.state in (State.PAUSING, State.PAUSED):
            self.resume()
        else:
            self.pause()

    def pause(self):
        if self.state is State.RUNNING:
            self.worker.pause()
            self._set_state(State.PAUSING)

    def resume(self):
        if self.state in (State.PAUSING, State.PAUSED):
            self.worker.resume()
            self._set_state(State.RUNNING)

    def step(self, n: int = 1) -> bool:
        """Let a running or paused run train ``n`` more batches, then pause."""
        if self.state not in CONTROLLABLE:
            return False
        self.worker.step(n)
        self._set_state(State.PAUSING)
        return True

    def stop(self, wait: bool = False):
        """Stop after the current batch (``wait``: and join the thread)."""
        if not self.is_training:
            return
        self.worker.request_stop()
        self._set_state(State.STOPPING)
        self.message.emit(translate("Controller", "stopping after the current batch ..."))
        if wait:
            self.join_threads()

    def reset(self):
        """Stop training, forget the network and its history."""
        if self.is_training:
            self.stop(wait=True)
            # the worker's last payloads land before the history goes
            QCoreApplication.processEvents()
        self.network = None
        self._set_history(None)
        self.changed.emit()

    def adopt_network(self, net, history):
        """A network from elsewhere (a loaded model) and what it remembers of its training."""
        self.network = net
        self._set_history(history)
        self.changed.emit()

    def join_threads(self):
        """Stop the worker and join both threads (closing the window, reset, stop(wait=True))."""
        if self.worker is not None:
            self.worker.request_stop()
        for thread in (self.train_thread, self.load_thread):
            if thread is not None:
                thread.quit()
                thread.wait()
        # deliver the queued signals (finished, ...) now that the threads are done
        QCoreApplication.sendPostedEvents()
        if self.train_thread is not None and self.train_thread.isFinished():
            self._on_train_thread_finished()
        if self.load_thread is not None and self.load_thread.isFinished():
            self.loading.thread_finished()

    # -- the hidden states of the chosen review ----------------------------------------------------
    def set_review(self, index: int) -> bool:
        """Show review ``index``'s hidden states (the worker computes them while it trains);
        False when there is no network to compute them."""
        if self.is_training:
            self.worker.set_review(index)
            return True
        if self.network is None:
            return False
        try:
            payload = _hidden_of(self.network, self.dataset, index)
        except ValueError as e:  # rnnfast refuses the input
            self.message.emit(translate("Controller", "hidden states unavailable: {0}").format(e))
            return True
        if payload is not None:
            self.hidden.emit(payload)
        return True

    # -- the worker's signals (queued into the GUI thread) -----------------------------------------
    def _on_train_started(self, info):
        self.message.emit(_started_text(info))

    def _on_batches(self, payload):
        if self.history is None:  # reset while the worker was still sending
            return
        first = not self.history.has_data
        self.history.add_batches(payload)
        self.progress.emit(payload)
        if first:
            self.changed.emit()

    def _on_epoch_end(self, info):
        if self.history is None:
            return
        self.history.add_epoch(info)
        self.message.emit(_epoch_text(info))

    def _on_worker_state(self, state: str):
        # Only "paused" matters: it confirms a pause asked for here. The state is otherwise set
        # by the requests themselves, so a late "paused" after a resume or a stop is ignored.
        if state == State.PAUSED and self.state is State.PAUSING:
            self._set_state(State.PAUSED)

    def _on_train_finished(self, result):
        self.network = result.get("network")
        if self.history is not None:
            self.history.end(result)
        self.message.emit(_finished_text(self.history, result))
        self.training_finished.emit(result)

    def _on_train_thread_finished(self):
        dispose(self.train_thread)
        # the worker has no parent: dropping the last reference deletes it (its thread is done)
        self.worker = self.train_thread = None
        self._settle()


def _continued_history(h, net, settings: TrainSettings, dataset) -> tuple[RunHistory, float]:
    """The history a continued run extends (``h``, else what ``net`` remembers, else a new one)
    and the epoch offset it starts at: after the last position shown; a stopped epoch's
    remainder is not replayed: the network starts a new epoch (its shuffling stream carries on)."""
    if h is None or not (h.batch_x or h.epoch_x):
        h = RunHistory.from_network(net, settings) or RunHistory(settings, dataset.summary())
    last = max(h.batch_x[-1] if h.batch_x else 0.0, h.epoch_x[-1] if h.epoch_x else 0.0)
    return h, float(math.ceil(last))


def _hidden_of(net, d, index: int) -> dict | None:
    """The hidden states of validation review ``index`` computed by the idle network ``net``
    (None: ``d`` has no such review for it); raises ValueError when rnnfast refuses it."""
    if d is None or not d.fits(net) or not 0 <= index < d.n_val:
        return None
    states, proba = review_states(net, d.review_input(index))  # as rnnfast.plots.hidden_states
    return {"index": index, "states": states, "proba": proba}


def _started_text(info: dict) -> str:
    """The status line when the worker starts: what it trains on."""
    n = info.get("n_samples")
    if n is None:
        return translate("Controller", "training")
    return translate(
        "Controller", "training on {0} reviews, {1} batches per epoch, {2} epochs"
    ).format(f"{n:,}", info.get("n_batches"), info.get("epochs"))


def _epoch_text(info: dict) -> str:
    """The status line at the end of an epoch: its loss, and its validation loss and accuracy."""
    va = info.get("val_accuracy")
    epoch = int(round(info.get("epoch_x", info["epoch"] + 1)))  # counted over the whole history
    msg = translate("Controller", "epoch {0}: loss {1}").format(epoch, f"{info['loss']:.4f}")
    if va is not None:
        msg += translate("Controller", ", validation loss {0}, validation accuracy {1}").format(
            f"{info['val_loss']:.4f}", f"{va:.4f}"
        )
    return msg


def _finished_text(h: RunHistory | None, result: dict) -> str:
    """The status line at the end of a run: how it ended, after how long, its accuracy."""
    elapsed = result.get("elapsed", 0.0)
    active = result.get("active", elapsed)  # the time it trained: the pauses left out
    status = h.status if h else ""
    if elapsed - active < 0.5:
        what = {
            "finished": translate("Controller", "training finished after {0} s"),
            "stopped": translate("Controller", "training stopped after {0} s"),
            "failed": translate("Controller", "training failed after {0} s"),
        }.get(status, translate("Controller", "training ended after {0} s"))
    else:  # paused for a while: the time it trained, and the time it took
        what = {
            "finished": translate(
                "Controller", "training finished after {0} s of training ({1} s with the pauses)"
            ),
            "stopped": translate(
                "Controller", "training stopped after {0} s of training ({1} s with the pauses)"
            ),
            "failed": translate(
                "Controller", "training failed after {0} s of training ({1} s with the pauses)"
            ),
        }.get(
            status,
            translate(
                "Controller", "training ended after {0} s of training ({1} s with the pauses)"
            ),
        )
    what = what.format(f"{active:.1f}", f"{elapsed:.1f}")
    acc = (
        translate("Controller", ", validation accuracy {0}").format(f"{h.final_val_accuracy:.4f}")
        if h and h.final_val_accuracy is not None
        else ""
    )
    # the error's first line stays in view once its dialog is closed (e.g. what to build)
    why = f": {result['error'].splitlines()[0]}" if result.get("error") else ""
    return f"{what}{acc}{why}"

"""Background work: loading IMDB and training, each a QObject that the controller
(:mod:`gui.training.controller`) moves to a QThread.

The training loop is ``RecurrentNetwork.fit`` itself; the worker hooks into it with an
``rnnfast.Callback`` that, after every batch,

* records the batch (loss, accuracy, per-step gradient norms) and sends the records to the
  GUI thread in chunks, at most every ``emit_interval`` seconds (signals carry copies);
* every ``hidden_interval`` seconds computes the hidden states of the chosen validation
  review (the network is only ever touched in the worker thread while it trains);
* honours the control flags set from the GUI thread: stop (returns True, so ``fit`` stops
  after this batch), pause (blocks on a condition variable), step (lets exactly one more
  batch through, then pauses again).

A non-finite loss stops training and is reported as a divergence; any exception in ``fit``
is reported through :attr:`TrainingWorker.failed`; :attr:`TrainingWorker.finished` is always
emitted last, carrying the network (which from then on belongs to the GUI thread).

The training thread runs at a lower CPU priority (``nice`` + 5, Linux, per thread) so that
the window keeps the CPU it needs to stay responsive when the cores are busy.
"""

from __future__ import annotations

import math
import os
import threading
import time
import traceback

import numpy as np
from PyQt5.QtCore import QObject, pyqtSignal, pyqtSlot

from rnnfast.plots._data import review_states  # shared with rnnfast.plots.hidden_states

from ..text.i18n import translate
from .dataset import Dataset, load_dataset
from .settings import DataSettings, TrainSettings


class _Abort(Exception):
    """Raised from a callback to leave ``fit`` before the first batch."""


class DataLoader(QObject):
    """Runs :func:`gui.training.dataset.load_dataset` in its thread and reports to the
    controller."""

    progress = pyqtSignal(str)
    loaded = pyqtSignal(object)  # Dataset
    failed = pyqtSignal(str)
    finished = pyqtSignal()

    def __init__(self, settings: DataSettings):
        super().__init__()
        self.settings = settings

    @pyqtSlot()
    def run(self):
        try:
            self.loaded.emit(load_dataset(self.settings, self._report))
        # The edge of the thread: whatever load_dataset raises (a missing or bad file, a
        # refused setting, no network, no memory for one-hot) becomes a dialog; nothing may
        # reach Qt from here, its exception hook would run in this thread and touch widgets.
        except Exception as exc:
            self.failed.emit(describe(exc))
        finally:
            self.finished.emit()

    def _report(self, text: str, *args):
        """A step of the loading (gui.training.dataset marks its texts), in the language in use."""
        self.progress.emit(translate("Dataset", text).format(*args))


class _Stopwatch:
    """Seconds spent training, paused time left out (samples/s and the ETA)."""

    def __init__(self):
        self._total = 0.0
        self._since = None

    def start(self):
        self._since = time.perf_counter()

    def stop(self):
        if self._since is not None:
            self._total += time.perf_counter() - self._since
            self._since = None

    @property
    def seconds(self) -> float:
        return self._total + (0.0 if self._since is None else time.perf_counter() - self._since)


class TrainingWorker(QObject):
    """Runs ``RecurrentNetwork.fit`` in its thread and reports to
    :class:`gui.training.controller.TrainingController`."""

    started = pyqtSignal(object)  # {"epochs", "n_batches", "n_samples"}
    batches = pyqtSignal(object)  # chunk of batch records (copies)
    epoch_end = pyqtSignal(object)  # on_epoch_end info (copies)
    hidden = pyqtSignal(object)  # {"index", "states" (T, n_cells), "proba", "epoch_x"}
    state = pyqtSignal(str)  # "running" | "paused" | "stopping"
    failed = pyqtSignal(str, str)  # title, message
    finished = pyqtSignal(object)  # {"network", "stopped", "diverged", "error", ...}

    def __init__(
        self,
        settings: TrainSettings,
        data: Dataset,
        *,
        review_index: int = 0,
        emit_interval: float = 0.05,
        hidden_interval: float = 0.2,
        nice: int = 5,
        initial_steps: int | None = None,
        network=None,
        epoch_offset: float = 0.0,
        callbacks=(),
    ):
        """``network``: continue training this network (warm start: its weights, optimizer
        state and shuffling stream) for ``settings.epochs`` more epochs instead of building a
        new one from ``settings``; ``epoch_offset`` is added to the epoch positions it reports,
        so that the continued run follows the earlier one on the plots' x axis; ``callbacks``:
        more ``rnnfast.Callback``s, called before the worker's own (the BPTT lab's recorder)."""
        super().__init__()
        self.settings = settings
        self.callbacks = list(callbacks)
        self._continue_network = network
        self.epoch_offset = float(epoch_offset)
        self.data = data
        self.review_index = int(review_index)
        self.emit_interval = float(emit_interval)
        self.hidden_interval = float(hidden_interval)
        self.nice = int(nice)
        self._cond = threading.Condition()
        self._stop = False
        # None = run freely; n >= 0 = n more batches may start, then pause
        self._budget = initial_steps
        self._hidden_request = True
        self._pending = _empty_chunk()
        self._last_emit = 0.0
        self._last_hidden = 0.0
        self._diverged = None
        self._epochs = int(settings.epochs)
        self._n_batches = 1
        self._samples = 0
        self._clock = _Stopwatch()
        self.network = None
        self._last_pos = (0, -1, 1)
        self._prev_seen = 0

    # -- control, called from the GUI thread ------------------------------------
    def request_stop(self):
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def pause(self):
        with self._cond:
            if self._budget is None:
                self._budget = 0
            self._cond.notify_all()

    def resume(self):
        with self._cond:
            self._budget = None
            self._cond.notify_all()

    def step(self, n: int = 1):
        """Let ``n`` more batches run, then pause (pauses a running worker first)."""
        with self._cond:
            self._budget = (self._budget or 0) + int(n)
            self._cond.notify_all()

    @property
    def is_paused(self) -> bool:
        with self._cond:
            return self._budget == 0 and not self._stop

    def set_review(self, index: int):
        with self._cond:
            self.review_index = int(index)
            self._hidden_request = True
            self._cond.notify_all()

    # -- the thread's entry point -------------------------------------------------
    @pyqtSlot()
    def run(self):
        result = {
            "network": None,
            "stopped": False,
            "diverged": None,
            "error": None,
            "epochs_run": 0,
        }
        t0 = time.perf_counter()
        _lower_thread_priority(self.nice)
        try:
            from rnnfast import DivergenceError, RecurrentNetwork

            s = self.settings
            d = self.data
            s.validate(maxlen=d.maxlen, n_train=d.n_train)
            callbacks = [*self.callbacks, _make_bridge(self)]
            if self._continue_network is not None:
                net = self._continue_network
                net.callbacks, net.warm_start = callbacks, True
            else:
                net = RecurrentNetwork(**s.network_kwargs(), callbacks=callbacks)
            self.network = net
            result["network"] = net
            fit_kw = dict(epochs=int(s.epochs), x_val=d.x_val, y_val=d.y_val)
            if d.encoding in ("ids", "embedding"):
                fit_kw["n_features"] = int(d.n_features)
            self._clock.start()
            try:
                net.fit(d.x_train, d.y_train, **fit_kw)
            except _Abort:
                result["stopped"] = True
            except DivergenceError as exc:
                # rnnfast stops on a non-finite gradient or weights and keeps the last good weights
                self._flush(force=True)
                done = self._pending_position()
                self._diverged = {
                    "loss": "non-finite",
                    "epoch": done[0],
                    "batch": done[1],
                    "message": str(exc),
                }
            self._flush(force=True)
            self._emit_hidden()
            result["stopped"] = result["stopped"] or self._stop
            if self._diverged is not None:
                result["diverged"] = self._diverged
                result["stopped"] = True
                dv = self._diverged
                self.failed.emit(
                    translate("Worker", "Training diverged"), _diverged_text(dv, self.epoch_offset)
                )
        # The edge of the thread: any other error in fit (bad labels, a missing compiled
        # extension, no memory, a bug) is a "Training failed" dialog; nothing may reach Qt from
        # here (its exception hook would run in this thread) and finished must still be sent.
        except Exception as exc:
            self._flush(force=True)
            result["error"] = describe(exc)
            self.failed.emit(translate("Worker", "Training failed"), result["error"])
        finally:
            net = result["network"]
            if net is not None:
                net.callbacks = []  # drop the bridge: the network outlives this worker
                result["epochs_run"] = len(net.losses)
            result["elapsed"] = time.perf_counter() - t0
            self._clock.stop()
            result["active"] = self._clock.seconds  # training only, the pauses left out
            self.finished.emit(result)

    # -- callback hooks (worker thread) -------------------------------------------------
    def _on_train_begin(self, network, info):
        self._epochs = int(info.get("epochs", self._epochs))
        self._n_batches = max(1, int(info.get("n_batches", 1)))
        self.started.emit(dict(info))
        self.state.emit("running")  # "paused" is sent by the gate, once it really waits
        if self._gate(first=True):
            raise _Abort()

    def _on_batch_end(self, network, info):
        loss = float(info["loss"])
        epoch, batch = int(info["epoch"]), int(info["batch"])
        n_batches = max(1, int(info.get("n_batches", self._n_batches)))
        self._n_batches = n_batches
        p = self._pending
        p["x"].append(self.epoch_offset + epoch + (batch + 1) / n_batches)
        p["losses"].append(loss)
        p["accuracies"].append(float(info.get("accuracy", float("nan"))))
        g = info.get("grad_norms")
        if g is not None:
            p["grad_norms"].append(np.array(g, dtype=np.float64, copy=True))
        self._samples += self._batch_samples(info)
        p["epoch"], p["batch"], p["n_batches"] = epoch, batch, n_batches
        self._last_pos = (epoch, batch, n_batches)
        if not math.isfinite(loss):
            self._diverged = {"loss": loss, "epoch": epoch, "batch": batch}
            return True
        now = time.perf_counter()
        if self._hidden_request or now - self._last_hidden >= self.hidden_interval:
            self._emit_hidden()
        self._flush()
        if self._stop:
            return True
        last = epoch == self._epochs - 1 and batch == n_batches - 1
        if not last and self._gate():
            return True
        return self._stop

    def _on_epoch_end(self, network, info):
        self._flush(force=True)
        payload = {}
        for k, v in info.items():
            payload[k] = np.array(v, copy=True) if isinstance(v, np.ndarray) else v
        payload["epoch_x"] = self.epoch_offset + int(info["epoch"]) + 1.0
        self.epoch_end.emit(payload)
        self._emit_hidden()
        return self._stop

    # -- helpers --------------------------------------------------------------------------
    def _batch_samples(self, info):
        """Samples in this batch, from the running ``samples_seen`` of the epoch."""
        seen = info.get("samples_seen")
        if seen is None:
            return int(self.settings.batch_size)
        prev = self._prev_seen if int(info.get("batch", 0)) > 0 else 0
        self._prev_seen = int(seen)
        return max(0, int(seen) - prev)

    def _gate(self, first=False) -> bool:
        """Block while paused; return True if a stop was requested."""
        with self._cond:
            paused = self._budget == 0 and not self._stop
        if paused:
            self._clock.stop()
            self._flush(force=True)
            self._emit_hidden()
            self.state.emit("paused")
            with self._cond:
                while self._budget == 0 and not self._stop:
                    if self._hidden_request:  # the review shown changed while paused
                        self._cond.release()
                        try:
                            self._emit_hidden()
                        finally:
                            self._cond.acquire()
                    self._cond.wait(0.05)
                stopping = self._stop
            self._clock.start()
            if not stopping:
                self.state.emit("running")
        with self._cond:
            if self._stop:
                return True
            if self._budget is not None:
                self._budget -= 1
        return False

    def _pending_position(self):
        """(epoch, batch) of the batch after the last one reported."""
        e, b, n = self._last_pos
        b += 1
        if b >= n:
            e, b = e + 1, 0
        return e, b

    def _flush(self, force=False):
        p = self._pending
        now = time.perf_counter()
        if not p["losses"] or (not force and now - self._last_emit < self.emit_interval):
            return
        self._pending = _empty_chunk()
        self._last_emit = now
        self.batches.emit(
            _chunk_payload(p, self._epochs, self._samples, self._clock.seconds, self.epoch_offset)
        )

    def _emit_hidden(self):
        net = self.network
        if net is None or not net.is_fitted:
            return
        self._hidden_request = False
        self._last_hidden = time.perf_counter()
        idx = int(self.review_index)
        if not 0 <= idx < self.data.n_val:
            return
        try:
            states, proba = review_states(net, self.data.review_input(idx))
        except ValueError:  # the review does not fit the network (checked by rnnfast): no plot
            return
        epoch_x = None
        if self._pending["x"]:
            epoch_x = self._pending["x"][-1]
        self.hidden.emit({"index": idx, "states": states, "proba": proba, "epoch_x": epoch_x})


def _empty_chunk() -> dict:
    return {"x": [], "losses": [], "accuracies": [], "grad_norms": []}


def _chunk_payload(p: dict, epochs: int, samples: int, active: float, epoch_offset: float) -> dict:
    """What :attr:`TrainingWorker.batches` sends for the chunk ``p`` (arrays: copies): its
    records, and the progress of the run: batches done of the total, samples per second and
    the ETA (``samples`` trained in ``active`` seconds, paused time left out)."""
    done = p["epoch"] * p["n_batches"] + p["batch"] + 1
    total = epochs * p["n_batches"]
    rate = samples / active if active > 0 else float("nan")
    batches_per_s = done / active if active > 0 else float("nan")
    eta = (total - done) / batches_per_s if batches_per_s and batches_per_s > 0 else float("nan")
    grads = np.vstack(p["grad_norms"]) if p["grad_norms"] else None
    return {
        "x": np.asarray(p["x"], dtype=np.float64),
        "losses": np.asarray(p["losses"], dtype=np.float64),
        "accuracies": np.asarray(p["accuracies"], dtype=np.float64),
        "grad_norms": grads,
        "epoch": p["epoch"],
        "batch": p["batch"],
        "n_batches": p["n_batches"],
        "epochs": epochs,
        "done": done,
        "total": total,
        "samples_per_second": rate,
        "eta": eta,
        "elapsed": active,
        "epoch_offset": epoch_offset,
    }


def _diverged_text(dv: dict, epoch_offset: float) -> str:
    """What a divergence says (epochs counted over the whole history)."""
    text = translate(
        "Worker",
        "The loss became {0} at epoch {1}, batch {2}; training was stopped (the weights of "
        "the last good step are kept).\n\nTry a smaller learning rate, gradient clipping "
        "(clip norm), or fewer cells.",
    ).format(dv["loss"], int(epoch_offset) + dv["epoch"] + 1, dv["batch"] + 1)
    return text + (f"\n\n{dv['message']}" if dv.get("message") else "")


def _lower_thread_priority(nice: int):
    """Give the GUI thread the CPU first: raise this thread's nice value (Linux: per thread).

    QThread.setPriority has no effect on Linux' default scheduler; a nicer training thread keeps
    the window responsive when the cores are busy, at little cost to training speed.
    """
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except (OSError, AttributeError):
        pass


def _make_bridge(worker: TrainingWorker):
    from rnnfast import Callback

    class _GuiBridge(Callback):
        def on_train_begin(self, network, info):
            worker._on_train_begin(network, info)

        def on_batch_end(self, network, info):
            return worker._on_batch_end(network, info)

        def on_epoch_end(self, network, info):
            return worker._on_epoch_end(network, info)

    return _GuiBridge()


def describe(exc: BaseException) -> str:
    """``Type: message``, then (after a blank line: a dialog's details) the traceback's tail."""
    msg = f"{type(exc).__name__}: {exc}"
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    tail = "".join(tb[-3:]).strip()
    return f"{msg}\n\n{tail}" if tail else msg

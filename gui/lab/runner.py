"""Training for the lab's own window: ``RecurrentNetwork.fit`` in a QThread with a
:class:`~gui.lab.recorder.LabRecorder` among its callbacks.

The records leave the training thread by a signal (copies, made by the recorder); the window
touches the network only after ``finished``.  The app (``python -m gui``) has its own worker:
there the recorder is added to that worker's callbacks in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PyQt5.QtCore import QObject, QThread, pyqtSignal, pyqtSlot

from gui.training.settings import TrainSettings
from rnnfast import Callback, RecurrentNetwork

from .presets import EXPLODE_SIGMA, clip_settings, explode


@dataclass
class LabSettings:
    """A run of the lab window: the app's training settings (the source's S1 model by
    default) and the clipping lab's choices (mode, threshold, the "explode" start)."""

    train: TrainSettings = field(default_factory=lambda: TrainSettings(epochs=5, seed=1))
    clip: str = "none"  # "none" | "norm" | "value" (gui.lab.presets)
    threshold: float = 1.0
    explode: bool = False
    sigma_max: float = EXPLODE_SIGMA

    def network(self, n_features, callbacks):
        """A network with weights (``explode``: w1h rescaled), ready for ``fit`` to continue
        from them (warm start)."""
        kwargs = dict(self.train.network_kwargs(), **clip_settings(self.clip, self.threshold))
        rn = RecurrentNetwork(callbacks=callbacks, warm_start=True, **kwargs)
        rn.init_weights(n_features)
        if self.explode:
            explode(rn, self.sigma_max)
        return rn


class _Stop(Callback):
    def __init__(self, trainer):
        self.trainer = trainer

    def on_batch_end(self, network, info):
        return self.trainer.stop_requested


class LabTrainer(QObject):
    """Runs one training in its thread; ``record`` carries the recorder's snapshots."""

    record = pyqtSignal(object)
    failed = pyqtSignal(str)
    finished = pyqtSignal(object)  # the network (now the GUI thread's)

    def __init__(self, settings, data, recorder):
        super().__init__()
        self.settings = settings
        self.data = data  # (x_train, y_train, n_features)
        self.recorder = recorder
        self.stop_requested = False
        self.network = None
        self.failed_message = None

    @pyqtSlot()
    def run(self):
        x, y, n_features = self.data
        self.recorder.sink = self.record.emit
        self.recorder.reset()
        try:
            self.network = self.settings.network(n_features, [self.recorder, _Stop(self)])
            self.network.fit(x, y, epochs=self.settings.train.epochs)
        except Exception as exc:  # noqa: BLE001  the thread's edge: report, never raise into Qt
            self.failed_message = f"{type(exc).__name__}: {exc}"
            self.failed.emit(self.failed_message)
        finally:
            self.recorder.sink = None
            self.finished.emit(self.network)


def start(trainer):
    """Move ``trainer`` to a new QThread and start it; returns the thread (quit and wait
    it when ``finished`` arrives or the window closes)."""
    thread = QThread()
    trainer.moveToThread(thread)
    thread.started.connect(trainer.run)
    trainer.finished.connect(thread.quit)
    thread.start()
    return thread

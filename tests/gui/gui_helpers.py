"""What several GUI tests build: a run's history without training (fast, no rnnfast kernels);
and how they drive the window (train, a long run, wait for a state)."""

import numpy as np

from gui.training.history import RunHistory
from gui.training.settings import TrainSettings


def make_history(epochs=3, per_epoch=20, k=10, saturate=False, seed=0, **settings) -> RunHistory:
    """A plausible run: losses falling from ln 2, accuracy rising, gradient norms decaying
    with the steps back (``saturate``: a learning rate of 10's run: loss ~10, norms ~1e-40)."""
    rng = np.random.default_rng(seed)
    ts = TrainSettings(**{"n_cells": 8, "epochs": epochs, **settings})
    h = RunHistory(
        ts, {"source": "test", "maxlen": 100, "n_features": 100, "encoding": "ids", "n_train": 640}
    )
    decay = np.exp(-np.arange(k) * (10.0 if saturate else 0.3))
    for e in range(epochs):
        x = e + (np.arange(per_epoch) + 1) / per_epoch
        base = 10.0 if saturate else 0.69 - 0.03 * e
        losses = base + 0.02 * rng.standard_normal(per_epoch)
        acc = (0.5 if saturate else 0.5 + 0.05 * e) + 0.02 * rng.standard_normal(per_epoch)
        g = (1e-5 if saturate else 0.1) * decay[None, :] * (1 + 0.1 * rng.random((per_epoch, k)))
        h.add_batches(
            {
                "x": x,
                "losses": losses,
                "accuracies": acc,
                "grad_norms": g,
                "elapsed": 1.0 + e,
                "samples_per_second": 1000.0,
            }
        )
        h.add_epoch(
            {
                "epoch": e,
                "loss": float(losses.mean()),
                "accuracy": float(acc.mean()),
                "val_loss": float(losses.mean()) + 0.01,
                "val_accuracy": float(acc.mean()) - 0.01,
                "grad_norms": g.mean(axis=0),
            }
        )
    h.status = "finished"
    return h


def lab_record(check: bool = True) -> dict:
    """A record of the BPTT lab's recorder (gui.lab.recorder) for a tiny network trained one
    epoch on random reviews; with a gradient-check table (``check``)."""
    from gui.lab.recorder import LabRecorder
    from rnnfast import RecurrentNetwork

    rng = np.random.default_rng(0)
    x, y = rng.integers(1, 100, (16, 20)), rng.integers(0, 2, 16)
    rn = RecurrentNetwork(4, 8, 0.1, bptt_steps=5, seed=1)
    rn.fit(x, y, epochs=1, n_features=100)
    recorder = LabRecorder(x[:8], y[:8])
    if check:
        recorder.request_gradient_check()
    return recorder.record(rn)


# -- driving the window ---------------------------------------------------------------------------
def train(win, qtbot, settings, timeout=30_000):
    """Train to the end with ``settings``; returns the worker's result dict."""
    win.side.model.set_settings(settings)
    with qtbot.waitSignal(win.training_finished, timeout=timeout) as blocker:
        assert win.start_training()
    qtbot.waitUntil(lambda: not win.is_training and win.plots_up_to_date(), timeout=5_000)
    return blocker.args[0]


def start_long_run(win, qtbot, settings, epochs=2_000, batches=3):
    settings.epochs = epochs
    win.side.model.set_settings(settings)
    assert win.start_training()
    qtbot.waitUntil(
        lambda: win.history is not None and win.history.n_batches_seen >= batches, timeout=10_000
    )


def wait_for_state(win, qtbot, state, timeout=10_000):
    qtbot.waitUntil(lambda: win.state == state, timeout=timeout)

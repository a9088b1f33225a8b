"""Training callbacks: progress, live plots, early stops.

A callback's ``on_batch_end``/``on_epoch_end`` may return True (or set
``network.stop_training = True``) to stop training after that batch; the weights and history
stay as they are.  The info dicts are described in docs/API.md.
"""

import sys
import time


class Callback:
    """Base class: override what you need."""

    def on_train_begin(self, network, info):
        pass

    def on_batch_end(self, network, info):
        pass

    def on_epoch_end(self, network, info):
        pass

    def on_train_end(self, network, info):
        pass


class LambdaCallback(Callback):
    """Wrap plain functions ``fn(network, info)`` as a callback."""

    def __init__(
        self, on_train_begin=None, on_batch_end=None, on_epoch_end=None, on_train_end=None
    ):
        for name, fn in (
            ("on_train_begin", on_train_begin),
            ("on_batch_end", on_batch_end),
            ("on_epoch_end", on_epoch_end),
            ("on_train_end", on_train_end),
        ):
            if fn is not None:
                if not callable(fn):
                    raise TypeError(f"{name} must be callable, got {type(fn).__name__}")
                setattr(self, name, fn)


class ProgressBar(Callback):
    """One line per epoch on stderr: bar, loss, samples/s; redrawn at most 10 times a second.
    ``batches=False``: only the line at the end of each epoch, without ``\r`` (``fit``'s
    ``verbose=1`` when stderr is not a terminal, e.g. a log file)."""

    def __init__(self, stream=None, width=30, batches=True):
        self.stream = stream or sys.stderr
        self.width = width
        self.batches = batches  # False: only the line at the end of each epoch
        self._last = 0.0

    def on_train_begin(self, network, info):
        self.epochs = info["epochs"]

    def on_batch_end(self, network, info):
        if not self.batches:
            return
        now = time.perf_counter()
        done = info["batch"] + 1 == info["n_batches"]
        if now - self._last < 0.1 and not done:
            return
        self._last = now
        frac = (info["batch"] + 1) / info["n_batches"]
        bar = "=" * int(frac * self.width)
        self.stream.write(
            f"\repoch {info['epoch'] + 1}/{self.epochs} "
            f"[{bar:<{self.width}}] loss {info['loss']:.4f} "
            f"{info['samples_per_second']:,.0f} samples/s"
        )
        self.stream.flush()

    def on_epoch_end(self, network, info):
        val = (
            ""
            if info["val_loss"] is None
            else (f" val_loss {info['val_loss']:.4f} val_acc {info['val_accuracy']:.4f}")
        )
        # over the bar when one was drawn; a plain line otherwise (a log file gets no \r)
        redraw, pad = ("\r", " " * 20) if self.batches else ("", "")
        self.stream.write(
            f"{redraw}epoch {info['epoch'] + 1}/{self.epochs} loss {info['loss']:.4f} "
            f"acc {info['accuracy']:.4f}{val} ({info['elapsed']:.1f} s){pad}\n"
        )
        self.stream.flush()


def check_callbacks(callbacks):
    """None, one :class:`Callback` or an iterable of them -> a list of callbacks."""
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        callbacks = [callbacks]
    callbacks = list(callbacks)
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks must be rnnfast.Callback instances, got {type(cb).__name__}"
            )
    return callbacks


from .liveplot import LivePlot  # noqa: E402, F401  (a live figure in Jupyter: rnnfast/liveplot.py)

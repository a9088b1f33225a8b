"""The window's status bar: a message, then epoch/batch, samples/s, ETA and a progress bar."""

from __future__ import annotations

import math

from PyQt5.QtWidgets import QLabel, QProgressBar, QStatusBar


class StatusBar(QStatusBar):
    """Progress of the run shown from the worker's latest chunk of batches."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.epoch = QLabel("")
        self.speed = QLabel("")
        self.eta = QLabel("")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        for w in (self.epoch, self.speed, self.eta):
            w.setMinimumWidth(90)
            self.addPermanentWidget(w)
        self.addPermanentWidget(self.progress)
        self._pending = None
        self._busy = False
        self.showMessage("starting ...")

    def set_pending(self, payload: dict):
        """Shown by the next :meth:`flush` (the plots' timer), not now: chunks can arrive faster
        than is worth repainting."""
        self._pending = payload

    def flush(self):
        if self._pending is not None:
            self.show_progress(self._pending)
            self._pending = None

    def show_progress(self, payload: dict):
        total = max(1, int(payload["total"]))
        self.progress.setValue(int(1000 * payload["done"] / total))
        self.epoch.setText(
            f"epoch {payload['epoch'] + 1}/{payload['epochs']}  batch {payload['batch'] + 1}/{payload['n_batches']}"
        )
        sps = payload.get("samples_per_second", float("nan"))
        self.speed.setText(f"{sps:,.0f} samples/s" if math.isfinite(sps) else "")
        eta = payload.get("eta", float("nan"))
        self.eta.setText(f"ETA {fmt_seconds(eta)}" if math.isfinite(eta) else "")

    def clear_progress(self, epoch_text: str = ""):
        self._pending = None  # a chunk of the run before must not come back at the next flush
        self.progress.setValue(0)
        self.epoch.setText(epoch_text)
        self.speed.setText("")
        self.eta.setText("")

    def finish(self, completed: bool):
        """The run ended: its last progress, at 100 % when it ran all its epochs."""
        self.flush()
        if completed:
            self.progress.setValue(1000)
            self.eta.setText("")

    def set_busy(self, busy: bool):
        """A busy bar (no percentage) while the data loads."""
        if busy == self._busy:
            return
        self._busy = busy
        if busy:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(0)


def fmt_seconds(s: float) -> str:
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

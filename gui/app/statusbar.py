"""The window's status bar: the state (RUNNING, PAUSED, ...), a message (elided, in full in its
tooltip), then epoch/batch (counted over the whole history, Continue included), samples/s,
ETA (only while running) and a progress bar."""

from __future__ import annotations

import math

from PyQt5.QtCore import Qt
from PyQt5.QtGui import QFontMetrics
from PyQt5.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar

from ..text.i18n import QT_TRANSLATE_NOOP, translate

# state -> (text, background colour)
STATES = {
    "idle": (QT_TRANSLATE_NOOP("StatusBar", "NO DATA"), "#e0e0e0"),
    "loading": (QT_TRANSLATE_NOOP("StatusBar", "LOADING"), "#cfe2ff"),
    "ready": (QT_TRANSLATE_NOOP("StatusBar", "READY"), "#e0e0e0"),
    "running": (QT_TRANSLATE_NOOP("StatusBar", "RUNNING"), "#b7e4c7"),
    "pausing": (QT_TRANSLATE_NOOP("StatusBar", "PAUSING"), "#ffe8a1"),
    "paused": (QT_TRANSLATE_NOOP("StatusBar", "PAUSED"), "#ffd24d"),
    "stopping": (QT_TRANSLATE_NOOP("StatusBar", "STOPPING"), "#f8c9c9"),
    "stopped": (QT_TRANSLATE_NOOP("StatusBar", "STOPPED"), "#f8c9c9"),
    "finished": (QT_TRANSLATE_NOOP("StatusBar", "FINISHED"), "#cfe2ff"),
    "failed": (QT_TRANSLATE_NOOP("StatusBar", "FAILED"), "#f4a6a6"),
    "twins": (QT_TRANSLATE_NOOP("StatusBar", "TWIN RUNS"), "#b7e4c7"),  # the lab's, training
}


class ElidedLabel(QLabel):
    """One line of text cut with "..." to the width it gets; the whole text in its tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str):
        self._full = text or ""
        self.setToolTip(self._full if "\n" in self._full or len(self._full) > 60 else "")
        self._elide()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self):
        first = self._full.replace("\n", "  ")
        self.setText(
            QFontMetrics(self.font()).elidedText(first, Qt.ElideRight, max(10, self.width() - 4))
        )


class StatusBar(QStatusBar):
    """Progress of the run shown from the worker's latest chunk of batches."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state_label = QLabel()
        self.state_label.setObjectName("run-state")
        self.state_label.setAlignment(Qt.AlignCenter)
        self.message = ElidedLabel()
        self.message.setObjectName("status-message")
        self.epoch = QLabel("")
        self.speed = QLabel("")
        self.eta = QLabel("")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.addWidget(self.state_label)
        self.addWidget(self.message, 1)
        for w in (self.epoch, self.speed, self.eta):
            self.addPermanentWidget(w)
        self.addPermanentWidget(self.progress)
        self._pending = None
        self._busy = False
        self._state = "idle"
        self._last = None  # the last progress shown (it is shown again in a new language)
        self._message_source = None  # (context, text, args): a message that can be translated again
        self.set_state("idle")

    # -- the message ---------------------------------------------------------------------------
    def showMessage(self, text: str, timeout: int = 0):  # noqa: N802  (QStatusBar's)
        """The message, elided to its place; the whole of it in the tooltip."""
        self._message_source = None
        self.message.set_full_text(text)

    def show_translated(self, context: str, text: str, *args):
        """A message shown again in the new language when the language changes."""
        self.message.set_full_text(translate(context, text).format(*args))
        self._message_source = (context, text, args)

    def currentMessage(self) -> str:  # noqa: N802
        return self.message.full_text()

    def clearMessage(self):  # noqa: N802
        self.showMessage("")

    # -- state -----------------------------------------------------------------------------------
    def set_state(self, state: str):
        """RUNNING / PAUSED / STOPPED ...; speed and ETA are shown only while running."""
        self._state = state
        text, color = STATES.get(state, (state, "#e0e0e0"))
        self.state_label.setText(f" {translate('StatusBar', text)} ")
        self.state_label.setStyleSheet(
            f"background: {color}; color: black; font-weight: bold; "
            "border-radius: 3px; padding: 1px 6px"
        )
        if state != "running":
            self.speed.setText("")
            self.eta.setText("")

    @property
    def state(self) -> str:
        return self._state

    # -- progress ------------------------------------------------------------------------------
    def set_pending(self, payload: dict):
        """Shown by the next :meth:`flush` (the plots' timer), not now: chunks can arrive faster
        than is worth repainting."""
        self._pending = payload

    def flush(self):
        if self._pending is not None:
            self.show_progress(self._pending)
            self._pending = None

    def show_progress(self, payload: dict):
        self._last = payload
        total = max(1, int(payload["total"]))
        self.progress.setValue(int(1000 * payload["done"] / total))
        offset = int(round(payload.get("epoch_offset", 0)))
        self.epoch.setText(
            translate("StatusBar", "epoch {0}/{1}, batch {2}/{3}").format(
                offset + payload["epoch"] + 1,
                offset + payload["epochs"],
                payload["batch"] + 1,
                payload["n_batches"],
            )
        )
        running = self._state == "running"
        sps = payload.get("samples_per_second", float("nan"))
        self.speed.setText(
            translate("StatusBar", "{0} reviews/s").format(f"{sps:,.0f}")
            if running and math.isfinite(sps)
            else ""
        )
        eta = payload.get("eta", float("nan"))
        self.eta.setText(
            translate("StatusBar", "{0} left").format(fmt_seconds(eta))
            if running and math.isfinite(eta)
            else ""
        )

    def clear_progress(self, epoch_text: str = ""):
        self._pending = None  # a chunk of the run before must not come back at the next flush
        self._last = None
        self.progress.setValue(0)
        self.epoch.setText(epoch_text)
        self.speed.setText("")
        self.eta.setText("")

    def finish(self, completed: bool):
        """The run ended: its last progress, at 100 % when it ran all its epochs; no speed or
        ETA."""
        self.flush()
        if self._last is None:  # ended before its first batch: no "starting" left behind
            self.epoch.setText("")
        if completed:
            self.progress.setValue(1000)
        self.speed.setText("")
        self.eta.setText("")

    def set_busy(self, busy: bool):
        """A busy bar (no percentage) while the data loads."""
        if busy == self._busy:
            return
        self._busy = busy
        if busy:
            self._before_busy = self.progress.value()  # the run's progress, shown again after
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(getattr(self, "_before_busy", 0))

    def retranslate(self):
        self.set_state(self._state)
        self.state_label.setToolTip(translate("StatusBar", "What the app is doing"))
        self.progress.setToolTip(translate("StatusBar", "Progress of the run"))
        if self._last is not None:
            self.show_progress(self._last)
        if self._message_source is not None:
            self.show_translated(*self._message_source[:2], *self._message_source[2])
        else:
            self.showMessage(
                translate("StatusBar", "language: {0}").format(translate("StatusBar", "English"))
            )


def fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "?"
    s = int(round(s))
    if s < 60:
        return translate("StatusBar", "{0} s").format(s)
    m, s = divmod(s, 60)
    if m < 60:
        return translate("StatusBar", "{0} min {1} s").format(m, f"{s:02d}")
    h, m = divmod(m, 60)
    return translate("StatusBar", "{0} h {1} min").format(h, f"{m:02d}")

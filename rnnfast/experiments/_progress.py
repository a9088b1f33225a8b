"""A sweep's progress on stderr: one line per finished run, runs done / total and an ETA.

Plain lines, no carriage returns: they read the same in a terminal, a notebook and a log.
"""

from __future__ import annotations

import sys
import time


def duration(seconds: float) -> str:
    """``75.2 -> '1 min 15 s'``, ``3900 -> '1 h 05 min'``."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class Progress:
    def __init__(self, total, already, stream=None, enabled=True):
        self.total, self.already = total, already
        self.finished = 0  # in this call
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.start = time.perf_counter()

    def say(self, text):
        if self.enabled:
            print(f"sweep: {text}", file=self.stream, flush=True)

    def elapsed(self):
        return time.perf_counter() - self.start

    def eta(self):
        """Seconds left, from this call's rate of finished runs (which already counts how
        many run at once); None before the first run finishes."""
        left = self.total - self.already - self.finished
        if not self.finished:
            return None
        return (time.perf_counter() - self.start) / self.finished * left

    def run_ended(self, run, message):
        self.finished += 1
        done = self.already + self.finished
        eta = self.eta()
        tail = "" if eta is None or done == self.total else f", ETA {duration(eta)}"
        self.say(f"{done}/{self.total}{tail}: {run.label()}: {message}")

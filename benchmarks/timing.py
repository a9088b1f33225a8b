"""Interleaved timing: every configuration runs once per round (A B C, B C A, C A B, ...), so a
burst of load from other processes on the machine hits all of them alike; the median of the
rounds is reported."""

import gc
import statistics
import sys
import time


class Timed:
    """One configuration: ``run()`` does one timed repetition and returns ``(seconds, info)``."""

    def __init__(self, name, run, runs=None):
        self.name = name
        self.run = run
        self.runs = runs  # None: as many as the others
        self.times = []
        self.infos = []
        self.error = None

    @property
    def median(self):
        return statistics.median(self.times) if self.times else None

    def summary(self):
        if not self.times:
            return {"times_s": [], "median_s": None, "error": self.error}
        return {
            "times_s": self.times,
            "median_s": self.median,
            "min_s": min(self.times),
            "max_s": max(self.times),
            "runs": len(self.times),
            "error": self.error,
        }


def stopwatch(fn):
    """Time ``fn()`` (after a garbage collection outside the timer): ``(seconds, result)``."""
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def interleave(items, runs, log=None):
    """Run every item ``runs`` times (an item's own ``runs`` if smaller), rotating the order
    each round.  An item that raises is dropped from the later rounds with its error kept."""
    n = len(items)
    for r in range(runs):
        order = items[r % n :] + items[: r % n] if n else []
        for item in order:
            limit = runs if item.runs is None else item.runs
            if item.error is not None or len(item.times) >= limit:
                continue
            try:
                seconds, info = item.run()
            except Exception as exc:
                item.error = f"{type(exc).__name__}: {exc}"
                if log:
                    log(f"  {item.name}: FAILED {item.error}")
                continue
            item.times.append(seconds)
            item.infos.append(info)
            if log:
                log(f"  round {r + 1}/{runs} {item.name}: {seconds:.3f} s")
    return items


def log_to_stderr(message):
    print(message, file=sys.stderr, flush=True)

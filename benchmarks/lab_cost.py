"""What the BPTT lab's recording costs training: ``python -m benchmarks.lab_cost``.

Three configurations of the same ``fit`` (the source's S1 shapes: token ids, T = 100, 100
words, 32 cells, batch 32, SGD, bptt_steps 10), interleaved round by round so that load
from other processes hits them alike, the median of the rounds reported:

* ``plain``     -- no callback: fit's fastest path (the compiled SGD epoch);
* ``callback``  -- a callback that does nothing after every batch, as the app's worker has
  (fit then steps batch by batch in Python);
* ``recording`` -- :class:`gui.lab.recorder.LabRecorder` with its default budget.

The throughput ratios recording / plain and recording / callback are printed side by side;
the target (issue 14) is >= 0.75.  ``--check`` exits 1 when recording / plain is below it.
"""

from __future__ import annotations

import argparse
import json
import sys

from rnnfast import Callback, RecurrentNetwork

from .data import synthetic_ids
from .env import Threads
from .timing import Timed, interleave, log_to_stderr, stopwatch

TARGET = 0.75


class _Nothing(Callback):
    """Called after every batch, does nothing (the app's worker does a little more)."""


def _fit(x, y, epochs, make_callbacks):
    """One timed fit; ``make_callbacks()`` gives a fresh list (or None) for every run."""

    def run():
        callbacks = make_callbacks()
        rn = RecurrentNetwork(32, 32, 0.01, bptt_steps=10, seed=1, callbacks=callbacks)
        seconds, _ = stopwatch(lambda: rn.fit(x, y, epochs=epochs, n_features=100))
        return seconds, {"callbacks": callbacks}

    return run


def measure(n=20000, epochs=2, runs=5, budget=None, log=None):
    """``({name: summary with samples_per_s}, ratios, recorder stats)`` for the three
    configurations over ``epochs`` passes of ``n`` synthetic reviews."""
    from gui.lab.recorder import LabRecorder

    x, y = synthetic_ids(n, 100, 100)
    xp, yp = synthetic_ids(32, 100, 100, seed=7)
    kw = {} if budget is None else {"budget": budget}
    items = [
        Timed("plain", _fit(x, y, epochs, lambda: None)),
        Timed("callback", _fit(x, y, epochs, lambda: [_Nothing()])),
        Timed("recording", _fit(x, y, epochs, lambda: [LabRecorder(xp, yp, **kw)])),
    ]
    with Threads(1):
        interleave(items, runs, log)
    samples = n * epochs
    out = {}
    for it in items:
        out[it.name] = dict(it.summary(), samples_per_s=samples / it.median)
        out[it.name].pop("times_s", None)
    rec = out["recording"]["samples_per_s"]
    ratios = {
        "recording/plain": rec / out["plain"]["samples_per_s"],
        "recording/callback": rec / out["callback"]["samples_per_s"],
        "callback/plain": out["callback"]["samples_per_s"] / out["plain"]["samples_per_s"],
    }
    recorder = items[2].infos[-1]["callbacks"][0]
    last = {
        "snapshots": recorder.snapshots,
        "batches": recorder.batches_seen,
        "seconds_recording": recorder.seconds_recording,
        "budget": recorder.budget,
    }
    return out, ratios, last


def report(out, ratios, last):
    lines = [
        "configuration   median s   samples/s",
        *(
            f"{name:<14} {r['median_s']:9.3f}  {r['samples_per_s']:10,.0f}"
            for name, r in out.items()
        ),
        "",
        "throughput ratio     " + "   ".join(f"{k} {v:.3f}" for k, v in ratios.items()),
        f"target: recording/plain >= {TARGET}",
        (
            f"last recording run: {last['snapshots']} snapshots in {last['batches']} batches, "
            f"{last['seconds_recording']:.3f} s recording (budget {last['budget']:.0%})"
        ),
    ]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.lab_cost", description=__doc__.split("\n")[0]
    )
    p.add_argument("--n", type=int, default=20000, help="reviews per epoch (default 20000)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--runs", type=int, default=5, help="interleaved rounds (median reported)")
    p.add_argument("--budget", type=float, default=None, help="the recorder's time budget")
    p.add_argument("--json", metavar="PATH", help="also write the numbers as JSON")
    p.add_argument("--check", action="store_true", help=f"exit 1 if recording/plain < {TARGET}")
    p.add_argument("-q", "--quiet", action="store_true", help="no per-round log on stderr")
    args = p.parse_args(argv)
    out, ratios, last = measure(
        args.n, args.epochs, args.runs, args.budget, None if args.quiet else log_to_stderr
    )
    print(report(out, ratios, last))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"configurations": out, "ratios": ratios, "recorder": last}, f, indent=2)
    return 1 if args.check and ratios["recording/plain"] < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())

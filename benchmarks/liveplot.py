"""What a live plot costs training: ``python -m benchmarks.liveplot``.

The source's S1 settings (token ids of the IMDB file when a local one is found, else
synthetic ids: 20,000 reviews x 100 steps, 100 words; 32 cells, batch 32, SGD 0.01,
bptt_steps 10, validation on 5,000 reviews every epoch), three configurations of the same
``fit``, interleaved round by round (load from other processes hits them alike), medians:

* ``plain``    -- no callback: fit's fastest path (token ids and plain SGD train each epoch
  in one fused compiled loop);
* ``callback`` -- a callback that does nothing: fit leaves the fused loop and steps batch by
  batch in Python (what *any* callback costs, the LivePlot included);
* ``liveplot`` -- :class:`rnnfast.callbacks.LivePlot` with its default panels (loss and
  accuracy; ``--metrics loss,accuracy,grad_norms`` adds the gradient norms), rendering its
  figure to PNG at every allowed redraw as in Jupyter (only the IPython display call is
  replaced by a sink that drops the bytes).

The ratios of the times liveplot / plain (the whole cost), liveplot / callback (the drawing
alone) and callback / plain (leaving the fused loop) are printed in one run.  The issue's
target: the drawing costs under 10% of the training time (liveplot / callback < 1.10).
"""

from __future__ import annotations

import argparse
import json
import sys

from rnnfast import Callback, RecurrentNetwork
from rnnfast.callbacks import LivePlot

from .data import w1_ids
from .env import Threads
from .timing import Timed, interleave, log_to_stderr, stopwatch

TARGET = 1.10  # liveplot / callback: the drawing under 10% of the training time


class _Nothing(Callback):
    """Does nothing: only makes fit take its per-batch path."""


def _fit(data, epochs, make_callbacks):
    x, y, xv, yv = data

    def run():
        callbacks = make_callbacks()
        rn = RecurrentNetwork(32, 32, 0.01, bptt_steps=10, seed=1, callbacks=callbacks)
        seconds, _ = stopwatch(
            lambda: rn.fit(x, y, epochs=epochs, x_val=xv, y_val=yv, n_features=100)
        )
        return seconds, {"callbacks": callbacks}

    return run


def measure(epochs=20, runs=3, n=20000, data="auto", metrics=("loss", "accuracy"), log=None):
    """``({name: summary}, ratios, liveplot stats, data description)``."""
    x, y, xv, yv, description = w1_ids(data, n_train=n, n_val=n // 4)
    d = (x, y, xv, yv)

    def live():
        return [LivePlot(metrics, sink=lambda png: None)]

    items = [
        Timed("plain", _fit(d, epochs, lambda: None)),
        Timed("callback", _fit(d, epochs, lambda: [_Nothing()])),
        Timed("liveplot", _fit(d, epochs, live)),
    ]
    with Threads(1):
        interleave(items, runs, log)
    out = {}
    for it in items:
        out[it.name] = it.summary()
        out[it.name].pop("times_s", None)
    t = {name: r["median_s"] for name, r in out.items()}
    ratios = {
        "liveplot/plain": t["liveplot"] / t["plain"],
        "liveplot/callback": t["liveplot"] / t["callback"],
        "callback/plain": t["callback"] / t["plain"],
    }
    plot = items[2].infos[-1]["callbacks"][0]
    stats = {
        "redraws": plot.redraws,
        "seconds_drawing": plot.seconds_drawing,
        "budget": plot.budget,
        "epochs": epochs,
        "metrics": list(metrics),
    }
    return out, ratios, stats, description


def report(out, ratios, stats, description):
    lines = [
        f"data: {description}",
        "configuration   median s   (min - max)",
        *(
            f"{name:<14} {r['median_s']:9.3f}   ({r['min_s']:.3f} - {r['max_s']:.3f})"
            for name, r in out.items()
        ),
        "",
        "time ratios     " + "   ".join(f"{k} {v:.3f}" for k, v in ratios.items()),
        f"target: liveplot/callback < {TARGET} (the drawing under 10% of the training time)",
        (
            f"last liveplot run ({', '.join(stats['metrics'])}): {stats['redraws']} redraws in "
            f"{stats['epochs']} epochs, "
            f"{stats['seconds_drawing']:.3f} s drawing (budget {stats['budget']:.0%})"
        ),
    ]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.liveplot", description=__doc__.split("\n")[0]
    )
    p.add_argument("--epochs", type=int, default=20, help="epochs per fit (the source's 20)")
    p.add_argument("--runs", type=int, default=3, help="interleaved rounds (median reported)")
    p.add_argument("--n", type=int, default=20000, help="training reviews (validation: n / 4)")
    p.add_argument("--data", choices=("auto", "imdb", "synthetic"), default="auto")
    p.add_argument("--metrics", default="loss,accuracy", help="LivePlot's panels, comma-separated")
    p.add_argument("--json", metavar="PATH", help="also write the numbers as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no per-round log on stderr")
    args = p.parse_args(argv)
    out, ratios, stats, description = measure(
        args.epochs,
        args.runs,
        args.n,
        args.data,
        tuple(args.metrics.split(",")),
        None if args.quiet else log_to_stderr,
    )
    print(report(out, ratios, stats, description))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"configurations": out, "ratios": ratios, "liveplot": stats, "data": description},
                f,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m benchmarks.lab``: what the BPTT lab (:mod:`rnnfast.diagnostics`) costs beside
training, on the source's workload (32 cells, batch 32, T = 100, 100 features, k = 10).

For each diagnostic on one batch it reports the time in milliseconds, in training batches,
and the smallest interval N (run it every N batches) at which training keeps at least
``--keep`` (default 75%) of its throughput: ``t_batch / (t_batch + cost / N) >= keep``, i.e.
``N >= cost / t_batch * keep / (1 - keep)``.  Training is timed two ways: ``fit`` without
callbacks (token ids and SGD: the compiled epoch loop) and with a no-op callback (the app's
path, back in Python after every batch).  Timings interleave (benchmarks.timing); medians.
"""

import argparse
import json
import math
import sys

from .data import W1_FEATURES, W1_STEPS, synthetic_ids
from .timing import Timed, interleave, stopwatch

#: The source's S1 settings.
N_CELLS, BATCH, LR, BPTT = 32, 32, 0.01, 10


def _network(backend, callbacks=None):
    from rnnfast import RecurrentNetwork

    return RecurrentNetwork(
        N_CELLS, BATCH, LR, backend=backend, bptt_steps=BPTT, seed=1, callbacks=callbacks
    )


def _fit_timed(name, backend, x, y, callbacks=None):
    n_batches = -(-len(x) // BATCH)

    def run():
        rn = _network(backend, callbacks)
        seconds, _ = stopwatch(lambda: rn.fit(x, y, epochs=1, n_features=W1_FEATURES))
        return seconds / n_batches, None

    return Timed(name, run)


def _diagnostics(rn, xb, yb):
    from rnnfast import diagnostics as dg

    return {
        "gradients": lambda: dg.gradients(rn, xb, yb),
        "rule_agreement": lambda: dg.rule_agreement(rn, xb, yb),
        "jacobian_factors": lambda: dg.jacobian_factors(rn, xb, yb),
        "saliency": lambda: dg.saliency(rn, xb),
        "gradient_check (10 entries)": lambda: dg.gradient_check(rn, xb, yb, n_entries=10),
    }


def measure(backend="cython", n_train=2048, runs=5, log=None):
    """Median seconds per training batch (both paths) and per diagnostic call: a dict."""
    from rnnfast.callbacks import Callback

    x, y = synthetic_ids(n_train, W1_STEPS, W1_FEATURES)
    train = [
        _fit_timed("fit (no callbacks)", backend, x, y),
        _fit_timed("fit (a callback: the app's path)", backend, x, y, [Callback()]),
    ]
    rn = _network(backend)
    rn.fit(x[: BATCH * 4], y[: BATCH * 4], epochs=1, n_features=W1_FEATURES)
    xb, yb = x[:BATCH], y[:BATCH]
    lab = [
        Timed(name, lambda fn=fn: stopwatch(fn)) for name, fn in _diagnostics(rn, xb, yb).items()
    ]
    interleave(train + lab, runs, log)
    return {
        "backend": backend,
        "runs": runs,
        "batch_s": {t.name: t.median for t in train},
        "diagnostic_s": {t.name: t.median for t in lab},
        "errors": {t.name: t.error for t in train + lab if t.error},
    }


def interval(cost_s, batch_s, keep):
    """The smallest N with ``batch / (batch + cost / N) >= keep``."""
    return max(1, math.ceil(cost_s / batch_s * keep / (1 - keep)))


def report(result, keep=0.75):
    lines = [
        (
            f"BPTT lab cost, backend {result['backend']}, median of {result['runs']} "
            f"runs; training keeps >= {keep:.0%} of its throughput with each diagnostic "
            "run every N batches"
        )
    ]
    for path, batch_s in result["batch_s"].items():
        if batch_s is None:
            continue
        lines.append(f"\n{path}: {batch_s * 1e3:.3f} ms per batch")
        lines.append(f"  {'diagnostic (one batch of 32)':30s} {'ms':>9s} {'batches':>9s} {'N':>6s}")
        for name, cost in result["diagnostic_s"].items():
            if cost is not None:
                lines.append(
                    f"  {name:30s} {cost * 1e3:9.3f} {cost / batch_s:9.1f} "
                    f"{interval(cost, batch_s, keep):6d}"
                )
    for name, error in result["errors"].items():
        lines.append(f"{name}: FAILED {error}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lab",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--backend", choices=("cython", "numpy"), default="cython")
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--n-train", type=int, default=2048, help="samples per timed epoch")
    parser.add_argument("--keep", type=float, default=0.75, help="throughput to keep (0-1)")
    parser.add_argument("--json", metavar="PATH", help="also write the timings as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every round")
    args = parser.parse_args(argv)
    if not 0 < args.keep < 1:
        parser.error(f"--keep must be between 0 and 1, got {args.keep}")
    log = (lambda s: print(s, file=sys.stderr)) if args.verbose else None
    result = measure(args.backend, args.n_train, args.runs, log)
    print(report(result, args.keep))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())

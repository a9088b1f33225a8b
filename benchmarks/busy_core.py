"""A busy core's price: ``python -m benchmarks.busy_core``.

The source's S3 model (Embedding(1000, 32) + SimpleRNN(8), Adam 0.001, full BPTT) on 5,000
synthetic reviews x 100 steps, one epoch, each measurement in a fresh child process, rounds
interleaved, medians reported:

* ``idle, 1 thread``      -- no other load, ``OPENBLAS_NUM_THREADS=1``: the reference;
* ``busy``                -- another process spinning on one core, rnnfast as installed
  (``fit`` holds BLAS to one thread below 512 cells, rnnfast/_threads.py);
* ``busy, BLAS's threads`` -- the same with that hold switched off (what 0.3.0 did).

Target (issue 20): busy / idle <= 1.2.  CPU time / wall time is printed beside: above 1 means
BLAS threads worked (or spun) beside the training thread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

TARGET = 1.2

CHILD = r"""
import json, sys, time
import numpy as np
from rnnfast import RecurrentNetwork, _threads
if sys.argv[1] == "off":
    _threads.MULTITHREAD_CELLS = 0  # BLAS's own threads, as before the hold
n = int(sys.argv[2])
rng = np.random.default_rng(0)
x = rng.integers(0, 1000, size=(n, 100), dtype=np.int32)
y = rng.integers(0, 2, n)
def net():
    return RecurrentNetwork(8, 32, 0.001, optimizer="adam", embedding_dim=32, bptt_steps=None,
                            seed=0)
net().fit(x[:256], y[:256], epochs=1, n_features=1000)  # warm: imports, first allocations
rn = net()
t, c = time.perf_counter(), time.process_time()
rn.fit(x, y, epochs=1, n_features=1000)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c}))
"""

CONFIGS = {
    "idle, 1 thread": {"busy": False, "env": {"OPENBLAS_NUM_THREADS": "1"}, "hold": "on"},
    "busy": {"busy": True, "env": {}, "hold": "on"},
    "busy, BLAS's threads": {"busy": True, "env": {}, "hold": "off"},
}


def _child(n, env, hold):
    full = {**os.environ, **env}
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if var not in env:
            full.pop(var, None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, hold, str(n)],
        env=full,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def measure(n=5000, rounds=5, log=None):
    times = {name: [] for name in CONFIGS}
    for r in range(rounds):
        for name, cfg in CONFIGS.items():
            spinner = None
            if cfg["busy"]:
                spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            try:
                times[name].append(_child(n, cfg["env"], cfg["hold"]))
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
            if log:
                t = times[name][-1]
                log(f"round {r + 1}/{rounds} {name}: {t['wall']:.3f} s (CPU {t['cpu']:.3f} s)")
    med = {
        k: {m: statistics.median(t[m] for t in v) for m in ("wall", "cpu")}
        for k, v in times.items()
    }
    ref = med["idle, 1 thread"]["wall"]
    return {
        "n": n,
        "rounds": rounds,
        "cores": os.cpu_count(),
        "median": med,
        "ratio": {k: med[k]["wall"] / ref for k in med},
        "met": med["busy"]["wall"] / ref <= TARGET,
    }


def markdown(res):
    lines = [
        "| configuration | wall s | CPU s | CPU / wall | wall / idle 1-thread |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, m in res["median"].items():
        lines.append(
            f"| {name} | {m['wall']:.3f} | {m['cpu']:.3f} | {m['cpu'] / m['wall']:.2f} "
            f"| **{res['ratio'][name]:.2f}** |"
        )
    verdict = "met" if res["met"] else "NOT met"
    lines.append(
        f"\nbusy / idle 1-thread: {res['ratio']['busy']:.2f} (target <= {TARGET}: "
        f"{verdict}); {res['n']:,} reviews, medians of {res['rounds']} rounds."
    )
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.busy_core",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--reviews", type=int, default=5000)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="1,000 reviews, 1 round (a test)")
    p.add_argument("--json", metavar="PATH")
    p.add_argument("--check", action="store_true", help="exit 1 when the target is not met")
    args = p.parse_args(argv)
    if args.quick:
        args.reviews, args.rounds = 1000, 1
    from .timing import log_to_stderr

    res = measure(args.reviews, args.rounds, log_to_stderr)
    print(markdown(res))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0 if res["met"] or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())

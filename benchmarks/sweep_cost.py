"""What a sweep costs and what every core buys: ``python -m benchmarks.sweep_cost``.

Eight runs of one W1-sized epoch each (20,000 training + 5,000 validation reviews x 100
steps, token ids, 100 words, 32 cells, batch 32, SGD 0.01, bptt_steps 10; the grid is 8
seeds), timed as whole calls, interleaved round by round so that other load hits them alike,
medians reported:

* ``plain``      -- the 8 runs as 8 plain ``RecurrentNetwork(...).fit`` calls in a loop,
  BLAS held to one thread as a sweep holds it;
* ``sequential`` -- ``sweep(..., engine="sequential")``: plain + the sweep's machinery;
* ``processes``  -- ``sweep(..., engine="processes")``, one worker process per core (its
  start, the data written for the workers, the runs).

Targets (issue 19): processes / sequential <= 0.6 on 2 cores; sequential / plain <= 1.05
(the machinery costs at most 5 %); in the processes engine every run's CPU time / wall
time <= 1.1 (no BLAS threads fighting over the cores).  ``--cpu-levels`` repeats the
measurement in a child process per CPU level the kernels dispatch to (RNNFAST_CPU, with
OpenBLAS and NumPy held at that level, as ``python -m benchmarks --cpu-levels``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from .data import synthetic_ids
from .timing import log_to_stderr

TARGETS = {"processes/sequential": 0.6, "sequential/plain": 1.05, "max cpu/wall": 1.1}


def _problem(n_train, n_val):
    x, y = synthetic_ids(n_train + n_val, 100, 100)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def measure(n_train=20000, n_val=5000, n_runs=8, rounds=3, log=None):
    from threadpoolctl import threadpool_limits

    from rnnfast import RecurrentNetwork
    from rnnfast.experiments import sweep
    from rnnfast.experiments._plan import usable_cores

    x, y, xv, yv = _problem(n_train, n_val)
    net = RecurrentNetwork(32, 32, 0.01, bptt_steps=10)
    seeds = list(range(n_runs))
    common = dict(seeds=seeds, epochs=1, validation_data=(xv, yv), n_features=100, progress=False)

    def plain():
        with threadpool_limits(1):
            for s in seeds:
                RecurrentNetwork(32, 32, 0.01, bptt_steps=10, seed=s).fit(
                    x, y, epochs=1, validation_data=(xv, yv), n_features=100
                )

    def engine(name):
        def go():
            return sweep(net, {"backprop": ["exact"]}, x, y, engine=name, **common)

        return go

    timings = {"plain": [], "sequential": [], "processes": []}
    cpu_wall = []
    calls = {"plain": plain, "sequential": engine("sequential"), "processes": engine("processes")}
    for r in range(rounds):
        for name, fn in calls.items():
            start = time.perf_counter()
            result = fn()
            timings[name].append(time.perf_counter() - start)
            if name == "processes":
                runs = result.runs
                cpu_wall += (runs["cpu_seconds"] / runs["fit_seconds"]).tolist()
            if log:
                log(f"round {r + 1}/{rounds} {name}: {timings[name][-1]:.2f} s")

    med = {k: sorted(v)[len(v) // 2] for k, v in timings.items()}
    ratios = {
        "processes/sequential": med["processes"] / med["sequential"],
        "sequential/plain": med["sequential"] / med["plain"],
        "max cpu/wall": max(cpu_wall),
    }
    from rnnfast import cpu_level

    return {
        "cpu_level": cpu_level(),
        "cores": usable_cores(),
        "n_runs": n_runs,
        "n_train": n_train,
        "n_val": n_val,
        "rounds": rounds,
        "seconds": timings,
        "median_seconds": med,
        "ratios": ratios,
        "met": {k: ratios[k] <= TARGETS[k] for k in TARGETS},
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def markdown(results):
    lines = [
        "| CPU level | cores | plain s | sequential s | processes s | processes / sequential "
        "(<= 0.6) | sequential / plain (<= 1.05) | max CPU / wall per run (<= 1.1) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, q, ok = r["median_seconds"], r["ratios"], r["met"]

        def cell(k):
            return f"**{q[k]:.2f}** {'met' if ok[k] else 'NOT met'}"

        lines.append(
            f"| {r['cpu_level']} | {r['cores']} | {m['plain']:.2f} | {m['sequential']:.2f} | "
            f"{m['processes']:.2f} | {cell('processes/sequential')} | "
            f"{cell('sequential/plain')} | {cell('max cpu/wall')} |"
        )
    return "\n".join(lines)


def _levels_in_children(args, log):
    from rnnfast import cpu_levels

    from .levels import level_env

    out = []
    for level in cpu_levels():
        log(f"CPU level {level} in a child process ...")
        argv = [
            sys.executable,
            "-m",
            "benchmarks.sweep_cost",
            "--json",
            "-",
            "--samples",
            str(args.samples),
            "--rounds",
            str(args.rounds),
        ]
        env = {**os.environ, **level_env(level)}
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
        out.append(json.loads(proc.stdout)[0])
    return out


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.sweep_cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--samples", type=int, default=20000, help="training reviews (W1: 20000)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="2,000 reviews, 1 round (a test)")
    p.add_argument("--cpu-levels", action="store_true", help="each CPU level in a child")
    p.add_argument("--json", metavar="PATH", help="write the results ('-': stdout only)")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    args = p.parse_args(argv)
    if args.quick:
        args.samples, args.rounds = 2000, 1
    log = log_to_stderr
    if args.cpu_levels:
        results = _levels_in_children(args, log)
    else:
        results = [measure(args.samples, max(1, args.samples // 4), 8, args.rounds, log)]
    if args.json == "-":
        print(json.dumps(results))
        return 0
    print(markdown(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    met = all(all(r["met"].values()) for r in results)
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())

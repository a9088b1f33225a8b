"""``python -m rnnfast.experiments``: a sweep of the source's network on IMDB from the shell.

    python -m rnnfast.experiments --data imdb.npz --grid backprop=exact,textbook \\
        --grid bptt_steps=5,10,20,full --seeds 0-9 --epochs 20 [--results-dir runs/] \\
        [--engine dask --scheduler tcp://10.0.0.5:8786] [--plot out.png]

The network is the source's (32 cells, batch 32, learning rate 0.01, ``bptt_steps`` 10) on
the source's data (the textbook split, 100 words, token ids); ``--set NAME=VALUE`` changes a
shared setting.  Prints the summary as a Markdown table, then the paired comparisons.
Exit status: 0, 1 if a run failed, 2 for bad arguments or data, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from .. import hyperparams
from ._plan import NOT_IN_GRID, format_value
from ._sweep import ENGINES, SweepInterrupted, sweep

#: The source's network (section 6.3); --set changes any of them.
SOURCE_NETWORK = {"n_cells": 32, "batch_size": 32, "learning_rate": 0.01, "bptt_steps": 10}


def _setting(text, many):
    """``name=v1,v2`` -> (name, [values]) checked by the hyperparameter table."""
    name, sep, values = text.partition("=")
    name = name.strip()
    if not sep or not name or not values.strip():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE{',VALUE...' if many else ''}, got {text!r}"
        )
    from ..network import RecurrentNetwork

    if name not in RecurrentNetwork.HYPERPARAMETERS or name in NOT_IN_GRID:
        known = [n for n in RecurrentNetwork.HYPERPARAMETERS if n not in NOT_IN_GRID]
        if name in NOT_IN_GRID:
            raise argparse.ArgumentTypeError(f"{name} cannot be set here: {NOT_IN_GRID[name]}")
        raise argparse.ArgumentTypeError(f"unknown setting {name!r}; known: {', '.join(known)}")
    if name in NOT_IN_GRID:
        raise argparse.ArgumentTypeError(f"{name} cannot be set here: {NOT_IN_GRID[name]}")
    parts = [p.strip() for p in values.split(",")] if many else [values.strip()]
    try:
        return name, [hyperparams.parse(name, p) for p in parts]
    except KeyError as e:
        raise argparse.ArgumentTypeError(str(e).strip('"')) from None
    except (TypeError, ValueError) as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _seeds(text):
    """``0-9`` or ``0,3,7`` or ``5``."""
    out = []
    try:
        for part in text.split(","):
            lo, sep, hi = part.partition("-")
            first, last = int(lo), int(hi) if sep else int(lo)
            if last < first:
                raise ValueError
            out += range(first, last + 1)
        for s in out:
            hyperparams.check("seed", s)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(
            f"seeds: expected a range such as 0-9 or a list such as 0,3,7 of integers in "
            f"[0, {hyperparams.constraint('seed').high}], got {text!r}"
        ) from None
    return out


def parser():
    p = argparse.ArgumentParser(
        prog="python -m rnnfast.experiments",
        description="Sweep the source's network over settings x seeds on IMDB; prints the "
        "summary (Markdown) and the paired comparisons.",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--data", metavar="FILE", help="imdb.npz in Keras' format")
    where.add_argument("--sample", action="store_true", help="the bundled sample (offline)")
    p.add_argument(
        "--grid",
        metavar="NAME=V1,V2",
        action="append",
        type=lambda t: _setting(t, True),
        required=True,
        help="a setting and its values, e.g. bptt_steps=5,10,full (repeatable)",
    )
    p.add_argument(
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        type=lambda t: _setting(t, False),
        help="a shared setting, e.g. n_cells=16 (repeatable)",
    )
    p.add_argument("--seeds", type=_seeds, default=[0], help="0-9, or 0,3,7 (default 0)")
    p.add_argument("--epochs", type=hyperparams.argparse_type("epochs"), default=20)
    p.add_argument(
        "--max-train",
        type=hyperparams.argparse_type("max_train"),
        default=0,
        help="use only the first N training reviews (0 = all)",
    )
    p.add_argument("--engine", choices=ENGINES, default="auto")
    p.add_argument("--n-jobs", type=int, default=None, help="worker processes (default: cores)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask)",
    )
    p.add_argument(
        "--results-dir",
        metavar="DIR",
        help="keep every finished run here; run again to finish an interrupted sweep",
    )
    p.add_argument(
        "--compare",
        metavar="NAME=A,B",
        action="append",
        default=[],
        type=lambda t: _setting(t, True),
        help="a pair to compare (default: every pair of neighbouring values)",
    )
    p.add_argument("--plot", metavar="PNG", help="write the sweep's figure (matplotlib)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def markdown(frame, digits=4):
    """A DataFrame as a Markdown table (floats to ``digits``; None as "full"/"None")."""
    cols = list(frame.columns)
    lines = [
        "| " + " | ".join(map(str, cols)) + " |",
        "|" + "|".join("---:" if frame[c].dtype.kind in "fi" else "---" for c in cols) + "|",
    ]
    for _, row in frame.iterrows():
        cells = []
        for c in cols:
            val = row[c]
            if isinstance(val, float) and c.startswith("p_") and val == val:
                cells.append(f"{val:.2g}")  # a p-value: its size, not 4 decimals of it
            elif isinstance(val, float):
                cells.append("–" if val != val else f"{val:.{digits}f}")
            else:
                cells.append(format_value(c, val) if val is None else str(val))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pairs(grid, asked):
    if asked:
        for name, values in asked:
            if len(values) != 2:
                raise ValueError(f"--compare {name}: give exactly two values, got {len(values)}")
            yield name, values[0], values[1]
        return
    for name, values in grid.items():
        for a, b in zip(values, values[1:]):
            yield name, a, b


def _load(args):
    from ..datasets import imdb

    x, y, x_val, y_val = imdb.load_textbook(
        path=args.data, source="sample" if args.sample else None
    )
    if args.max_train:
        x, y = x[: args.max_train], y[: args.max_train]
    return x, y, x_val, y_val


def main(argv=None):
    from ..network import RecurrentNetwork

    p = parser()
    args = p.parse_args(argv)
    grid = dict(args.grid)
    if len(grid) != len(args.grid):
        p.error("--grid names a setting twice")
    shared = {**SOURCE_NETWORK, **{k: v[0] for k, v in args.set}}
    if set(shared) & set(grid) - set(SOURCE_NETWORK):
        p.error("a setting is both in --set and --grid")
    for name, _ in args.compare:
        if name not in grid:
            p.error(f"--compare {name}: not a --grid setting")
    engine, client = args.engine, None
    if args.scheduler:
        if engine not in ("auto", "dask"):
            p.error("--scheduler goes with --engine dask")
        engine, client = "dask", args.scheduler
    start = time.perf_counter()
    try:
        estimator = RecurrentNetwork(**shared)
        x, y, x_val, y_val = _load(args)
        result = sweep(
            estimator,
            grid,
            x,
            y,
            seeds=args.seeds,
            epochs=args.epochs,
            validation_data=(x_val, y_val),
            n_features=100,
            engine=engine,
            n_jobs=args.n_jobs,
            client=client,
            results_dir=args.results_dir,
            progress=not args.quiet,
        )
    except SweepInterrupted as e:
        result, status = e.sweep, 130
    except (FileNotFoundError, ValueError, TypeError, ConnectionError, ImportError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    else:
        status = 1 if result.failures else 0
    _report(result, args, grid, time.perf_counter() - start)
    return status


def _report(result, args, grid, seconds):
    data = "the bundled sample" if args.sample else (args.data or "the IMDB file lookup")
    print(
        f"Sweep on {data}: {result.n_done} of {len(result.plan)} runs finished, "
        f"{result.epochs} epochs each; metric: final {result.metric_default}.\n"
    )
    if not result.n_done:
        return
    print(markdown(result.summary()))
    print()
    for name, a, b in _pairs(grid, args.compare):
        table = result.compare(name, a, b)
        print(f"Paired: {name} {format_value(name, a)} - {format_value(name, b)}\n")
        print(markdown(table))
        print()
        for line in result.describe_comparison(name, a, b):
            print(f"- {line}")
        print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; wall time {seconds:.0f} s."
    )
    if args.plot:
        figure(result).savefig(args.plot, dpi=110)
        print(f"Figure: {args.plot}")


def figure(result):
    """Two panels: for two settings the heatmap of the final metric and the metric against
    the second setting's values (one line per value of the first); for one setting the
    curves per epoch and the bars."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    if len(result.settings) == 2:
        result.plot("heatmap", ax=left)
        result.plot("lines", ax=right, x=result.settings[1])
    else:
        result.plot("curves", ax=left)
        result.plot("bars" if len(result.settings) == 1 else "lines", ax=right)
    return fig


if __name__ == "__main__":
    sys.exit(main())

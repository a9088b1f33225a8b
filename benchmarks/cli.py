"""``python -m benchmarks``: the compiled kernels against the NumPy reference, side by side.

See benchmarks/README.md for what is measured and how to read the tables.
"""

import argparse
import datetime
import json
import shutil
import sys
import tempfile
import time

import numpy as np

from . import flops as fl
from . import report
from . import workloads as wl
from .data import W1_TRAIN, W1_VAL, w1_ids
from .env import Threads, describe, load_average
from .timing import interleave, log_to_stderr
from .w1 import _Section, run_w1

SCHEMA = "rnnfast-benchmarks-1"
ALL_WORKLOADS = ("w1", "memory", "peers", "breakdown", "w2", "sweeps", "micro")
PEERS = ("keras", "torch")


def _list(allowed):
    def parse(text):
        items = [s.strip() for s in text.split(",") if s.strip()]
        bad = [s for s in items if s not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {bad}; choose from {', '.join(allowed)}")
        return items

    return parse


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of rnnfast: compiled kernels against the pure-NumPy reference "
        "(and Keras / PyTorch where installed) on the source's workload W1 "
        "(20,000 x 100 one-hot reviews, 32 cells, batch 32, bptt_steps=10, one "
        "epoch + 5,000-review validation), W2 (embedding + Adam, when available) "
        "and scaling sweeps; interleaved runs, medians, peak memory, FLOP bound. "
        "Progress goes to stderr, the markdown report to stdout.",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run in seconds (CI): small W1 (256 + 64 samples), 3 runs, a "
        "few sweep points, no peers unless --peers is given",
    )
    p.add_argument("--json", metavar="PATH", help="write the full results as JSON")
    p.add_argument("--plots", metavar="DIR", help="write PNG plots of the sweeps (matplotlib)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads (threadpoolctl), also the peers' thread count (default 1)",
    )
    p.add_argument(
        "--runs",
        type=int,
        default=None,
        help="timed runs per configuration, interleaved (default 5; --quick 3)",
    )
    p.add_argument(
        "--workloads",
        type=_list(ALL_WORKLOADS),
        default=list(ALL_WORKLOADS),
        help="comma-separated subset of: " + ", ".join(ALL_WORKLOADS) + " (default: all)",
    )
    p.add_argument(
        "--skip",
        type=_list(ALL_WORKLOADS),
        default=[],
        help="comma-separated workloads to leave out",
    )
    p.add_argument(
        "--sweeps",
        type=_list(tuple(wl.SWEEPS)),
        default=list(wl.SWEEPS),
        help="which sweeps: " + ", ".join(wl.SWEEPS) + " (default: all)",
    )
    p.add_argument(
        "--peers",
        type=_list(PEERS),
        default=None,
        help="peers to run where installed (default: keras,torch; none with --quick)",
    )
    p.add_argument(
        "--samples",
        type=int,
        default=None,
        help=f"W1 training samples (validation: a quarter); default {W1_TRAIN}",
    )
    p.add_argument(
        "--data",
        choices=("auto", "imdb", "synthetic"),
        default="auto",
        help="W1 token ids: the real IMDB file when found locally (auto), or "
        "synthetic ids with a fixed seed (default auto; --quick: synthetic)",
    )
    p.add_argument("--imdb", metavar="PATH", help="imdb.npz to use for W1")
    p.add_argument(
        "--numpy-budget",
        type=float,
        default=20.0,
        help="sweeps: skip the NumPy side of a point whose runs would take longer "
        "than this many seconds in all (default 20)",
    )
    p.add_argument(
        "--sweep-target",
        type=float,
        default=None,
        help="sweeps: seconds a compiled run should take (sets n; default 0.3, --quick 0.01)",
    )
    p.add_argument(
        "--dgemm-n",
        type=int,
        default=None,
        help="size of the square dgemm that measures the FLOP rate (default 2048, --quick 512)",
    )
    p.add_argument(
        "--cpu-levels",
        action="store_true",
        help="W1 and an n_cells sweep at every CPU level the machine supports "
        "(RNNFAST_CPU, OPENBLAS_CORETYPE and NumPy's SIMD held at each level, "
        "one child process per level), each next to the NumPy reference; "
        "uses --runs, --samples, --data, --imdb, --sweep-target, --quick, --json",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = p.parse_args(argv)
    if args.threads < 1:
        p.error("--threads must be >= 1")
    q = args.quick
    args.runs = args.runs or (3 if q else 5)
    if args.runs < 1:
        p.error("--runs must be >= 1")
    args.samples = args.samples or (256 if q else W1_TRAIN)
    if args.samples < 8:
        p.error("--samples must be >= 8")
    args.sweep_target = args.sweep_target or (0.01 if q else 0.3)
    args.dgemm_n = args.dgemm_n or (512 if q else 2048)
    if args.peers is None:
        args.peers = [] if q else list(PEERS)
    args.selected = [w for w in args.workloads if w not in args.skip]
    if not args.peers and "peers" in args.selected:
        args.selected.remove("peers")
    return args


def kernels_blas_threads():
    """BLAS' thread count as the kernels read it (they use their own product for wide layers
    only when it is 1), or None without the extension."""
    try:
        from rnnfast import _kernels

        return _kernels.blas_threads()
    except Exception:
        return None


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.cpu_levels:
        from . import levels

        return levels.main(args)
    log = (lambda m: None) if args.quiet else log_to_stderr
    started = time.perf_counter()
    doc = {
        "schema": SCHEMA,
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "settings": {
            "threads": args.threads,
            "runs": args.runs,
            "samples": args.samples,
            "workloads": args.selected,
            "sweeps": args.sweeps,
            "peers": args.peers,
            "numpy_budget_s": args.numpy_budget,
            "sweep_target_s": args.sweep_target,
            "dgemm_n": args.dgemm_n,
        },
        "environment": describe(args.threads),
        "checks": {"passed": True, "tolerance": wl.CHECK_RTOL, "items": []},
        "flop_model": fl.__doc__.split("\n\n", 1)[1].strip(),
    }
    threads = Threads(args.threads)
    doc["environment"]["threadpoolctl_limits_set"] = threads.available
    exit_code = 0
    tmp = tempfile.mkdtemp(prefix="rnnfast-bench-")
    try:
        with threads:
            doc["environment"]["kernels_blas_threads"] = kernels_blas_threads()
            run_all(args, doc, tmp, log)
    except wl.CheckFailed as exc:
        doc["checks"]["passed"] = False
        doc["checks"]["failure"] = str(exc)
        print(
            "\n"
            + "!" * 78
            + f"\nCORRECTNESS CHECK FAILED -- benchmark aborted:\n{exc}\n"
            + "!" * 78,
            file=sys.stderr,
            flush=True,
        )
        exit_code = 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    doc["elapsed_s"] = time.perf_counter() - started
    doc["environment"]["load_average_end"] = load_average()
    if exit_code == 0:
        if args.plots and doc.get("sweeps"):
            files, message = report.plots(doc, args.plots)
            doc["plots"] = files or []
            if message:
                log(message)
                doc["plots_message"] = message
        sys.stdout.write(report.markdown(doc))
        sys.stdout.flush()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(_jsonable(doc), f, indent=1)
        log(f"JSON written to {args.json}")
    return exit_code


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


def run_all(args, doc, tmp, log):
    sel = args.selected
    with _Section(doc, "rates"):
        _rates(args, doc, log)
    rate = doc["rates"]["dgemm"]["bound_gflops"] * 1e9
    if any(w in sel for w in ("w1", "memory", "peers", "breakdown")):
        run_w1(args, doc, tmp, log, rate)
    if "w2" in sel:
        with _Section(doc, "w2"):
            run_w2(args, doc, log)
    if "sweeps" in sel:
        with _Section(doc, "sweeps"):
            _sweeps(args, doc, log, rate)


def _rates(args, doc, log):
    sel = args.selected
    rates = doc["rates"] = {}
    log(f"dgemm rate ({args.dgemm_n}x{args.dgemm_n}, {args.threads} thread(s)) ...")
    rates["dgemm"] = fl.dgemm_rate(args.dgemm_n, repeats=3 if args.quick else 7)
    d = rates["dgemm"]
    # The machine's rate: the faster of NumPy's BLAS and SciPy's (the kernels' BLAS).
    d["bound_gflops"] = max(d["numpy_gflops_best"], d.get("scipy_gflops_best", 0.0))
    log(f"  NumPy {d['numpy_gflops_best']:.1f}, SciPy {d.get('scipy_gflops_best', 0):.1f} GFLOP/s")
    if "micro" in sel:
        rates["small_gemm"] = fl.small_gemm_rates(
            repeats=3 if args.quick else 5, min_seconds=0.005 if args.quick else 0.05
        )
        rates["tanh"] = fl.tanh_rates(n=1 << (16 if args.quick else 20))


def _sweeps(args, doc, log, rate):
    doc["sweeps"] = {}
    for name in args.sweeps:
        values = wl.QUICK_SWEEPS[name] if args.quick else wl.SWEEPS[name][1]
        points = []
        for value in values:
            log(f"sweep {name} = {'full' if value is None else value}")
            point, records = wl.sweep_point(
                name,
                value,
                runs=args.runs,
                target_s=args.sweep_target,
                numpy_budget_s=args.numpy_budget,
                rate_flops=rate,
                log=log,
                max_n=512 if args.quick else None,
                n_check=16 if args.quick else wl.CHECK_SAMPLES,
            )
            doc["checks"]["items"].extend(records)
            points.append(point)
        doc["sweeps"][name] = points


def run_w2(args, doc, log):
    ok, reason = wl.w2_available()
    if not ok:
        print("W2: not available yet", file=sys.stderr, flush=True)
        doc["w2"] = {"available": False, "reason": reason}
        return
    n_train, n_val = args.samples, max(1, args.samples * W1_VAL // W1_TRAIN)
    kind = "synthetic" if args.quick and args.data == "auto" and not args.imdb else args.data
    x, y, xv, yv, description = w1_ids(kind, args.imdb, n_train, n_val, num_words=1000)
    inputs = {"ids": (x, y, xv, yv)}
    configs = wl.w2_configs()
    log("W2 correctness check ...")
    records, _ = wl.check_slice(
        "W2", configs, inputs, "numpy-ids", n=min(wl.CHECK_SAMPLES, n_train)
    )
    doc["checks"]["items"].extend(records)
    items = wl.w1_timed(configs, inputs, log)
    log(f"W2: {args.runs} interleaved runs ...")
    interleave(items, args.runs, log)
    out = {
        "available": True,
        "description": (
            f"{n_train:,} + {n_val:,} token-id sequences x {x.shape[1]} steps, "
            "vocabulary 1,000, embedding_dim=32, 8 cells, batch 32, Adam "
            "lr 0.001, full BPTT (as the Keras S3 model), one epoch with "
            f"validation. Data: {description}."
        ),
        "configs": {},
    }
    base = items[0].median
    for cfg, item in zip(configs, items):
        row = {"label": cfg["label"], **item.summary()}
        if item.median and base:
            row["speedup"] = base / item.median
        out["configs"][cfg["name"]] = row
    doc["w2"] = out

"""``python -m benchmarks --cpu-levels``: W1 and an n_cells sweep at every CPU level the machine
supports, each next to the NumPy reference, in one run.

Each level runs in a child process (``python -m benchmarks.levels --child LEVEL``) whose whole
stack is held at that level, so its ratios are what a CPU of that level would see:

* rnnfast's kernels through ``RNNFAST_CPU`` (rnnfast/_cpu.py);
* OpenBLAS (the NumPy reference's products and the kernels' BLAS calls) through
  ``OPENBLAS_CORETYPE`` (Haswell for x86-64-v3; Nehalem for the baseline: NumPy 2 itself
  requires x86-64-v2, so no machine that runs it is below Nehalem);
* NumPy's own SIMD loops (the reference's ``tanh``) through ``NPY_DISABLE_CPU_FEATURES``.

Levels run one after the other, not interleaved: each level's ratios come from its own
interleaved rounds, and the load average is reported per level.
"""

import argparse
import json
import os
import platform
import subprocess
import sys

import numpy as np

from . import flops as fl
from . import workloads as wl
from .data import W1_FEATURES, W1_TRAIN, W1_VAL, one_hot, synthetic_ids, w1_ids
from .env import Threads, cpu_flags_of_interest, cpu_model, load_average
from .timing import Timed, interleave, log_to_stderr, stopwatch

#: The n_cells sweep's widths: small layers, both sides of 32, and the BLAS-bound end.
WIDTHS = (8, 16, 31, 32, 33, 64, 96, 128, 256, 512)
QUICK_WIDTHS = (8, 32, 33)
#: Widths at which the recurrent product is timed with the tile and with BLAS (those that are a
#: multiple of the level's panel width).
PRODUCT_WIDTHS = (8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768)
#: OpenBLAS' kernel for each level (x86-64-v4: its own choice on an AVX-512 CPU).
OPENBLAS_CORETYPE = {"baseline": "Nehalem", "x86-64-v3": "Haswell"}

#: Acceptance (issue 11), per level.
GOALS = {"w1_ids": 8.0, "w1_onehot": 6.0, "sweep_small": 3.0, "sweep_cliff": 1.5, "float32": 1.6}


def level_env(level):
    """The environment variables that hold a child at ``level``."""
    env = {"RNNFAST_CPU": level}
    if platform.machine() not in ("x86_64", "AMD64"):
        return env
    if level in OPENBLAS_CORETYPE:
        env["OPENBLAS_CORETYPE"] = OPENBLAS_CORETYPE[level]
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__ as dispatched
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_dispatch__ as dispatched
    above = {"x86-64-v4": (), "x86-64-v3": ("AVX512", "X86_V4")}.get(
        level, ("AVX512", "X86_V4", "X86_V3", "AVX", "FMA", "F16C")
    )
    off = [f for f in dispatched if f.startswith(above)] if above else []
    if off:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(off)
    return env


# --------------------------------------------------------------------------- child


def _child_w1(args, log):
    n_train = args.samples
    n_val = max(1, n_train * W1_VAL // W1_TRAIN)
    x, y, xv, yv, description = w1_ids(args.data, args.imdb, n_train, n_val)
    oh, ohv = one_hot(x, W1_FEATURES), one_hot(xv, W1_FEATURES)
    inputs = {"ids": (x, y, xv, yv), "onehot": (oh, y, ohv, yv)}
    names = ("numpy-onehot", "cython-onehot", "cython-ids")
    configs = [c for c in wl.w1_configs() if c["name"] in names]
    f32 = dict(
        configs[-1],
        name="cython-ids-float32",
        label="compiled, token ids, float32",
        dtype="float32",
    )
    records, _ = wl.check_slice(
        "W1", configs, inputs, wl.BASELINE, n=min(wl.CHECK_SAMPLES, n_train)
    )
    items = wl.w1_timed(configs + [f32], inputs, log)
    interleave(items, args.runs, log)
    out = {"data": description, "n_train": n_train, "n_val": n_val, "checks": records}
    for item in items:
        out[item.name] = item.summary()
    return out


def _child_sweep(args, log, rate):
    points = []
    widths = QUICK_WIDTHS if args.quick else WIDTHS
    T, nf, k = 100, W1_FEATURES, wl.BASE["bptt_steps"]
    for nc in widths:
        hp = dict(wl.BASE, n_cells=nc)
        configs = [
            wl.config("numpy-ids", "numpy", "ids", **hp),
            wl.config("cython-ids", "cython", "ids", **hp),
        ]
        n_check = 16 if args.quick else 64
        ids, labels = synthetic_ids(max(n_check, 4096), T, nf, seed=1000 + nc)
        small = {"ids": (ids[:n_check], labels[:n_check], None, None)}
        records, seconds = wl.check_slice(
            f"levels n_cells={nc}", configs, small, "numpy-ids", n=n_check, with_val=False
        )
        per_sample = seconds["cython-ids"] / n_check
        n = int(np.clip(args.sweep_target / max(per_sample, 1e-9), 128, len(ids)))
        n -= n % hp["batch_size"]
        x, yy = ids[:n], labels[:n]
        items = []
        for cfg in configs:

            def run(cfg=cfg):
                seconds, net = stopwatch(lambda: wl.fit_once(cfg, x, yy))
                return seconds, {"loss": float(net.losses[0])}

            items.append(Timed(cfg["name"], run))
        log(f"n_cells = {nc}: {n} samples")
        interleave(items, args.runs, log)
        flops = fl.epoch_flops(n, hp["batch_size"], T, nc, nf, k, True)["flops"]
        point = {
            "n_cells": nc,
            "n_samples": n,
            "flops_per_sample": flops / n,
            "bound_s_per_sample": flops / n / rate,
            "checks": records,
        }
        for item in items:
            point[item.name] = dict(item.summary(), s_per_sample=item.median / n)
        points.append(point)
    return points


def _child_products(args, log):
    """The forward pass (32 rows, 50 steps, token ids) with the register tile and with BLAS at
    every width the tile can take, float64 and float32: the measurement behind the tile-or-BLAS
    limits of rnnfast/_kernels.pyx (best of 5; one BLAS thread)."""
    from rnnfast import _kernels as k

    m, T, nf = 32, 50, W1_FEATURES
    rows = []
    for dtype in (np.float64, np.float32):
        width = k.panel_width(dtype == np.float64)
        for nc in (32,) if args.quick else PRODUCT_WIDTHS:
            if width <= 1 or nc % width:
                continue
            rng = np.random.default_rng(nc)
            w1x = rng.normal(0, 0.1, (nf, nc)).astype(dtype)
            w1h = np.linalg.qr(rng.normal(size=(nc, nc)))[0].astype(dtype)
            b1, b2 = np.zeros(nc, dtype), np.zeros(1, dtype)
            w2 = rng.normal(0, 0.1, (nc, 1)).astype(dtype)
            ids = rng.integers(0, nf, (m, T)).astype(np.int32)
            hs, z2 = np.zeros((T + 1, m, nc), dtype), np.empty(m, dtype)
            row = {
                "dtype": np.dtype(dtype).name,
                "n_cells": nc,
                "auto": "tile" if k.uses_own_product(nc, dtype == np.float64) else "BLAS",
            }
            for choice in ("own", "blas"):
                previous = k.set_product(choice)
                try:
                    row[choice] = min(
                        stopwatch(lambda: k.forward_ids(ids, w1x, w1h, b1, w2, b2, hs, z2))[0]
                        for _ in range(5)
                    )
                finally:
                    k.set_product(previous)
            rows.append(row)
        name = np.dtype(dtype).name
        log(f"product: tile vs BLAS timed at {sum(r['dtype'] == name for r in rows)} {name} widths")
    return rows


def child_main(level, args):
    """Runs in the child: everything at ``level``; prints one JSON document on stdout."""
    from rnnfast import cpu_level

    log = (lambda m: None) if args.quiet else (lambda m: log_to_stderr(f"[{level}] {m}"))
    if cpu_level() != level:
        raise SystemExit(f"asked for {level}, the kernels run {cpu_level()}")
    doc = {"level": level, "env": level_env(level), "load_average_start": load_average()}
    with Threads(1):
        d = fl.dgemm_rate(512 if args.quick else 1024, repeats=3)
        rate = max(d["numpy_gflops_best"], d.get("scipy_gflops_best", 0.0)) * 1e9
        doc["dgemm_gflops"] = rate / 1e9
        from rnnfast import _kernels

        doc["panel_width"] = {
            "float64": _kernels.panel_width(True),
            "float32": _kernels.panel_width(False),
        }
        log(f"dgemm {rate / 1e9:.1f} GFLOP/s; W1 ({args.samples} reviews) ...")
        doc["w1"] = _child_w1(args, log)
        doc["sweep"] = _child_sweep(args, log, rate)
        doc["products"] = _child_products(args, log)
    doc["load_average_end"] = load_average()
    json.dump(doc, sys.stdout)


# --------------------------------------------------------------------------- parent


def run(args, log):
    """Run every supported level in its own child; returns (results, exit code)."""
    from rnnfast import cpu_levels

    results = []
    for level in cpu_levels():
        env = dict(os.environ, **level_env(level))
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.levels",
            "--child",
            level,
            "--runs",
            str(args.runs),
            "--samples",
            str(args.samples),
            "--data",
            args.data,
            "--sweep-target",
            str(args.sweep_target),
        ]
        cmd += ["--imdb", args.imdb] if args.imdb else []
        cmd += ["--quick"] if args.quick else []
        cmd += ["--quiet"] if args.quiet else []
        log(f"level {level}: {' '.join(f'{k}={v}' for k, v in level_env(level).items())}")
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            log(f"level {level}: the child failed (exit {proc.returncode})")
            return results, 2
        results.append(json.loads(proc.stdout))
    return results, 0


def _ratio(a, b):
    return a / b if a and b else None


def summarize(res):
    """Per level: the W1 ratios, the sweep's ratios and cliffs, and which goals are met."""
    w1 = res["w1"]
    base = w1["numpy-onehot"]["median_s"]
    s = {
        "w1_onehot": _ratio(base, w1["cython-onehot"]["median_s"]),
        "w1_ids": _ratio(base, w1["cython-ids"]["median_s"]),
        "float32": _ratio(w1["cython-ids"]["median_s"], w1["cython-ids-float32"]["median_s"]),
    }
    rows = []
    pts = res["sweep"]
    t = [p["cython-ids"]["s_per_sample"] for p in pts]
    fpt = [p["flops_per_sample"] for p in pts]
    for i, p in enumerate(pts):
        cliff = None
        if 0 < i < len(pts) - 1:
            # the time its FLOPs predict from its neighbours: linear in FLOPs between them
            w = (fpt[i] - fpt[i - 1]) / (fpt[i + 1] - fpt[i - 1])
            cliff = t[i] / (t[i - 1] + w * (t[i + 1] - t[i - 1]))
        rows.append(
            {
                "n_cells": p["n_cells"],
                "compiled": t[i],
                "numpy": p["numpy-ids"]["s_per_sample"],
                "speedup": _ratio(p["numpy-ids"]["s_per_sample"], t[i]),
                "over_bound": t[i] / p["bound_s_per_sample"],
                "cliff": cliff,
            }
        )
    s["sweep"] = rows
    small = [r["speedup"] for r in rows if r["n_cells"] <= 128]
    wide = [r["speedup"] for r in rows if r["n_cells"] >= 256]
    s["sweep_small_min"] = min(small) if small else None
    s["sweep_wide_min"] = min(wide) if wide else None
    s["cliff_max"] = max((r["cliff"] for r in rows if r["cliff"]), default=None)
    return s


def _commit():
    """The checkout's commit (and '+' if it has uncommitted changes), or None."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=here,
            text=True,
            capture_output=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=here,
            text=True,
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if rev.returncode != 0:
        return None
    return rev.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def markdown(results, machine):
    def f(v, fmt="{:.2f}"):
        return "–" if v is None else fmt.format(v)

    commit = _commit()
    out = [
        f"# rnnfast at every CPU level\n\nCPU: {machine}"
        + (f"; commit {commit}" if commit else "")
        + ". Each level in its own process "
        "with rnnfast (`RNNFAST_CPU`), OpenBLAS (`OPENBLAS_CORETYPE`) and NumPy "
        "(`NPY_DISABLE_CPU_FEATURES`) held at that level; one thread.\n"
    ]
    sums = [summarize(r) for r in results]
    out.append(
        "## W1 (the source's workload: 32 cells, batch 32, bptt 10, one epoch + validation)\n"
    )
    out.append(
        "| level | dgemm GFLOP/s | NumPy one-hot s | compiled one-hot s | ids s | ids "
        "float32 s | one-hot speed-up | ids speed-up | float32 / float64 |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r, s in zip(results, sums):
        w = r["w1"]
        out.append(
            f"| {r['level']} | {r['dgemm_gflops']:.1f} | "
            f"{f(w['numpy-onehot']['median_s'], '{:.3f}')} | "
            f"{f(w['cython-onehot']['median_s'], '{:.3f}')} | "
            f"{f(w['cython-ids']['median_s'], '{:.3f}')} | "
            f"{f(w['cython-ids-float32']['median_s'], '{:.3f}')} | "
            f"**{f(s['w1_onehot'])}x** | **{f(s['w1_ids'])}x** | {f(s['float32'])}x |"
        )
    if results:
        w = results[0]["w1"]
        out.append(
            f"\n{w['n_train']:,} training + {w['n_val']:,} validation reviews "
            f"({w['data']}); medians of interleaved runs.\n"
        )
    out.append(
        "## n_cells sweep (token ids, 100 steps, one epoch, compiled vs the NumPy backend)\n"
    )
    head = "| n_cells |" + "".join(
        f" {r['level']}: compiled µs/sample | speed-up | time / FLOP bound | time / predicted |"
        for r in results
    )
    out.append(head)
    out.append("|---:|" + "---:|---:|---:|---:|" * len(results))
    for i, row in enumerate(sums[0]["sweep"] if sums else []):
        cells = [f"| {row['n_cells']} |"]
        for s in sums:
            q = s["sweep"][i]
            cells.append(
                f" {q['compiled'] * 1e6:.1f} | {f(q['speedup'])}x | "
                f"{f(q['over_bound'])} | {f(q['cliff'])} |"
            )
        out.append("".join(cells))
    out.append(
        "\nSpeed-up: the NumPy backend's time over the compiled one's. Time / predicted: "
        "a width's time over what the line through its two neighbours' (FLOPs, time) "
        "predicts for its FLOPs (a cliff shows as > 1.5).\n"
    )
    out.append("## The recurrent product: register tile or BLAS (forward, 32 rows, 50 steps)\n")
    out.append(
        "BLAS' time over the tile's (> 1: the tile is faster), and what the kernels "
        "choose at that width (`auto`), at each width the tile can take.\n"
    )
    out.append("| level | dtype | " + " | ".join(str(w) for w in PRODUCT_WIDTHS) + " |")
    out.append("|---|---|" + "---:|" * len(PRODUCT_WIDTHS))
    for r in results:
        for dtype in ("float64", "float32"):
            by_width = {p["n_cells"]: p for p in r.get("products", []) if p["dtype"] == dtype}
            cells = [
                f"{by_width[w]['blas'] / by_width[w]['own']:.2f} "
                f"{'tile' if by_width[w]['auto'] == 'tile' else 'BLAS'}"
                if w in by_width
                else ""
                for w in PRODUCT_WIDTHS
            ]
            out.append(f"| {r['level']} | {dtype} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("## Goals (issue 11)\n")
    for r, s in zip(results, sums):
        checks = [
            ("W1 token ids", s["w1_ids"], GOALS["w1_ids"]),
            ("W1 one-hot", s["w1_onehot"], GOALS["w1_onehot"]),
            ("sweep, every width <= 128 cells", s["sweep_small_min"], GOALS["sweep_small"]),
            ("sweep, 256-512 cells never slower", s["sweep_wide_min"], 1.0),
            ("float32 / float64, W1 token ids", s["float32"], GOALS["float32"]),
        ]
        parts = [
            f"{name} >= {goal:g}x: "
            + ("not measured" if v is None else f"{f(v)}x {'met' if v >= goal else 'NOT met'}")
            for name, v, goal in checks
        ]
        cliff = s["cliff_max"]
        parts.append(
            f"no width > {GOALS['sweep_cliff']:g}x the time its FLOPs predict from "
            f"its neighbours: "
            + (
                "not measured"
                if cliff is None
                else f"max {f(cliff)} {'met' if cliff <= GOALS['sweep_cliff'] else 'NOT met'}"
            )
        )
        out.append(
            f"- **{r['level']}** (load {r['load_average_start'][0]:.2f} -> "
            f"{r['load_average_end'][0]:.2f}): " + "; ".join(parts)
        )
    return "\n".join(out) + "\n"


def machine():
    """The CPU as /proc/cpuinfo names it, with its family/model and vector extensions."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    family = (
        f"family {fields['cpu family']} model {fields['model']}, "
        if "cpu family" in fields and "model" in fields
        else ""
    )
    return (
        f"{cpu_model()} ({family}{os.cpu_count()} logical CPUs; "
        f"{', '.join(cpu_flags_of_interest())})"
    )


def main(args):
    """``python -m benchmarks --cpu-levels`` (args from benchmarks.cli)."""
    log = (lambda m: None) if args.quiet else log_to_stderr
    results, code = run(args, log)
    if results:
        sys.stdout.write(markdown(results, machine()))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(
                {
                    "schema": "rnnfast-cpu-levels-1",
                    "cpu": machine(),
                    "commit": _commit(),
                    "levels": results,
                    "summary": [summarize(r) for r in results],
                },
                fh,
                indent=1,
            )
    return code


def _child_args(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks.levels")
    p.add_argument("--child", required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--samples", type=int, default=W1_TRAIN)
    p.add_argument("--data", default="auto")
    p.add_argument("--imdb")
    p.add_argument("--sweep-target", type=float, default=0.3)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--quiet", action="store_true")
    return p.parse_args(argv)


if __name__ == "__main__":
    a = _child_args(sys.argv[1:])
    child_main(a.child, a)

"""The W1 workload of ``python -m benchmarks``: the source's network on IMDB-sized reviews.

:func:`run_w1` times every W1 configuration (compiled and NumPy, one-hot and token ids) in
interleaved runs, with the peers (Keras, PyTorch) where asked, and records speedups, the FLOP
bound and the goals; then :func:`run_memory` (peak memory per configuration, in fresh child
processes) and :func:`run_breakdown` (per-kernel times).  Called by :mod:`benchmarks.cli`,
which also times its other parts with :class:`_Section`.
"""

import time

from . import workloads as wl
from .data import W1_FEATURES, W1_TRAIN, W1_VAL, one_hot, save_arrays, w1_ids
from .timing import interleave

#: The token-id W1 run's memory limit (issue 2's acceptance).
IDS_MEMORY_LIMIT = 150 * 10**6


class _Section:
    """Records how long each part of the run took (``doc["section_seconds"]``)."""

    def __init__(self, doc, name):
        self.doc, self.name = doc, name

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        self.doc.setdefault("section_seconds", {})[self.name] = time.perf_counter() - self.t0


def run_w1(args, doc, tmp, log, rate):
    sel = args.selected
    n_train, n_val = args.samples, max(1, args.samples * W1_VAL // W1_TRAIN)
    kind = "synthetic" if args.quick and args.data == "auto" and not args.imdb else args.data
    x, y, xv, yv, description = w1_ids(kind, args.imdb, n_train, n_val)
    T = x.shape[1]
    log(f"W1 data: {description}; building the float32 one-hot input once ...")
    oh, ohv = one_hot(x, W1_FEATURES), one_hot(xv, W1_FEATURES)
    inputs = {"ids": (x, y, xv, yv), "onehot": (oh, y, ohv, yv)}
    configs = wl.w1_configs()
    w1 = {
        "description": (
            f"{n_train:,} training + {n_val:,} validation sequences x {T} steps, "
            f"{W1_FEATURES} features (one-hot float32 {oh.nbytes + ohv.nbytes:,} "
            f"bytes), 32 cells, batch 32, bptt_steps=10, SGD lr 0.01, one epoch "
            f"of fit with x_val. Data: {description}."
        ),
        "data": description,
        "n_train": n_train,
        "n_val": n_val,
        "T": T,
        "runs": args.runs,
        "configs": {},
    }
    doc["w1"] = w1

    t_w1 = time.perf_counter()
    log(f"W1 correctness check on the first {wl.CHECK_SAMPLES} samples ...")
    records, _ = wl.check_slice(
        "W1", configs, inputs, wl.BASELINE, n=min(wl.CHECK_SAMPLES, n_train)
    )
    doc["checks"]["items"].extend(records)

    save_arrays(tmp, x_train=x, y_train=y, x_val=xv, y_val=yv)
    workers = {}
    if "peers" in sel:
        doc["peers"] = {}
        for peer in args.peers:
            dist = {"keras": "keras", "torch": "torch"}[peer]
            if doc["environment"].get(dist) is None or (
                peer == "keras" and doc["environment"].get("tensorflow") is None
            ):
                doc["peers"][peer] = {"error": f"not installed ({dist})"}
                log(f"peer {peer}: not installed, skipped")
                continue
            log(f"peer {peer}: starting its worker (imports, one-hot, model, warm-up) ...")
            try:
                from .procs import PeerWorker

                workers[peer] = PeerWorker(peer, tmp, args.threads, seed=1)
                doc["peers"][peer] = {"info": workers[peer].info}
            except Exception as exc:
                doc["peers"][peer] = {"error": f"{type(exc).__name__}: {exc}"}
                log(f"peer {peer}: {doc['peers'][peer]['error']}")
    try:
        items = []
        if "w1" in sel or workers:
            items = wl.w1_timed(
                configs
                if "w1" in sel
                else [c for c in configs if c["name"] == wl.BASELINE]
                + [c for c in configs if c["name"] == "cython-onehot"],
                inputs,
                log,
            )
            from .timing import Timed

            for peer, worker in workers.items():
                items.append(Timed("peer-" + peer, worker.run))
            log(f"W1: {args.runs} interleaved runs of {len(items)} configurations ...")
            interleave(items, args.runs, log)
    finally:
        for peer, worker in workers.items():
            worker.close()
            doc["peers"][peer]["peak_bytes"] = worker.peak_bytes
    by_name = {i.name: i for i in items}
    base = by_name.get(wl.BASELINE)
    base_med = base.median if base else None
    for cfg in configs:
        item = by_name.get(cfg["name"])
        if item is None:
            continue
        f = wl.flops_of(cfg, n_train, n_val, T)
        row = {
            "label": cfg["label"],
            "backend": cfg["backend"],
            "input": cfg["input"],
            "dense_kernel": cfg["dense_kernel"],
            **item.summary(),
            "losses": [i["loss"] for i in item.infos],
            "flops": f["flops"],
            "gemm_flops": f["gemm_flops"],
            "tanh_evals": f["tanh_evals"],
            "flops_parts": f,
            "path": wl.kernel_path(wl.make_network(cfg), cfg, inputs[cfg["input"]][0][:64]),
        }
        if item.median:
            row["samples_per_s"] = n_train / item.median
            row["bound_s"] = f["flops"] / rate
            row["time_over_bound"] = item.median / row["bound_s"]
            if base_med:
                row["speedup_vs_numpy_onehot"] = base_med / item.median
        w1["configs"][cfg["name"]] = row
    losses = [loss for row in w1["configs"].values() for loss in row["losses"]]
    if losses:
        w1["loss_agreement"] = (max(losses) - min(losses)) / max(abs(min(losses)), 1e-300)
    c = w1["configs"]

    def med(n):
        return c.get(n, {}).get("median_s")

    w1["speedups"] = {
        "baseline": "numpy-onehot median / configuration median, same interleaved run",
        "onehot": c.get("cython-onehot", {}).get("speedup_vs_numpy_onehot"),
        "onehot_sparse": c.get("cython-onehot-sparse", {}).get("speedup_vs_numpy_onehot"),
        "onehot_blas": c.get("cython-onehot-blas", {}).get("speedup_vs_numpy_onehot"),
        "ids": c.get("cython-ids", {}).get("speedup_vs_numpy_onehot"),
        "ids_vs_numpy_ids": (
            med("numpy-ids") / med("cython-ids") if med("numpy-ids") and med("cython-ids") else None
        ),
    }
    s = w1["speedups"]
    w1["goals"] = [
        g
        for g in (
            {"name": "W1 one-hot vs NumPy one-hot", "target": 3.2, "measured": s["onehot"]},
            {"name": "W1 token ids vs NumPy one-hot", "target": 8.5, "measured": s["ids"]},
        )
        if g["measured"] is not None
    ]
    for g in w1["goals"]:
        g["met"] = g["measured"] >= g["target"]
    for peer, p in doc.get("peers", {}).items():
        item = by_name.get("peer-" + peer)
        if item is None:
            continue
        p.update(item.summary())
        p["losses"] = [i.get("loss") for i in item.infos]
        if item.median and base_med:
            p["speedup_vs_numpy_onehot"] = base_med / item.median
        if item.median and med("cython-onehot"):
            p["rnnfast_onehot_speedup"] = item.median / med("cython-onehot")
        if item.median and med("cython-ids"):
            p["rnnfast_ids_speedup"] = item.median / med("cython-ids")

    doc.setdefault("section_seconds", {})["w1"] = time.perf_counter() - t_w1
    if "memory" in sel:
        with _Section(doc, "memory"):
            run_memory(args, doc, tmp, configs, log)
    if "breakdown" in sel:
        with _Section(doc, "breakdown"):
            run_breakdown(args, doc, configs, inputs, log)


def run_breakdown(args, doc, configs, inputs, log):
    doc["breakdown"] = {}
    log("per-batch kernel times ...")
    try:
        doc["per_batch_us"] = wl.per_batch_kernels(
            inputs["ids"][0],
            inputs["onehot"][0],
            W1_FEATURES,
            rounds=5 if args.quick else 30,
            calls=2 if args.quick else 10,
        )
    except Exception as exc:  # the backend's internal API changed: say so, go on
        doc["per_batch_us"] = {"error": f"{type(exc).__name__}: {exc}"}
    for cfg in configs:
        if cfg["backend"] != "cython":
            continue
        log(f"breakdown {cfg['name']} ...")
        x, y, xv, yv = inputs[cfg["input"]]
        try:
            b = wl.kernel_breakdown(cfg, x, y, xv, yv, repeats=1 if args.quick else 3)
        except Exception as exc:  # the backend's internal API changed: say so, go on
            b = {"error": f"{type(exc).__name__}: {exc}"}
        doc["breakdown"][cfg["name"]] = b


def run_memory(args, doc, tmp, configs, log):
    from .procs import run_memory_child

    mem = {
        "method": "Peak resident memory of a fresh Python process that loads the token ids, "
        "builds the configuration's input exactly as W1 does (float32 one-hot for "
        "one-hot configurations) and runs one epoch of fit with validation; "
        "'input-only child' is the same process without the fit (same imports), "
        "so Δ is what training adds. The peak is the child's VmHWM "
        "(/proc/self/status): its getrusage ru_maxrss is also recorded in the "
        "JSON but over-reports, because Linux carries the parent's peak RSS "
        "across the child's exec (a child of this 1 GB process would report at "
        "least 1 GB).",
        "configs": {},
        "baselines": {},
    }
    doc["memory"] = mem
    for kind in ("onehot", "ids"):
        cfg = next(c for c in configs if c["input"] == kind)
        log(f"memory: input-only child ({kind}) ...")
        mem["baselines"][kind] = run_memory_child(tmp, cfg, "baseline", args.threads)
    if args.quick:  # the smoke run measures the two compiled defaults only
        configs = [c for c in configs if c["name"] in ("cython-onehot", "cython-ids")]
    for cfg in configs:
        log(f"memory: {cfg['name']} ...")
        r = run_memory_child(tmp, cfg, "run", args.threads)
        base = mem["baselines"][cfg["input"]]["peak_bytes"]
        mem["configs"][cfg["name"]] = {
            "peak_bytes": r["peak_bytes"],
            "baseline_bytes": base,
            "delta_bytes": r["peak_bytes"] - base,
            "input_bytes": r["input_bytes"],
            "ru_maxrss_bytes": r["ru_maxrss_bytes"],
            "child_fit_seconds": r.get("seconds"),
            "child_loss": r.get("loss"),
        }
    ids = mem["configs"].get("cython-ids")
    if ids:
        mem["ids_limit"] = {
            "peak_bytes": ids["peak_bytes"],
            "limit_bytes": IDS_MEMORY_LIMIT,
            "met": ids["peak_bytes"] <= IDS_MEMORY_LIMIT,
        }

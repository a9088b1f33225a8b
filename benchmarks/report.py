"""The report: markdown tables (stdout), the JSON document, PNG plots of the sweeps."""

import os

MB = 1e6


def _f(value, fmt="{:.3f}", none="–"):
    return none if value is None else fmt.format(value)


def _mb(value, fmt="{:.0f}"):
    return _f(None if value is None else value / MB, fmt)


def _table(header, rows):
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def environment_md(env, rates):
    blas = env.get("blas") or []
    blas_txt = (
        "; ".join(
            f"{b.get('internal_api')} {b.get('version')} ({b.get('prefix')}, kernel "
            f"{b.get('architecture')}, {b.get('threading_layer')}, default threads "
            f"{b.get('num_threads')})"
            for b in blas
            if b.get("user_api") == "blas"
        )
        or "unknown"
    )
    rows = [
        (
            "CPU",
            f"{env['cpu_model']} ({env['logical_cpus']} logical CPUs; "
            f"{', '.join(env['cpu_flags']) or 'no AVX'})",
        ),
        (
            "memory",
            _f(
                None if env.get("memory_bytes") is None else env["memory_bytes"] / 2**30,
                "{:.1f} GiB",
            ),
        ),
        ("OS", env["platform"]),
        ("Python / NumPy / SciPy", f"{env['python']} / {env['numpy']} / {env['scipy']}"),
        ("BLAS (threadpoolctl)", blas_txt),
        (
            "threads",
            f"{env['threads']} (threadpool_limits; OPENBLAS_CORETYPE="
            f"{env['OPENBLAS_CORETYPE'] or 'unset'}; BLAS threads as the kernels read "
            f"them: {env.get('kernels_blas_threads', '–')})",
        ),
        ("rnnfast tanh", env["tanh_kind"]),
        (
            "load average (1/5/15 min)",
            f"{env.get('load_average_start')} at start, "
            f"{env.get('load_average_end')} at end "
            f"(other processes share the machine)",
        ),
        (
            "peers installed",
            f"tensorflow {env['tensorflow'] or '–'}, "
            f"keras {env['keras'] or '–'}, torch {env['torch'] or '–'}",
        ),
    ]
    if rates.get("dgemm"):
        d = rates["dgemm"]
        rows.append(
            (
                "dgemm rate",
                f"{d['n']}x{d['n']} float64, best of {d['repeats']} (median): NumPy's BLAS "
                f"{d['numpy_gflops_best']:.1f} ({d['numpy_gflops_median']:.1f}) GFLOP/s, "
                f"SciPy's BLAS (the kernels') {_f(d.get('scipy_gflops_best'), '{:.1f}')} "
                f"({_f(d.get('scipy_gflops_median'), '{:.1f}')}) GFLOP/s; the bound uses "
                f"{d['bound_gflops']:.1f}",
            )
        )
    return "## Machine\n\n" + _table(("", ""), rows)


def w1_md(w1, memory):
    cfgs = w1["configs"]
    mem = (memory or {}).get("configs", {})
    rows = []
    for name, c in cfgs.items():
        m = mem.get(name, {})
        ratio = c.get("speedup_vs_numpy_onehot")
        rows.append(
            (
                c["label"],
                _f(c.get("median_s")),
                f"{_f(c.get('min_s'))}–{_f(c.get('max_s'))}",
                _f(c.get("samples_per_s"), "{:,.0f}"),
                _f(ratio, "**{:.2f}x**" if name in ("cython-onehot", "cython-ids") else "{:.2f}x"),
                _f(c.get("flops") and c["flops"] / 1e9, "{:.2f}"),
                _f(c.get("time_over_bound"), "{:.1f}x"),
                _mb(m.get("peak_bytes")),
                _mb(m.get("delta_bytes"), "{:+.0f}"),
            )
        )
    text = [
        f"## W1: the source's workload\n\n{w1['description']}\n",
        _table(
            (
                "configuration",
                "median s/epoch",
                "min–max s",
                "train samples/s",
                "speed-up vs NumPy one-hot",
                "GFLOP",
                "time / FLOP bound",
                "peak RSS MB (child)",
                "Δ vs input-only child MB",
            ),
            rows,
        ),
    ]
    notes = [
        f"Speed-ups: median of the NumPy reference on one-hot input divided by the "
        f"configuration's median, both from this interleaved run ({w1['runs']} runs each)."
    ]
    s = w1.get("speedups", {})
    if s.get("ids_vs_numpy_ids") is not None:
        notes.append(
            f"Token ids against the NumPy reference on token ids: {s['ids_vs_numpy_ids']:.2f}x."
        )
    for goal in w1.get("goals", []):
        mark = "met" if goal["met"] else "NOT met"
        notes.append(
            f"Goal {goal['name']}: >= {goal['target']}x, measured "
            f"{_f(goal['measured'], '{:.2f}')}x -> {mark}."
        )
    if memory and memory.get("ids_limit"):
        lim = memory["ids_limit"]
        notes.append(
            f"Token-id run peak memory {lim['peak_bytes'] / MB:.0f} MB total "
            f"(limit {lim['limit_bytes'] / MB:.0f} MB) -> "
            f"{'met' if lim['met'] else 'NOT met'}."
        )
    if w1.get("loss_agreement") is not None:
        notes.append(
            f"All configurations' epoch losses agree to {w1['loss_agreement']:.1e} (relative)."
        )
    text.append("\n".join("- " + n for n in notes))
    if memory:
        text.append(memory_md(memory))
    return "\n\n".join(text)


def memory_md(memory):
    rows = []
    for name, m in memory["configs"].items():
        rows.append(
            (
                name,
                _mb(m.get("peak_bytes")),
                _mb(m.get("baseline_bytes")),
                _mb(m.get("delta_bytes"), "{:+.0f}"),
                _mb(m.get("input_bytes")),
            )
        )
    return (
        "### Peak memory (a fresh process per configuration)\n\n"
        + _table(
            ("configuration", "peak RSS MB", "input-only child MB", "Δ MB", "input arrays MB"), rows
        )
        + "\n\n"
        + memory["method"]
    )


def peers_md(peers):
    if not peers:
        return ""
    lines = ["## Peers on W1 (one-hot)"]
    rows = []
    for name, p in peers.items():
        if p.get("error"):
            rows.append((name, p["error"], "", "", "", ""))
            continue
        info = p.get("info", {})
        version = ", ".join(f"{k} {info[k]}" for k in ("tensorflow", "keras", "torch") if k in info)
        rows.append(
            (
                name,
                version,
                _f(p.get("median_s")),
                _f(p.get("speedup_vs_numpy_onehot"), "{:.2f}x"),
                _f(p.get("rnnfast_onehot_speedup"), "{:.2f}x"),
                _mb(p.get("peak_bytes")),
            )
        )
    lines.append(
        _table(
            (
                "peer",
                "versions",
                "median s/epoch",
                "vs NumPy one-hot",
                "rnnfast compiled one-hot faster by",
                "peak RSS MB (worker)",
            ),
            rows,
        )
    )
    lines.append(
        "Peers run in their own worker process, interleaved with the rnnfast runs "
        "(same rounds). They train float32 with full BPTT over all 100 steps "
        "(rnnfast: float64, bptt_steps=10), batch 32, SGD lr 0.01, one epoch plus the "
        "validation pass; models: "
        + "; ".join(f"{k}: {v['info']['model']}" for k, v in peers.items() if v.get("info"))
    )
    return "\n\n".join(lines)


def w2_md(w2):
    if not w2.get("available"):
        return f"## W2\n\nW2: not available yet ({w2.get('reason', '')})"
    rows = [
        (c["label"], _f(c.get("median_s")), _f(c.get("speedup"), "{:.2f}x"))
        for c in w2["configs"].values()
    ]
    return (
        "## W2: the S3 embedding model with Adam\n\n"
        + w2["description"]
        + "\n\n"
        + _table(("configuration", "median s/epoch", "speed-up vs NumPy"), rows)
    )


def breakdown_md(bd):
    if not bd:
        return ""
    rows = []
    for name, b in bd.items():
        if "error" in b:
            rows.append((name, b["error"], "", "", "", "", "", "", ""))
            continue
        rows.append(
            (
                name,
                _f(b["prepare"]),
                _f(b["forward"]),
                _f(b["backward"]),
                _f(b["validation"]),
                _f(b["kernels_s"]),
                _f(b["fit_median_s"]),
                _f(b["outside_kernels_s"]),
                _f(b["outside_per_batch_us"], "{:.0f}"),
            )
        )
    reps = next((b["repeats"] for b in bd.values() if "repeats" in b), "")
    return (
        "## Where a compiled W1 epoch goes\n\n"
        + _table(
            (
                "configuration",
                "batch prep s",
                "forward kernel s",
                "backward kernel s",
                "validation forward s",
                "kernels s",
                "fit s",
                "fit − kernels − prep s",
                "µs per batch outside",
            ),
            rows,
        )
        + f"\n\nThe kernels are called through rnnfast's backend with fixed weights, one "
        f"epoch at a time, alternating with full `fit` epochs (medians of {reps}); the "
        "outside column is what fit spends around the kernels: the input check, and "
        "per batch the loss, optimiser, callbacks and history in Python.  Batch prep "
        "is the batches' copies and, for the default one-hot run, the one pass that "
        "recognises one-hot input (train and validation) so that it runs as token ids.  "
        "Token-id runs without callbacks train their full batches in one compiled SGD "
        "loop (no Python between batches), so fit can take less than the kernels "
        "called here one batch at a time: the outside column is then negative."
    )


def per_batch_md(pb, tanh_ns):
    if not pb:
        return ""
    if "error" in pb:
        return f"Per-batch kernel times: not measured ({pb['error']})."
    rows = []
    for name in ("ids", "onehot in place", "onehot copied (BLAS)"):
        rows.append(
            (
                name,
                _f(pb.get(f"{name}: batch"), "{:.0f}"),
                _f(pb.get(f"{name}: forward"), "{:.0f}"),
                _f(pb.get(f"{name}: backward"), "{:.0f}"),
            )
        )
    m, T = pb["batch_size"], pb["T"]
    text = (
        f"### One W1 batch ({m} x {T}), µs per call\n\n"
        + _table(
            ("input reaches the kernels as", "make the batch", "forward", "backward (10 steps)"),
            rows,
        )
        + "\n\nMedians of interleaved rounds, through rnnfast's backend."
    )
    if tanh_ns:
        text += (
            f" For scale: the forward pass evaluates {m * T * 32:,} tanh, "
            f"{m * T * 32 * tanh_ns / 1e3:.0f} µs at the measured "
            f"{tanh_ns:.2f} ns/element, and makes {T} products of "
            f"{m}x32x32 ({2 * m * 32 * 32 * T / 1e6:.1f} MFLOP)."
        )
    return text


def sweeps_md(sweeps, budget):
    parts = [
        "## Scaling sweeps\n\nW1's settings (T=100, 32 cells, batch 32, bptt_steps=10) "
        "with one changed; synthetic ids; one epoch of fit without validation on n "
        "samples; microseconds per training sample (median). Bound: the FLOP count of the "
        "compiled (gather) algorithm at the measured dgemm rate. NumPy is skipped where "
        f"its runs would take more than {budget:g} s in all."
    ]
    for name, points in sweeps.items():
        rows = []
        for p in points:
            c = p["configs"]
            npo, cyo, cyi = c["numpy-onehot"], c["cython-onehot"], c["cython-ids"]
            label = "full" if p["value"] is None else p["value"]

            def us(r):
                return _f(r.get("s_per_sample") and r["s_per_sample"] * 1e6, "{:.1f}")

            rows.append(
                (
                    label,
                    p["n_samples"],
                    npo.get("skipped") or us(npo),
                    us(cyo),
                    us(cyi),
                    _f(cyo.get("speedup_vs_numpy_onehot"), "{:.2f}x"),
                    _f(cyi.get("speedup_vs_numpy_onehot"), "{:.2f}x"),
                    _f(cyi["bound_s_per_sample"] * 1e6, "{:.2f}"),
                    _f(cyi.get("time_over_bound"), "{:.1f}x"),
                )
            )
        parts.append(
            f"### {name} (`{points[0]['param']}`)\n\n"
            + _table(
                (
                    points[0]["param"],
                    "n",
                    "NumPy one-hot µs/sample",
                    "compiled one-hot µs/sample",
                    "compiled ids µs/sample",
                    "one-hot speed-up",
                    "ids speed-up (vs NumPy one-hot)",
                    "bound µs/sample",
                    "compiled ids / bound",
                ),
                rows,
            )
        )
    return "\n\n".join(parts)


def micro_md(rates):
    parts = []
    if rates.get("small_gemm"):
        rows = [
            (
                "x".join(map(str, r["shape"])),
                _f(r["us_per_call"], "{:.2f}"),
                _f(r["gflops"], "{:.2f}"),
            )
            for r in rates["small_gemm"]
        ]
        parts.append(
            "### Products of one time step (np.matmul from Python, best of 5)\n\n"
            + _table(("m x k x n", "µs per call", "GFLOP/s"), rows)
        )
    if rates.get("tanh"):
        t = rates["tanh"]
        parts.append(
            f"tanh: rnnfast kernels {_f(t.get('kernels_ns'), '{:.2f}')} ns/element, "
            f"np.tanh {_f(t.get('numpy_ns'), '{:.2f}')} ns/element (float64, in place)."
        )
    return ("## Building blocks\n\n" + "\n\n".join(parts)) if parts else ""


def markdown(doc):
    parts = ["# rnnfast benchmarks", environment_md(doc["environment"], doc.get("rates", {}))]
    if doc.get("w1"):
        parts.append(w1_md(doc["w1"], doc.get("memory")))
    if doc.get("peers"):
        parts.append(peers_md(doc["peers"]))
    if doc.get("w2") is not None:
        parts.append(w2_md(doc["w2"]))
    if doc.get("breakdown"):
        parts.append(breakdown_md(doc["breakdown"]))
    if doc.get("per_batch_us"):
        parts.append(
            per_batch_md(
                doc["per_batch_us"], doc.get("rates", {}).get("tanh", {}).get("kernels_ns")
            )
        )
    if doc.get("sweeps"):
        parts.append(sweeps_md(doc["sweeps"], doc["settings"]["numpy_budget_s"]))
    parts.append(micro_md(doc.get("rates", {})))
    parts.append("## FLOP model\n\n" + doc["flop_model"])
    parts.append(
        f"Correctness checks: {len(doc['checks']['items'])} comparisons against the "
        f"NumPy reference, all within {doc['checks']['tolerance']:g}: "
        f"{'passed' if doc['checks']['passed'] else 'FAILED'}. Total time "
        f"{doc['elapsed_s']:.0f} s."
    )
    return "\n\n".join(p for p in parts if p) + "\n"


def plots(doc, folder):
    """One log-log PNG per sweep (µs per sample against the swept value, the FLOP bound
    dashed).  Returns the files written, or a message if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None, "matplotlib is not installed: no plots (pip install matplotlib)"
    os.makedirs(folder, exist_ok=True)
    written = []
    styles = {
        "numpy-onehot": ("NumPy reference, one-hot", "o-"),
        "cython-onehot": ("compiled, one-hot", "s-"),
        "cython-ids": ("compiled, token ids", "^-"),
    }
    for name, points in doc.get("sweeps", {}).items():
        fig, ax = plt.subplots(figsize=(6, 4.2))
        xs = [p["T"] if p["value"] is None else p["value"] for p in points]
        for cname, (label, style) in styles.items():
            pts = [(x, p["configs"][cname].get("s_per_sample")) for x, p in zip(xs, points)]
            pts = [(x, y * 1e6) for x, y in pts if y]
            if pts:
                ax.plot(*zip(*pts), style, label=label)
        bound = [p["configs"]["cython-ids"]["bound_s_per_sample"] * 1e6 for p in points]
        ax.plot(xs, bound, "k--", label="FLOP bound (dgemm rate)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        param = points[0]["param"]
        ax.set_xlabel(param + (" (full = T)" if name == "bptt" else ""))
        ax.set_ylabel("µs per training sample (one epoch)")
        ax.set_title(f"rnnfast: cost against {param}")
        ax.set_xticks(xs)
        ax.set_xticklabels(["full" if p["value"] is None else str(p["value"]) for p in points])
        ax.minorticks_off()
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = os.path.join(folder, f"sweep_{name}.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written, None

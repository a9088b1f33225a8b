"""The workloads: configurations, the correctness check that precedes every timing, W1, W2, the
scaling sweeps and the kernel-time breakdown."""

import time

import numpy as np

from . import flops as fl
from .data import W1_FEATURES, one_hot, synthetic_ids
from .timing import Timed, interleave, stopwatch

#: The source's hyperparameters (S1).
BASE = {"n_cells": 32, "batch_size": 32, "learning_rate": 0.01, "bptt_steps": 10, "seed": 1}

#: W1's configurations: (name, label, backend, input, dense_kernel).
W1_CONFIGS = (
    ("numpy-onehot", "NumPy reference, one-hot (baseline)", "numpy", "onehot", None),
    (
        "cython-onehot",
        "compiled, one-hot (default: recognised as one-hot, read as token ids)",
        "cython",
        "onehot",
        None,
    ),
    (
        "cython-onehot-sparse",
        "compiled, one-hot, zero-skipping kernels read in place (dense_kernel='sparse')",
        "cython",
        "onehot",
        "sparse",
    ),
    (
        "cython-onehot-blas",
        "compiled, one-hot, BLAS path (dense_kernel='blas')",
        "cython",
        "onehot",
        "blas",
    ),
    ("cython-ids", "compiled, token ids", "cython", "ids", None),
    ("numpy-ids", "NumPy reference, token ids", "numpy", "ids", None),
)
BASELINE = "numpy-onehot"

#: Tolerance of the correctness check (relative, float64 throughout).
CHECK_RTOL = 1e-9
CHECK_SAMPLES = 64


class CheckFailed(RuntimeError):
    """The compiled result differs from the NumPy reference: no timing is meaningful."""


def config(name, backend, input_kind, dense_kernel=None, n_features=W1_FEATURES, **hp):
    c = dict(BASE)
    c.update(hp)
    c.update(
        name=name,
        backend=backend,
        input=input_kind,
        dense_kernel=dense_kernel,
        n_features=n_features,
    )
    return c


def w1_configs(**hp):
    return [
        dict(config(name, backend, kind, dk, **hp), label=label)
        for name, label, backend, kind, dk in W1_CONFIGS
    ]


def make_network(cfg):
    from rnnfast import RecurrentNetwork

    extra = {}
    if cfg.get("embedding_dim"):
        extra["embedding_dim"] = cfg["embedding_dim"]
    if cfg.get("optimizer"):
        extra["optimizer"] = cfg["optimizer"]
    if cfg.get("dtype"):
        extra["dtype"] = cfg["dtype"]
    net = RecurrentNetwork(
        cfg["n_cells"],
        cfg["batch_size"],
        cfg["learning_rate"],
        backend=cfg["backend"],
        bptt_steps=cfg["bptt_steps"],
        seed=cfg["seed"],
        **extra,
    )
    if cfg.get("dense_kernel"):
        net.dense_kernel = cfg["dense_kernel"]
    return net


def kernel_path(net, cfg, x):
    """Which code path a configuration takes (asked of the network; 'unknown' if it cannot
    tell)."""
    if cfg["backend"] == "numpy":
        return "numpy reference"
    if x.ndim == 2:
        return "ids kernels (gather / scatter-add)"
    try:
        in_place = net._reads_in_place(x)
    except Exception:
        return "unknown"
    return (
        "sparse kernels (one-hot read in place, zeros skipped)"
        if in_place
        else "dense kernels (batch copied to float64, BLAS input product)"
    )


def fit_once(cfg, x, y, xv=None, yv=None):
    """A fresh network, one epoch of fit; returns the network."""
    net = make_network(cfg)
    kwargs = {"n_features": cfg["n_features"]} if x.ndim == 2 else {}
    if xv is None:
        net.fit(x, y, epochs=1, **kwargs)
    else:
        net.fit(x, y, epochs=1, x_val=xv, y_val=yv, **kwargs)
    return net


def _rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return float(np.max(np.abs(a - b))) / scale if a.size else 0.0


def compare(net, ref):
    """Largest relative difference of losses, validation losses and weights."""
    diffs = {
        "losses": _rel(net.losses, ref.losses),
        "val_losses": _rel(net.val_losses, ref.val_losses) if ref.val_losses else 0.0,
    }
    a, b = net.get_weights(), ref.get_weights()
    diffs["weights"] = max(_rel(a[n], b[n]) for n in b)
    return diffs


def check_slice(workload, configs, inputs, reference, n=CHECK_SAMPLES, with_val=True):
    """Fit every configuration on the first n samples (and n // 4 validation samples), same
    seed, one epoch, and compare with ``reference``'s result.  Returns the check records and
    the seconds each fit took (used to size the sweeps).  Raises CheckFailed on a mismatch."""
    nets, seconds, records = {}, {}, []
    for cfg in configs:
        x, y, xv, yv = inputs[cfg["input"]]
        args = (x[:n], y[:n]) + (
            (xv[: max(1, n // 4)], yv[: max(1, n // 4)]) if with_val else (None, None)
        )
        seconds[cfg["name"]], nets[cfg["name"]] = stopwatch(lambda: fit_once(cfg, *args))
    ref = nets[reference]
    for cfg in configs:
        if cfg["name"] == reference:
            continue
        diffs = compare(nets[cfg["name"]], ref)
        ok = all(d <= CHECK_RTOL for d in diffs.values())
        records.append(
            {
                "workload": workload,
                "config": cfg["name"],
                "reference": reference,
                "samples": n,
                "max_rel_diff": diffs,
                "tolerance": CHECK_RTOL,
                "passed": ok,
            }
        )
        if not ok:
            raise CheckFailed(
                f"{workload}: {cfg['name']} differs from {reference} on the first {n} samples "
                f"(one epoch, seed {cfg['seed']}): relative differences {diffs} > "
                f"{CHECK_RTOL}.  The compiled kernels disagree with the NumPy reference; "
                "timings would be meaningless."
            )
    return records, seconds


# --------------------------------------------------------------------------- W1


def w1_timed(configs, inputs, log):
    """Timed items for W1: one fresh network and one epoch of fit with validation each run."""
    items = []
    for cfg in configs:
        x, y, xv, yv = inputs[cfg["input"]]

        def run(cfg=cfg, x=x, y=y, xv=xv, yv=yv):
            seconds, net = stopwatch(lambda: fit_once(cfg, x, y, xv, yv))
            return seconds, {"loss": float(net.losses[0]), "val_loss": float(net.val_losses[0])}

        items.append(Timed(cfg["name"], run))
    return items


def flops_of(cfg, n_train, n_val, T):
    gather = cfg["input"] == "ids" or (
        cfg["backend"] == "cython"
        and cfg["input"] == "onehot"
        and cfg.get("dense_kernel") != "blas"
    )
    return fl.epoch_flops(
        n_train,
        cfg["batch_size"],
        T,
        cfg["n_cells"],
        cfg["n_features"],
        cfg["bptt_steps"],
        gather,
        n_val,
    )


# --------------------------------------------------------------------------- W2


W2_HP = {
    "n_cells": 8,
    "batch_size": 32,
    "learning_rate": 0.001,
    "optimizer": "adam",
    "embedding_dim": 32,
    "bptt_steps": None,
    "n_features": 1000,
}


def w2_available():
    """(True, "") if RecurrentNetwork takes ``embedding_dim``; else (False, why)."""
    try:
        from rnnfast import RecurrentNetwork

        net = RecurrentNetwork(8, 32, 0.001, embedding_dim=32, optimizer="adam", seed=1)
        rng = np.random.default_rng(0)
        net.fit(rng.integers(0, 10, (4, 3)), np.array([0, 1, 0, 1]), epochs=1, n_features=10)
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""


def w2_configs(seed=1):
    return [
        dict(
            config("numpy-ids", "numpy", "ids", seed=seed, **W2_HP),
            label="NumPy reference, token ids (baseline)",
        ),
        dict(
            config("cython-ids", "cython", "ids", seed=seed, **W2_HP), label="compiled, token ids"
        ),
    ]


# --------------------------------------------------------------------------- sweeps

SWEEPS = {
    "T": ("T", (25, 50, 100, 200, 400, 800)),
    "n_cells": ("n_cells", (8, 32, 128, 512)),
    "batch": ("batch_size", (1, 8, 32, 128, 512)),
    "bptt": ("bptt_steps", (1, 10, None)),
}
QUICK_SWEEPS = {"T": (25, 50), "n_cells": (8,), "batch": (8,), "bptt": (None,)}
SWEEP_CONFIGS = (
    ("numpy-onehot", "NumPy reference, one-hot", "numpy", "onehot"),
    ("cython-onehot", "compiled, one-hot (default path)", "cython", "onehot"),
    ("cython-ids", "compiled, token ids", "cython", "ids"),
)
#: The largest one-hot array a sweep point builds (bytes).
SWEEP_ONEHOT_BYTES = 256 << 20


def sweep_point(
    name,
    value,
    *,
    runs,
    target_s,
    numpy_budget_s,
    rate_flops,
    log,
    max_n=None,
    n_check=CHECK_SAMPLES,
):
    """One point of a sweep: W1's settings with one of them changed, one epoch of fit (no
    validation) on n synthetic samples, n sized so the compiled run takes about target_s."""
    key = SWEEPS[name][0]
    T = value if key == "T" else 100
    hp = {k: v for k, v in BASE.items()}
    if key != "T":
        hp[key] = value
    nf = W1_FEATURES
    configs = [
        dict(config(cname, backend, kind, **hp), label=label)
        for cname, label, backend, kind in SWEEP_CONFIGS
    ]
    cap = max(hp["batch_size"], SWEEP_ONEHOT_BYTES // (T * nf * 4))
    if max_n:
        cap = min(cap, max_n)
    ids, labels = synthetic_ids(cap, T, nf, seed=1000 + T)
    n_check = min(n_check, cap)
    small = {
        "ids": (ids[:n_check], labels[:n_check], None, None),
        "onehot": (one_hot(ids[:n_check], nf), labels[:n_check], None, None),
    }
    records, check_s = check_slice(
        f"sweep {name}={value}", configs, small, "numpy-onehot", n=n_check, with_val=False
    )
    per_sample = min(check_s["cython-ids"], check_s["cython-onehot"]) / n_check
    # at least 4 batches and 128 samples (as far as the memory cap allows)
    n = int(np.clip(target_s / max(per_sample, 1e-9), max(4 * hp["batch_size"], 128), cap))
    n = max(min(cap, n - n % hp["batch_size"]), 1)
    x_ids, y = ids[:n], labels[:n]
    x_oh = one_hot(x_ids, nf)
    inputs = {"ids": (x_ids, y), "onehot": (x_oh, y)}
    est_numpy = check_s["numpy-onehot"] / n_check * n
    items = []
    for cfg in configs:
        x, yy = inputs[cfg["input"]]

        def run(cfg=cfg, x=x, yy=yy):
            seconds, net = stopwatch(lambda: fit_once(cfg, x, yy))
            return seconds, {"loss": float(net.losses[0])}

        items.append(Timed(cfg["name"], run))
    skipped = None
    if est_numpy * runs > numpy_budget_s:
        skipped = f"skipped (~{est_numpy:.1f} s/run x {runs} > {numpy_budget_s:g} s)"
        items = [i for i in items if i.name != "numpy-onehot"]
    interleave(items, runs, log)
    out = {
        "sweep": name,
        "param": key,
        "value": value,
        "T": T,
        "n_samples": n,
        "settings": {k: hp[k] for k in ("n_cells", "batch_size", "bptt_steps")},
        "checks": records,
        "configs": {},
    }
    for cfg in configs:
        gather = cfg["name"] != "numpy-onehot"
        f = fl.epoch_flops(n, hp["batch_size"], T, hp["n_cells"], nf, hp["bptt_steps"], gather)
        row = {
            "flops_per_sample": f["flops"] / n,
            "bound_s_per_sample": f["flops"] / n / rate_flops,
        }
        item = next((i for i in items if i.name == cfg["name"]), None)
        if item is None:
            row.update(median_s=None, s_per_sample=None, skipped=skipped)
        else:
            row.update(item.summary())
            if item.median is not None:
                row["s_per_sample"] = item.median / n
                row["time_over_bound"] = item.median / n / row["bound_s_per_sample"]
        out["configs"][cfg["name"]] = row
    base = out["configs"]["numpy-onehot"].get("s_per_sample")
    for cname, row in out["configs"].items():
        if base and row.get("s_per_sample"):
            row["speedup_vs_numpy_onehot"] = base / row["s_per_sample"]
    return out, records


# --------------------------------------------------------------------------- breakdown


def kernel_breakdown(cfg, x, y, xv, yv, repeats=3):
    """Where a compiled epoch goes: seconds inside the compiled kernels (forward, backward,
    validation forward) and in preparing batches, measured by calling rnnfast's backend
    (internal API) directly with fixed weights -- interleaved with full ``fit`` epochs, so both
    see the same load.  Returns medians; ``outside_kernels_s`` is what ``fit`` spends around
    the kernels (Python per batch: loss, optimiser, callbacks, history; the input check).
    ``prepare`` is the batches' copies plus, for the default one-hot run, the one-hot
    recognition that makes it a token-id run."""
    from rnnfast.backends import RowBatch

    net = make_network(cfg)
    net.init_weights(cfg["n_features"])
    params = net._params
    engine = net._engine
    k = min(cfg["bptt_steps"] or x.shape[1], x.shape[1])
    # The default compiled one-hot run: fit recognises the one-hot input (one pass over x and
    # x_val, counted as preparation) and trains on the token ids it encodes.
    recognised = (
        cfg["input"] == "onehot" and cfg["backend"] == "cython" and not cfg.get("dense_kernel")
    )
    in_place = cfg["input"] == "onehot" and cfg.get("dense_kernel") not in (None, "blas")
    rng = np.random.default_rng(0)
    err = rng.uniform(-0.5, 0.5, cfg["batch_size"])

    def prepare(src, rows):
        if cfg["input"] == "ids" or recognised:
            return src[rows]
        if in_place:
            return RowBatch(src, rows.astype(np.int64))
        return np.ascontiguousarray(src[rows], dtype=np.float64)

    def kernels_epoch():
        t = {"prepare": 0.0, "forward": 0.0, "backward": 0.0, "validation": 0.0}
        x, xv = x_in, xv_in
        if recognised:
            t0 = time.perf_counter()
            x, xv = net._kernel_form(x, "x"), net._kernel_form(xv, "x_val")
            t["prepare"] += time.perf_counter() - t0
        order = rng.permutation(len(x))
        bs = cfg["batch_size"]
        for s in range(0, len(x), bs):
            rows = order[s : s + bs]
            t0 = time.perf_counter()
            xb = prepare(x, rows)
            t1 = time.perf_counter()
            _, hs = engine.forward(xb, params, keep_states=True)
            t2 = time.perf_counter()
            engine.backward(xb, hs, err[: len(rows)], params, k, False)
            t3 = time.perf_counter()
            t["prepare"] += t1 - t0
            t["forward"] += t2 - t1
            t["backward"] += t3 - t2
        t0 = time.perf_counter()
        for s in range(0, len(xv), 256):
            engine.forward(
                prepare(xv, np.arange(s, min(s + 256, len(xv)))), params, keep_states=False
            )
        t["validation"] = time.perf_counter() - t0
        return t

    x_in, xv_in = x, xv
    runs, fits = [], []
    for _ in range(repeats):
        runs.append(kernels_epoch())
        fits.append(stopwatch(lambda: fit_once(cfg, x, y, xv, yv))[0])
    out = {key: float(np.median([r[key] for r in runs])) for key in runs[0]}
    out["kernels_s"] = out["forward"] + out["backward"] + out["validation"]
    out["fit_median_s"] = float(np.median(fits))
    out["outside_kernels_s"] = out["fit_median_s"] - out["kernels_s"] - out["prepare"]
    n_batches = -(-len(x) // cfg["batch_size"])
    out["outside_per_batch_us"] = out["outside_kernels_s"] / n_batches * 1e6
    out["repeats"] = repeats
    return out


def per_batch_kernels(x_ids, x_onehot, n_features, batch_size=32, rounds=30, calls=10):
    """Microseconds per call of the backend's forward and backward for one W1 batch, for each
    way the input reaches the kernels (token ids; one-hot read in place; one-hot copied to
    float64 for BLAS), interleaved round by round; medians.  Uses rnnfast.backends (internal).
    """
    from rnnfast.backends import RowBatch

    cfg = config("micro", "cython", "ids", n_features=n_features)
    net = make_network(cfg)
    net.init_weights(n_features)
    params, engine = net._params, net._engine
    rng = np.random.default_rng(3)
    rows = np.sort(rng.choice(len(x_ids), batch_size, replace=False)).astype(np.int64)
    err = rng.uniform(-0.5, 0.5, batch_size)
    k = min(BASE["bptt_steps"], x_ids.shape[1])
    batches = {
        "ids": lambda: np.ascontiguousarray(x_ids[rows]),
        "onehot in place": lambda: RowBatch(x_onehot, rows),
        "onehot copied (BLAS)": lambda: np.ascontiguousarray(x_onehot[rows], dtype=np.float64),
    }
    times = {f"{name}: {part}": [] for name in batches for part in ("batch", "forward", "backward")}
    for _ in range(rounds):
        for name, make in batches.items():
            t0 = time.perf_counter()
            for _ in range(calls):
                xb = make()
            t1 = time.perf_counter()
            for _ in range(calls):
                _, hs = engine.forward(xb, params, keep_states=True)
            t2 = time.perf_counter()
            for _ in range(calls):
                engine.backward(xb, hs, err, params, k, False)
            t3 = time.perf_counter()
            for part, dt in (("batch", t1 - t0), ("forward", t2 - t1), ("backward", t3 - t2)):
                times[f"{name}: {part}"].append(dt / calls * 1e6)
    out = {key: float(np.median(v)) for key, v in times.items()}
    out["batch_size"] = batch_size
    out["T"] = int(x_ids.shape[1])
    return out

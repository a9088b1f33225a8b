"""The FLOP model of a training epoch and this machine's dgemm rate: the limit a configuration
is compared with.

What is counted (one multiply or one add = one FLOP; a batch of m samples, T steps, nc cells,
nf features, k = min(bptt_steps, T) steps back):

forward, per batch
    input      dense product ``x_t w1x`` for all steps: 2 m T nf nc  (the BLAS path, NumPy on
               one-hot) -- or, for token ids and for the zero-skipping one-hot path, a row
               gather: m T nc (the add of b1; the multiply by the stored 1.0 is not counted)
    bias       m T nc (dense path only; the gather's add above is the bias)
    recurrent  2 m nc^2 per step, T - 1 steps (the first starts from the zero state: no product)
    output     2 m nc (z2 = h_T w2 + b2)
    tanh       m T nc evaluations, counted separately (not FLOPs; see ``tanh_evals``)
backward, per batch
    output     2 m nc (w2 gradient) + m (b2) + 4 m nc (delta at the last step)
    each of the k visited steps
               w1h gradient 2 m nc^2, w1x gradient 2 m nf nc (dense) or m nc (scatter-add),
               b1 gradient m nc, gradient norm 2 m nc
    each of the k - 1 propagations
               2 m nc^2 (``delta w1h^T``) + 3 m nc (``* (1 - h^2)``)
update, per batch   2 (nc^2 + nf nc + 2 nc + 1) (SGD)
validation    the forward pass above for every validation sample

``flops`` is the sum; ``bound_s = flops / R`` with R this machine's measured large-dgemm rate
(the fastest of several square products of ``--dgemm-n``, through NumPy's BLAS and through
SciPy's -- the kernels' -- whichever is faster; threads as the benchmark's).  An
epoch cannot run faster than ``bound_s``: every FLOP counted is necessary and none runs faster
than a large dgemm does.
"""

import time

import numpy as np


def _forward(m, T, nc, nf, gather):
    if gather:
        inp = m * T * nc
    else:
        inp = 2 * m * T * nf * nc + m * T * nc
    rec = 2 * m * nc * nc * (T - 1)
    return inp + rec + 2 * m * nc, rec + (0 if gather else 2 * m * T * nf * nc)


def _backward(m, T, nc, nf, k, gather):
    out = 2 * m * nc + m + 4 * m * nc
    step = 2 * m * nc * nc + (m * nc if gather else 2 * m * nf * nc) + m * nc + 2 * m * nc
    prop = 2 * m * nc * nc + 3 * m * nc
    gemm = k * 2 * m * nc * nc + (0 if gather else k * 2 * m * nf * nc) + (k - 1) * 2 * m * nc * nc
    return out + k * step + (k - 1) * prop, gemm


def epoch_flops(n_train, batch, T, nc, nf, bptt_steps, gather, n_val=0):
    """FLOPs of one epoch of ``fit`` (plus the validation pass over n_val samples).

    Returns a dict: flops (all counted arithmetic), gemm_flops (the matrix-product part),
    tanh_evals, and the parts forward / backward / update / validation.
    """
    k = T if bptt_steps is None else min(bptt_steps, T)
    fwd = bwd = upd = gemm = 0
    full, rest = divmod(n_train, batch)
    for m, count in ((batch, full), (rest, 1 if rest else 0)):
        f, fg = _forward(m, T, nc, nf, gather)
        b, bg = _backward(m, T, nc, nf, k, gather)
        fwd += count * f
        bwd += count * b
        gemm += count * (fg + bg)
        upd += count * 2 * (nc * nc + nf * nc + 2 * nc + 1)
    val, valg = _forward(n_val, T, nc, nf, gather) if n_val else (0, 0)
    return {
        "flops": fwd + bwd + upd + val,
        "gemm_flops": gemm + valg,
        "tanh_evals": (n_train + n_val) * T * nc,
        "forward": fwd,
        "backward": bwd,
        "update": upd,
        "validation": val,
    }


def _best_and_median(fn, repeats):
    fn()  # warm-up: page in, pick kernels
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def dgemm_rate(n=2048, repeats=5):
    """GFLOP/s of ``a @ b`` for two (n, n) float64 matrices via NumPy (its BLAS) and via
    SciPy's BLAS (the one the compiled kernels call), alternating the two so that both see the
    same load.  Threads: as currently limited."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    c = np.empty((n, n))
    runs = {"numpy": lambda: np.matmul(a, b, out=c)}
    try:
        from scipy.linalg import blas

        at, bt, cf = np.asfortranarray(a), np.asfortranarray(b), np.asfortranarray(c)
        runs["scipy"] = lambda: blas.dgemm(1.0, at, bt, c=cf, overwrite_c=True)
    except ImportError:
        pass
    times = {k: [] for k in runs}
    for fn in runs.values():
        fn()  # warm-up: page in, pick kernels
    for _ in range(repeats):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    flop = 2.0 * n**3
    out = {"n": n, "repeats": repeats}
    for name, ts in times.items():
        out[f"{name}_gflops_best"] = flop / min(ts) / 1e9
        out[f"{name}_gflops_median"] = flop / float(np.median(ts)) / 1e9
    return out


#: The products the kernels make per step: (rows, inner, cols).
SMALL_GEMMS = ((32, 32, 32), (32, 128, 128), (32, 512, 512), (256, 32, 32), (3200, 100, 32))


def small_gemm_rates(repeats=5, min_seconds=0.05):
    """GFLOP/s of the small products of a time step, called from Python (``np.matmul`` with
    ``out=``; each call's ~1 us of Python overhead is included, and measured alone as the
    (1, 1, 1) product)."""
    rng = np.random.default_rng(1)
    rows = []
    for m, k, n in ((1, 1, 1),) + SMALL_GEMMS:
        a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
        c = np.empty((m, n))
        calls = max(1, int(min_seconds / (2.0 * m * k * n / 20e9 + 1e-6)))

        def run():
            for _ in range(calls):
                np.matmul(a, b, out=c)

        best, _ = _best_and_median(run, repeats)
        per_call = best / calls
        rows.append(
            {
                "shape": [m, k, n],
                "us_per_call": per_call * 1e6,
                "gflops": 2.0 * m * k * n / per_call / 1e9,
            }
        )
    return rows


def tanh_rates(n=1 << 20, repeats=5):
    """ns per element of the kernels' vector tanh (``rnnfast._kernels.vtanh``) and of
    ``np.tanh``, in place on n float64 values in [-3, 3]."""
    rng = np.random.default_rng(2)
    x = rng.uniform(-3, 3, n)
    out = {}
    y = x.copy()
    best, _ = _best_and_median(lambda: np.tanh(x, out=y), repeats)
    out["numpy_ns"] = best / n * 1e9
    try:
        from rnnfast import _kernels
    except ImportError:
        return out
    y = x.copy()

    def kern():
        y[:] = x
        _kernels.vtanh(y)

    best, _ = _best_and_median(kern, repeats)
    copy_best, _ = _best_and_median(lambda: np.copyto(y, x), repeats)
    out["kernels_ns"] = max(best - copy_best, 0.0) / n * 1e9
    return out

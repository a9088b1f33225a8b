"""The numbers a sweep answers with: a setting's mean over seeds with its 95% interval, and
the paired difference of two settings over the same seeds.

The interval is Student's t over the seeds (mean ± t(0.975, n-1) · s/√n).  The paired
difference is taken seed by seed (the two runs of a seed share their initial weights'
draw and their shuffles, so most of the seed-to-seed spread cancels); its p-values are the
paired t-test (SciPy) and the exact sign-flip permutation test, which assumes no normality
(every one of the 2^n sign patterns for n <= 16 seeds; 65,536 random ones, fixed seed,
beyond).
"""

from __future__ import annotations

import itertools

import numpy as np

LEVEL = 0.95
_EXACT_SIGN_FLIPS = 16


def interval(values, level=LEVEL):
    """``(mean, std, n, low, high)`` of ``values``: Student's t interval of the mean (NaN
    bounds for fewer than 2 values; a zero-width interval when all are equal)."""
    from scipy import stats

    v = np.asarray(values, dtype=float)
    n = len(v)
    mean = float(np.mean(v)) if n else float("nan")
    if n < 2:
        return mean, float("nan"), n, float("nan"), float("nan")
    std = float(np.std(v, ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * std / np.sqrt(n)
    return mean, std, n, mean - half, mean + half


def paired_t_pvalue(diffs):
    """Two-sided p of the paired t-test; for differences all equal (no spread), 1 if they
    are all zero and 0 otherwise (the limit of the test as the spread vanishes)."""
    from scipy import stats

    d = np.asarray(diffs, dtype=float)
    if len(d) < 2:
        return float("nan")
    if np.all(d == d[0]):
        return 1.0 if d[0] == 0 else 0.0
    return float(stats.ttest_1samp(d, 0.0).pvalue)


def sign_flip_pvalue(diffs):
    """Two-sided p of the sign-flip permutation test of a zero mean difference: the share of
    sign patterns whose |mean| is at least the observed one (observed pattern included)."""
    d = np.asarray(diffs, dtype=float)
    n = len(d)
    if n == 0:
        return float("nan")
    if n <= _EXACT_SIGN_FLIPS:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    else:
        rng = np.random.default_rng(0)
        signs = rng.choice((1.0, -1.0), size=(2**_EXACT_SIGN_FLIPS, n))
        signs[0] = 1.0
    observed = abs(d.mean())
    means = np.abs(signs @ d) / n
    # a relative tolerance: sums in another order may differ in the last bit
    return float(np.mean(means >= observed * (1 - 1e-12)))


def verdict(low, high):
    """``"higher"`` (the interval is above 0), ``"lower"`` or ``"no evidence"``."""
    if np.isnan(low) or np.isnan(high):
        return "too few seeds"
    if low > 0:
        return "higher"
    if high < 0:
        return "lower"
    return "no evidence"

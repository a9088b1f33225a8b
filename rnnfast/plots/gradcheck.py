"""The gradient check: relative error per parameter and rule (log scale).  Draws one or more
:class:`rnnfast.diagnostics.GradientCheck` results side by side."""

from __future__ import annotations

import numpy as np

from ._figure import Display, axes_for

#: below this a relative error is drawn at this height (a log axis has no 0)
FLOOR = 1e-17


def label(check):
    """The legend entry of one check: its rule and window."""
    window = "full" if check.bptt_steps == check.n_steps else f"k={check.bptt_steps}"
    return f"{check.backprop}, {window}"


def plot(*checks, ax=None, **kwargs):
    """Grouped bars: one group per parameter, one bar per check, the relative error of the
    gradient against central differences on a log axis (the exact rule with full BPTT:
    ~1e-9; the textbook rule or a short window: 0.1-1).  ax: an Axes or None; kwargs go to
    each ``ax.bar``.  Returns a :class:`Display`: ``data["params"]`` (n,),
    ``data["rel_error"]`` (n_checks, n) as in the checks' rows, ``data["labels"]``."""
    if not checks:
        raise TypeError("gradient_check plot needs at least one GradientCheck")
    (ax,), own = axes_for(ax, figsize=(6.0, 3.8))
    params = list(checks[0].rows)
    errors = np.array(
        [[c.rows[p].rel_error if p in c.rows else np.nan for p in params] for c in checks]
    )
    width = 0.8 / len(checks)
    x = np.arange(len(params))
    artists, labels = {}, []
    for i, check in enumerate(checks):
        labels.append(label(check))
        artists[labels[-1]] = ax.bar(
            x + (i - (len(checks) - 1) / 2) * width,
            np.maximum(errors[i], FLOOR),
            width,
            label=labels[-1],
            **kwargs,
        )
    ax.set_yscale("log")
    ax.set_xticks(x, params)
    ax.set_xlabel("parameter")
    ax.set_ylabel("relative error (log)")
    ax.set_title("gradient check: analytic vs central differences")
    ax.axhline(1e-6, color="grey", lw=1, ls=":", label="1e-6")
    ax.legend(fontsize="small")
    data = {"params": np.array(params), "rel_error": errors, "labels": np.array(labels)}
    return Display("GradientCheck", [ax], artists, data, own)

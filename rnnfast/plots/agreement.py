"""The rule agreement: cos(exact, textbook) per parameter, and w1h's asymmetry (the two rules
agree when w1h is symmetric).  Draws a :class:`rnnfast.diagnostics.RuleAgreement`."""

from __future__ import annotations

import numpy as np

from ._figure import Display, axes_for


def plot(result, ax=None, **kwargs):
    """Bars of the cosine per parameter (1 = the same direction), the line 1, and w1h's
    asymmetry in the title.  ax: an Axes or None (a new figure); kwargs go to ``ax.bar``.
    Returns a :class:`Display` with ``data["params"]`` (n,), ``data["cosine"]`` (n,),
    ``data["asymmetry"]`` ()."""
    (ax,), own = axes_for(ax, figsize=(5.0, 3.6))
    params = list(result.cosine)
    cosine = np.array([result.cosine[p] for p in params], dtype=np.float64)
    kwargs.setdefault("color", ["#d62728" if p == "w1h" else "#1f77b4" for p in params])
    bars = ax.bar(params, cosine, label="cos(exact, textbook)", **kwargs)
    unit = ax.axhline(1.0, color="grey", lw=1, ls=":", label="1 (same direction)")
    ax.set_ylim(min(-0.05, float(np.nanmin(cosine, initial=0)) - 0.05), 1.1)
    ax.set_xlabel("parameter")
    ax.set_ylabel("cosine")
    ax.set_title(
        f"exact vs textbook gradient, k={result.bptt_steps}; w1h asymmetry {result.asymmetry:.3f}"
    )
    ax.legend(loc="lower left", fontsize="small")
    data = {"params": np.array(params), "cosine": cosine, "asymmetry": np.float64(result.asymmetry)}
    return Display("RuleAgreement", [ax], {"bars": bars, "unit": unit}, data, own)

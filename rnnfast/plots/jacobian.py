"""Why gradients vanish: the measured factor per step back against the bound of Pascanu,
Mikolov & Bengio (2013) and the line 1, and the singular values of w1h.  Draws a
:class:`rnnfast.diagnostics.JacobianFactors`."""

from __future__ import annotations

import numpy as np

from ._figure import Display, axes_for


def plot(result, ax=None, *, review=None, **kwargs):
    """Left: ``||delta_(t-1)|| / ||delta_t||`` per step back (log scale) with its bound
    ``sigma_max(w1h) max(1 - h^2)`` and the line 1 (below it the error shrinks); right: the
    singular values of w1h, largest first.

    ax: None (a new figure, both panels), one Axes (the factors only) or two Axes.
    review: None for the batch (``batch_factors``, ``batch_bounds``), or an index i for
    review i's (``factors[i]``, ``bounds[i]``).  kwargs go to the measured line.
    Returns a :class:`Display`: ``data["steps_back"]`` (T - 1,) = 1 .. T - 1,
    ``data["measured"]``, ``data["bound"]`` (T - 1,), ``data["singular_values"]`` (nc,)
    when drawn.
    """
    axes, own = axes_for(ax, n=2, figsize=(9.0, 3.6))
    if review is None:
        measured, bound, who = result.batch_factors, result.batch_bounds, "batch"
    else:
        measured, bound, who = result.factors[review], result.bounds[review], f"review {review}"
    steps = np.arange(1, len(measured) + 1)
    left = axes[0]
    kwargs.setdefault("color", "#1f77b4")
    kwargs.setdefault("lw", 2)
    artists = {
        "measured": left.plot(steps, measured, label=f"measured ({who})", **kwargs)[0],
        "bound": left.plot(steps, bound, color="#d62728", ls="--", label="bound")[0],
        "unit": left.axhline(1.0, color="grey", lw=1, ls=":", label="1"),
    }
    left.set_yscale("log")
    left.set_xlabel("steps back")
    left.set_ylabel("factor (log)")
    left.set_title("factor per step back: ||delta_(t-1)|| / ||delta_t||")
    left.legend(fontsize="small")
    data = {"steps_back": steps, "measured": np.asarray(measured), "bound": np.asarray(bound)}
    if len(axes) > 1:
        right = axes[1]
        sv = np.asarray(result.singular_values)
        artists["singular_values"] = right.bar(
            np.arange(1, len(sv) + 1), sv, color="#7f7f7f", label="sigma_i(w1h)"
        )
        right.axhline(1.0, color="grey", lw=1, ls=":")
        right.set_xlabel("i (largest first)")
        right.set_ylabel("sigma")
        right.set_title(f"singular values of w1h (sigma_max {sv[0]:.3f})")
        right.legend(fontsize="small")
        data["singular_values"] = sv
    return Display("JacobianFactors", axes, artists, data, own)

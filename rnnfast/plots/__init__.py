"""Pictures of a network and of the BPTT lab, drawn with matplotlib.

matplotlib (``pip install matplotlib``; in the bench and test extras) is imported only
when a plot is asked for: importing this package does not import it.  Every function returns a
:class:`Display` (``figure_``, ``ax_``, ``axes_``, ``artists_`` and ``data``, the numbers
drawn); without ``ax=`` it draws on a new figure of its own (no pyplot state), which
Jupyter shows as a PNG and ``display.savefig(path)`` writes.

For a network:

* :func:`history` -- the losses and accuracies per epoch (the source's plot);
* :func:`grad_norms` -- the per-step gradient norm per epoch, ``kind="lines"|"heatmap"``;
* :func:`hidden_states` -- the hidden states of one review with its words;
* :func:`saliency` -- a review's words coloured by saliency, the truncated part grey
  (HTML in Jupyter, ``.plot()`` elsewhere).

The results of :mod:`rnnfast.diagnostics` plot themselves (``result.plot()``): the rule
agreement, the gradient check (:func:`gradient_check` draws several side by side) and the
Jacobian factors.  The numbers come from :mod:`rnnfast.plots._data`, which the app (gui/)
uses too.  ``Sweep.plot`` (:mod:`rnnfast.experiments`) draws sweeps.
"""

from ._figure import Display
from ._html import network_html, network_text
from .gradnorms import grad_norms
from .hidden import hidden_states
from .losses import history
from .truncation import Saliency, saliency


def gradient_check(*checks, ax=None, **kwargs):
    """Several :class:`rnnfast.diagnostics.GradientCheck` results side by side (one bar per
    check and parameter, log scale); see :func:`rnnfast.plots.gradcheck.plot`."""
    from .gradcheck import plot

    return plot(*checks, ax=ax, **kwargs)


__all__ = [
    "Display",
    "Saliency",
    "grad_norms",
    "gradient_check",
    "hidden_states",
    "history",
    "network_html",
    "network_text",
    "saliency",
]

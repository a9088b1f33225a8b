"""Warnings when training has gone bad, and the banner that shows them.

:func:`assess` (Qt-free) reads a run's history and the hidden states of the review shown:

* **saturated**: most hidden states at +-1 (``|h| > 0.99``): tanh's derivative ``1 - h^2`` is ~0
  there, so the error cannot flow back through the cells (what a learning rate of 10 does);
* **vanished**: the gradient norms of the latest batches underflow (``< 1e-30`` within 10 steps
  of the last word) or are all tiny (``< 1e-8``): the network has stopped learning;
* **diverging**: the loss far above chance (``> 1.5 ln 2``: confidently wrong), or non-finite;
* **chance**: the training loss stuck at ``ln 2`` (the network answers 0.5) for several epochs.

:class:`HealthBanner` shows them above the plots, in the language in use.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QLabel, QSizePolicy

from ..text.i18n import percent, translate

SATURATION = 0.99  # |h| above this is saturated
SATURATED_SHARE = 0.5  # "most" hidden states
UNDERFLOW = 1e-30  # a gradient norm below this has underflowed
TINY = 1e-8  # every gradient norm below this: nothing is learnt
CHANCE = math.log(2.0)
NEAR = 10  # the steps back where a healthy gradient never underflows
STUCK_EPOCHS = 5
RECENT = 20


def assess(history, states=None) -> list[tuple[str, dict]]:
    """The problems of a run: ``[(code, numbers), ...]`` with code in "diverging",
    "saturated", "vanished", "chance" (most serious first); empty when all is well."""
    found = []
    if history is None or not history.has_data:
        return found
    losses = np.asarray(history.batch_loss[-RECENT:], dtype=np.float64)
    finite = losses[np.isfinite(losses)]
    if len(losses) and (len(finite) < len(losses) or np.mean(finite) > 1.5 * CHANCE):
        found.append(
            ("diverging", {"loss": float(np.mean(finite)) if len(finite) else float("nan")})
        )
    if states is not None and np.size(states):
        share = float(np.mean(np.abs(np.asarray(states)) > SATURATION))
        if share >= SATURATED_SHARE:
            found.append(("saturated", {"share": share}))
    g = history.grad_matrix
    if len(g):
        recent = g[-RECENT:]
        # underflow near the last words only: far back, a vanishing gradient is the lesson,
        # not a fault
        low, high = float(np.nanmin(recent[:, :NEAR])), float(np.nanmax(recent))
        if low < UNDERFLOW or high < TINY:
            found.append(("vanished", {"min": low, "max": high}))
    el = [v for v in history.epoch_loss if math.isfinite(v)]
    if len(el) >= STUCK_EPOCHS and all(abs(v - CHANCE) < 0.005 for v in el[-STUCK_EPOCHS:]):
        found.append(("chance", {"epochs": STUCK_EPOCHS, "loss": el[-1]}))
    return found


def describe(code: str, numbers: dict) -> str:
    """One problem in a sentence with what to do, in the language in use."""
    if code == "diverging":
        return translate(
            "Health",
            "Diverging: the loss ({0}) is far above chance (ln 2 = 0.693): the network is "
            "confidently wrong. Lower the learning rate.",
        ).format(f"{numbers['loss']:.3g}")
    if code == "saturated":
        return translate(
            "Health",
            "Hidden states saturated: {0} of |h| > 0.99, where tanh' = 1 - h² is almost "
            "0 and the error cannot flow back. Lower the learning rate.",
        ).format(percent(numbers["share"]))
    if code == "vanished":
        return translate(
            "Health",
            "Gradient norms collapsed: ‖∂L/∂z1‖ between {0} and {1} in "
            "the latest batches: the weights no longer change.",
        ).format(f"{numbers['min']:.1e}", f"{numbers['max']:.1e}")
    if code == "chance":
        return translate(
            "Health",
            "Loss stuck at chance (ln 2 = 0.693) for {0} epochs: the network answers 0.5 "
            "for every review.",
        ).format(numbers["epochs"])
    return code


class HealthBanner(QLabel):
    """A warning strip above the plots, hidden while training looks healthy."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("health-banner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setStyleSheet(
            "QLabel { background: #fff3cd; color: #6b4e00; border: 1px solid #e0b000; "
            "padding: 4px; }"
        )
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.problems: list[tuple[str, dict]] = []
        self._key = None
        self.hide()

    def update_from(self, history, states=None):
        """Assess again (cheap: the latest batches and one review)."""
        key = (None if history is None else history.version, None if states is None else id(states))
        if key == self._key:
            return
        self._key = key
        self.show_problems(assess(history, states))

    def show_problems(self, problems):
        self.problems = list(problems)
        if not self.problems:
            self.hide()
            self.clear()
            return
        head = translate("Health", "Training has gone bad:")
        self.setText(f"<b>⚠ {head}</b> " + " ".join(describe(c, n) for c, n in self.problems))
        self.setToolTip(
            translate("Health", "Help > About the plots explains each plot and these warnings.")
        )
        self.show()

    def retranslate(self):
        self.show_problems(self.problems)

"""Qt-free presets of the BPTT lab: the "explode" start and the clipping modes.

The clipping modes map onto the network's constructor settings: ``none``, ``norm`` (the
global norm of all gradients, ``clip_norm``: Pascanu, Mikolov & Bengio 2013) and ``value``
(each entry into [-c, c], ``clip_value`` as min-char-rnn does).
"""

from __future__ import annotations

import numpy as np

from rnnfast import Callback

CLIP_MODES = ("none", "norm", "value")

#: sigma_max of w1h in the "explode" preset (the issue asks for 2-3)
EXPLODE_SIGMA = 2.5


def clip_settings(mode, threshold):
    """Constructor keywords for a clipping mode: ``{"clip_norm": .., "clip_value": ..}``
    (only the keys the mode sets; ``none`` gives ``clip_norm=None``)."""
    if mode not in CLIP_MODES:
        raise ValueError(f"mode must be one of {CLIP_MODES}, got {mode!r}")
    if mode == "none":
        return {"clip_norm": None}
    threshold = float(threshold)
    if not threshold > 0:
        raise ValueError(f"the clipping threshold must be > 0, got {threshold}")
    if mode == "norm":
        return {"clip_norm": threshold}
    return {"clip_norm": None, "clip_value": threshold}


def clip_mode(network):
    """``(mode, threshold)`` of a network's settings."""
    value = getattr(network, "clip_value", None)
    if value:
        return "value", float(value)
    if network.clip_norm:
        return "norm", float(network.clip_norm)
    return "none", None


def explode(rn, sigma_max=EXPLODE_SIGMA):
    """Rescale ``w1h`` so that its largest singular value is ``sigma_max`` (the network must
    have weights: ``init_weights`` or ``fit`` first).  With the source's orthogonal w1h every
    singular value becomes sigma_max: the per-step factor can then exceed 1, and unclipped
    gradients grow step after step back.  Returns the factor applied."""
    sigma_max = float(sigma_max)
    if not sigma_max > 0:
        raise ValueError(f"sigma_max must be > 0, got {sigma_max}")
    weights = rn.get_weights()
    current = float(np.linalg.svd(weights["w1h"], compute_uv=False)[0])
    if current == 0:
        raise ValueError("w1h is zero: there is nothing to rescale")
    scale = sigma_max / current
    weights["w1h"] = weights["w1h"] * scale
    rn.set_weights(weights)
    return scale


class ExplodeAtStart(Callback):
    """The "explode" preset as an ``rnnfast.Callback``: w1h rescaled to ``sigma_max`` once
    ``fit`` has initialised the weights (``on_train_begin``); the app adds it to a new run."""

    def __init__(self, sigma_max=EXPLODE_SIGMA):
        self.sigma_max = float(sigma_max)

    def on_train_begin(self, network, info):
        explode(network, self.sigma_max)

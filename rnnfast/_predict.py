"""Prediction and inspection for :class:`rnnfast.RecurrentNetwork`: the source's ``forpass``,
``predict``, ``score`` and ``update_val_loss``, scikit-learn's ``predict_proba``, and the hidden
states the app plots.  Input is checked once (``_check_x``), then read by the backend in chunks
(:func:`rnnfast.batching.chunks`) so a large validation set never needs a (m, T, n_cells) buffer
unless the states are asked for."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validation as v
from . import batching
from .backends import last_state
from .training import binary_crossentropy, sigmoid


class PredictionMixin:
    """Needs ``_check_x``, ``_batcher``, ``_engine``, ``_params``, ``_require_fitted``,
    ``n_cells``, ``dtype`` and ``val_losses`` (:class:`rnnfast.RecurrentNetwork`)."""

    def _forward_chunks(self, x, keep_states):
        """``(start, chunk, z2, hs)`` of the backend's forward over a checked x, in chunks."""
        for s, chunk in batching.chunks(x, self._batcher(x)):
            z2, hs = self._engine.forward(chunk, self._params, keep_states=keep_states)
            yield s, chunk, z2, hs

    def _logits(self, x):
        """z2 (m,) for a checked x."""
        out = np.empty(len(x), dtype=np.float64)
        for s, chunk, z2, _ in self._forward_chunks(x, keep_states=False):
            out[s : s + len(chunk)] = z2
        return out

    def _proba(self, x):
        return sigmoid(self._logits(x))

    def forpass(self, x: ArrayLike) -> np.ndarray:
        """The source's ``forpass``: the output layer's logit z2 (m, 1)."""
        self._require_fitted()
        x, _ = self._check_x(x)
        return self._logits(x).reshape(-1, 1)

    def predict(self, x: ArrayLike) -> np.ndarray:
        """(m, 1) bool: z2 > 0, as the source."""
        return self.forpass(x) > 0

    def predict_proba(self, x: ArrayLike) -> np.ndarray:
        """(m, 1) float: sigmoid(z2), the probability of class 1."""
        return sigmoid(self.forpass(x))

    def score(self, x: ArrayLike, y: ArrayLike) -> float:
        """Accuracy: the fraction of predictions equal to y."""
        pred = self.predict(x)
        y = v.check_labels(y, "y", len(pred))
        return float(np.mean(pred[:, 0] == (y > 0.5)))

    def hidden_states(self, x: ArrayLike) -> np.ndarray:
        """Hidden state of every step: (m, T, n_cells), ``[:, t]`` = h_t."""
        self._require_fitted()
        x, _ = self._check_x(x)
        out = np.empty((x.shape[0], x.shape[1], self.n_cells), dtype=self.dtype)
        for s, chunk, _, hs in self._forward_chunks(x, keep_states=True):
            out[s : s + len(chunk)] = np.swapaxes(hs[1:], 0, 1)
        return out

    def update_val_loss(self, x_val: ArrayLike, y_val: ArrayLike) -> None:
        """The source's method: append the validation loss of the current weights."""
        self._require_fitted()
        x_val, _ = self._check_x(x_val, "x_val")
        y_val = v.check_labels(y_val, "y_val", len(x_val))
        self.val_losses.append(binary_crossentropy(self._proba(x_val), y_val))

    def last_hidden_state(self, x: ArrayLike) -> np.ndarray:
        """h_T (m, n_cells) without storing the other steps."""
        self._require_fitted()
        x, _ = self._check_x(x)
        out = np.empty((len(x), self.n_cells), dtype=self.dtype)
        for s, chunk, _, hs in self._forward_chunks(x, keep_states=False):
            out[s : s + len(chunk)] = last_state(hs, x.shape[1])
        return out

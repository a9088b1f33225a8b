"""Prediction and inspection for :class:`rnnfast.RecurrentNetwork`: the source's ``forpass``,
``score`` and ``update_val_loss``; scikit-learn's ``predict`` (labels from ``classes_``),
``predict_proba`` (m, 2) and ``decision_function``; Keras' ``evaluate``; and the hidden
states the app plots.  Input is checked once (``_check_x``), then read by the backend in
chunks (:func:`rnnfast.batching.chunks`) so a large validation set never needs a
(m, T, n_cells) buffer unless the states are asked for."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _labels, batching
from . import _validation as v
from .backends import last_state
from .training import binary_crossentropy, sigmoid


class PredictionMixin:
    """Needs ``_check_x``, ``_batcher``, ``_engine``, ``_params``, ``_require_fitted``,
    ``classes_``, ``n_cells``, ``dtype`` and ``val_losses`` (:class:`rnnfast.RecurrentNetwork`)."""

    def _forward_chunks(self, x, keep_states, chunk_size=None):
        """``(start, chunk, z2, hs)`` of the backend's forward over a checked x, in chunks."""
        for s, chunk in batching.chunks(x, self._batcher(x), chunk_size):
            z2, hs = self._engine.forward(chunk, self._params, keep_states=keep_states)
            yield s, chunk, z2, hs

    def _logits(self, x, chunk_size=None):
        """z2 (m,) for a checked x."""
        out = np.empty(len(x), dtype=np.float64)
        for s, chunk, z2, _ in self._forward_chunks(x, False, chunk_size):
            out[s : s + len(chunk)] = z2
        return out

    def _proba(self, x):
        return sigmoid(self._logits(x))

    def _checked_logits(self, x, batch_size=None):
        """The logits of the classifier's methods (predict, predict_proba,
        decision_function, score, evaluate): x must have fit's time steps (scikit-learn's
        ``n_features_in_``)."""
        self._require_fitted()
        if batch_size is not None:
            batch_size = v.check_int(batch_size, "batch_size")
        x, _ = self._check_x(x)
        fitted_steps = self.__dict__.get("n_features_in_")
        if fitted_steps is not None and x.shape[1] != fitted_steps:
            raise ValueError(
                f"X has {x.shape[1]} features, but {type(self).__name__} is expecting "
                f"{fitted_steps} features as input (scikit-learn's words: X.shape[1] is the "
                f"time steps T; fit saw sequences of {fitted_steps} steps): pad or truncate x "
                f"to {fitted_steps} steps, e.g. rnnfast.preprocessing.pad_sequences(x, "
                f"maxlen={fitted_steps}); hidden_states and forpass read any length"
            )
        return self._logits(x, batch_size)

    def _encode(self, y, name, m):
        """Labels as float64 (m,) in {0, 1}: through ``classes_`` (any two labels)."""
        return _labels.encode(y, name, m, self.classes_)

    def decision_function(self, x: ArrayLike) -> np.ndarray:
        """(m,) float: the logit z2 (> 0: ``classes_[1]``), scikit-learn's."""
        return self._checked_logits(x)

    def forpass(self, x: ArrayLike) -> np.ndarray:
        """The source's ``forpass``: the output layer's logit z2, (m, 1) as the source (any
        number of time steps)."""
        self._require_fitted()
        x, _ = self._check_x(x)
        return self._logits(x).reshape(-1, 1)

    def predict(self, x: ArrayLike, batch_size: int | None = None) -> np.ndarray:
        """(m,) labels from ``classes_``: ``classes_[1]`` where z2 > 0 (scikit-learn's shape;
        the source returned (m, 1) bools).  ``batch_size``: rows per forward pass (Keras')."""
        positive = self._checked_logits(x, batch_size) > 0
        return self.classes_[positive.astype(np.intp)]

    def predict_proba(self, x: ArrayLike, batch_size: int | None = None) -> np.ndarray:
        """(m, 2) float: the probabilities of ``classes_[0]`` and ``classes_[1]``;
        ``[:, 1]`` is sigmoid(z2) (Keras' ``model.predict``)."""
        p = sigmoid(self._checked_logits(x, batch_size))
        return np.column_stack([1 - p, p])

    def score(self, x: ArrayLike, y: ArrayLike) -> float:
        """Accuracy: the fraction of predictions equal to y (labels as in fit)."""
        pred = self.predict(x)
        y = _labels.as_labels(y, "y", len(pred))
        return float(np.mean(pred == y))

    def evaluate(
        self, x: ArrayLike, y: ArrayLike, batch_size: int | None = None
    ) -> tuple[float, float]:
        """Keras' ``model.evaluate(x, y)``: ``(loss, accuracy)`` -- the source's
        binary cross-entropy and the accuracy.  ``batch_size``: rows per forward pass."""
        p = sigmoid(self._checked_logits(x, batch_size))
        y = self._encode(y, "y", len(p))
        return binary_crossentropy(p, y), float(np.mean((p > 0.5) == (y > 0.5)))

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
        y_val = self._encode(y_val, "y_val", len(x_val))
        self.val_losses.append(binary_crossentropy(self._proba(x_val), y_val))

    def last_hidden_state(self, x: ArrayLike) -> np.ndarray:
        """h_T (m, n_cells) without storing the other steps."""
        self._require_fitted()
        x, _ = self._check_x(x)
        out = np.empty((len(x), self.n_cells), dtype=self.dtype)
        for s, chunk, _, hs in self._forward_chunks(x, keep_states=False):
            out[s : s + len(chunk)] = last_state(hs, x.shape[1])
        return out

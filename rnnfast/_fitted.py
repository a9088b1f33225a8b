"""What ``fit`` leaves in a :class:`rnnfast.RecurrentNetwork`, and what it is before.

scikit-learn's convention: the constructor sets nothing but its parameters, the fitted
attributes (``classes_``, ``n_features_in_``, ``seed_``) exist only after ``fit``, and a
method that needs weights raises :class:`rnnfast.NotFittedError` before.  The textbook's and
Keras' names (``losses``, ``val_losses``, ``accuracies``, ``history``, ``stop_training``, ...)
are properties over private storage: ``rn.losses`` after ``fit`` is the list the textbook
plots (empty before), and scikit-learn sees no public attribute set outside ``fit``.

Setting a shape parameter (``n_cells``, ``embedding_dim``) to another value on a fitted
network makes it unfitted (:meth:`FittedState._forget_fit`): weights, optimiser state and
history are dropped, and the next call that needs weights says why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .exceptions import not_fitted

#: The fitted attributes (trailing underscore): removed when the network is made unfitted.
FITTED_ATTRIBUTES = ("classes_", "n_features_in_", "seed_")

_HISTORY = (
    "losses",
    "val_losses",
    "accuracies",
    "val_accuracies",
    "batch_losses",
    "grad_norms",
    "epoch_seconds",  # wall seconds of each epoch, its validation pass included
)


def _history_list(name):
    def get(self):
        return self._history[name]

    def set_(self, value):
        self._history[name] = list(value)

    return property(get, set_, doc=f"``{name}``: one entry per epoch (batch) of the fits so far.")


def _private(name, doc):
    def get(self):
        return self.__dict__.get("_" + name)

    def set_(self, value):
        self.__dict__["_" + name] = value

    return property(get, set_, doc=doc)


class FittedState:
    """Needs ``_params``, ``_opt``, ``_rng``, ``_lock``, ``n_cells``, ``embedding_dim`` and
    ``dtype`` (:class:`rnnfast.RecurrentNetwork`)."""

    losses = _history_list("losses")
    val_losses = _history_list("val_losses")
    accuracies = _history_list("accuracies")
    val_accuracies = _history_list("val_accuracies")
    batch_losses = _history_list("batch_losses")
    grad_norms = _history_list("grad_norms")
    epoch_seconds = _history_list("epoch_seconds")
    last_grad_norms = _private("last_grad_norms", "Per-step gradient norms of the last batch.")
    last_clip = _private("last_clip", "The last update's clipping report (see docs/API.md).")
    stop_training = _private(
        "stop_training", "Keras' flag: a callback sets it to stop training after this batch."
    )
    dense_kernel = _private(
        "dense_kernel",
        '"auto" | "blas" | "sparse": how dense input reaches the kernels (rnnfast.batching).',
    )

    def _reset_history(self):
        self._history = {name: [] for name in _HISTORY}
        self._last_grad_norms = None

    # ------------------------------------------------------------------ fitted or not
    @property
    def is_fitted(self) -> bool:
        return self._params is not None

    def __sklearn_is_fitted__(self) -> bool:
        return self._params is not None

    def _require_fitted(self):
        if self._params is None:
            raise not_fitted(
                (
                    self.__dict__.get("_unfitted_reason")
                    or "this RecurrentNetwork has no weights yet"
                )
                + ": call fit() (or init_weights()) first"
            )

    def _forget_fit(self, reason):
        """Make the network unfitted: weights, optimiser state, shuffling stream, history and
        fitted attributes dropped; ``reason`` starts the message of the next NotFittedError."""
        self._params = self._opt = self._rng = None
        self._reset_history()
        for name in FITTED_ATTRIBUTES:
            self.__dict__.pop(name, None)
        self._unfitted_reason = reason

    def _check_shape_change(self, name, value):
        """``name`` (n_cells or embedding_dim) set to ``value``: if the weights have another
        shape, the network becomes unfitted (see the module)."""
        if self._params is None:
            return
        with self._exclusive(f"set {name}"):
            if name == "n_cells":
                current = self._params["w1h"].shape[0]
            else:
                emb = self._params.get("embedding")
                current = None if emb is None else emb.shape[1]
            if value != current:
                self._forget_fit(
                    f"{name} was set to {value} on a fitted network whose weights have "
                    f"{name}={current}: the weights, optimiser state and history were dropped "
                    "(a shape parameter describes the weights; to keep them, set it back)"
                )

    # ------------------------------------------------------------------ Keras
    @property
    def history(self) -> dict[str, list[float]]:
        """Keras' ``History.history``: ``{"loss": [...], "accuracy": [...]}`` plus
        ``"val_loss"``/``"val_accuracy"`` with validation data; one value per epoch (the same
        lists as ``losses``, ``accuracies``, ...).  ``fit`` returns the network, so Keras'
        ``history = model.fit(...); history.history["loss"]`` works unchanged."""
        h = {"loss": self.losses, "accuracy": self.accuracies}
        if self.val_losses:
            h["val_loss"] = self.val_losses
        if self.val_accuracies:
            h["val_accuracy"] = self.val_accuracies
        return h

    def summary(self, print_fn: Callable[[str], object] | None = None) -> None:
        """Print the layers, their output shapes and parameter counts as Keras'
        ``model.summary()`` does (4,289 parameters for the source's S2: 100 features, 32
        cells).  ``print_fn``: a function taking one line (default ``print``)."""
        self._require_fitted()
        for line in summary_lines(self):
            (print_fn or print)(line)


def summary_lines(net):
    """The lines of :meth:`FittedState.summary` (of a fitted network)."""
    nf, nc, d = net.n_features, net.n_cells, net.embedding_dim
    rows = []
    if d:
        rows.append(("embedding (Embedding)", f"(None, None, {d})", nf * d))
    rows.append(("simple_rnn (SimpleRNN)", f"(None, {nc})", (d or nf) * nc + nc * nc + nc))
    rows.append(("dense (Dense)", "(None, 1)", nc + 1))
    total = sum(n for _, _, n in rows)
    size = _bytes(total * np.dtype(net.dtype).itemsize)
    rule = "_" * 65
    lines = [
        f'Model: "{type(net).__name__}"',
        rule,
        f" {'Layer (type)':<28}{'Output Shape':<26}{'Param #':>9}",
        "=" * 65,
    ]
    for i, (layer, shape, n) in enumerate(rows):
        lines.append(f" {layer:<28}{shape:<26}{n:>9,}")
        lines.append("=" * 65 if i == len(rows) - 1 else "")
    lines += [
        f"Total params: {total:,} ({size})",
        f"Trainable params: {total:,} ({size})",
        "Non-trainable params: 0 (0.00 B)",
        rule,
    ]
    return lines


def _bytes(n):
    return f"{n / 1024:.2f} KB" if n >= 1024 else f"{n:.2f} B"

"""Moving a :class:`rnnfast.RecurrentNetwork` out and in: ``save``/``load`` (one ``.npz``
file, :mod:`rnnfast.persistence`) and ``to_keras``/``from_keras`` (:mod:`rnnfast.keras`,
TensorFlow imported on first use)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from . import persistence

if TYPE_CHECKING:
    from .network import RecurrentNetwork


class Exchange:
    """save/load and Keras export/import for :class:`rnnfast.RecurrentNetwork`."""

    def save(self, path: str | os.PathLike) -> str:
        """Write hyperparameters, weights, optimiser state and history to an ``.npz`` file
        (atomically: see :mod:`rnnfast.persistence`).  Returns the path written (``.npz``
        appended if missing)."""
        return persistence.save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike, **overrides) -> RecurrentNetwork:
        """Read a network written by :meth:`save`; keyword overrides replace saved settings
        (e.g. ``backend="numpy"``, ``callbacks=[...]``)."""
        return persistence.load(cls, path, **overrides)

    def to_keras(self, **kwargs):
        """An equivalent Keras model holding copies of the weights (TensorFlow is imported
        now); see :func:`rnnfast.keras.to_keras` for ``n_steps``, ``dtype``, ``compile``."""
        from .keras import to_keras

        return to_keras(self, **kwargs)

    @classmethod
    def from_keras(cls, model, **kwargs):
        """A network holding copies of a Keras ``[Embedding,] SimpleRNN, Dense(1)`` model's
        weights; keywords are the constructor's (see :func:`rnnfast.keras.from_keras`)."""
        from .keras import from_keras

        return from_keras(model, network_class=cls, **kwargs)

"""The hidden states h_t of one review (T x n_cells, -1 .. 1), its words along the time axis,
as the app's hidden-states plot (the numbers: :func:`rnnfast.plots._data.review_states`)."""

from __future__ import annotations

import numpy as np

from . import _data
from ._figure import Display, axes_for


def hidden_states(rn, x_review, words=None, ax=None, *, label=None, **kwargs):
    """The hidden states of one review as an image: row t = h_t after word t, column = cell.

    x_review: one review, ids (T,) or dense (T, nf), or a batch of one; words: its words (a
    list, or a string such as ``imdb.decode_review(ids, word_index)``), else ``#id``;
    label: the review's label (0/1), shown with the prediction.  kwargs go to ``imshow``.
    Returns a :class:`Display`: ``data["states"]`` (T, n_cells) = ``rn.hidden_states(x)[0]``,
    ``data["proba"]`` (), ``data["words"]`` (T,).
    """
    states, proba = _data.review_states(rn, x_review)
    n_steps, n_cells = states.shape
    words = _data.as_words(words, n_steps, _data.review_ids(x_review))
    (ax,), own = axes_for(ax, figsize=(max(4.0, 2.0 + n_cells * 0.12), max(4.0, n_steps * 0.11)))
    kwargs.setdefault("cmap", "RdBu_r")
    image = ax.imshow(states, aspect="auto", vmin=-1, vmax=1, interpolation="nearest", **kwargs)
    ax.figure.colorbar(image, ax=ax, label="h", shrink=0.6)
    step = max(1, n_steps // 60)
    ticks = np.arange(0, n_steps, step)
    ax.set_yticks(ticks, [f"{words[t]}  {t}" if t % 10 == 0 else words[t] for t in ticks])
    ax.tick_params(axis="y", labelsize=6)
    ax.set_xlabel("cell")
    ax.set_ylabel("t: word")
    title = f"hidden states h_t, P(positive) = {proba:.3f}"
    if label is not None:
        right = (proba > 0.5) == bool(label)
        title += f" (label {int(label)}: {'right' if right else 'wrong'})"
    ax.set_title(title)
    data = {"states": states, "proba": np.float64(proba), "words": np.array(words)}
    return Display("hidden_states", [ax], {"image": image}, data, own)

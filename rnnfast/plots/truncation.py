"""The truncation wall: a review's words coloured by saliency ``||dz2 / dx_t||``, the words
before ``T - k`` greyed (truncated BPTT sends them no gradient at all, although the forward
pass read them).  As HTML in Jupyter (:meth:`Saliency._repr_html_`), as a figure elsewhere
(:meth:`Saliency.plot`).  The colours are the app's (:func:`rnnfast.plots._data.word_colour`).
"""

from __future__ import annotations

import numpy as np

from . import _data
from ._figure import Display, axes_for


class Saliency:
    """One review's saliency: ``values`` (T,) float64, ``words`` (T,) str, ``window`` k,
    ``ids`` (T,) or None.  ``dead`` (T,) bool: the words before ``T - k``."""

    def __init__(self, values, words=None, window=None, ids=None):
        self.values = np.asarray(values, dtype=np.float64).reshape(-1)
        n_steps = len(self.values)
        self.ids = None if ids is None else np.asarray(ids).reshape(-1)
        self.words = _data.as_words(words, n_steps, self.ids)
        self.window = n_steps if window is None else min(int(window), n_steps)
        self.dead = np.arange(n_steps) < n_steps - self.window

    def items(self):
        """``[(text, colour or None, dead)]``: the words as drawn (runs of padding merged)."""
        return _data.saliency_words(self.values, self.words, self.window, self.ids)

    def _repr_html_(self):
        from ._html import saliency_html

        return saliency_html(self)

    def __repr__(self):
        n = len(self.values)
        live = self.values[~self.dead]
        top = int(np.argmax(self.values)) if n else -1
        most = f", most salient: {self.words[top]!r} (t={top})" if n and live.size else ""
        return (
            f"Saliency(T={n}, window k={self.window}: {int(self.dead.sum())} words get no "
            f"gradient{most})"
        )

    def plot(self, ax=None, **kwargs):
        """Saliency per time step (log scale) with the truncated region shaded and the
        words along the time axis.  ax: an Axes or None; kwargs go to the line.  Returns a
        :class:`Display`: ``data["t"]`` (T,), ``data["saliency"]`` (T,) = ``values``,
        ``data["dead"]`` (T,) bool."""
        (ax,), own = axes_for(ax, figsize=(10.0, 3.4))
        n = len(self.values)
        t = np.arange(n)
        shown = np.where(self.values > 0, self.values, np.nan)  # log axis: no 0
        kwargs.setdefault("color", "#d62728")
        kwargs.setdefault("marker", "o")
        kwargs.setdefault("ms", 3)
        line = ax.plot(t, shown, label="saliency ||dz2/dx_t||", **kwargs)[0]
        artists = {"saliency": line}
        if self.dead.any():
            artists["dead"] = ax.axvspan(
                -0.5,
                n - self.window - 0.5,
                color="#bbbbbb",
                alpha=0.4,
                label=f"no gradient (t < T - k = {n - self.window})",
            )
        ax.set_yscale("log")
        ax.set_xlim(-0.5, n - 0.5)
        step = max(1, n // 25)  # every word of the window, every step-th before it
        ticks = np.union1d(t[::step], t[n - self.window :][-40:])
        ax.set_xticks(ticks, [self.words[i] for i in ticks], rotation=90, fontsize=7)
        ax.set_xlabel("time step t: word")
        ax.set_ylabel("saliency (log)")
        ax.set_title(f"saliency per word, BPTT window k = {self.window} of T = {n}")
        ax.legend(fontsize="small", loc="upper left")
        data = {"t": t, "saliency": self.values, "dead": self.dead}
        return Display("Saliency", [ax], artists, data, own)


def saliency(rn, x_review, words=None, **kwargs):
    """The saliency of one review under the network's window (or ``bptt_steps=``).

    x_review: one review, ids (T,) or dense (T, nf), or a batch of one; words: its words
    (a list, or a string such as ``imdb.decode_review(ids, word_index)``), else the ids.
    kwargs: ``backprop``, ``bptt_steps`` as :func:`rnnfast.diagnostics.saliency`.
    Returns a :class:`Saliency` (HTML in Jupyter; ``.plot()`` for a figure).
    """
    from .. import diagnostics

    x = _data.one_review(x_review)
    values = diagnostics.saliency(rn, x, **kwargs)[0]
    window = diagnostics._window(rn, kwargs.get("bptt_steps", diagnostics.NETWORK), x.shape[1])
    return Saliency(values, words, window, _data.review_ids(x))

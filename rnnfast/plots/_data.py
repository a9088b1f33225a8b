"""The numbers behind the pictures, prepared once for the library's plots and the app's.

NumPy only (no matplotlib, no Qt): :mod:`rnnfast.plots` draws these with matplotlib, the
desktop app (gui/) with pyqtgraph, so both show the same numbers from one computation.
"""

from __future__ import annotations

import numpy as np

#: the most decades of saliency below the review's largest that still get a colour
DECADES = 6.0

#: the padding id of the source's data (``pad_sequences``' 0) and how it is shown
PAD_ID = 0
PAD_WORD = "<pad>"

#: the history keys of a network (``rn.history``), in the order they are drawn
HISTORY_KEYS = ("loss", "val_loss", "accuracy", "val_accuracy")


# ---------------------------------------------------------------- saliency colours


def word_colour(value, top, decades=DECADES):
    """Background colour of a word: white to orange with ``log10(value / top)`` over
    ``decades``; None for a dead word (value 0, or no positive ``top``)."""
    if not value > 0 or not top > 0:
        return None
    strength = 1.0 + max(np.log10(value / top), -decades) / decades  # 0 .. 1
    r, g, b = 255, int(255 - 140 * strength), int(255 - 230 * strength)
    return f"#{r:02x}{g:02x}{b:02x}"


def decades_of(values):
    """The span in decades of the positive values (0.5 to :data:`DECADES`): the colour scale."""
    values = np.asarray(values, dtype=np.float64)
    live = values[values > 0]
    if live.size == 0:
        return DECADES
    return float(np.clip(np.log10(live.max() / live.min()), 0.5, DECADES))


def saliency_words(values, words, window, ids=None):
    """The words of one review with their colour, as the app's truncation view shows them.

    values (T,): saliency per time step; words (T,) str; window: k, the steps BPTT visits
    (words before ``T - k`` are dead: no gradient at all); ids (T,) optional: runs of the
    padding id shown as ``<pad>`` are collapsed into one item ``"<pad> xN"``.
    Returns a list of ``(text, colour or None, dead)``.
    """
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    words = list(words)
    if len(words) != len(values):
        raise ValueError(f"words has {len(words)} entries, the saliency {len(values)} steps")
    n_steps = len(values)
    dead = np.arange(n_steps) < n_steps - int(window)
    top = float(values.max()) if values.size else 0.0
    decades = decades_of(values)
    out, pads = [], 0
    for t, (word, value) in enumerate(zip(words, values)):
        if ids is not None and ids[t] == PAD_ID and word == PAD_WORD:
            pads += 1
            continue
        if pads:
            out.append((f"{PAD_WORD} x{pads}", None, bool(dead[t - 1])))
            pads = 0
        out.append((word, word_colour(value, top, decades), bool(dead[t])))
    if pads:
        out.append((f"{PAD_WORD} x{pads}", None, bool(dead[-1])))
    return out


# ---------------------------------------------------------------- gradient norms over training


def bin_rows(g: np.ndarray, max_rows: int) -> np.ndarray:
    """Mean over groups of consecutive rows of g (n, k) so that at most ``max_rows`` remain."""
    n = len(g)
    if n <= max_rows:
        return g
    f = int(np.ceil(n / max_rows))
    m = (n // f) * f
    out = g[:m].reshape(-1, f, g.shape[1]).mean(axis=1)
    if m < n:
        out = np.vstack([out, g[m:].mean(axis=0, keepdims=True)])
    return out


def log_heatmap(img):
    """log10 of a heatmap of norms (n, k) and its colour levels ``(lo, hi)``.

    Levels: the 1st and 99.5th percentiles of the finite logs rounded outwards to a tenth
    (readable colour-bar ticks, colours that do not flicker as rows arrive), at least 0.2
    apart; entries <= 0 (not visited) get ``lo``.  Levels are None when nothing is finite
    (then the image is returned with NaN for those entries).
    """
    img = np.asarray(img, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        logimg = np.log10(np.where(img > 0, img, np.nan))
    finite = logimg[np.isfinite(logimg)]
    if not finite.size:
        return logimg, None
    lo, hi = np.percentile(finite, [1, 99.5])
    lo, hi = np.floor(lo * 10) / 10, np.ceil(hi * 10) / 10
    if hi - lo < 0.2:
        lo, hi = lo - 0.1, hi + 0.1
    return np.where(np.isfinite(logimg), logimg, lo), (float(lo), float(hi))


def grad_norm_matrix(rn):
    """``rn.grad_norms`` as one array (epochs, k): row e = epoch e + 1's mean per-step
    gradient norm, column j = j steps back (j = 0: the last word).  Raises ValueError when
    the network has not been trained (no epoch recorded)."""
    norms = list(getattr(rn, "grad_norms", None) or [])
    if not norms:
        raise ValueError("this network has no gradient norms yet: call fit() first")
    k = max(len(np.ravel(n)) for n in norms)
    out = np.full((len(norms), k), np.nan)
    for e, n in enumerate(norms):
        n = np.asarray(n, dtype=np.float64).ravel()
        out[e, : len(n)] = n
    return out


# ---------------------------------------------------------------- history


def history_series(source):
    """The per-epoch metrics of a network (``rn.history``) or of a history dict:
    ``{key: (epochs (n,) 1-based, values (n,) float64)}`` for the keys of
    :data:`HISTORY_KEYS` that hold values."""
    h = source if isinstance(source, dict) else source.history
    out = {}
    for key in HISTORY_KEYS:
        values = np.asarray(h.get(key) or [], dtype=np.float64)
        if values.size:
            out[key] = (np.arange(1, values.size + 1), values)
    return out


# ---------------------------------------------------------------- one review


def one_review(x_review):
    """One review as a batch of one: token ids (T,) -> (1, T); a dense review (T, nf) (float)
    -> (1, T, nf); a batch of one ((1, T) ids or (1, T, nf)) as it is.  Raises ValueError for
    a batch of more than one."""
    x = np.asarray(x_review)
    if x.ndim == 1 or (x.ndim == 2 and not np.issubdtype(x.dtype, np.integer)):
        x = x[None]
    if x.ndim not in (2, 3) or len(x) != 1:
        raise ValueError(
            f"x_review must be one review (T,) ids or (T, n_features) dense, or a batch of "
            f"one, got an array of shape {np.shape(x_review)}"
        )
    return x


def review_states(rn, x_review):
    """The hidden states of one review and its probability of the positive class.

    x_review: one review (see :func:`one_review`).  Returns ``(states (T, n_cells) float64,
    a copy; proba float)``: ``states[t]`` = h_t after reading word t, ``proba`` =
    sigmoid(z2).  The app's hidden-states plot and :func:`rnnfast.plots.hidden_states`
    both take their numbers from here.
    """
    x = one_review(x_review)
    states = np.array(rn.hidden_states(x)[0], dtype=np.float64, copy=True)
    # P(positive) from the logit: predict_proba's columns follow classes_ (scikit-learn's
    # shapes) and refuse another length than fit's, while a review may have any length
    proba = float(1 / (1 + np.exp(-float(np.asarray(rn.forpass(x)).ravel()[0]))))
    return states, proba


def as_words(words, n_steps, ids=None):
    """Labels of the T time steps: ``words`` (a list, or a string split at spaces such as
    ``imdb.decode_review``'s), else the ids as ``#id``, else the step numbers."""
    if words is None:
        if ids is not None:
            return [f"#{int(i)}" for i in np.ravel(ids)]
        return [str(t) for t in range(n_steps)]
    if isinstance(words, str):
        words = words.split(" ")
    words = [str(w) for w in words]
    if len(words) != n_steps:
        raise ValueError(f"words has {len(words)} entries, the review {n_steps} steps")
    return words


def review_ids(x_review):
    """The token ids of one review (T,): ids as they are, dense (T, nf) -> argmax per step
    (the one-hot's word)."""
    x = one_review(x_review)[0]
    return x.astype(np.int64) if x.ndim == 1 else np.argmax(x, axis=1)


# ---------------------------------------------------------------- vanishing


def factor_summary(measured, bound, window):
    """What the app's vanishing view says under its plot, from the per-step factors.

    measured, bound (T - 1,): ``batch_factors``, ``batch_bounds`` of a
    :class:`rnnfast.diagnostics.JacobianFactors`; window: k.  Returns a dict: ``median``
    factor (NaN if none is finite), ``exceeded`` (times the factor is above the bound),
    ``product``: the factor over the window's k - 1 steps back (the error's shrink from the
    last step to the window's first).
    """
    measured = np.asarray(measured, dtype=np.float64)
    finite = measured[np.isfinite(measured)]
    return {
        "median": float(np.median(finite)) if finite.size else float("nan"),
        "exceeded": int(np.sum(measured > np.asarray(bound) * (1 + 1e-9))),
        "product": float(np.prod(finite[: int(window) - 1])) if finite.size else float("nan"),
    }

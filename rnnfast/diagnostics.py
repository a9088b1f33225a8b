"""The BPTT lab: the causes behind the loss and gradient-norm plots, as plain NumPy arrays.

Functions over a fitted :class:`rnnfast.RecurrentNetwork` and a batch, usable from a notebook
(the app shows the same numbers).  Each one teaches one thing:

* :func:`gradients` -- the batch-mean loss gradients exactly as training computes them
  (forward, output error ``a - y``, backward), for either backprop rule and any BPTT window,
  without changing the weights.  One SGD step moves each weight by ``-lr * gradients(...)``.
* :func:`gradient_check` -- is the gradient right?  Central differences of the loss (computed
  here in plain NumPy from the weights, not through the kernels) on sampled entries: the exact
  rule with full BPTT agrees to ~1e-9, the textbook rule (the source's missing transpose) does
  not, and truncation costs a direction (the cosine of truncated vs full gradient).
* :func:`rule_agreement` -- what the missing transpose changes: the cosine between the exact
  and the textbook gradient per parameter (their norms barely differ, their directions do),
  and the asymmetry of w1h, ``||w1h - w1h.T||_F / ||w1h||_F`` (a symmetric w1h makes the two
  rules the same).
* :func:`jacobian_factors` -- why gradients vanish: per step back, the measured shrink factor
  ``||delta_{t-1}|| / ||delta_t||`` with ``delta_{t-1} = (delta_t w1h^T) * (1 - h_{t-1}^2)``
  against the bound of Pascanu, Mikolov & Bengio (2013), ``sigma_max(w1h) max(1 - h_{t-1}^2)``,
  and the singular values of w1h.
* :func:`saliency` -- the truncation wall: ``||dz2 / dx_t||`` per review and word under the
  network's BPTT window, exactly zero before ``T - k`` although the forward pass read those
  words.

Notation as the source and :mod:`rnnfast.backends`: ``hs`` (T + 1, m, n_cells) with
``hs[0] = 0`` and ``hs[t + 1] = h_t``; ``delta_t = dL/dz1_t`` (the source's ``err_to_cell``);
"j steps back" is step ``t = T - 1 - j``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from . import _validation as v
from .backends import make_backend
from .plots._results import ResultDisplay  # plot, _repr_html_, __repr__ (no matplotlib)

if TYPE_CHECKING:
    from .network import RecurrentNetwork

#: ``bptt_steps=FULL`` (or None, as in the constructor) asks for full BPTT.
FULL = "full"
#: The default of ``bptt_steps`` and ``backprop``: the network's own window and rule (before
#: 0.4.0 ``bptt_steps=None`` meant this here; now None is full BPTT everywhere).
NETWORK = "network"

_ENGINES = {}


def _engine(rn):
    """One backend per name, shared (its work buffers are per thread)."""
    engine = _ENGINES.get(rn.backend)
    if engine is None:
        engine = _ENGINES[rn.backend] = make_backend(rn.backend)
    return engine


def _check_network(rn):
    rn._require_fitted()  # rnnfast.NotFittedError


def _batch(rn, x, y=None):
    """x as the backend reads it (dense (m, T, nf) in the network's dtype, or token ids
    (m, T) int32/int64), and y (m,) float64 (or None)."""
    _check_network(rn)
    x, kind = v.check_sequences(x, "x", n_features=rn.n_features)
    if rn.embedding_dim and kind != "ids":
        raise ValueError(
            f"x must be integer token ids (m, T) for a network with an "
            f"embedding layer, got dense input of shape {x.shape}"
        )
    x = np.ascontiguousarray(x, dtype=rn.dtype if kind == "dense" else None)
    return x, None if y is None else v.check_labels(y, "y", len(x))


def _rule(rn, backprop):
    """True for the textbook rule: ``backprop`` ("exact" | "textbook") or ``NETWORK``."""
    rule = rn.backprop if backprop == NETWORK else backprop
    return v.check_choice(rule, "backprop", {"exact", "textbook", NETWORK}) == "textbook"


def _window(rn, bptt_steps, n_steps):
    """k, the steps visited: ``NETWORK`` = the network's window, None or ``FULL`` = all (as
    the constructor's None), or an int."""
    if isinstance(bptt_steps, str) and bptt_steps == NETWORK:
        bptt_steps = rn.bptt_steps
    if bptt_steps is None or (isinstance(bptt_steps, str) and bptt_steps == FULL):
        return n_steps
    if isinstance(bptt_steps, str):
        raise TypeError(
            f'bptt_steps must be an integer >= 1, None or "full" (all steps) or "network" '
            f"(the network's window), got {bptt_steps!r}"
        )
    return min(v.check_int(bptt_steps, "bptt_steps"), n_steps)


def sigmoid(z):
    """The network's output function (z clipped at -100, so exp never overflows)."""
    return 1 / (1 + np.exp(-np.clip(z, -100, None)))


def _gradients(rn, x, y, textbook, k):
    engine = _engine(rn)
    params = rn.get_weights()
    z2, hs = engine.forward(x, params, keep_states=True)
    err = sigmoid(z2) - y  # as training: the backend casts it to the weights' dtype
    grads, _ = engine.backward(x, hs, err, params, k, textbook)
    return {n: np.array(g) for n, g in grads.items()}  # backend buffers: copy


def gradients(
    rn: RecurrentNetwork,
    x: ArrayLike,
    y: ArrayLike,
    *,
    backprop: str = NETWORK,
    bptt_steps: int | str | None = NETWORK,
) -> dict[str, np.ndarray]:
    """The batch-mean loss gradients of ``rn`` on (x, y), as training computes them.

    x: dense (m, T, n_features) or token ids (m, T); y: (m,) or (m, 1) in {0, 1}.
    backprop: "exact" | "textbook" | None (the network's rule).
    bptt_steps: int k >= 1 | None or ``FULL`` ("full"): every step, as the constructor's None
    | ``NETWORK`` ("network", the default): the network's own window.  backprop: "exact",
    "textbook" or ``NETWORK`` (the default: the network's rule).
    Returns a dict ``{name: array}`` with the weights' names and shapes (``w1h`` (nc, nc),
    ``w1x`` (nf or d, nc), ``b1`` (nc,), ``w2`` (nc, 1), ``b2`` (1,), ``embedding`` (nf, d)),
    in the backend's dtype (the network's, except that the NumPy reference computes a float32
    network's gradient in float64).  The weights are not changed.
    """
    x, y = _batch(rn, x, y)
    return _gradients(rn, x, y, _rule(rn, backprop), _window(rn, bptt_steps, x.shape[1]))


# ---------------------------------------------------------------- the independent NumPy model


def forward_states(params, x):
    """The forward pass in plain float64 NumPy, independent of the backends.

    params: dict of the weights (as ``get_weights()``); x: dense (m, T, nf) or ids (m, T).
    Returns ``(z2 (m,), hs (T + 1, m, nc))`` with ``hs[0] = 0``, ``hs[t + 1] = h_t``.
    """
    p = {n: np.asarray(w, dtype=np.float64) for n, w in params.items()}
    if x.ndim == 3:
        xw = np.asarray(x, dtype=np.float64) @ p["w1x"]
    elif "embedding" in p:
        xw = p["embedding"][x] @ p["w1x"]  # the embedded words, then the input weights
    else:
        xw = p["w1x"][x]  # one-hot rows: a gather
    hs = np.zeros((x.shape[1] + 1, x.shape[0], p["w1h"].shape[0]))
    for t in range(x.shape[1]):
        hs[t + 1] = np.tanh(xw[:, t] + hs[t] @ p["w1h"] + p["b1"])
    return hs[-1] @ p["w2"][:, 0] + p["b2"][0], hs


def loss(params, x, y):
    """The network's loss (mean binary cross-entropy, output clipped to [1e-10, 1 - 1e-10])
    in plain float64 NumPy from the weights: the function :func:`gradient_check`
    differentiates.  params: dict of weights; x (m, T[, nf]); y (m,) in {0, 1}."""
    z2, _ = forward_states(params, x)
    a = np.clip(sigmoid(z2), 1e-10, 1 - 1e-10)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    return float(np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a))))


def cosine(a, b):
    """Cosine of two arrays as vectors; 1.0 if both are zero, 0.0 if exactly one is."""
    a, b = np.ravel(a).astype(np.float64), np.ravel(b).astype(np.float64)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return 1.0 if na == nb else 0.0
    return float(np.dot(a, b) / (na * nb))


def _table(header, rows):
    """A plain text table: header (names), rows (lists of str)."""
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [header] + rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- gradient check


@dataclass(frozen=True)
class CheckRow:
    """One parameter of a :class:`GradientCheck`."""

    name: str
    shape: tuple
    n_checked: int  # entries compared
    rel_error: float  # ||num - ana|| / max(||num||, ||ana||) over the checked entries
    max_abs_error: float  # max |num - ana| over the checked entries
    cos_vs_full: float  # cosine of this window's gradient and the full-BPTT one (same rule)


@dataclass(frozen=True, repr=False)
class GradientCheck(ResultDisplay):
    """The result of :func:`gradient_check`: ``rows[name]`` per parameter."""

    backprop: str
    bptt_steps: int  # k used (T = full BPTT)
    n_steps: int  # T
    eps: float
    rows: dict = field(default_factory=dict)

    @property
    def max_rel_error(self):
        return max(r.rel_error for r in self.rows.values())

    def to_table(self):
        from .plots._html import check_table  # one table for the text and the HTML views

        caption, header, rows = check_table(self)
        return caption + "\n" + _table(header, rows)

    __str__ = to_table


def _sample(grad, n_entries, rng):
    """Flat indices to check: up to n_entries among the entries where ``grad`` is nonzero
    (rows of tokens absent from the batch have no gradient at all), else among all."""
    candidates = np.flatnonzero(grad)
    if candidates.size == 0:
        candidates = np.arange(grad.size)
    if candidates.size <= n_entries:
        return candidates
    return np.sort(rng.choice(candidates, n_entries, replace=False))


def _central_difference(params, name, i, x, y, eps):
    w = params[name].reshape(-1)  # a view: the perturbation reaches params
    keep = w[i]
    w[i] = keep + eps
    up = loss(params, x, y)
    w[i] = keep - eps
    down = loss(params, x, y)
    w[i] = keep
    return (up - down) / (2 * eps)


def gradient_check(
    rn: RecurrentNetwork,
    x: ArrayLike,
    y: ArrayLike,
    n_entries: int = 10,
    eps: float = 1e-5,
    seed: int = 0,
    *,
    backprop: str = NETWORK,
    bptt_steps: int | str | None = NETWORK,
) -> GradientCheck:
    """Compare the network's gradient with central differences of :func:`loss`.

    x (m, T[, nf]), y (m,): a batch.  n_entries: entries checked per parameter, drawn with
    ``seed`` among the entries whose full-BPTT gradient is nonzero.  eps: the step (on float64
    copies of the weights).  backprop, bptt_steps: as :func:`gradients` (default the
    network's).  Returns a :class:`GradientCheck`; ``print`` it for the table.

    Expected: rel_error ~1e-9 for "exact" with full BPTT in float64 (float32 networks: ~1e-4,
    their gradient is float32); of order 0.1-1 for "textbook" (the missing transpose) or a
    short window (what the truncation leaves out).  The loss's clip of the output at 1e-10
    makes the analytic ``a - y`` wrong only for saturated outputs.
    """
    n_entries = v.check_int(n_entries, "n_entries")
    eps = v.check_positive_float(eps, "eps")
    x, y = _batch(rn, x, y)
    textbook, n_steps = _rule(rn, backprop), x.shape[1]
    k = _window(rn, bptt_steps, n_steps)
    ana = _gradients(rn, x, y, textbook, k)
    full = ana if k == n_steps else _gradients(rn, x, y, textbook, n_steps)
    params = {n: w.astype(np.float64) for n, w in rn.get_weights().items()}
    rng = np.random.default_rng(seed)
    rows = {}
    for name, g in ana.items():
        idx = _sample(full[name], n_entries, rng)
        num = np.array([_central_difference(params, name, i, x, y, eps) for i in idx])
        a = g.reshape(-1)[idx].astype(np.float64)
        scale = max(np.linalg.norm(num), np.linalg.norm(a))
        diff = np.abs(num - a)
        rows[name] = CheckRow(
            name,
            g.shape,
            len(idx),
            float(np.linalg.norm(diff) / scale) if scale else 0.0,
            float(diff.max(initial=0.0)),
            cosine(g, full[name]),
        )
    return GradientCheck("textbook" if textbook else "exact", k, n_steps, eps, rows)


# ---------------------------------------------------------------- the two rules


@dataclass(frozen=True, repr=False)
class RuleAgreement(ResultDisplay):
    """The result of :func:`rule_agreement` (dicts keyed by parameter name)."""

    cosine: dict  # cos(exact, textbook) per parameter (1.0 for w2, b2)
    exact_norm: dict  # ||exact gradient||_F
    textbook_norm: dict  # ||textbook gradient||_F
    asymmetry: float  # ||w1h - w1h.T||_F / ||w1h||_F
    bptt_steps: int  # k used

    def to_table(self):
        rows = [
            [n, f"{c:.4f}", f"{self.exact_norm[n]:.3e}", f"{self.textbook_norm[n]:.3e}"]
            for n, c in self.cosine.items()
        ]
        return (
            f"exact vs textbook rule, bptt_steps={self.bptt_steps}, w1h asymmetry "
            f"{self.asymmetry:.4f}\n" + _table(["param", "cosine", "|exact|", "|textbook|"], rows)
        )

    __str__ = to_table


def asymmetry(w):
    """``||w - w.T||_F / ||w||_F`` of a square matrix: 0 when symmetric, sqrt(2) at most."""
    w = np.asarray(w, dtype=np.float64)
    nw = np.linalg.norm(w)
    return float(np.linalg.norm(w - w.T) / nw) if nw else 0.0


def _norm(g):
    return float(np.linalg.norm(np.asarray(g, dtype=np.float64)))


def rule_agreement(
    rn: RecurrentNetwork, x: ArrayLike, y: ArrayLike, *, bptt_steps: int | str | None = NETWORK
) -> RuleAgreement:
    """How far the textbook rule's gradient points from the exact one's on a batch.

    x (m, T[, nf]), y (m,); bptt_steps as :func:`gradients` (default the network's window).
    Returns a :class:`RuleAgreement`.  The two rules differ in ``err_to_cell @ w1h`` vs
    ``@ w1h.T`` only, so w2 and b2 agree exactly, and everything agrees when w1h is symmetric.
    """
    x, y = _batch(rn, x, y)
    k = _window(rn, bptt_steps, x.shape[1])
    exact = _gradients(rn, x, y, False, k)
    book = _gradients(rn, x, y, True, k)
    return RuleAgreement(
        {n: cosine(exact[n], book[n]) for n in exact},
        {n: _norm(g) for n, g in exact.items()},
        {n: _norm(g) for n, g in book.items()},
        asymmetry(rn.get_weights()["w1h"]),
        k,
    )


# ---------------------------------------------------------------- backward in NumPy


def _states(rn, x):
    """hs (T + 1, m, nc) float64 from the network's own forward pass (``hidden_states``)."""
    inner = np.asarray(rn.hidden_states(x), dtype=np.float64)  # (m, T, nc)
    hs = np.zeros((x.shape[1] + 1, len(x), inner.shape[2]))
    hs[1:] = np.swapaxes(inner, 0, 1)
    return hs


def _deltas(params, hs, err, k, textbook):
    """deltas (k, m, nc): ``deltas[j] = dL/dz1`` at step ``T - 1 - j`` for output errors
    err (m,) (the derivative of the loss w.r.t. z2 per review), propagated k steps back
    with the exact (``w1h.T``) or the textbook (``w1h``) rule."""
    w1h = np.asarray(params["w1h"], dtype=np.float64)
    back = w1h if textbook else w1h.T
    n_steps = hs.shape[0] - 1
    out = np.empty((k,) + hs.shape[1:])
    out[0] = np.outer(err, np.asarray(params["w2"], dtype=np.float64)[:, 0]) * (
        1 - hs[n_steps] ** 2
    )
    for j in range(1, k):
        out[j] = (out[j - 1] @ back) * (1 - hs[n_steps - j] ** 2)
    return out


@dataclass(frozen=True, repr=False)
class JacobianFactors(ResultDisplay):
    """The result of :func:`jacobian_factors`; j = steps back, m reviews, T steps.

    ``delta_norms[:, j]`` (m, T): ``||delta||`` per review j steps back; ``batch_norms[j]``
    (T,): the Frobenius norm over the batch (with ``y``, the network's per-step gradient
    norm).  ``factors[:, j - 1]`` (m, T - 1): ``delta_norms[:, j] / delta_norms[:, j - 1]``
    (NaN where the latter is 0); ``bounds`` (m, T - 1): ``sigma_max(w1h) * max(1 - h^2)`` of
    the state the step multiplies by, per review; ``batch_factors``, ``batch_bounds``
    (T - 1,): the same over the whole batch (max over it in the bound).
    ``singular_values`` (nc,): of w1h, largest first.  ``start``: "logit" (delta at the last
    step = dz2/dz1, the same per-review factors as from the output error) or "loss".
    """

    delta_norms: np.ndarray
    batch_norms: np.ndarray
    factors: np.ndarray
    bounds: np.ndarray
    batch_factors: np.ndarray
    batch_bounds: np.ndarray
    singular_values: np.ndarray
    start: str
    backprop: str


def _ratio(num, den):
    return np.divide(num, den, out=np.full(np.shape(num), np.nan), where=den != 0)


def jacobian_factors(
    rn: RecurrentNetwork, x: ArrayLike, y: ArrayLike | None = None, *, backprop: str = "exact"
) -> JacobianFactors:
    """The per-step factor by which the backpropagated error shrinks (or grows).

    x (m, T[, nf]): a batch; y (m,) optional: without it the error starts as ``dz2/dz1`` at
    the last step (output error 1 per review: the factors per review do not depend on the
    error's size); with it, as the loss's ``(a - y) / m`` (then ``batch_norms`` are the
    network's per-step gradient norms under full BPTT).  backprop: "exact" (the true
    Jacobian, default), "textbook", or None (the network's rule).  All T steps back,
    whatever the network's window.
    Since ``||(d w1h^T) * D|| <= ||d|| sigma_max(w1h) max|D|``, factor <= bound always.
    Returns a :class:`JacobianFactors`.
    """
    x, y = _batch(rn, x, y)
    params = rn.get_weights()
    hs = _states(rn, x)
    m, n_steps = len(x), x.shape[1]
    if y is None:
        err, start = np.ones(m), "logit"
    else:
        z2 = hs[-1] @ np.asarray(params["w2"], dtype=np.float64)[:, 0] + params["b2"][0]
        err, start = (sigmoid(z2) - y) / m, "loss"
    textbook = _rule(rn, backprop)
    deltas = _deltas(params, hs, err, n_steps, textbook)
    norms = np.linalg.norm(deltas, axis=2).T  # (m, T)
    batch = np.linalg.norm(deltas.reshape(n_steps, -1), axis=1)  # (T,)
    sv = np.linalg.svd(np.asarray(params["w1h"], dtype=np.float64), compute_uv=False)
    # the step j back multiplies by 1 - h^2 of hs[T - j], j = 1 .. T - 1
    slope = 1 - hs[n_steps - 1 : 0 : -1] ** 2  # (T - 1, m, nc)
    return JacobianFactors(
        norms,
        batch,
        _ratio(norms[:, 1:], norms[:, :-1]),
        sv[0] * slope.max(axis=2).T,
        _ratio(batch[1:], batch[:-1]),
        sv[0] * slope.max(axis=(1, 2)),
        sv,
        start,
        "textbook" if textbook else "exact",
    )


# ---------------------------------------------------------------- saliency


def saliency(
    rn: RecurrentNetwork,
    x: ArrayLike,
    *,
    backprop: str = NETWORK,
    bptt_steps: int | str | None = NETWORK,
) -> np.ndarray:
    """``||dz2 / dx_t||`` per review and word, as the backward pass sees it.

    x: dense (m, T, nf) or token ids (m, T).  The gradient of the logit z2 w.r.t. the input at
    step t is ``delta_t @ w1x.T``: w.r.t. the dense (or one-hot) vector x_t (nf,) without an
    embedding, w.r.t. the embedded word ``embedding[x_t]`` (d,) with one.  backprop,
    bptt_steps: as :func:`gradients` (default the network's).  Returns (m, T) float64, column
    t = word t in reading order; under a window k < T the columns before ``T - k`` are exactly
    0 (training never sends those words any gradient), the last k equal full BPTT's.
    """
    x, _ = _batch(rn, x)
    params = rn.get_weights()
    m, n_steps = len(x), x.shape[1]
    k = _window(rn, bptt_steps, n_steps)
    deltas = _deltas(params, _states(rn, x), np.ones(m), k, _rule(rn, backprop))
    w1x = np.asarray(params["w1x"], dtype=np.float64)
    out = np.zeros((m, n_steps))
    out[:, n_steps - k :] = np.linalg.norm(deltas[::-1] @ w1x.T, axis=2).T
    return out

"""rnnfast.diagnostics (the BPTT lab) against independent computations: one SGD step of the
network, central differences of a plain-NumPy loss, the kernels' per-step gradient norms,
finite differences of the logit w.r.t. the input, and the algebra of a symmetric w1h.

Small shapes (m = 5 reviews, T = 8 steps, 7 features, 4 cells, embedding 3) keep the file fast.
Tolerances: 1e-10 relative where both sides are the same arithmetic up to rounding; central
differences (step eps = 1e-5) carry an O(eps^2) truncation and O(1e-16 / eps) rounding error,
hence 1e-7 there; finite differences of z2 w.r.t. x use the same step.
"""

import numpy as np
import pytest
from helpers import CPU_LEVELS, one_hot, random_ids, random_labels, rel_err

from rnnfast import NotFittedError, RecurrentNetwork
from rnnfast import diagnostics as dg
from rnnfast.backends import make_backend

M, T, NF, NC, D = 5, 8, 7, 4, 3
BACKENDS = ["numpy"] + (["cython"] if CPU_LEVELS else [])
KINDS = ["dense", "ids", "embedding"]


def network(
    backend="numpy",
    kind="ids",
    bptt_steps=3,
    backprop="exact",
    lr=0.5,
    seed=0,
    dtype="float64",
    w1h_scale=1.5,
):
    """A network with the source's initial weights, w1h scaled (so that gradients reach back)
    and nonzero biases (so that every term is exercised)."""
    rn = RecurrentNetwork(
        NC,
        M,
        lr,
        backend=backend,
        bptt_steps=bptt_steps,
        backprop=backprop,
        seed=seed,
        dtype=dtype,
        embedding_dim=D if kind == "embedding" else None,
    )
    rn.init_weights(NF)
    w = rn.get_weights()
    rng = np.random.default_rng(seed + 10)
    w["w1h"] = w["w1h"] * w1h_scale
    w["b1"] = rng.normal(0, 0.1, NC)
    w["b2"] = rng.normal(0, 0.1, 1)
    rn.set_weights(w)
    return rn


def batch(kind, seed=0):
    ids = random_ids(M, T, NF, seed)
    return (one_hot(ids, NF) if kind == "dense" else ids), random_labels(M, seed)


def twin(rn):
    """A second network with rn's settings and weights."""
    other = network(
        rn.backend,
        "embedding" if rn.embedding_dim else "ids",
        rn.bptt_steps,
        rn.backprop,
        rn.lr,
        dtype=rn.dtype,
    )
    other.set_weights(rn.get_weights())
    return other


def normwise(a, b):
    """max over the parameters of a of ||a - b|| / ||b||."""
    return max(np.linalg.norm(a[n] - b[n]) / np.linalg.norm(b[n]) for n in a)


# ------------------------------------------------------------------ gradients


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("backprop,bptt_steps", [("exact", 3), ("textbook", 3), ("exact", None)])
def test_gradients_are_the_sgd_step(backend, kind, backprop, bptt_steps):
    rn = network(backend, kind, bptt_steps, backprop)
    x, y = batch(kind)
    before = rn.get_weights()
    grads = dg.gradients(rn, x, y)
    assert set(grads) == set(before)
    for n, w in rn.get_weights().items():  # the weights are not touched
        assert np.array_equal(w, before[n])
        assert grads[n].shape == w.shape and grads[n].dtype == w.dtype
    stepped = twin(rn)
    stepped.training(x, y)
    applied = {n: (before[n] - w) / rn.lr for n, w in stepped.get_weights().items()}
    # w - lr g rounds w: 1e-16 |w| / (lr |g|) relative, far below 1e-10 here
    assert normwise(grads, applied) < 1e-10


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_rule_and_window_keywords(kind):
    rn = network("numpy", kind, bptt_steps=None)
    x, y = batch(kind)
    full = dg.gradients(rn, x, y)
    assert normwise(dg.gradients(rn, x, y, bptt_steps="full"), full) == 0
    assert normwise(dg.gradients(rn, x, y, bptt_steps=T + 5), full) == 0
    short = dg.gradients(rn, x, y, bptt_steps=2)
    assert normwise(short, full) > 1e-3
    book = dg.gradients(rn, x, y, backprop="textbook")
    assert np.array_equal(book["w2"], full["w2"]) and np.array_equal(book["b2"], full["b2"])
    assert normwise({"w1h": book["w1h"]}, full) > 1e-3


@pytest.mark.skipif(len(BACKENDS) < 2, reason="the compiled kernels are not built")
@pytest.mark.parametrize("kind", KINDS)
def test_gradients_backends_agree(kind):
    x, y = batch(kind)
    ref = dg.gradients(network("numpy", kind), x, y)
    assert normwise(dg.gradients(network("cython", kind), x, y), ref) < 1e-12


# ------------------------------------------------------------------ gradient check


@pytest.mark.parametrize("kind", KINDS)
def test_loss_is_the_networks(kind):
    rn = network("numpy", kind)
    x, y = batch(kind)
    a = np.clip(rn.predict_proba(x)[:, 1], 1e-10, 1 - 1e-10)
    expected = np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a)))
    assert abs(dg.loss(rn.get_weights(), x, y) - expected) < 1e-13


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_gradient_check(backend, kind):
    rn = network(backend, kind)
    x, y = batch(kind)
    exact = dg.gradient_check(rn, x, y, n_entries=100, bptt_steps="full")
    assert exact.bptt_steps == T and exact.backprop == "exact"
    assert exact.max_rel_error < 1e-7
    n_entries = {
        n: min(int(np.count_nonzero(g)), 100)
        for n, g in dg.gradients(rn, x, y, bptt_steps="full").items()
    }
    assert {n: r.n_checked for n, r in exact.rows.items()} == n_entries
    assert all(r.cos_vs_full == pytest.approx(1, abs=1e-14) for r in exact.rows.values())
    book = dg.gradient_check(rn, x, y, backprop="textbook", bptt_steps="full")
    for n in ("w1h", "b1"):
        assert book.rows[n].rel_error > 1e-2
    assert book.rows["w2"].rel_error < 1e-7 and book.rows["b2"].rel_error < 1e-7
    short = dg.gradient_check(rn, x, y, bptt_steps=2)  # truncation costs a direction
    assert short.rows["w1h"].rel_error > 1e-3 and short.rows["w1h"].cos_vs_full < 0.9999
    assert short.rows["w2"].cos_vs_full == pytest.approx(1.0, abs=1e-15)
    text = str(short)
    assert "bptt_steps=2 of T=8" in text and "w1h" in text and "cos(k, full)" in text


@pytest.mark.parametrize("backend", BACKENDS)
def test_gradient_check_float32(backend):
    """A float32 network's gradient is float32 and carries float32 rounding (~1e-6
    relative; the NumPy reference computes in float64 and hands back the weights' dtype)."""
    rn = network(backend, "ids", bptt_steps=None, dtype="float32")
    x, y = batch("ids")
    assert dg.gradients(rn, x, y)["w1h"].dtype == np.float32
    assert dg.gradient_check(rn, x, y).max_rel_error < 1e-4


# ------------------------------------------------------------------ the two rules


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_symmetric_w1h_makes_the_rules_agree(backend, kind):
    rn = network(backend, kind)
    x, y = batch(kind)
    w = rn.get_weights()
    agree = dg.rule_agreement(rn, x, y)
    expected = np.linalg.norm(w["w1h"] - w["w1h"].T) / np.linalg.norm(w["w1h"])
    assert agree.asymmetry == pytest.approx(expected, rel=1e-14) and agree.asymmetry > 0.1
    assert agree.cosine["w1h"] < 0.999 and agree.cosine["w2"] == pytest.approx(1, abs=1e-15)
    w["w1h"] = (w["w1h"] + w["w1h"].T) / 2  # exactly symmetric in floating point
    rn.set_weights(w)
    agree = dg.rule_agreement(rn, x, y)
    assert agree.asymmetry == 0
    assert all(c == pytest.approx(1, abs=1e-12) for c in agree.cosine.values())
    exact = dg.gradients(rn, x, y, backprop="exact")
    book = dg.gradients(rn, x, y, backprop="textbook")
    assert normwise(book, exact) < 1e-10
    assert "asymmetry 0.0000" in str(agree)


# ------------------------------------------------------------------ Jacobian factors


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("w1h_scale", [1.0, 3.0])
def test_jacobian_factors_below_the_bound(backend, kind, w1h_scale):
    rn = network(backend, kind, bptt_steps=None, w1h_scale=w1h_scale)
    x, y = batch(kind)
    jf = dg.jacobian_factors(rn, x)
    assert jf.start == "logit" and jf.factors.shape == jf.bounds.shape == (M, T - 1)
    assert np.all(jf.factors <= jf.bounds * (1 + 1e-12))
    assert np.all(jf.batch_factors <= jf.batch_bounds * (1 + 1e-12))
    assert np.allclose(
        jf.singular_values, np.linalg.svd(rn.get_weights()["w1h"], compute_uv=False), rtol=1e-13
    )
    assert jf.singular_values[0] == pytest.approx(w1h_scale, rel=1e-12)  # orthogonal w1h
    h = rn.hidden_states(x)  # the bound, from the states
    assert np.allclose(
        jf.bounds[:, 0], w1h_scale * np.max(1 - h[:, T - 2] ** 2, axis=1), rtol=1e-12
    )
    # from the loss's error: the same per-review factors (they do not depend on its size)
    # and, over the batch, the per-step gradient norms that training records
    loss_jf = dg.jacobian_factors(rn, x, y)
    assert loss_jf.start == "loss" and rel_err(loss_jf.factors, jf.factors) < 1e-12
    rn.training(x, y)
    assert rel_err(loss_jf.batch_norms, rn.last_grad_norms) < 1e-12


def test_jacobian_factors_textbook_rule():
    """The textbook rule's factors are those of the backend's textbook grad norms."""
    rn = network("numpy", "ids", bptt_steps=None, backprop="textbook")
    x, y = batch("ids")
    jf = dg.jacobian_factors(rn, x, y, backprop="textbook")
    assert jf.backprop == "textbook" and np.all(jf.factors <= jf.bounds * (1 + 1e-12))
    engine, params = make_backend("numpy"), rn.get_weights()
    z2, hs = engine.forward(x, params)
    _, norms = engine.backward(x, hs, dg.sigmoid(z2) - y, params, T, True)
    assert rel_err(jf.batch_norms, norms) < 1e-12


# ------------------------------------------------------------------ saliency


def logit_gradient(params, x, eps=1e-5):
    """dz2/dx (m, T, nf) of dense x by central differences of the plain-NumPy forward pass
    (review i's z2 depends on its own x only, so every review is perturbed at once)."""
    out = np.empty(x.shape)
    for t in range(x.shape[1]):
        for f in range(x.shape[2]):
            up, down = x.copy(), x.copy()
            up[:, t, f] += eps
            down[:, t, f] -= eps
            out[:, t, f] = (
                dg.forward_states(params, up)[0] - dg.forward_states(params, down)[0]
            ) / (2 * eps)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_saliency_is_the_logits_gradient(backend):
    rn = network(backend, "dense", bptt_steps=None)
    x = np.random.default_rng(3).normal(0, 1, (M, T, NF))  # any dense input
    expected = np.linalg.norm(logit_gradient(rn.get_weights(), x), axis=2)
    assert rel_err(dg.saliency(rn, x), expected) < 1e-8


@pytest.mark.parametrize("backend", BACKENDS)
def test_saliency_of_ids_and_embedding(backend):
    """Token ids: the gradient w.r.t. the one-hot input, the dense network's; an embedding:
    w.r.t. the embedded word, i.e. a dense network reading ``embedding[ids]``."""
    ids, _ = batch("ids")
    dense = network(backend, "dense", bptt_steps=None)
    tokens = network(backend, "ids", bptt_steps=None)
    assert rel_err(dg.saliency(tokens, ids), dg.saliency(dense, one_hot(ids, NF))) < 1e-12
    emb = network(backend, "embedding", bptt_steps=None)
    w = emb.get_weights()
    words = RecurrentNetwork(NC, M, 0.5, backend=backend, bptt_steps=None)
    words.set_weights({n: w[n] for n in ("w1h", "w1x", "b1", "w2", "b2")})
    embedded = w["embedding"][ids]  # (m, T, d)
    assert rel_err(dg.saliency(emb, ids), dg.saliency(words, embedded)) < 1e-12
    expected = np.linalg.norm(logit_gradient(words.get_weights(), embedded), axis=2)
    assert rel_err(dg.saliency(emb, ids), expected) < 1e-8


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_truncation_wall(backend, kind):
    k = 3
    rn = network(backend, kind, bptt_steps=k)
    x, _ = batch(kind)
    wall = dg.saliency(rn, x)
    assert wall.shape == (M, T)
    assert np.all(wall[:, : T - k] == 0) and np.all(wall[:, T - k :] > 0)
    full = dg.saliency(rn, x, bptt_steps="full")
    assert np.all(full > 0)
    assert rel_err(wall[:, T - k :], full[:, T - k :]) < 1e-12  # the window is not changed


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", ["ids", "embedding"])
def test_truncation_wall_in_training(backend, kind):
    """The wall is the kernels': a token read only before T - k gets no gradient at all."""
    k, early = 3, NF - 1
    rn = network(backend, kind, bptt_steps=k)
    x, y = batch("ids")
    x = x % early
    x[:, : T - k] = early
    name = "embedding" if kind == "embedding" else "w1x"
    assert np.all(dg.gradients(rn, x, y)[name][early] == 0)
    assert np.all(dg.gradients(rn, x, y, bptt_steps="full")[name][early] != 0)


# ------------------------------------------------------------------ the cost benchmark


def test_lab_benchmark():
    """benchmarks/lab.py measures and reports (tiny run on the NumPy reference)."""
    import importlib.util
    import os
    import sys

    if importlib.util.find_spec("benchmarks") is None:
        sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks import lab

    assert lab.interval(3e-3, 1e-3, 0.75) == 9 and lab.interval(1e-6, 1e-3, 0.75) == 1
    result = lab.measure("numpy", n_train=64, runs=1)
    assert not result["errors"] and len(result["diagnostic_s"]) == 5
    text = lab.report(result)
    assert "fit (no callbacks)" in text and "rule_agreement" in text


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("kind", KINDS)
def test_none_is_full_bptt_as_in_the_constructor(kind):
    """One meaning per argument (issue 20): on a network with a window of 2, bptt_steps=None
    is every step (as RecurrentNetwork(bptt_steps=None)), "network" (the default) its own
    window; before 0.4.0 None meant the window here."""
    rn = network("numpy", kind, bptt_steps=2)
    x, y = batch(kind)
    full = dg.gradients(rn, x, y, bptt_steps="full")
    window = dg.gradients(rn, x, y, bptt_steps=2)
    assert normwise(dg.gradients(rn, x, y, bptt_steps=None), full) == 0
    assert normwise(rn.gradients(x, y, bptt_steps=None), full) == 0
    assert normwise(dg.gradients(rn, x, y), window) == 0
    assert normwise(dg.gradients(rn, x, y, bptt_steps=dg.NETWORK), window) == 0
    assert normwise(window, full) > 1e-3
    assert np.array_equal(dg.saliency(rn, x, bptt_steps=None), dg.saliency(rn, x, bptt_steps=T))
    book = dg.gradients(rn, x, y, backprop="textbook")
    assert normwise(dg.gradients(rn, x, y, backprop=dg.NETWORK), window) == 0
    assert normwise(book, window) > 1e-3


def test_bad_arguments():
    rn = network("numpy", "embedding")
    x, y = batch("ids")
    with pytest.raises(ValueError, match="bptt_steps"):
        dg.gradients(rn, x, y, bptt_steps=0)
    with pytest.raises(TypeError, match="bptt_steps"):
        dg.gradients(rn, x, y, bptt_steps="half")
    with pytest.raises(ValueError, match="backprop"):
        dg.gradients(rn, x, y, backprop="transpose")
    with pytest.raises(ValueError, match="backprop"):
        dg.gradients(rn, x, y, backprop=None)  # the constructor refuses None too
    with pytest.raises(ValueError, match="token ids"):
        dg.saliency(rn, one_hot(x, NF))
    with pytest.raises(ValueError, match="y"):
        dg.gradient_check(rn, x, y[:2])
    with pytest.raises(NotFittedError, match="no weights"):
        dg.saliency(RecurrentNetwork(NC, M, 0.5, backend="numpy"), x)

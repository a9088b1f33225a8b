"""rnnfast against Keras: the source's S2 and S3 models, the embedding layer, weights both ways,
gradients against ``tf.GradientTape`` and one optimiser step against Keras' own optimisers.

Tolerances:

* float64 (Keras layers built with ``dtype="float64"``): 1e-10 normwise relative, rnnfast's
  kernels' own.  The loss is the logit form of binary cross-entropy; Keras' compiled
  ``'binary_crossentropy'`` works on the sigmoid's output with ``log(p + 1e-7)``, which moves
  its gradient by ~1e-7 relative, so the float64 optimiser checks feed Keras' optimisers
  (``apply_gradients``, its real update code) the tape's exact gradients.  Keras also keeps
  the learning rate in a float32 variable: those checks give rnnfast that float32 number.
* float32 (the source's compiled models, ``train_on_batch``): the weights agree to 1e-5
  relative.  The update ``w_new - w_old`` is ~lr x gradient, far below ``|w|``, so float32
  rounding of ``w_new`` (~6e-8 |w|) is ~1e-4 of the update: checked at 1e-3.

The embedding-only tests do not need TensorFlow; the others skip without it.
"""

import numpy as np
import pytest
from helpers import one_hot, random_labels, rel_err, run_python

from rnnfast import NotFittedError, RecurrentNetwork
from rnnfast.backends import CythonBackend, NumpyBackend
from rnnfast.optimizers import Adam


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def rk(tf):
    from rnnfast import keras as rk

    return rk


def ids_batch(m, n_steps, vocab, seed=0, high=None):
    rng = np.random.default_rng(seed)
    return rng.integers(0, high or vocab, (m, n_steps)).astype(np.int32)


def s3_network(vocab=40, d=6, nc=5, seed=0, learning_rate=0.01, **kw):
    net = RecurrentNetwork(nc, 16, learning_rate, embedding_dim=d, seed=seed, bptt_steps=None, **kw)
    net.init_weights(vocab)
    w = net.get_weights()
    rng = np.random.default_rng(seed + 10)
    w["b1"] = rng.normal(0, 0.1, nc)  # nonzero biases: every term is exercised
    w["b2"] = rng.normal(0, 0.1, 1)
    net.set_weights(w)
    return net


# --------------------------------------------------------------------------- embedding (no TF)


def test_source_constructor_unaffected():
    net = RecurrentNetwork(32, 32, 0.01)
    assert net.embedding_dim is None and net.embedding is None
    net.init_weights(100)
    assert set(net.get_weights()) == {"w1h", "w1x", "b1", "w2", "b2"}
    assert net.w1x.shape == (100, 32) and net.n_features == 100


def test_embedding_weights_shapes_and_init():
    net = RecurrentNetwork(8, 32, 0.001, embedding_dim=32, optimizer="adam", seed=3)
    net.init_weights(1000)
    w = net.get_weights()
    assert w["embedding"].shape == (1000, 32) and w["w1x"].shape == (32, 8)
    assert net.n_features == 1000 and net.param_names[-1] == "embedding"
    assert np.abs(w["embedding"]).max() <= 0.05 and np.abs(w["embedding"]).max() > 0.049
    assert sum(a.size for a in w.values()) == 32337  # the source's S3 count
    assert net.get_config()["embedding_dim"] == 32


def test_embedding_rejects_dense_input_and_bad_weights():
    net = s3_network()
    x = ids_batch(4, 5, 40)
    with pytest.raises(ValueError, match="token ids"):
        net.predict(one_hot(x, 40))
    with pytest.raises(ValueError, match="token ids"):
        RecurrentNetwork(4, embedding_dim=3).fit(one_hot(x, 40), np.ones(4), epochs=1)
    with pytest.raises(ValueError, match="token ids must be < n_features"):
        net.predict(x + 40)
    w = net.get_weights()
    with pytest.raises(ValueError, match="missing"):
        net.set_weights({n: a for n, a in w.items() if n != "embedding"})
    with pytest.raises(ValueError, match=r"weights\['w1x'\] must have shape \(6, 5\)"):
        net.set_weights({**w, "w1x": np.zeros((7, 5))})
    with pytest.raises(ValueError, match="has none"):
        RecurrentNetwork(5).set_weights(w)
    with pytest.raises(ValueError, match="has none"):
        plain = RecurrentNetwork(5)
        plain.init_weights(6)
        plain.embedding = w["embedding"]


def test_embedding_equals_one_hot_network_on_projected_table():
    """Forward: an embedding network is the token-id network with w1x = embedding @ w1x."""
    net = s3_network()
    x = ids_batch(9, 13, 40)
    w = net.get_weights()
    plain = RecurrentNetwork(5)
    plain.set_weights(
        {**{n: w[n] for n in ("w1h", "b1", "w2", "b2")}, "w1x": w["embedding"] @ w["w1x"]}
    )
    assert rel_err(net.predict_proba(x), plain.predict_proba(x)) < 1e-13
    assert rel_err(net.hidden_states(x), plain.hidden_states(x)) < 1e-13


@pytest.mark.parametrize("squares", [False, True])
def test_embedding_backends_agree_and_match_finite_differences(squares):
    net = s3_network(vocab=30, d=4, nc=3)
    p = net.get_weights()
    x = ids_batch(6, 8, 30)
    y = random_labels(6)
    out = {}
    for backend in (CythonBackend(), NumpyBackend()):
        z2, hs = backend.forward(x, p)
        a = 1 / (1 + np.exp(-z2))
        res = backend.backward(x, hs, a - y, p, 8, False, squares=squares)
        out[backend.name] = {n: g.copy() for n, g in res[0].items()}
        if squares:
            assert set(res[2]) == {"embedding"} and res[2]["embedding"].shape == (30, 4)
    for n in p:
        assert rel_err(out["cython"][n], out["numpy"][n]) < 1e-12, n

    def loss(q):
        z2, _ = NumpyBackend().forward(x, q)
        a = 1 / (1 + np.exp(-z2))
        return np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a)))

    eps = 1e-6
    for n, idx in (
        ("embedding", (int(x[0, -1]), 2)),
        ("embedding", (int(x[3, 2]), 0)),
        ("w1x", (1, 2)),
        ("w1h", (0, 1)),
    ):
        q = {k: a.copy() for k, a in p.items()}
        q[n][idx] += eps
        up = loss(q)
        q[n][idx] -= 2 * eps
        numeric = (up - loss(q)) / (2 * eps)
        assert out["cython"][n][idx] == pytest.approx(numeric, rel=1e-6, abs=1e-10), (n, idx)


def test_occurrence_squares_are_sum_of_squared_rows():
    """The Adam second-moment input: per token, the sum over its occurrences of the squared
    occurrence gradient (differs from the square of the summed gradient for repeated ids)."""
    net = s3_network(vocab=5, d=3, nc=4)
    p = net.get_weights()
    x = ids_batch(4, 6, 5)
    y = random_labels(4)
    backend = NumpyBackend()
    z2, hs = backend.forward(x, p)
    grads, _, sq = backend.backward(x, hs, 1 / (1 + np.exp(-z2)) - y, p, 6, False, squares=True)
    # Oracle: each position its own row of the embedding (a gather), then summed per id.
    pos = np.arange(x.size).reshape(x.shape)
    q = {**p, "embedding": p["embedding"][x.reshape(-1)]}
    occ, _ = backend.backward(
        pos, backend.forward(pos, q)[1], 1 / (1 + np.exp(-z2)) - y, q, 6, False
    )
    expected_sum, expected_sq = np.zeros((5, 3)), np.zeros((5, 3))
    np.add.at(expected_sum, x.reshape(-1), occ["embedding"])
    np.add.at(expected_sq, x.reshape(-1), occ["embedding"] ** 2)
    assert rel_err(grads["embedding"], expected_sum) < 1e-13
    assert rel_err(sq["embedding"], expected_sq) < 1e-13
    assert rel_err(sq["embedding"], grads["embedding"] ** 2) > 1e-3


def test_embedding_fit_backends_save_load_and_clip(tmp_path):
    rng = np.random.default_rng(0)
    x = ids_batch(64, 10, 50)
    y = (rng.random(64) < 0.5).astype(float)
    nets = [
        RecurrentNetwork(
            6, 16, 0.01, embedding_dim=5, optimizer="adam", seed=1, backend=b, clip_norm=0.5
        ).fit(x, y, 2, x[:20], y[:20])
        for b in ("cython", "numpy")
    ]
    for n in nets[0].param_names:
        assert rel_err(nets[0].get_weights()[n], nets[1].get_weights()[n]) < 1e-10, n
    path = nets[0].save(tmp_path / "s3")
    back = RecurrentNetwork.load(path)
    assert back.embedding_dim == 5
    np.testing.assert_array_equal(back.embedding, nets[0].embedding)
    np.testing.assert_array_equal(back.predict_proba(x), nets[0].predict_proba(x))
    # The optimiser state (embedding moments included) comes back: training continues alike.
    back.warm_start = nets[0].warm_start = True
    back.fit(x, y, 1)
    nets[0].fit(x, y, 1)
    np.testing.assert_array_equal(back.embedding, nets[0].embedding)


def test_clip_norm_counts_the_embedding_gradient():
    x = ids_batch(32, 10, 20)
    y = random_labels(32)
    net = s3_network(vocab=20, d=4, nc=3, learning_rate=1.0, clip_norm=1e-4)
    w0 = net.get_weights()
    net.training(x, y)
    step = np.sqrt(sum(np.sum((net.get_weights()[n] - w0[n]) ** 2) for n in w0))
    assert step == pytest.approx(1e-4, rel=1e-9)


# --------------------------------------------------------------------------- Keras models


def test_source_models_parameter_counts(rk):
    lines = []
    for build, total, per_layer in (
        (rk.build_s2, 4289, [4256, 33]),
        (rk.build_s3, 32337, [32000, 328, 9]),
    ):
        model = build()
        assert model.count_params() == total
        assert [la.count_params() for la in model.layers] == per_layer
        model.summary(print_fn=lambda s, **k: lines.append(s))
    text = "\n".join(lines)
    assert "Total params: 4,289" in text and "Total params: 32,337" in text


def test_source_models_compiled_as_the_source(rk, tf):
    s2, s3 = rk.build_s2(), rk.build_s3()
    assert type(s2.optimizer) is tf.keras.optimizers.SGD
    assert type(s3.optimizer) is tf.keras.optimizers.Adam
    assert s2.layers[0].input.shape == (None, 100, 100)
    assert s3.layers[0].output.shape == (None, None, 32)
    assert s2.loss == s3.loss == "binary_crossentropy"


def test_import_rnnfast_does_not_import_tensorflow():
    code = (
        "import sys, rnnfast, rnnfast.keras, rnnfast.network, rnnfast.datasets; "
        "net = rnnfast.RecurrentNetwork(4, embedding_dim=2); "
        "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]; "
        "assert not bad, bad"
    )
    out = run_python(["-c", code], timeout=120)
    assert out.returncode == 0, out.stderr


# --------------------------------------------------------------------------- gradients


def tape(tf, model, x, y):
    """Forward logits and the raw tape gradients (the embedding's as ``tf.IndexedSlices``)
    of the mean logit-form BCE."""
    with tf.GradientTape() as t:
        h = x
        for layer in model.layers[:-1]:
            h = layer(h)
        dense = model.layers[-1]
        z = (tf.matmul(h, dense.kernel) + dense.bias)[:, 0]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z))
    return z, t.gradient(loss, model.trainable_variables)


def tape_gradients(tf, model, x, y):
    """Forward logits and the dense gradients, in rnnfast's names."""
    z, grads = tape(tf, model, x, y)
    names = (["embedding"] if len(model.layers) == 3 else []) + ["w1x", "w1h", "b1", "w2", "b2"]
    return z.numpy(), {n: tf.convert_to_tensor(g).numpy() for n, g in zip(names, grads)}


@pytest.mark.parametrize("backend", [CythonBackend, NumpyBackend])
@pytest.mark.parametrize("shape", [(8, 12, 10, 6), (32, 100, 100, 32)])
def test_s2_full_bptt_equals_gradient_tape(rk, tf, backend, shape):
    m, T, nf, nc = shape
    model = rk.build_s2(T, nf, nc, dtype="float64", compile=False)
    net = RecurrentNetwork.from_keras(model)
    w = net.get_weights()
    w["b1"] = np.random.default_rng(1).normal(0, 0.1, nc)
    w["b2"] = np.array([0.05])
    net.set_weights(w)
    model = net.to_keras(dtype="float64")
    ids = ids_batch(m, T, nf, seed=T)
    y = random_labels(m)
    be = backend()
    for x in (ids, np.random.default_rng(2).normal(size=(m, T, nf))):
        z2, hs = be.forward(x, w)
        grads, _ = be.backward(x, hs, 1 / (1 + np.exp(-z2)) - y, w, T, False)
        z_tf, g_tf = tape_gradients(tf, model, one_hot(ids, nf) if x.ndim == 2 else x, y)
        assert rel_err(z2, z_tf) < 1e-10
        for n, g in g_tf.items():
            assert rel_err(grads[n], g) < 1e-10, n


@pytest.mark.parametrize("backend", [CythonBackend, NumpyBackend])
@pytest.mark.parametrize("shape", [(8, 15, 50, 6, 5), (32, 100, 1000, 32, 8)])
@pytest.mark.parametrize("squares", [False, True])
def test_s3_full_bptt_equals_gradient_tape(rk, tf, backend, shape, squares):
    m, T, vocab, d, nc = shape
    net = s3_network(vocab, d, nc, seed=T)
    w = net.get_weights()
    model = net.to_keras(dtype="float64")
    x = ids_batch(m, T, vocab, seed=nc)
    y = random_labels(m)
    be = backend()
    z2, hs = be.forward(x, w)
    grads = be.backward(x, hs, 1 / (1 + np.exp(-z2)) - y, w, T, False, squares=squares)[0]
    z_tf, g_tf = tape_gradients(tf, model, x, y)
    assert rel_err(z2, z_tf) < 1e-10
    assert set(g_tf) == set(grads)
    for n, g in g_tf.items():
        assert rel_err(grads[n], g) < 1e-10, n


# --------------------------------------------------------------------------- optimiser steps


def test_one_sgd_step_s2_float32_train_on_batch(rk, tf):
    """The source's compiled S2 (float32, 'sgd', 'binary_crossentropy') vs rnnfast."""
    tf.keras.utils.set_random_seed(0)
    model = rk.build_s2()
    net = RecurrentNetwork.from_keras(model, bptt_steps=None)
    assert (net.optimizer, net.lr) == ("sgd", 0.01)
    w0 = net.get_weights()
    x = ids_batch(32, 100, 100, seed=5)
    y = random_labels(32, seed=5)
    model.train_on_batch(one_hot(x, 100, np.float32), y.astype(np.float32))
    net.training(x, y)
    keras_w = RecurrentNetwork.from_keras(model).get_weights()
    for n, a in net.get_weights().items():
        assert rel_err(a, keras_w[n]) < 1e-5, n
        assert rel_err(a - w0[n], keras_w[n] - w0[n]) < 1e-3, n


def test_one_adam_step_s3_float32_train_on_batch(rk, tf):
    tf.keras.utils.set_random_seed(1)
    model = rk.build_s3()
    net = RecurrentNetwork.from_keras(model, bptt_steps=None)
    assert (net.optimizer, net.lr, net.embedding_dim) == ("adam", 0.001, 32)
    w0 = net.get_weights()
    x = ids_batch(32, 100, 1000, seed=6)
    y = random_labels(32, seed=6)
    model.train_on_batch(x, y.astype(np.float32))
    net.training(x, y)
    keras_w = RecurrentNetwork.from_keras(model).get_weights()
    for n, a in net.get_weights().items():
        assert rel_err(a, keras_w[n]) < 1e-5, n
        assert rel_err(a - w0[n], keras_w[n] - w0[n]) < 1e-3, n


def keras_steps(tf, model, optimizer, batches):
    """Keras' own update code on the tape's exact gradients (sparse embedding gradient kept)."""
    for x, y in batches:
        _, grads = tape(tf, model, x, y)
        if len(model.layers) == 3:
            assert isinstance(grads[0], tf.IndexedSlices)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))


@pytest.mark.parametrize("backend", ["cython", "numpy"])
def test_sgd_steps_s2_float64_equal_keras_sgd(rk, tf, backend):
    model = rk.build_s2(20, 12, 6, dtype="float64", compile=False)
    lr = float(np.float32(0.01))
    net = RecurrentNetwork.from_keras(
        model, bptt_steps=None, optimizer="sgd", learning_rate=lr, backend=backend
    )
    batches = [(ids_batch(16, 20, 12, seed=s), random_labels(16, seed=s)) for s in range(3)]
    keras_steps(tf, model, tf.keras.optimizers.SGD(0.01), [(one_hot(x, 12), y) for x, y in batches])
    for x, y in batches:
        net.training(x, y)
    keras_w = RecurrentNetwork.from_keras(model).get_weights()
    for n, a in net.get_weights().items():
        assert rel_err(a, keras_w[n]) < 1e-12, n


@pytest.mark.parametrize("backend", ["cython", "numpy"])
def test_adam_steps_s3_float64_equal_keras_adam(rk, tf, backend):
    """Three Adam steps; batches 2 and 3 leave rows of the table untouched, and ids repeat
    within a batch: Keras' sparse second moment (sum of squared occurrence rows) and its
    float32-rounded betas are both needed for 1e-12."""
    vocab = 60
    model = rk.build_s3(vocab, 16, 8, dtype="float64", compile=False)
    lr = float(np.float32(0.001))
    net = RecurrentNetwork.from_keras(
        model, bptt_steps=None, optimizer="adam", learning_rate=lr, backend=backend
    )
    w0 = net.get_weights()
    batches = [
        (ids_batch(32, 20, vocab, seed=s, high=vocab // (1 + s)), random_labels(32, s))
        for s in range(3)
    ]
    keras_steps(tf, model, tf.keras.optimizers.Adam(), batches)
    for x, y in batches:
        net.training(x, y)
    keras_w = RecurrentNetwork.from_keras(model).get_weights()
    for n, a in net.get_weights().items():
        assert rel_err(a - w0[n], keras_w[n] - w0[n]) < 1e-12, n

    # Sensitivity: textbook dense Adam (square of the summed gradient) is visibly different.
    opt, be = Adam(lr), CythonBackend()
    params = w0
    for x, y in batches:
        z2, hs = be.forward(x, params)
        grads, _ = be.backward(x, hs, 1 / (1 + np.exp(-z2)) - y, params, 20, False)
        params = opt.step(params, grads)
        opt.commit()
    assert (
        rel_err(params["embedding"] - w0["embedding"], keras_w["embedding"] - w0["embedding"])
        > 1e-2
    )


# --------------------------------------------------------------------------- weights both ways


def test_round_trip_s2_network_trained_on_ids(rk):
    x = ids_batch(64, 30, 20, seed=3)
    y = random_labels(64, seed=3)
    net = RecurrentNetwork(7, 16, 0.05, seed=0, bptt_steps=None).fit(x, y, epochs=2)
    model = rk.to_keras(net)  # float32, one-hot input
    assert model.layers[0].input.shape == (None, None, 20)
    p_keras = model.predict(one_hot(x, 20, np.float32), verbose=0)
    assert np.abs(p_keras[:, 0] - net.predict_proba(x)[:, 1]).max() < 1e-5
    model64 = net.to_keras(dtype="float64")
    p64 = model64.predict(one_hot(x, 20), verbose=0)[:, 0]
    assert np.abs(p64 - net.predict_proba(x)[:, 1]).max() < 1e-12
    back = RecurrentNetwork.from_keras(model64)
    for n, a in net.get_weights().items():
        np.testing.assert_array_equal(back.get_weights()[n], a)
    back32 = RecurrentNetwork.from_keras(model)
    for n, a in net.get_weights().items():
        np.testing.assert_array_equal(back32.get_weights()[n], a.astype(np.float32))
    assert (back.optimizer, back.lr, back.n_cells) == ("sgd", 0.05, 7)


def test_round_trip_s3(rk):
    x = ids_batch(64, 25, 40, seed=4)
    y = random_labels(64, seed=4)
    net = RecurrentNetwork(
        5, 16, 0.01, embedding_dim=6, optimizer="adam", clip_norm=2.0, seed=0, bptt_steps=None
    ).fit(x, y, epochs=2)
    model = net.to_keras(n_steps=25)
    assert model.count_params() == sum(a.size for a in net.get_weights().values())
    assert np.abs(model.predict(x, verbose=0)[:, 0] - net.predict_proba(x)[:, 1]).max() < 1e-5
    back = RecurrentNetwork.from_keras(model, backend="numpy", dtype="float32")
    assert (back.embedding_dim, back.optimizer, back.lr, back.clip_norm) == (6, "adam", 0.01, 2.0)
    assert back.dtype == np.float32 and back.backend == "numpy"
    assert np.abs(back.predict_proba(x) - net.predict_proba(x)).max() < 1e-5
    # An imported network trains on (fresh optimiser state, shuffling stream started).
    back.warm_start = True
    back.fit(x, y, epochs=1)
    assert len(back.losses) == 1


def test_from_keras_rejects_what_rnnfast_cannot_hold(rk, tf):
    L = tf.keras.layers

    def model(*layers, shape=(10, 4)):
        return tf.keras.Sequential([tf.keras.Input(shape)] + list(layers))

    bad = {
        "in this order": model(L.Dense(1)),
        "return_sequences": model(L.SimpleRNN(3, return_sequences=True), L.Dense(1)),
        "1 unit": model(L.SimpleRNN(3), L.Dense(2)),
        "activation must be tanh": model(L.SimpleRNN(3, activation="relu"), L.Dense(1)),
        "mask_zero": model(
            L.Embedding(9, 2, mask_zero=True), L.SimpleRNN(3), L.Dense(1), shape=(10,)
        ),
        "dropout": model(L.SimpleRNN(3, dropout=0.5), L.Dense(1)),
    }
    for match, m in bad.items():
        with pytest.raises(ValueError, match=match):
            RecurrentNetwork.from_keras(m)
    with pytest.raises(TypeError, match="comes from the model"):
        RecurrentNetwork.from_keras(rk.build_s2(), n_cells=4)
    with pytest.raises(NotFittedError, match="no weights"):
        RecurrentNetwork(4).to_keras()

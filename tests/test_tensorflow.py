"""rnnfast against TensorFlow: a Keras SimpleRNN + Dense holding the same weights gives the
same forward output and, with full BPTT, the same gradients as ``tf.GradientTape``.

Everything runs in float64 (Keras layers take ``dtype="float64"``), so the tolerance is the
kernels' own: 1e-10 normwise relative.
"""

import numpy as np
import pytest
from helpers import one_hot, random_ids, random_labels, random_params, rel_err

from rnnfast.backends import CythonBackend

tf = pytest.importorskip("tensorflow")
keras = tf.keras


def keras_model(params, n_steps, n_features):
    nc = params["w1h"].shape[0]
    model = keras.Sequential(
        [
            keras.Input((n_steps, n_features), dtype="float64"),
            keras.layers.SimpleRNN(nc, dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),  # logits; the sigmoid is in the loss
        ]
    )
    model.layers[0].set_weights([params["w1x"], params["w1h"], params["b1"]])
    model.layers[1].set_weights([params["w2"], params["b2"]])
    return model


def tf_gradients(model, x, y):
    with tf.GradientTape() as tape:
        z = model(x)[:, 0]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z))
    g = tape.gradient(loss, model.trainable_variables)
    names = ("w1x", "w1h", "b1", "w2", "b2")
    return z.numpy(), {n: gi.numpy() for n, gi in zip(names, g)}


@pytest.mark.parametrize("kind", ["dense", "ids"])
@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (4, 9, 6, 5), (16, 30, 20, 8), (32, 100, 100, 32)])
def test_full_bptt_equals_gradient_tape(shape, kind):
    m, T, nf, nc = shape
    params = random_params(nf, nc, seed=T)
    ids = random_ids(m, T, nf, seed=nc)
    x_dense = (
        one_hot(ids, nf) if kind == "ids" else np.random.default_rng(1).normal(size=(m, T, nf))
    )
    x = ids if kind == "ids" else x_dense
    y = random_labels(m, seed=m)
    backend = CythonBackend()
    z2, hs = backend.forward(x, params)
    a = 1 / (1 + np.exp(-z2))
    grads, _ = backend.backward(x, hs, a - y, params, T, textbook=False)
    z_tf, g_tf = tf_gradients(keras_model(params, T, nf), x_dense, y)
    assert rel_err(z2, z_tf) < 1e-10
    for name, g in g_tf.items():
        assert rel_err(grads[name], g) < 1e-10, name


def test_textbook_rule_disagrees_with_gradient_tape():
    """The source's missing transpose, seen against autodiff."""
    m, T, nf, nc = 8, 12, 10, 6
    params = random_params(nf, nc)
    x = random_ids(m, T, nf)
    y = random_labels(m)
    backend = CythonBackend()
    z2, hs = backend.forward(x, params)
    grads, _ = backend.backward(x, hs, 1 / (1 + np.exp(-z2)) - y, params, T, textbook=True)
    _, g_tf = tf_gradients(keras_model(params, T, nf), one_hot(x, nf), y)
    assert rel_err(grads["w1h"], g_tf["w1h"]) > 1e-3

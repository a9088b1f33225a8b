"""Every public entry point rejects bad input with a clear ValueError/TypeError that names the
argument; the kernels never see it.  One test per case (see docs/HARDENING.md)."""

import numpy as np
import pytest
from helpers import one_hot

from rnnfast import RecurrentNetwork, hyperparams

RNG = np.random.default_rng(0)
X = RNG.integers(0, 10, (20, 6)).astype(np.int32)
Y = RNG.integers(0, 2, 20)


@pytest.fixture(scope="module")
def fitted():
    return RecurrentNetwork(4, 8, 0.1, seed=0).fit(X, Y, 1, n_features=10)


CONSTRUCTOR_CASES = [
    ({"n_cells": 0}, ValueError, "n_cells"),
    ({"n_cells": 2.5}, TypeError, "n_cells"),
    ({"n_cells": True}, TypeError, "n_cells"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": "32"}, TypeError, "batch_size"),
    ({"learning_rate": 0}, ValueError, "learning_rate"),
    ({"learning_rate": -0.1}, ValueError, "learning_rate"),
    ({"learning_rate": float("nan")}, ValueError, "learning_rate"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate"),
    ({"bptt_steps": 0}, ValueError, "bptt_steps"),
    ({"bptt_steps": 1.5}, TypeError, "bptt_steps"),
    ({"backend": "torch"}, ValueError, "backend"),
    ({"backprop": "approximate"}, ValueError, "backprop"),
    ({"optimizer": "rmsprop"}, ValueError, "optimizer"),
    ({"clip_norm": 0}, ValueError, "clip_norm"),
    ({"clip_norm": float("inf")}, ValueError, "clip_norm"),
    ({"seed": -1}, ValueError, "seed"),
    ({"dtype": "float16"}, ValueError, "dtype"),
    ({"callbacks": [print]}, TypeError, "callbacks"),
]


@pytest.mark.parametrize(
    "kwargs,exc,name", CONSTRUCTOR_CASES, ids=[str(c[0]) for c in CONSTRUCTOR_CASES]
)
def test_constructor_rejects(kwargs, exc, name):
    with pytest.raises(exc, match=name):
        RecurrentNetwork(**kwargs)


# One bad value per constructor argument of rnnfast.hyperparams' table, beyond its bounds.
TABLE_CASES = [
    ("n_cells", 4097),
    ("batch_size", 0),
    ("learning_rate", 0.0),
    ("bptt_steps", 100_001),
    ("backprop", "transposed"),
    ("optimizer", "rmsprop"),
    ("backend", "torch"),
    ("dtype", "float16"),
    ("clip_norm", 2e6),
    ("seed", 2**32),
    ("embedding_dim", 4097),
]


@pytest.mark.parametrize("name,value", TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_constructor_errors_come_from_the_table(name, value):
    """The message is the table's: it names the argument and says what it accepts."""
    with pytest.raises(ValueError) as expected:
        hyperparams.check(name, value)
    message = str(expected.value)
    assert message.startswith(f"{name} must be {hyperparams.describe(name)}, got ")
    with pytest.raises(ValueError) as info:
        RecurrentNetwork(**{name: value})
    assert str(info.value) == message


def test_constructor_accepts_the_table_bounds_and_a_large_learning_rate():
    net = RecurrentNetwork(
        n_cells=4096,
        batch_size=1_000_000,
        bptt_steps=100_000,
        seed=2**32 - 1,
        embedding_dim=4096,
        clip_norm=1e6,
        learning_rate=1e200,
    )  # too large: a DivergenceError in fit
    assert (net.n_cells, net.seed, net.lr) == (4096, 2**32 - 1, 1e200)
    # The table's words for None are accepted too.
    net = RecurrentNetwork(bptt_steps="full", clip_norm="off", seed="random")
    assert net.bptt_steps is net.clip_norm is net.seed is None


def test_a_drawn_seed_is_one_the_constructor_accepts():
    drawn = [RecurrentNetwork(4).fit(X, Y, 1).seed_ for _ in range(20)]
    assert all(RecurrentNetwork(4, seed=s).seed == s for s in drawn)


def _csr(x):
    sparse = pytest.importorskip("scipy.sparse")
    return sparse.csr_matrix(x)


FIT_CASES = [
    ("x 1-D", lambda: (X[0], Y), ValueError, "x must be 3-D"),
    ("x 4-D", lambda: (X[..., None, None].astype(float), Y), ValueError, "4-D"),
    ("x bool", lambda: (X > 3, Y), TypeError, "dtype bool"),
    ("x complex", lambda: (one_hot(X, 10).astype(complex), Y), ValueError, "Complex data"),
    ("x sparse", lambda: (_csr(X), Y), TypeError, "sparse input is not supported"),
    ("x dicts", lambda: (np.array([[{}, 1.0]] * 20, dtype=object), Y), TypeError, "numbers"),
    ("x strings", lambda: (np.array([["a"]]), Y[:1]), TypeError, "x must hold"),
    ("x ragged", lambda: ([[1, 2], [3]], [0, 1]), TypeError, "pad the sequences"),
    ("x None", lambda: (None, Y), TypeError, "x must be an array"),
    ("x empty", lambda: (X[:0], Y[:0]), ValueError, "at least one sequence"),
    ("T = 0", lambda: (X[:, :0], Y), ValueError, "at least one time step"),
    ("no features", lambda: (np.zeros((20, 6, 0)), Y), ValueError, "at least one feature"),
    ("negative id", lambda: (np.where(X == 0, -1, X), Y), ValueError, ">= 0"),
    ("NaN in x", lambda: (np.where(one_hot(X, 10) == 1, np.nan, 0), Y), ValueError, "finite"),
    ("inf in x", lambda: (np.where(one_hot(X, 10) == 1, np.inf, 0), Y), ValueError, "finite"),
    ("x, y lengths", lambda: (X, Y[:-1]), ValueError, "one label per sequence"),
    ("labels 3 classes", lambda: (X, np.arange(20) % 3), ValueError, "Only binary"),
    ("labels one class", lambda: (X, np.full(20, 7)), ValueError, "one class only"),
    ("labels 0.5", lambda: (X, Y * 0.5), ValueError, "Unknown label type: continuous"),
    ("labels NaN", lambda: (X, np.full(20, np.nan)), ValueError, "NaN or inf"),
    ("labels None", lambda: (X, None), ValueError, "requires y to be passed"),
    ("labels (m, 2)", lambda: (X, np.stack([Y, Y], 1)), ValueError, "shape"),
    ("labels mixed", lambda: (X, np.array([1, "a"] * 10, dtype=object)), ValueError, "mixes"),
    ("labels empty", lambda: (X, []), ValueError, "one label per sequence"),
    (
        "x object array",
        lambda: (np.array([[1, 2], [3]], dtype=object), [0, 1]),
        TypeError,
        "object array",
    ),
]


@pytest.mark.parametrize("case,make,exc,message", FIT_CASES, ids=[c[0] for c in FIT_CASES])
def test_fit_rejects(case, make, exc, message):
    x, y = make()
    with pytest.raises(exc, match=message):
        RecurrentNetwork(4, 8, 0.1).fit(x, y, 1)


def test_fit_rejects_bad_epochs():
    # epochs=0 is Keras' "build, train nothing" (tests/test_estimator.py); below it is wrong
    with pytest.raises(ValueError, match="epochs must be >= 0, got -1"):
        RecurrentNetwork(4).fit(X, Y, -1)
    with pytest.raises(ValueError, match="epochs must be an integer in"):
        RecurrentNetwork(4).fit(X, Y, 100_001)
    with pytest.raises(TypeError, match="epochs"):
        RecurrentNetwork(4).fit(X, Y, 2.0)


def test_fit_rejects_half_validation_data():
    with pytest.raises(ValueError, match="x_val and y_val"):
        RecurrentNetwork(4).fit(X, Y, 1, x_val=X)


def test_fit_rejects_mixed_input_kinds():
    with pytest.raises(ValueError, match="same kind"):
        RecurrentNetwork(4).fit(X, Y, 1, x_val=one_hot(X, 10), y_val=Y)


def test_fit_rejects_ids_above_n_features():
    with pytest.raises(ValueError, match="n_features = 5"):
        RecurrentNetwork(4).fit(X, Y, 1, n_features=5)


def test_fit_rejects_validation_of_another_width():
    with pytest.raises(ValueError, match="x_val must have n_features = 10"):
        RecurrentNetwork(4).fit(one_hot(X, 10), Y, 1, x_val=one_hot(X, 12), y_val=Y)


def test_predict_rejects_other_width(fitted):
    with pytest.raises(ValueError, match="n_features = 10"):
        fitted.predict(one_hot(X, 11))
    with pytest.raises(ValueError, match="< n_features = 10"):
        fitted.predict(X + 5)


def test_score_rejects_bad_labels(fitted):
    with pytest.raises(ValueError, match="one label per sequence"):
        fitted.score(X, Y[:-1])
    with pytest.raises(ValueError, match="NaN or inf"):
        fitted.score(X, np.full(len(X), np.inf))


def test_unfitted_network_says_so():
    from rnnfast import NotFittedError

    for method in ("predict", "predict_proba", "decision_function", "forpass", "hidden_states"):
        with pytest.raises(NotFittedError, match="call fit"):
            getattr(RecurrentNetwork(4), method)(X)
    for call in (
        lambda net: net.score(X, Y),
        lambda net: net.evaluate(X, Y),
        lambda net: net.summary(),
        lambda net: net.get_weights(),
        lambda net: net.save("x.npz"),
    ):
        with pytest.raises(NotFittedError, match="no weights yet"):
            call(RecurrentNetwork(4))
    # one type: a ValueError and an AttributeError, as scikit-learn's
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


@pytest.mark.parametrize("layout", ["fortran", "strided", "readonly"])
def test_awkward_layouts_are_accepted_and_correct(fitted, layout):
    """Non-contiguous, Fortran-ordered and read-only arrays give the same answers."""
    for x in (X, one_hot(X, 10)):
        expected = fitted.predict_proba(x)
        if layout == "fortran":
            odd = np.asfortranarray(x)
        elif layout == "strided":
            odd = np.repeat(x, 2, axis=0)[::2]
        else:
            odd = x.copy()
            odd.flags.writeable = False
        np.testing.assert_array_equal(fitted.predict_proba(odd), expected)


def test_readonly_training_data_is_accepted():
    """Read-only x and y train exactly as writable copies do (and are left unchanged)."""
    x = one_hot(X, 10, np.float32)
    x.flags.writeable = False
    y = Y.copy()
    y.flags.writeable = False
    readonly = RecurrentNetwork(4, 8, 0.1, seed=0).fit(x, y, 1, x_val=x, y_val=y)
    writable = RecurrentNetwork(4, 8, 0.1, seed=0).fit(
        x.copy(), y.copy(), 1, x_val=x.copy(), y_val=y.copy()
    )
    assert readonly.losses == writable.losses and readonly.val_losses == writable.val_losses
    for name, w in writable.get_weights().items():
        np.testing.assert_array_equal(readonly.get_weights()[name], w)
    np.testing.assert_array_equal(x, one_hot(X, 10, np.float32))


def test_set_weights_checks_shapes(fitted):
    w = fitted.get_weights()
    w["w2"] = np.zeros((4, 2))
    with pytest.raises(ValueError, match="w2"):
        fitted.set_weights(w)
    w = fitted.get_weights()
    w["b1"] = np.full(4, np.nan)
    with pytest.raises(ValueError, match="finite"):
        fitted.set_weights(w)
    with pytest.raises(ValueError, match="missing"):
        fitted.set_weights({"w1h": w["w1h"]})


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        RecurrentNetwork.load(tmp_path / "nope.npz")


def test_load_corrupt_file(tmp_path):
    p = tmp_path / "bad.npz"
    p.write_bytes(b"this is not a zip file")
    with pytest.raises(ValueError, match="not a readable rnnfast model"):
        RecurrentNetwork.load(p)


def test_load_truncated_file(tmp_path, fitted):
    path = fitted.save(tmp_path / "m.npz")
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable rnnfast model"):
        RecurrentNetwork.load(path)


def test_load_wrong_keys(tmp_path):
    p = tmp_path / "other.npz"
    np.savez(p, weights=np.zeros(3))
    with pytest.raises(ValueError, match="not a readable rnnfast model"):
        RecurrentNetwork.load(p)


def test_save_to_missing_folder(tmp_path, fitted):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        fitted.save(tmp_path / "no" / "such" / "m.npz")


def test_save_unfitted():
    from rnnfast import NotFittedError

    with pytest.raises(NotFittedError):
        RecurrentNetwork(4).save("x.npz")

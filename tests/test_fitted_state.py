"""What fit leaves and what changes it (issue 20): shape parameters on a fitted network,
one NotFittedError, set_weights that blames the right weight, a warm fit that keeps its
width, the runaway-training warning, and submodules reached from a plain ``import rnnfast``."""

import pickle
import sys
import warnings

import numpy as np
import pytest
from helpers import require, run_python, token_problem

import rnnfast
from rnnfast import NotFittedError, RecurrentNetwork, RunawayTrainingWarning


@pytest.fixture(scope="module")
def data():
    return token_problem(40)


# ----------------------------------------------------------------------- shape parameters


@pytest.mark.parametrize(
    "kw,name,value",
    [({}, "n_cells", 8), ({"embedding_dim": 3}, "embedding_dim", None)],
    ids=["n_cells", "embedding_dim"],
)
def test_a_shape_parameter_set_on_a_fitted_network_makes_it_unfitted(
    data, tmp_path, kw, name, value
):
    x, y, xv, _ = data
    rn = RecurrentNetwork(6, 16, 0.1, seed=0, **kw).fit(x, y, 2, n_features=20)
    setattr(rn, name, value)
    assert not rn.is_fitted and rn.losses == [] and not hasattr(rn, "classes_")
    # every view agrees, and says why
    for call in (
        rn.summary,
        lambda: rn.predict(xv),
        lambda: rn.save(tmp_path / "net"),
        rn.to_keras,
        rn.get_weights,
    ):
        with pytest.raises(NotFittedError, match=f"{name} was set to {value} on a fitted network"):
            call()
    twin = pickle.loads(pickle.dumps(rn))
    assert not twin.is_fitted and getattr(twin, name) == value
    # the next fit builds weights of the new shape
    rn.fit(x, y, 1, n_features=20)
    assert rn.w1h.shape[0] == rn.n_cells and (rn.embedding is None) == (not rn.embedding_dim)
    assert len(rn.losses) == 1


def test_setting_the_same_shape_keeps_the_weights(data):
    x, y, _, _ = data
    rn = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 1)
    w = rn.get_weights()
    rn.set_params(n_cells=6, embedding_dim=None, learning_rate=0.2)
    assert rn.is_fitted and np.array_equal(rn.w1h, w["w1h"])


def test_set_params_is_all_or_nothing():
    rn = RecurrentNetwork(6, 16, 0.1)
    with pytest.raises(ValueError, match="batch_size must be"):
        rn.set_params(learning_rate=0.5, batch_size=0)
    assert rn.learning_rate == 0.1 and rn.get_params()["learning_rate"] == 0.1


def test_nothing_but_the_parameters_is_set_in_init():
    rn = RecurrentNetwork(6, 16, 0.1, seed=0)
    public = {k for k in vars(rn) if not k.startswith("_")}
    assert public == set(RecurrentNetwork.HYPERPARAMETERS)
    assert not hasattr(rn, "seed_") and not hasattr(rn, "classes_")
    assert rn.losses == [] and rn.history == {"loss": [], "accuracy": []}


# ----------------------------------------------------------------------- not fitted


def test_not_fitted_is_scikit_learns_error_once_it_is_imported():
    require("sklearn")
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError
    from sklearn.utils.validation import check_is_fitted

    with pytest.raises(SklearnNotFittedError):
        RecurrentNetwork(4).predict(np.zeros((2, 3), dtype=int))
    with pytest.raises(SklearnNotFittedError):
        check_is_fitted(RecurrentNetwork(4))
    rn = RecurrentNetwork(4)
    rn.init_weights(5)
    check_is_fitted(rn)


def test_diagnostics_say_not_fitted():
    from rnnfast import diagnostics

    with pytest.raises(NotFittedError, match="no weights yet"):
        diagnostics.gradients(RecurrentNetwork(4), np.zeros((2, 3), int), [0, 1])


# ----------------------------------------------------------------------- weights, width


def test_set_weights_blames_the_wrong_weight_and_refuses_unknown_names(data):
    x, y, _, _ = data
    rn = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 1)
    w = rn.get_weights()
    with pytest.raises(ValueError, match=r"weights\['w1h'\] must have shape \(6, 6\)"):
        rn.set_weights({**w, "w1h": np.zeros((4, 4))})
    with pytest.raises(ValueError, match=r"weights\['b1'\] must have shape \(6,\)"):
        rn.set_weights({**w, "b1": np.zeros(5)})
    with pytest.raises(ValueError, match=r"unknown names \['w3'\]"):
        rn.set_weights({**w, "w3": np.zeros(3)})
    assert np.array_equal(rn.w1h, w["w1h"])  # nothing changed
    # all five of another size: the network takes the new size
    small = RecurrentNetwork(3, 16, 0.1, seed=1).fit(x, y, 1).get_weights()
    rn.set_weights(small)
    assert rn.n_cells == 3 and rn.predict(x).shape == (len(x),)


def test_a_warm_fit_refuses_another_width(data):
    x, y, _, _ = data
    rn = RecurrentNetwork(6, 16, 0.1, seed=0, warm_start=True).fit(x, y, 1, n_features=100)
    with pytest.raises(ValueError, match="n_features=200, but warm_start continues weights"):
        rn.fit(x, y, 1, n_features=200)
    rn.fit(x, y, 1, n_features=100)  # the same width continues
    assert len(rn.losses) == 2
    with pytest.raises(ValueError, match="not the labels the network was fitted on"):
        rn.fit(x, np.where(y == 1, "a", "b"), 1)


# ----------------------------------------------------------------------- runaway training


def test_runaway_training_warns(data):
    x, y, _, _ = data
    with pytest.warns(RunawayTrainingWarning, match="learning_rate=1e\\+06 is probably too large"):
        rn = RecurrentNetwork(6, 16, 1e6, seed=0).fit(x, y, 3)
    rms = np.sqrt(sum((w**2).sum() for w in rn.get_weights().values()) / 61)
    assert rms > 100  # (weights near 1e5 here: every cell saturated)
    assert issubclass(RunawayTrainingWarning, RuntimeWarning)


def test_sensible_training_does_not_warn(data):
    x, y, xv, yv = data
    with warnings.catch_warnings():
        warnings.simplefilter("error", RunawayTrainingWarning)
        RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 20, xv, yv)
        RecurrentNetwork(6, 16, 0.01, seed=0, optimizer="adam", embedding_dim=3).fit(x, y, 5)


# ----------------------------------------------------------------------- lazy submodules


def test_submodules_are_reached_from_a_plain_import():
    code = (
        "import sys, rnnfast\n"
        "heavy = ('tensorflow', 'keras', 'pandas', 'matplotlib', 'sklearn')\n"
        "assert not [m for m in heavy if m in sys.modules], 'imported at import rnnfast'\n"
        "assert callable(rnnfast.diagnostics.gradients)\n"
        "assert 'tensorflow' not in sys.modules\n"
        "assert callable(rnnfast.keras.build_s2)  # TensorFlow only when a model is built\n"
        "assert 'diagnostics' in dir(rnnfast)\n"
        "try:\n"
        "    rnnfast.no_such_thing\n"
        "except AttributeError as e:\n"
        "    assert 'no_such_thing' in str(e)\n"
        "print('ok')\n"
    )
    env = dict(__import__("os").environ)
    env["PYTHONPATH"] = __import__("os").path.dirname(
        __import__("os").path.dirname(rnnfast.__file__)
    )
    out = run_python(["-c", code], env=env)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_lazy_attribute_is_the_module():
    from rnnfast import diagnostics

    assert rnnfast.diagnostics is diagnostics is sys.modules["rnnfast.diagnostics"]

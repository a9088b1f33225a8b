"""scikit-learn's meta-estimators on networks (issue 20's acceptance): VotingClassifier (soft
and hard), StackingClassifier, CalibratedClassifierCV and GridSearchCV(scoring="roc_auc")
work and give the scores one network gives.  Labels are strings: any two labels work."""

import numpy as np
import pytest
from helpers import require, token_problem

require("sklearn")

from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.ensemble import StackingClassifier, VotingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score  # noqa: E402

from rnnfast import RecurrentNetwork  # noqa: E402


@pytest.fixture(scope="module")
def data():
    x, y, xv, yv = token_problem(100)
    names = np.array(["negative", "positive"])
    return x, names[y], xv, names[yv]


def net(seed=0):
    return RecurrentNetwork(6, 16, 0.1, seed=seed)


@pytest.fixture(scope="module")
def single(data):
    x, y, _, _ = data
    return net().fit(x, y)


def test_one_network_is_a_classifier_of_its_labels(data, single):
    _, _, xv, yv = data
    assert single.classes_.tolist() == ["negative", "positive"]
    assert set(single.predict(xv)) <= {"negative", "positive"}
    assert single.predict_proba(xv).shape == (len(xv), 2)
    assert 0.6 < single.score(xv, yv) <= 1  # it learns the problem


@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_voting_of_twin_networks_is_one_network(data, single, voting):
    x, y, xv, yv = data
    vote = VotingClassifier([("a", net()), ("b", net())], voting=voting).fit(x, y)
    np.testing.assert_array_equal(vote.predict(xv), single.predict(xv))
    assert vote.score(xv, yv) == single.score(xv, yv)
    if voting == "soft":
        np.testing.assert_allclose(vote.predict_proba(xv), single.predict_proba(xv), rtol=1e-12)


def test_soft_voting_of_different_networks_averages_their_probabilities(data):
    x, y, xv, _ = data
    vote = VotingClassifier([("a", net(0)), ("b", net(1))], voting="soft").fit(x, y)
    a, b = net(0).fit(x, y), net(1).fit(x, y)
    mean = (a.predict_proba(xv) + b.predict_proba(xv)) / 2
    np.testing.assert_allclose(vote.predict_proba(xv), mean, rtol=1e-12)
    assert set(vote.predict(xv)) <= {"negative", "positive"}


def test_stacking_reads_each_networks_probability(data, single):
    x, y, xv, yv = data
    stack = StackingClassifier(
        [("a", net()), ("b", net(1))], final_estimator=LogisticRegression(), cv=3
    ).fit(x, y)
    # the first level, refitted on all of x: column 0 is the first network's P(classes_[1])
    np.testing.assert_allclose(stack.transform(xv)[:, 0], single.predict_proba(xv)[:, 1])
    assert stack.predict_proba(xv).shape == (len(xv), 2)
    assert abs(stack.score(xv, yv) - single.score(xv, yv)) < 0.15


def test_calibration_keeps_the_networks_ranking(data, single):
    x, y, xv, yv = data
    cal = CalibratedClassifierCV(net(), cv=3, ensemble=False).fit(x, y)
    p = cal.predict_proba(xv)
    assert p.shape == (len(xv), 2)
    np.testing.assert_allclose(p.sum(axis=1), 1)
    # ensemble=False: one network fitted on all of x, sigmoid-calibrated (monotone), so the
    # ROC AUC is the network's own
    positive = yv == "positive"
    auc_net = roc_auc_score(positive, single.predict_proba(xv)[:, 1])
    assert roc_auc_score(positive, p[:, 1]) == pytest.approx(auc_net, abs=1e-12)


def test_grid_search_roc_auc_is_the_mean_of_the_folds(data):
    x, y, _, _ = data
    grid = GridSearchCV(net(), {"n_cells": [6]}, scoring="roc_auc", cv=3).fit(x, y)
    folds = []
    for train, test in StratifiedKFold(3).split(x, y):
        fold = net().fit(x[train], y[train])
        folds.append(roc_auc_score(y[test] == "positive", fold.predict_proba(x[test])[:, 1]))
    assert grid.best_score_ == pytest.approx(np.mean(folds), abs=1e-12)
    assert not np.isnan(grid.cv_results_["mean_test_score"]).any()
    scores = cross_val_score(net(), x, y, cv=3, scoring="neg_log_loss")
    assert np.isfinite(scores).all() and (scores < 0).all()

"""The scikit-learn estimator checks a :class:`rnnfast.RecurrentNetwork` fails on purpose,
each with its reason: pass :func:`expected_failed_checks` to scikit-learn's
``check_estimator``/``parametrize_with_checks`` (scikit-learn >= 1.6).  Every other check
passes (tests/test_sklearn_checks.py).  Importing this module does not import scikit-learn.

>>> from rnnfast import RecurrentNetwork
>>> sorted(expected_failed_checks(RecurrentNetwork()))[:1]
['check_do_not_raise_errors_in_init_or_set_params']
"""

#: Failed by every network.
ALWAYS = {
    "check_do_not_raise_errors_in_init_or_set_params": (
        "rnnfast checks each hyperparameter when it is set (the constructor, set_params, "
        "net.n_cells = ...), against the one table of rnnfast.hyperparams, so a learner sees "
        "a wrong value at the line that wrote it, not epochs later in fit; scikit-learn "
        "validates in fit. set_params stays all-or-nothing (docs/API.md)"
    ),
    "check_supervised_y_2d": (
        "labels of shape (m, 1) are Keras' shape for one sigmoid output (what model.predict "
        "returns, what the source reshapes y to): accepted as (m,) without a "
        "DataConversionWarning"
    ),
}

#: Failed by a network with an embedding layer (embedding_dim).
EMBEDDING = {
    "check_decision_proba_consistency": (
        "an embedding layer looks rows up by token id: this check fits make_blobs floats "
        "(not whole numbers) without applying the categorical tag that turns X into ids, and "
        "the network refuses them (ValueError naming the embedding layer)"
    )
}


def expected_failed_checks(network):
    """``{check name: reason}`` for ``network`` (a RecurrentNetwork)."""
    checks = dict(ALWAYS)
    if network.embedding_dim:
        checks.update(EMBEDDING)
    return checks

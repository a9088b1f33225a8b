"""scikit-learn's own estimator checks (issue 20): every check passes on every configuration
but those a binary sequence classifier declares, each with its reason
(``EXPECTED_FAILED_CHECKS``, also in docs/API.md)."""

from helpers import require

require("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from rnnfast import RecurrentNetwork  # noqa: E402
from rnnfast.sklearn_checks import expected_failed_checks  # noqa: E402


class OneHotTokenIds(RecurrentNetwork):
    """The same network, tagged as reading categories (scikit-learn's ``categorical`` and
    ``positive_only``): the checks that honour the tags feed it integer token ids, so the
    one-hot token-id path (no embedding) goes through the checks too."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = tags.input_tags.positive_only = True
        return tags


CONFIGURATIONS = [
    # dense: a 2-D float X is (m, T) univariate sequences, read as (m, T, 1)
    RecurrentNetwork(8, 16, 0.1, seed=0),
    RecurrentNetwork(8, 16, 0.1, seed=0, dtype="float32"),
    RecurrentNetwork(8, 16, 0.1, seed=0, backend="numpy", bptt_steps=None),
    # token ids through an embedding layer (Adam: the source's S3 model)
    RecurrentNetwork(8, 16, 0.01, seed=0, embedding_dim=4, optimizer="adam"),
    # token ids, one-hot (no embedding)
    OneHotTokenIds(8, 16, 0.1, seed=0, bptt_steps=5),
]


def expected(net):
    checks = expected_failed_checks(net)
    if isinstance(net, OneHotTokenIds):
        checks["check_fit_non_negative"] = (
            "positive_only is this test's tag: the one-hot network reads the check's "
            "negative floats as univariate sequences and fits them"
        )
    return checks


@parametrize_with_checks(CONFIGURATIONS, expected_failed_checks=expected)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_every_declared_failure_still_fails():
    """A declared failure that starts passing must be undeclared (checked on the first
    configuration: strict xfail)."""
    from sklearn.utils.estimator_checks import check_estimator

    for net in (CONFIGURATIONS[0], CONFIGURATIONS[3]):
        declared = expected(net)
        results = check_estimator(net, on_fail=None, expected_failed_checks=declared)
        outcome = {}
        for r in results:
            outcome.setdefault(r["check_name"], set()).add(r["status"])
        for name in declared:
            assert outcome.get(name) == {"xfail"}, (name, outcome.get(name))
        assert not [r for r in results if r["status"] == "failed"]


def test_the_declared_reasons_are_written():
    for net in CONFIGURATIONS:
        for name, reason in expected(net).items():
            assert name.startswith("check_") and len(reason) > 40

"""rnnfast's exceptions and warnings, importable without scikit-learn.

:class:`NotFittedError` is what every method that needs weights raises before ``fit``.  Like
scikit-learn's ``sklearn.exceptions.NotFittedError`` it is both a ValueError and an
AttributeError; and once scikit-learn is imported, the error raised is also an instance of
scikit-learn's class (:func:`not_fitted`), so ``except sklearn.exceptions.NotFittedError``
catches it too.  ``import rnnfast`` never imports scikit-learn.
"""

import sys


class NotFittedError(ValueError, AttributeError):
    """This network has no weights yet (or they were dropped, see the message): call
    ``fit`` (or ``init_weights``/``set_weights``) first."""


_sklearn_flavour = None


def _with_sklearn():
    """``NotFittedError`` that is also scikit-learn's (built once, when scikit-learn is
    already imported: nobody can catch scikit-learn's class before importing it)."""
    global _sklearn_flavour
    if _sklearn_flavour is None:
        from sklearn.exceptions import NotFittedError as SklearnNotFittedError

        class SklearnCompatibleNotFittedError(NotFittedError, SklearnNotFittedError):
            __doc__ = NotFittedError.__doc__

        SklearnCompatibleNotFittedError.__module__ = __name__
        SklearnCompatibleNotFittedError.__qualname__ = "SklearnCompatibleNotFittedError"
        globals()["SklearnCompatibleNotFittedError"] = SklearnCompatibleNotFittedError
        _sklearn_flavour = SklearnCompatibleNotFittedError
    return _sklearn_flavour


def not_fitted(message):
    """The NotFittedError to raise with ``message``."""
    cls = _with_sklearn() if "sklearn.exceptions" in sys.modules else NotFittedError
    return cls(message)


def __getattr__(name):
    # a pickled SklearnCompatibleNotFittedError finds its class in a fresh process
    if name == "SklearnCompatibleNotFittedError":
        return _with_sklearn()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RunawayTrainingWarning(RuntimeWarning):
    """Training is running away: the weights or the loss grow past the bounds of
    :mod:`rnnfast.training` (``RUNAWAY_WEIGHT_RMS``, ``RUNAWAY_LOSS``) while still finite."""

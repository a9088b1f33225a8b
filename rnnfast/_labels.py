"""Class labels as scikit-learn's classifiers take them, for a binary network.

Any two labels (0/1 as the source, booleans, {-1, 1}, strings) become ``classes_`` (sorted,
as ``np.unique``); the network's one sigmoid unit gives the probability of ``classes_[1]``.
Labels that are all 0 or 1 keep ``classes_ = [0, 1]`` even when one of them is missing from
a batch (the source's labels, 0.3.0's behaviour).  ``predict`` returns labels from
``classes_``.
"""

import numpy as np

from . import _validation as v

BINARY_ONLY = "Only binary classification is supported"


def as_labels(y, name, m):
    """y as a 1-D array of m labels (a column (m, 1) is read as (m,)), finite."""
    if y is None:
        raise ValueError(
            f"RecurrentNetwork requires y to be passed, but the target {name} is None "
            "(a classifier learns from labels)"
        )
    y = v.as_array(y, name, numeric=False)
    if y.dtype.kind == "c":
        raise ValueError(f"{name}: Complex data not supported, got dtype {y.dtype}")
    if not (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)):
        raise ValueError(
            f"{name} must have shape ({m},) or ({m}, 1) (one label per sequence), got {y.shape}"
            + (f": {BINARY_ONLY} (one output)" if y.ndim == 2 else "")
        )
    if y.shape[0] != m:
        raise ValueError(f"{name} must have one label per sequence: expected {m}, got {y.shape[0]}")
    y = y.reshape(-1)
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        bad = y[~np.isfinite(y)][0]
        raise ValueError(f"{name} must be finite labels, found {bad} (NaN or inf)")
    return y


def fit_classes(y, name, m):
    """fit's labels: ``(classes_, y01)``, y01 float64 (m,) in {0, 1} (1 = ``classes_[1]``).

    Raises ValueError for a continuous target ("Unknown label type: continuous"), more than
    two labels ("Only binary classification is supported") and a single label other than 0/1.
    """
    y = as_labels(y, name, m)
    if y.dtype.kind == "f" and not np.array_equal(y, np.round(y)):
        raise ValueError(
            f"Unknown label type: continuous: {name} must be class labels (two values), "
            f"found {y[y != np.round(y)][0]!r}; a classifier cannot fit a continuous target"
        )
    if y.dtype.kind == "O":
        kinds = {type(label) for label in y}
        if len(kinds) > 1:
            raise ValueError(
                f"Unknown label type: {name} mixes label types {sorted(k.__name__ for k in kinds)}"
            )
    classes = np.unique(y)
    if y.dtype.kind in "biuf" and np.isin(classes, (0, 1)).all():
        classes = np.array([0, 1], dtype=y.dtype)  # the source's labels
    if len(classes) > 2:
        raise ValueError(
            f"{BINARY_ONLY}. The type of the target is multiclass: {name} has "
            f"{len(classes)} labels {_show(classes)}; a RecurrentNetwork has one sigmoid output"
        )
    if len(classes) < 2:
        raise ValueError(
            f"{name} has one class only ({_show(classes)}): a binary classifier needs two "
            "classes (labels 0/1 may miss one)"
        )
    return classes, (y == classes[1]).astype(np.float64)


def encode(y, name, m, classes):
    """Labels of a fitted network (validation, score, evaluate) as float64 (m,) in {0, 1}."""
    y = as_labels(y, name, m)
    known = np.isin(y, classes)
    if not known.all():
        raise ValueError(
            f"{name} holds a label the network was not fitted on: {y[~known][0]!r} "
            f"(classes_ = {_show(classes)})"
        )
    return (y == classes[1]).astype(np.float64)


def _show(classes):
    return "[" + ", ".join(repr(c.item() if hasattr(c, "item") else c) for c in classes) + "]"

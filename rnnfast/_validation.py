"""Argument checks for the public API.  Every message names the argument, what was expected
and what was given, so the kernels never see an unchecked buffer."""

import numbers

import numpy as np

# Rows per chunk when scanning a large dense input for NaN/inf: bounds the temporary
# boolean array to a few MB even for the source's 800 MB one-hot array.
_FINITE_CHUNK_BYTES = 8 << 20


def check_int(value, name, minimum=1, allow_none=False):
    """An integer >= minimum (bool is rejected: ``True`` is not a size)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= {minimum}"
            f"{' or None' if allow_none else ''}, got {value!r} "
            f"({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive_float(value, name, allow_none=False):
    """A finite real number > 0."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r} ({type(value).__name__})")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def check_choice(value, name, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


_RAGGED_HINT = "pad the sequences first, e.g. rnnfast.preprocessing.pad_sequences(x, maxlen=100)"


def _pandas_dtype_hint(x, name):
    """A pandas object whose dtype NumPy cannot take as numbers (nullable ``Int64``,
    ``category``, ``string``, ...): the message names the dtype and the conversion."""
    dtypes = getattr(x, "dtypes", None)
    if dtypes is None or isinstance(x, np.ndarray):
        return
    dtypes = (
        list(dtypes) if hasattr(dtypes, "__iter__") and not hasattr(dtypes, "kind") else [dtypes]
    )
    for dt in dtypes:
        if isinstance(dt, np.dtype):
            continue
        kind = str(dt)
        if kind == "category":
            raise TypeError(
                f"{name} has pandas dtype 'category': convert it to numbers "
                f"first, e.g. {name}.cat.codes (check the categories' order) or "
                f"{name}.map({{'neg': 0, 'pos': 1}})"
            )
        if getattr(dt, "kind", "O") in "iufb":  # nullable Int64/Float64/boolean
            raise TypeError(
                f"{name} has pandas nullable dtype {kind!r}: convert it first, "
                f"e.g. {name}.to_numpy(dtype='int64') (missing values must be "
                f"filled or dropped before)"
            )
        raise TypeError(f"{name} has pandas dtype {kind!r}, not numbers: convert it first")


def _is_sparse(x):
    return type(x).__module__.startswith("scipy.sparse") or hasattr(x, "tocsr")


def as_array(x, name, numeric=True):
    """x as a NumPy array.  ``numeric``: an object array (e.g. a pandas frame of mixed
    columns) is converted to numbers, or refused with NumPy's reason; sparse matrices are
    refused (a sequence is dense in time)."""
    if x is None:
        raise TypeError(f"{name} must be an array, got None")
    if _is_sparse(x):
        raise TypeError(
            f"{name}: sparse input is not supported (got {type(x).__name__}): pass a dense "
            f"array ({name}.toarray()), or token ids (m, T) for one-hot sequences"
        )
    _pandas_dtype_hint(x, name)
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError):
            raise TypeError(
                f"{name} must be a rectangular numeric array, got ragged sequences: {_RAGGED_HINT}"
            ) from None
    if arr.dtype == object and numeric:
        arr = _object_to_numbers(arr, name)
    return arr


def _object_to_numbers(arr, name):
    """An object array of numbers as a numeric array (ints stay ints: token ids)."""
    try:
        converted = np.array(arr.tolist())
    except (ValueError, TypeError):
        converted = arr
    if converted.dtype != object and converted.shape == arr.shape:
        return converted
    if arr.ndim >= 1 and any(isinstance(e, (list, tuple, np.ndarray)) for e in arr.flat):
        raise TypeError(
            f"{name} must be a numeric array, got an object array of shape "
            f"{arr.shape} (e.g. lists of token ids): {_RAGGED_HINT}"
        )
    try:
        return arr.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold numbers: {exc}") from None


def _check_finite(x, name):
    row_bytes = max(1, x[:1].nbytes)
    step = max(1, _FINITE_CHUNK_BYTES // row_bytes)
    for start in range(0, len(x), step):
        chunk = x[start : start + step]
        if not np.isfinite(chunk).all():
            bad = np.argwhere(~np.isfinite(chunk))[0]
            bad[0] += start
            raise ValueError(
                f"{name} must be finite (no NaN or inf); found {x[tuple(bad)]} at index "
                f"{tuple(int(i) for i in bad)}"
            )


def check_finite(x, name):
    """Dense real input must be finite (scanned in chunks of a few MB)."""
    if x.ndim == 3 and x.dtype.kind == "f":
        _check_finite(x, name)


def _whole_numbers_as_ids(x, name):
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite token ids (no NaN or inf), got dtype {x.dtype}")
    if not np.array_equal(x, np.round(x)):
        raise ValueError(
            f"{name} must be integer token ids (m, T) for a network with an embedding layer; "
            f"got floats of dtype {x.dtype} that are not all whole numbers"
        )
    return x.astype(np.int64)


def check_sequences(x, name, n_features=None, finite=True, ids_only=False):
    """Check a batch of sequences and tell its kind.

    Dense features: a real array (m, T, n_features), finite; a 2-D float array (m, T) is
    univariate sequences, read as (m, T, 1).  Token ids: an integer array (m, T) with every
    id in [0, n_features) (``ids_only``: 2-D floats must be whole numbers and are read as
    ids).  ``finite=False`` leaves the NaN/inf scan to the caller (:func:`check_finite`).
    Returns ``(array, kind)`` with kind ``"dense"`` or ``"ids"``; the array is not copied
    unless it had to be converted.
    """
    x = as_array(x, name)
    if x.dtype.kind == "c":
        raise ValueError(f"{name}: Complex data not supported, got dtype {x.dtype}")
    if x.dtype.kind == "b" or x.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold real numbers (dense features) or integers "
            f"(token ids), got dtype {x.dtype}"
        )
    if x.ndim == 2 and x.shape[1] == 0:
        # scikit-learn's words (its estimator checks match them)
        raise ValueError(
            f"{name} has 0 feature(s) (shape={x.shape}) while a minimum of 1 is required: "
            "a sequence needs at least one time step (T >= 1)"
        )
    if x.ndim == 2 and x.dtype.kind == "f":
        if ids_only:
            x = _whole_numbers_as_ids(x, name)
        else:
            # (m, T) floats: univariate sequences, one feature per step (sktime, tslearn);
            # scanned for NaN/inf at once (before any width check)
            _check_finite(x, name)
            x = x[:, :, np.newaxis]
    if x.ndim == 3:
        kind = "dense"
    elif x.ndim == 2:
        kind = "ids"
    else:
        one = (
            f": Reshape your data, e.g. {name}[np.newaxis] for one sequence" if x.ndim == 1 else ""
        )
        raise ValueError(
            f"{name} must be 3-D dense features (m, T, n_features) or 2-D token "
            f"ids or univariate sequences (m, T), got {x.ndim}-D array of shape {x.shape}{one}"
        )
    if x.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sequence, got shape {x.shape}")
    if x.shape[1] == 0:
        raise ValueError(f"{name} must have at least one time step (T >= 1), got shape {x.shape}")
    if kind == "dense":
        if x.shape[2] == 0:
            raise ValueError(f"{name} must have at least one feature, got shape {x.shape}")
        if n_features is not None and x.shape[2] != n_features:
            raise ValueError(
                f"{name} must have n_features = {n_features} (the weights' "
                f"input size), got {x.shape[2]} (shape {x.shape})"
            )
        if finite:
            check_finite(x, name)
        return x, kind
    lo, hi = int(x.min()), int(x.max())
    if lo < 0:
        raise ValueError(
            f"{name}: token ids must be >= 0, got minimum {lo} (Negative values in data "
            f"passed to {name})"
        )
    if n_features is not None and hi >= n_features:
        raise ValueError(
            f"{name}: token ids must be < n_features = {n_features} (the "
            f"one-hot width of the weights), got maximum {hi}: map rarer words "
            f"to an id below {n_features} (e.g. load_data(num_words="
            f"{n_features})), or fit with fit(..., n_features={hi + 1}) or more "
            f"(n_features defaults to the largest id seen in fit + 1)"
        )
    if x.dtype not in (np.int32, np.int64):
        x = x.astype(np.int64 if hi >= 2**31 else np.int32)
    return x, kind


def check_labels(y, name, m):
    """Binary labels (m,) or (m, 1) in {0, 1}; returns float64 (m,)."""
    y = as_array(y, name)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers 0 and 1, got dtype {y.dtype}")
    if not (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)):
        raise ValueError(f"{name} must have shape ({m},) or ({m}, 1), got {y.shape}")
    if y.shape[0] != m:
        raise ValueError(f"{name} must have one label per sequence: expected {m}, got {y.shape[0]}")
    y = y.reshape(-1)
    bad = (y != 0) & (y != 1)
    if bad.any():
        raise ValueError(
            f"{name} must contain only 0 and 1 (binary classification), "
            f"found {y[bad][0]!r} at index {int(np.argmax(bad))}"
        )
    return y.astype(np.float64)


def _cells(new):
    """The number of cells most of the weights agree on (so the one that disagrees is
    blamed), from w1h's two sides, w1x's columns, b1 and w2."""
    votes = []
    for n, axes in (("w1h", (0, 1)), ("w1x", (1,)), ("b1", (0,)), ("w2", (0,))):
        a = new[n]
        votes += [a.shape[i] for i in axes if a.ndim > i]
    return max(set(votes), key=lambda c: (votes.count(c), c == votes[0])) if votes else -1


def check_weights(weights, names, embedding_dim, dtype):
    """A network's weights: a dict with ``names`` (``w1h, w1x, b1, w2, b2``, and ``embedding``
    with ``embedding_dim``) and nothing else, of consistent shapes, finite.  The number of
    cells is the one most weights agree on, so a wrong ``w1h`` is blamed as ``w1h``.  Returns
    C-contiguous copies in ``dtype`` (a dict in the order of ``names``)."""
    if not isinstance(weights, dict):
        raise TypeError(f"weights must be a dict of {names}, got {type(weights).__name__}")
    if not embedding_dim and "embedding" in weights:
        raise ValueError(
            "weights has an 'embedding' but this network has none: create "
            "it with embedding_dim=d (d = embedding.shape[1])"
        )
    unknown = sorted(str(n) for n in weights if n not in names)
    if unknown:
        raise ValueError(f"weights has unknown names {unknown}: the weights are {list(names)}")
    missing = [n for n in names if n not in weights]
    if missing:
        raise ValueError(f"weights is missing {missing}")
    new = {n: np.array(weights[n], dtype=dtype, order="C") for n in names}
    nc = _cells(new)
    nf = new["w1x"].shape[0] if new["w1x"].ndim == 2 else -1
    expected = {"w1h": (nc, nc), "w1x": (nf, nc), "b1": (nc,), "w2": (nc, 1), "b2": (1,)}
    if embedding_dim:
        emb = new["embedding"]
        n_tokens = emb.shape[0] if emb.ndim == 2 and emb.shape[0] >= 1 else -1
        expected["w1x"] = (embedding_dim, nc)
        expected["embedding"] = (n_tokens, embedding_dim)
        nf = min(nf, n_tokens)
    for n in names:
        if new[n].shape != expected[n] or (nf < 1 and n in ("w1x", "embedding")):
            raise ValueError(
                f"weights[{n!r}] must have shape {expected[n]} ({nc} cells, as most of the "
                f"other weights say), got {new[n].shape}"
            )
        if not np.isfinite(new[n]).all():
            raise ValueError(f"weights[{n!r}] must be finite")
    return new


def check_network_input(x, name, n_features=None, embedding_dim=None):
    """:func:`check_sequences` without the NaN/inf scan (the caller's, see
    ``rnnfast.batching.kernel_form``); a network with an embedding layer (``embedding_dim``)
    reads token ids only (the layer looks rows up).  Returns ``(array, kind)``."""
    x, kind = check_sequences(
        x, name, n_features=n_features, finite=False, ids_only=bool(embedding_dim)
    )
    if embedding_dim and kind != "ids":
        raise ValueError(
            f"{name} must be integer token ids (m, T) for a network with an "
            f"embedding layer (embedding_dim={embedding_dim}), got dense input "
            f"of shape {x.shape} and dtype {x.dtype}"
        )
    return x, kind


def check_training_data(x, y, x_val, y_val, n_features=None, embedding_dim=None):
    """fit's arrays: x and x_val of one kind (see :func:`check_network_input`), their labels
    (any two, :mod:`rnnfast._labels`), and the one-hot width: ``n_features`` (the weights' or
    the keyword), else dense x's, else the largest token id in x and x_val + 1.  Each array
    is scanned once.  Returns ``(x, y, x_val, y_val, width, classes)``; labels as float64
    (m,) in {0, 1} (1 = ``classes[1]``)."""
    from . import _labels

    x = as_array(x, "x")
    sequences = x.ndim in (2, 3)
    if sequences:  # the labels first: a binary network refuses three classes whatever x is
        classes, y = _labels.fit_classes(y, "y", len(x))
    x, kind = check_network_input(x, "x", n_features, embedding_dim)
    if not sequences:
        classes, y = _labels.fit_classes(y, "y", len(x))
    if (x_val is None) != (y_val is None):
        raise ValueError(
            "x_val and y_val must be given together, got "
            f"x_val={'None' if x_val is None else 'array'} and "
            f"y_val={'None' if y_val is None else 'array'}"
        )
    width = x.shape[2] if kind == "dense" else n_features
    if x_val is not None:
        x_val, kind_val = check_network_input(x_val, "x_val", width, embedding_dim)
        if kind_val != kind:
            raise ValueError(f"x_val must be the same kind of input as x ({kind}), got {kind_val}")
        y_val = _labels.encode(y_val, "y_val", len(x_val), classes)
    if width is None:
        width = int(max(x.max(), -1 if x_val is None else x_val.max())) + 1
    return x, y, x_val, y_val, width, classes


def check_validation_data(validation_data, x_val, y_val):
    """Keras' ``validation_data=(x_val, y_val)`` or the source's ``x_val, y_val``: returns
    ``(x_val, y_val)`` (both None without validation)."""
    if validation_data is None:
        return x_val, y_val
    if x_val is not None or y_val is not None:
        raise ValueError(
            "give the validation data once: validation_data=(x_val, y_val) or "
            "x_val=..., y_val=..., not both"
        )
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError(
            "validation_data must be a tuple (x_val, y_val), got "
            f"{type(validation_data).__name__}"
            + (
                f" of length {len(validation_data)}"
                if isinstance(validation_data, (tuple, list))
                else ""
            )
        )
    return validation_data[0], validation_data[1]

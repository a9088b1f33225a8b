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


def as_array(x, name):
    if x is None:
        raise TypeError(f"{name} must be an array, got None")
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
    if arr.dtype == object:
        raise TypeError(
            f"{name} must be a numeric array, got an object array of shape "
            f"{arr.shape} (e.g. lists of token ids): {_RAGGED_HINT}"
        )
    return arr


def _check_finite(x, name):
    row_bytes = max(1, x[:1].nbytes)
    step = max(1, _FINITE_CHUNK_BYTES // row_bytes)
    for start in range(0, len(x), step):
        chunk = x[start : start + step]
        if not np.isfinite(chunk).all():
            bad = np.argwhere(~np.isfinite(chunk))[0]
            bad[0] += start
            raise ValueError(
                f"{name} must be finite; found {x[tuple(bad)]} at index "
                f"{tuple(int(i) for i in bad)}"
            )


def check_finite(x, name):
    """Dense real input must be finite (scanned in chunks of a few MB)."""
    if x.ndim == 3 and x.dtype.kind == "f":
        _check_finite(x, name)


def check_sequences(x, name, n_features=None, finite=True):
    """Check a batch of sequences and tell its kind.

    Dense features: a real array (m, T, n_features), finite.  Token ids: an integer array
    (m, T) with every id in [0, n_features) (``finite=False`` leaves the NaN/inf scan to the
    caller, see :func:`check_finite`).  Returns ``(array, kind)`` with kind
    ``"dense"`` or ``"ids"``; the array is not copied unless it had to be converted.
    """
    x = as_array(x, name)
    if x.dtype.kind == "b" or x.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold real numbers (dense features) or integers "
            f"(token ids), got dtype {x.dtype}"
        )
    if x.ndim == 3:
        kind = "dense"
    elif x.ndim == 2 and x.dtype.kind in "iu":
        kind = "ids"
    elif x.ndim == 2:
        raise TypeError(
            f"{name} with 2 dimensions must be integer token ids (m, T), got "
            f"dtype {x.dtype}; dense features must be 3-D (m, T, n_features)"
        )
    else:
        raise ValueError(
            f"{name} must be 3-D dense features (m, T, n_features) or 2-D token "
            f"ids (m, T), got {x.ndim}-D array of shape {x.shape}"
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
        raise ValueError(f"{name}: token ids must be >= 0, got minimum {lo}")
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


def check_weights(weights, names, embedding_dim, dtype):
    """A network's weights: a dict with ``names`` (``w1h, w1x, b1, w2, b2``, and ``embedding``
    with ``embedding_dim``) of consistent shapes, finite.  Returns C-contiguous copies in
    ``dtype`` (a dict in the order of ``names``)."""
    if not isinstance(weights, dict):
        raise TypeError(f"weights must be a dict of {names}, got {type(weights).__name__}")
    missing = [n for n in names if n not in weights]
    if missing:
        raise ValueError(f"weights is missing {missing}")
    if not embedding_dim and "embedding" in weights:
        raise ValueError(
            "weights has an 'embedding' but this network has none: create "
            "it with embedding_dim=d (d = embedding.shape[1])"
        )
    new = {n: np.array(weights[n], dtype=dtype, order="C") for n in names}
    nc = new["w1h"].shape[0] if new["w1h"].ndim == 2 else -1
    nf = new["w1x"].shape[0] if new["w1x"].ndim == 2 else -1
    expected = {"w1h": (nc, nc), "w1x": (nf, nc), "b1": (nc,), "w2": (nc, 1), "b2": (1,)}
    if embedding_dim:
        emb = new["embedding"]
        n_tokens = emb.shape[0] if emb.ndim == 2 and emb.shape[0] >= 1 else -1
        expected["w1x"] = (embedding_dim, nc)
        expected["embedding"] = (n_tokens, embedding_dim)
        nf = min(nf, n_tokens)
    for n in names:
        if new[n].shape != expected[n] or nf < 1:
            raise ValueError(f"weights[{n!r}] must have shape {expected[n]}, got {new[n].shape}")
        if not np.isfinite(new[n]).all():
            raise ValueError(f"weights[{n!r}] must be finite")
    return new


def check_network_input(x, name, n_features=None, embedding_dim=None):
    """:func:`check_sequences` without the NaN/inf scan (the caller's, see
    ``rnnfast.batching.kernel_form``); a network with an embedding layer (``embedding_dim``)
    reads token ids only (the layer looks rows up).  Returns ``(array, kind)``."""
    x, kind = check_sequences(x, name, n_features=n_features, finite=False)
    if embedding_dim and kind != "ids":
        raise ValueError(
            f"{name} must be integer token ids (m, T) for a network with an "
            f"embedding layer (embedding_dim={embedding_dim}), got dense input "
            f"of shape {x.shape} and dtype {x.dtype}"
        )
    return x, kind


def check_training_data(x, y, x_val, y_val, n_features=None, embedding_dim=None):
    """fit's arrays: x and x_val of one kind (see :func:`check_network_input`), their labels,
    and the one-hot width: ``n_features`` (the weights' or the keyword), else dense x's, else
    the largest token id in x and x_val + 1.  Each array is scanned once.  Returns
    ``(x, y, x_val, y_val, width)``; labels as float64 (m,)."""
    x, kind = check_network_input(x, "x", n_features, embedding_dim)
    y = check_labels(y, "y", len(x))
    if (x_val is None) != (y_val is None):
        raise ValueError(
            "x_val and y_val must be given together, got "
            f"x_val={'None' if x_val is None else 'array'} and "
            f"y_val={'None' if y_val is None else 'array'}"
        )
    width = x.shape[2] if kind == "dense" else n_features
    if x_val is not None:
        x_val, kind_val = check_sequences(x_val, "x_val", n_features=width, finite=False)
        if kind_val != kind:
            raise ValueError(f"x_val must be the same kind of input as x ({kind}), got {kind_val}")
        y_val = check_labels(y_val, "y_val", len(x_val))
    if width is None:
        width = int(max(x.max(), -1 if x_val is None else x_val.max())) + 1
    return x, y, x_val, y_val, width


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


def check_same_shape(net):
    """With ``warm_start``, fit continues the current weights: n_cells and embedding_dim set
    since must still describe them."""
    w1h = net._params["w1h"]
    emb = net._params.get("embedding")
    if (
        w1h.shape[0] != net.n_cells
        or (emb is None) != (not net.embedding_dim)
        or (emb is not None and emb.shape[1] != net.embedding_dim)
    ):
        raise ValueError(
            f"warm_start continues the current weights ({w1h.shape[0]} cells"
            f"{'' if emb is None else f', embedding_dim {emb.shape[1]}'}), but n_cells="
            f"{net.n_cells}, embedding_dim={net.embedding_dim} were set since: set "
            "warm_start=False to start again with the new shape"
        )

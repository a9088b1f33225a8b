"""Sequence preprocessing without TensorFlow: padding, one-hot, and the source's data steps.

Everything here is NumPy only, so the data pipeline runs on a machine without TensorFlow.

- :func:`pad_sequences` -- Keras' ``pad_sequences``, same arguments, same result.
- :func:`to_categorical` -- Keras' ``to_categorical`` (one-hot), float32 by default as the
  source's ``tf.keras`` (800,000,000 bytes for the source's (20000, 100, 100) array).
- :func:`drop_ids` -- the source's ``[w for w in x if w > 2]`` on every review.
- :func:`textbook_split` -- the source's ``np.random.seed(42); np.random.permutation(25000)``
  20,000 / 5,000 split, without touching NumPy's global random state.

Ragged data (a list of sequences of different lengths) is handled internally as one flat
integer array of all tokens plus an array of lengths, so that the work is done by vectorised
NumPy operations instead of a Python loop per token.
"""

import numbers
from itertools import chain

import numpy as np

__all__ = ["pad_sequences", "to_categorical", "drop_ids", "textbook_split"]

_MAX_SEED = 2**32 - 1  # np.random.RandomState accepts seeds in [0, 2**32 - 1]


# ----------------------------------------------------------------------------- validation


def _check_int(name, value, minimum=None, maximum=None, allow_none=False):
    """Return ``value`` as a Python int, or raise a TypeError/ValueError naming ``name``.

    bool is refused although it is an int subclass: ``maxlen=True`` is a mistake, not 1.
    """
    if value is None and allow_none:
        return None
    expected = "an int" + (" or None" if allow_none else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices!r}, got {value!r}")
    return value


def _check_dtype(name, dtype):
    try:
        return np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"{name} must be a NumPy dtype, got {dtype!r}") from exc


def _sequence_lengths(sequences, name="sequences"):
    """Lengths of the items of ``sequences`` as a Python list (Keras' first loop)."""
    if not hasattr(sequences, "__len__") or isinstance(sequences, (str, bytes)):
        raise ValueError(
            f"`{name}` must be a list or array of sequences, got {type(sequences).__name__}"
        )
    lengths = []
    for position, seq in enumerate(sequences):
        try:
            lengths.append(len(seq))
        except TypeError as exc:
            raise ValueError(
                f"`{name}` must be a list of iterables. "
                f"Found non-iterable at position {position}: {seq!r}"
            ) from exc
    return lengths


# ----------------------------------------------------------------------------- ragged helpers


def _ragged_from_sequences(sequences, name="sequences"):
    """Flatten a list of integer sequences into ``(tokens, lengths)``.

    Returns ``tokens`` (total,) int64, the concatenation of all sequences, and
    ``lengths`` (n,) int64.  Raises ValueError if an item is not a flat sequence of integers.
    """
    lengths = np.asarray(_sequence_lengths(sequences, name), dtype=np.int64)
    # np.fromiter(..., int64) would silently truncate floats, so first check the type of
    # each sequence's first item (cheap; catches lists of floats or strings). Nested
    # lists make fromiter itself fail.
    first_types = {type(next(iter(seq))) for seq in sequences if len(seq)}
    bad = [t for t in first_types if t is bool or not issubclass(t, (int, np.integer))]
    if bad:
        raise ValueError(f"`{name}` must contain sequences of integers, found {bad[0].__name__}")
    try:
        tokens = np.fromiter(
            chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum())
        )
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"`{name}` must contain flat sequences of integers ({exc})") from exc
    return tokens, lengths


def _offsets(lengths):
    """(n + 1,) int64 start offsets of the rows of a ragged array; the last is the total."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _positions_in_rows(lengths):
    """For every token of a ragged array: (row index, position inside its row), both (total,)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    starts = _offsets(lengths)[:-1]
    positions = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(starts, lengths)
    return rows, positions


def _take_rows(tokens, lengths, index):
    """Rows ``index`` (an int array) of a ragged array, as a new ``(tokens, lengths)``."""
    index = np.asarray(index, dtype=np.int64)
    new_lengths = lengths[index]
    rows, positions = _positions_in_rows(new_lengths)
    return tokens[_offsets(lengths)[index][rows] + positions], new_lengths


def _filter_tokens(tokens, lengths, keep):
    """Keep the tokens where the boolean mask ``keep`` (total,) is True; rows stay rows."""
    kept_before = np.zeros(len(keep) + 1, dtype=np.int64)  # kept tokens before each position
    np.cumsum(keep, out=kept_before[1:])
    offsets = _offsets(lengths)
    return tokens[keep], kept_before[offsets[1:]] - kept_before[offsets[:-1]]


def _object_array(tokens, lengths):
    """A ragged array as a (n,) object array of Python lists of Python ints (Keras' format).

    Always 1-D, even when all rows happen to have the same length.
    """
    values = tokens.tolist()
    bounds = _offsets(lengths).tolist()
    rows = (values[bounds[i] : bounds[i + 1]] for i in range(len(lengths)))
    return np.fromiter(rows, dtype=object, count=len(lengths))


def _pad_ragged(tokens, lengths, maxlen, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pad/truncate a ragged array to a (n, maxlen) array, as :func:`pad_sequences`.

    ``tokens`` (total,) must already have the output dtype's values; ``lengths`` (n,).
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    rows, positions = _positions_in_rows(lengths)
    row_lengths = lengths[rows]
    if truncating == "pre":  # keep the last `maxlen` tokens of each row
        dropped = np.maximum(row_lengths - maxlen, 0)
        keep = positions >= dropped
        positions = positions - dropped
    else:  # keep the first `maxlen` tokens
        keep = positions < maxlen
    rows, positions, tokens = rows[keep], positions[keep], tokens[keep]
    kept = np.minimum(lengths, maxlen)
    if padding == "pre":  # right-align the kept tokens
        positions = positions + (maxlen - kept)[rows]
    out = np.full((len(lengths), maxlen), value, dtype=dtype)
    out[rows, positions] = tokens
    return out


# ----------------------------------------------------------------------------- pad_sequences


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pad (and truncate) sequences to one length, exactly as ``keras.utils.pad_sequences``.

    Args:
        sequences: list (or 1-D object array) of ``n`` sequences; each a list/array of
            numbers, or of equally shaped items (e.g. vectors of shape ``s``).
        maxlen: length ``T`` of the output; ``None`` = the longest sequence.
        dtype: dtype of the output (default ``"int32"``, as Keras).
        padding: ``"pre"`` (default) or ``"post"``: where the ``value`` padding goes.
        truncating: ``"pre"`` (default: keep the *last* ``maxlen`` items) or ``"post"``
            (keep the first ``maxlen``).
        value: the padding value (default 0).

    Returns:
        ndarray of shape ``(n, T) + s`` (``s = ()`` for sequences of numbers).

    Empty sequences become a row of ``value``. Differences from Keras, for inputs Keras
    cannot handle only: an empty list with ``maxlen=None`` and ``maxlen=0`` with
    ``truncating="pre"`` raise a numpy error in Keras; here the first raises a clear
    ValueError and the second returns an ``(n, 0)`` array (as Keras does for ``"post"``).
    Bad ``padding``/``truncating`` values are reported before any work is done.
    """
    lengths = _sequence_lengths(sequences)
    maxlen = _check_int("maxlen", maxlen, minimum=0, allow_none=True)
    out_dtype = _check_dtype("dtype", dtype)
    _check_choice("padding", padding, ("pre", "post"))
    _check_choice("truncating", truncating, ("pre", "post"))
    if isinstance(value, str) and out_dtype.kind not in "OSU":
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    if maxlen is None:
        if not lengths:
            raise ValueError("pad_sequences: cannot infer maxlen from 0 sequences; pass maxlen")
        maxlen = max(lengths)
    if maxlen == 0:  # nothing of any sequence is kept
        return np.full((len(lengths), 0), value, dtype=out_dtype)
    return _pad_loop(sequences, maxlen, out_dtype, padding, truncating, value)


def _pad_loop(sequences, maxlen, dtype, padding, truncating, value):
    """Keras' own loop: one ``np.asarray(piece, dtype)`` per sequence.

    Kept as a loop on purpose: it is what defines Keras' conversion semantics (per-sequence
    casting, vectors as items, strings with dtype=object), and it is already fast (about
    0.1 s for the source's 25,000 reviews; a vectorised version measured slower because the
    truncated pieces must be gathered first). Ragged integer arrays that are already flat
    go through :func:`_pad_ragged` instead.
    """
    sample_shape = ()
    for seq in sequences:  # the item shape comes from the first non-empty sequence
        if len(seq):
            sample_shape = np.asarray(seq).shape[1:]
            break
    out = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for position, seq in enumerate(sequences):
        if not len(seq):
            continue
        piece = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        piece = np.asarray(piece, dtype=dtype)
        if piece.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {piece.shape[1:]} of sequence at position {position} "
                f"is different from expected shape {sample_shape}"
            )
        if padding == "post":
            out[position, : len(piece)] = piece
        else:
            out[position, -len(piece) :] = piece
    return out


# ----------------------------------------------------------------------------- one-hot


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot encode integer class ids, as Keras' ``to_categorical``.

    Args:
        y: integer array-like of any shape ``S`` (e.g. token ids (m, T)); a trailing axis of
            size 1 is dropped, as Keras does (labels (m, 1) -> (m, num_classes)).
        num_classes: ``C``; ``None`` = ``max(y) + 1``.
        dtype: output dtype, default ``"float32"`` (the source's ``tf.keras`` default;
            Keras 3 returns float64 -- values are identical).

    Returns:
        ndarray of shape ``S + (C,)``: 1 at each id, 0 elsewhere. The source's
        (20000, 100) padded ids give (20000, 100, 100) float32 = 800,000,000 bytes; the pad
        id 0 becomes a real one-hot row, as in the source.

    Unlike Keras, ids outside ``[0, num_classes)`` and non-integral values raise ValueError
    instead of wrapping around (negative ids) or being truncated.
    """
    y = np.asarray(y)
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or not np.all(y == np.floor(y)):
            raise ValueError(
                "to_categorical: y must hold integer class ids, got non-integral values"
            )
    elif y.dtype.kind not in "biu":
        raise TypeError(f"to_categorical: y must hold integer class ids, got dtype {y.dtype}")
    num_classes = _check_int("num_classes", num_classes, minimum=1, allow_none=True)
    out_dtype = _check_dtype("dtype", dtype)
    shape = y.shape
    if len(shape) > 1 and shape[-1] == 1:  # Keras: (..., 1) -> (...)
        shape = shape[:-1]
    ids = y.reshape(-1).astype(np.int64)
    if num_classes is None:
        if ids.size == 0:
            raise ValueError("to_categorical: cannot infer num_classes from an empty y")
        num_classes = int(ids.max()) + 1
    if ids.size and (ids.min() < 0 or ids.max() >= num_classes):
        raise ValueError(
            f"to_categorical: class ids must be in [0, {num_classes}) (num_classes), "
            f"got min {ids.min()} and max {ids.max()}"
        )
    onehot = np.zeros((ids.size, num_classes), dtype=out_dtype)
    # Flat indices: an order of magnitude faster than onehot[rows, ids] = 1 on 800 MB.
    onehot.reshape(-1)[np.arange(ids.size, dtype=np.int64) * num_classes + ids] = 1
    return onehot.reshape(shape + (num_classes,))


# ----------------------------------------------------------------------------- the source's steps


def drop_ids(sequences, below=3):
    """Remove every id ``< below`` from each sequence: the source's ``[w for w in x if w > 2]``.

    With Keras' defaults 0 = padding, 1 = start and 2 = out-of-vocabulary, so ``below=3``
    (the default) keeps only real words.

    Args:
        sequences: list or 1-D object array of ``n`` integer sequences.
        below: int; ids ``< below`` are dropped.

    Returns:
        A new (n,) object array of Python lists of ints; the input is not modified.
    """
    below = _check_int("below", below)
    tokens, lengths = _ragged_from_sequences(sequences)
    tokens, lengths = _filter_tokens(tokens, lengths, tokens >= below)
    return _object_array(tokens, lengths)


def textbook_split(n, seed=42, n_train=None):
    """The source's train/validation split: a seeded permutation of ``range(n)``.

    ``np.random.RandomState(seed).permutation(n)`` gives exactly the source's
    ``np.random.seed(42); np.random.permutation(25000)`` but leaves NumPy's global random
    state alone.

    Args:
        n: number of samples (25,000 in the source).
        seed: int in [0, 2**32 - 1], default 42 as the source.
        n_train: size of the training part; ``None`` = 80 % (``4 * n // 5``: 20,000 of 25,000).

    Returns:
        ``(train_index, val_index)``: int arrays of shapes (n_train,) and (n - n_train,).
    """
    n = _check_int("n", n, minimum=1)
    seed = _check_int("seed", seed, minimum=0, maximum=_MAX_SEED)
    n_train = _check_int("n_train", n_train, minimum=0, maximum=n, allow_none=True)
    if n_train is None:
        n_train = 4 * n // 5
    permutation = np.random.RandomState(seed).permutation(n)
    return permutation[:n_train], permutation[n_train:]

"""IMDB movie-review sentiment data in Keras' ``imdb.npz`` format, without TensorFlow.

:func:`load_data` returns exactly what ``keras.datasets.imdb.load_data`` returns for the same
file and arguments, computed with vectorised NumPy. :func:`get_word_index` and
:func:`decode_review` turn ids back into words; :func:`load_textbook` is the source's
section 6.3 data flow in one call.

Where the data file comes from (first match wins):

1. ``path=`` given: that file (an error if it does not exist, no fallback);
2. the ``RNNFAST_IMDB`` environment variable (``RNNFAST_IMDB_WORD_INDEX`` for the word index);
3. Keras' cache: ``~/.keras/datasets/imdb.npz`` (``$KERAS_HOME/datasets`` if set);
4. a real download with Keras' ``get_file`` (progress bar, Keras' URL and hash), only when
   Keras is installed -- it is imported here, lazily, and nowhere else;
5. otherwise a FileNotFoundError that says how to supply the file.

``source="sample"`` instead loads the small sample shipped inside the package (see
:data:`SAMPLE_DESCRIPTION`): it works offline on a fresh install without TensorFlow.

Files are read with a restricted unpickler (only NumPy array reconstruction is allowed, as
Keras does), so a tampered file cannot run code. Two layouts are understood: Keras' (object
arrays ``x_train``/``x_test`` of lists of raw ranks, ``y_train``/``y_test``) and the compact
one of the bundled sample (``x_<split>_tokens`` concatenated ranks, ``x_<split>_offsets``
row starts (n + 1,), ``y_<split>``).
"""

import os
from collections import namedtuple
from pathlib import Path

import numpy as np

from ..preprocessing import (
    _MAX_SEED,
    _check_int,
    _filter_tokens,
    _object_array,
    _offsets,
    _pad_ragged,
    _ragged_from_sequences,
    _take_rows,
    textbook_split,
)
from ._files import COMPACT_KEYS, KERAS_KEYS, read_imdb_file, read_word_index  # noqa: F401

__all__ = [
    "load_data",
    "get_word_index",
    "decode_review",
    "load_textbook",
    "SAMPLE_DESCRIPTION",
    "SAMPLE_PATH",
    "SAMPLE_WORD_INDEX_PATH",
]

ENV_DATA = "RNNFAST_IMDB"
ENV_WORD_INDEX = "RNNFAST_IMDB_WORD_INDEX"

# What keras.datasets.imdb downloads (keras/src/datasets/imdb.py).
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
KERAS_DATA_NAME = "imdb.npz"
KERAS_DATA_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
KERAS_WORD_INDEX_NAME = "imdb_word_index.json"
KERAS_WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"

_DATA_DIR = Path(__file__).resolve().parent / "data"
SAMPLE_PATH = _DATA_DIR / "imdb_sample.npz"
SAMPLE_WORD_INDEX_PATH = _DATA_DIR / "imdb_sample_word_index.json"
SAMPLE_REVIEWS_PER_SPLIT = 5000
SAMPLE_MAX_RANK = 996  # raw rank 996 + index_from 3 = id 999: every id < 1000
SAMPLE_MAX_LEN = 200
SAMPLE_DESCRIPTION = (
    "IMDB SAMPLE (not the full data set): 5,000 training and 5,000 test reviews "
    "(2,500 positive + 2,500 negative each) taken from the full 25,000/25,000 Keras-format "
    "IMDB file. Only the 996 most frequent words are kept (raw ranks 1..996, so ids stay "
    "< 1000 with Keras' index_from=3; rarer words are removed from the reviews, not marked "
    "out-of-vocabulary), and each review keeps its last 200 of those words. "
    "Good for trying things offline; scores differ from the full data."
)

# Words shown by decode_review for the reserved ids below index_from (Keras' defaults).
PAD_WORD, START_WORD, OOV_WORD, UNKNOWN_WORD = "<pad>", "<start>", "<oov>", "?"

# One split as a ragged array: tokens (total,) int64, lengths (n,) int64, labels (n,).
_Split = namedtuple("_Split", "tokens lengths labels")


# ----------------------------------------------------------------------------- public API


def load_data(
    path=None,
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    *,
    source=None,
):
    """Load IMDB as ``keras.datasets.imdb.load_data`` does: same arguments, same result.

    Args:
        path: an ``imdb.npz`` file; ``None`` = look it up (module docstring).
        num_words: keep ids ``< num_words`` (after the ``index_from`` offset), others become
            ``oov_char``; ``None`` = all but the single highest id, as Keras.
        skip_top: ids ``< skip_top`` (including ``start_char`` when it is smaller) become
            ``oov_char``.
        maxlen: keep only the reviews *shorter* than ``maxlen`` ids (start char included);
            ``None`` = keep all. (Keras also treats 0 as None; here 0 is an error.)
        seed: shuffles train, then test, with ``np.random.RandomState(seed)``.
        start_char: id put at the start of every review; ``None`` = none.
        oov_char: id of the words cut by ``num_words``/``skip_top``; ``None`` = remove them.
        index_from: added to every raw rank (3: 0 = pad, 1 = start, 2 = OOV).
        source: ``None`` (the file lookup) or ``"sample"``: the bundled sample
            (:data:`SAMPLE_DESCRIPTION`), 5,000 reviews per split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` are (n,) object arrays, each item a
        Python list of int ids; ``y_*`` (n,) int64 labels, 0 = negative, 1 = positive.
        n = 25,000 per split for the full data without ``maxlen``.

    Raises:
        FileNotFoundError: no file (the message says how to supply one).
        ValueError: an unreadable/wrong-format file (naming it) or a bad argument value.
        TypeError: an argument of the wrong type.

    The only difference from Keras: ``x_*`` is always 1-D, where Keras would return a 2-D
    object array if every kept review had the same length.
    """
    args = _check_load_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)
    train, test = _load_splits(path, source, **args)
    return (
        (_object_array(train.tokens, train.lengths), train.labels),
        (_object_array(test.tokens, test.lengths), test.labels),
    )


def load_textbook(num_words=100, skip_top=20, maxlen=100, *, path=None, source=None, split_seed=42):
    """The source's section 6.3 data preparation, as padded arrays ready for training.

    Steps, exactly as the source: ``load_data(skip_top=20, num_words=100)``; from each
    training review drop every id <= 2 (``[w for w in x if w > 2]``: start, OOV and the
    ``skip_top`` words that became OOV); split with ``np.random.seed(42);
    np.random.permutation(25000)`` -- the first 20,000 for training, the next 5,000 for
    validation (80 % / 20 % of the sample's 5,000 for ``source="sample"``); then
    ``pad_sequences(maxlen=100)`` (pre-padding with 0, pre-truncation: the last 100 ids).
    The test split is not used, as in the source. Use ``num_words=1000`` for the source's
    Embedding model (S3).

    Args:
        num_words, skip_top: as :func:`load_data`.
        maxlen: padded length ``T`` (int >= 1).
        path, source: where the data comes from, as :func:`load_data`.
        split_seed: seed of the train/validation permutation (42 as the source).

    Returns:
        ``(x_train_seq, y_train, x_val_seq, y_val)``: int32 id arrays of shapes
        (20000, T) and (5000, T) (values < num_words; 0 = padding), int64 labels (20000,)
        and (5000,). For the sample: 4,000 and 1,000 rows.
    """
    maxlen = _check_int("maxlen", maxlen, minimum=1)
    split_seed = _check_int("split_seed", split_seed, minimum=0, maximum=_MAX_SEED)
    args = _check_load_args(num_words, skip_top, None, 113, 1, 2, 3)
    train, _ = _load_splits(path, source, **args)
    tokens, lengths = _filter_tokens(train.tokens, train.lengths, train.tokens > 2)
    train_index, val_index = textbook_split(len(lengths), seed=split_seed)
    parts = []
    for index in (train_index, val_index):
        part_tokens, part_lengths = _take_rows(tokens, lengths, index)
        parts.append(_pad_ragged(part_tokens, part_lengths, maxlen, dtype="int32"))
        parts.append(train.labels[index])
    return tuple(parts)


def get_word_index(path=None, *, source=None):
    """The word -> rank dict of the IMDB file (``{"the": 1, "and": 2, ...}``).

    Ranks are the raw ids of the npz file (1 = most frequent); a loaded id is ``rank +
    index_from``. Lookup: ``path=``; ``RNNFAST_IMDB_WORD_INDEX``; an
    ``imdb_word_index.json`` next to the file named by ``RNNFAST_IMDB``; Keras' cache
    ``~/.keras/datasets/imdb_word_index.json``; Keras' download; else FileNotFoundError.
    ``source="sample"`` gives the bundled sample's index: only the words of ranks
    1..996 (those of the sample), with the same ranks as the full index.
    """
    file = _resolve_file(
        path,
        source,
        env=ENV_WORD_INDEX,
        name=KERAS_WORD_INDEX_NAME,
        file_hash=KERAS_WORD_INDEX_HASH,
        sample=SAMPLE_WORD_INDEX_PATH,
    )
    return read_word_index(file)


def decode_review(ids, word_index=None, index_from=3, *, pad_char=0, start_char=1, oov_char=2):
    """Turn one review's ids back into words, as the source: ``index_to_word[w - 3]``.

    Args:
        ids: a sequence of int ids (a list from :func:`load_data` or a padded row).
        word_index: word -> rank dict; ``None`` = :func:`get_word_index()` (file lookup).
        index_from: the offset used when loading (3 by default).
        pad_char, start_char, oov_char: the reserved ids, as passed to :func:`load_data`.

    Returns:
        The words joined by spaces. Ids below ``index_from`` are shown as ``<pad>``,
        ``<start>`` or ``<oov>`` (or ``?`` if they are none of these); an id whose rank is
        not in ``word_index`` (e.g. a full-data id with the sample's index) as ``?``.
    """
    index_from = _check_int("index_from", index_from, minimum=0)
    if word_index is None:
        word_index = get_word_index()
    if not isinstance(word_index, dict):
        raise TypeError(f"word_index must be a dict word -> rank, got {type(word_index).__name__}")
    index_to_word = {rank: word for word, rank in word_index.items()}
    reserved = {pad_char: PAD_WORD, start_char: START_WORD, oov_char: OOV_WORD}
    words = []
    for w in np.asarray(ids).reshape(-1).tolist():
        if isinstance(w, bool) or not isinstance(w, int):
            raise TypeError(f"ids must be integers, got {w!r} ({type(w).__name__})")
        if w < index_from:
            words.append(reserved.get(w, UNKNOWN_WORD))
        else:
            words.append(index_to_word.get(w - index_from, UNKNOWN_WORD))
    return " ".join(words)


# ----------------------------------------------------------------------------- Keras' transform


def _check_load_args(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from):
    return dict(
        num_words=_check_int("num_words", num_words, minimum=1, allow_none=True),
        skip_top=_check_int("skip_top", skip_top, minimum=0),
        maxlen=_check_int("maxlen", maxlen, minimum=1, allow_none=True),
        seed=_check_int("seed", seed, minimum=0, maximum=_MAX_SEED),
        start_char=_check_int("start_char", start_char, minimum=0, allow_none=True),
        oov_char=_check_int("oov_char", oov_char, minimum=0, allow_none=True),
        index_from=_check_int("index_from", index_from, minimum=0),
    )


def _load_splits(
    path, source, *, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from
):
    """Read the file and apply Keras' ``load_data`` steps; returns ``(train, test)`` _Splits.

    Each step mirrors a line of keras/src/datasets/imdb.py, on ragged arrays.
    """
    file = _resolve_file(
        path,
        source,
        env=ENV_DATA,
        name=KERAS_DATA_NAME,
        file_hash=KERAS_DATA_HASH,
        sample=SAMPLE_PATH,
    )
    train, test = read_imdb_file(file)
    rng = np.random.RandomState(seed)  # one generator: train is shuffled first, then test
    train, test = _shuffle(train, rng, file), _shuffle(test, rng, file)
    train = _add_start_and_offset(train, start_char, index_from)
    test = _add_start_and_offset(test, start_char, index_from)
    if maxlen:
        train, test = _keep_shorter(train, maxlen), _keep_shorter(test, maxlen)
        if len(train.lengths) == 0 or len(test.lengths) == 0:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, "
                "no sequence was kept. Increase maxlen."
            )
    if num_words is None:
        # Keras: max over every review of max(review); ids < num_words are kept, so the
        # single highest id becomes OOV.
        if np.any(train.lengths == 0) or np.any(test.lengths == 0):
            # Keras fails here too (max() of an empty review), so no result would be "equal".
            raise ValueError(
                f"{file}: some reviews are empty (start_char=None), so num_words "
                "cannot be inferred as Keras does; pass num_words"
            )
        num_words = int(max(train.tokens.max(), test.tokens.max()))
    return (
        _apply_vocabulary(train, skip_top, num_words, oov_char),
        _apply_vocabulary(test, skip_top, num_words, oov_char),
    )


def _shuffle(split, rng, file):
    """Keras: ``indices = np.arange(n); rng.shuffle(indices); x = x[indices]``.

    ``split`` is a _RawSplit as read from the file (:mod:`._files`); the result a ragged _Split.
    """
    indices = np.arange(len(split.labels))
    rng.shuffle(indices)
    labels = split.labels[indices]
    if split.objects is not None:
        # Keras' layout: reorder the object array (cheap, pointers), then flatten once.
        try:
            tokens, lengths = _ragged_from_sequences(split.objects[indices], name=split.name)
        except ValueError as exc:
            raise ValueError(f"{file}: {exc}") from exc
        return _Split(tokens, lengths, labels)
    tokens, lengths = _take_rows(split.tokens, split.lengths, indices)
    return _Split(tokens, lengths, labels)


def _add_start_and_offset(split, start_char, index_from):
    """Keras: ``[start_char] + [w + index_from for w in x]`` (no start when None)."""
    tokens = split.tokens + index_from
    if start_char is None:
        return _Split(tokens, split.lengths, split.labels)
    lengths = split.lengths + 1
    starts = _offsets(lengths)[:-1]
    out = np.empty(tokens.size + len(lengths), dtype=np.int64)
    is_word = np.ones(out.size, dtype=bool)
    is_word[starts] = False
    out[starts] = start_char
    out[is_word] = tokens
    return _Split(out, lengths, split.labels)


def _keep_shorter(split, maxlen):
    """Keras' ``remove_long_seq``: keep the reviews with ``len(x) < maxlen``."""
    keep = np.flatnonzero(split.lengths < maxlen)
    tokens, lengths = _take_rows(split.tokens, split.lengths, keep)
    return _Split(tokens, lengths, split.labels[keep])


def _apply_vocabulary(split, skip_top, num_words, oov_char):
    """Keras: ids outside ``[skip_top, num_words)`` become ``oov_char`` (removed if None)."""
    in_vocabulary = (split.tokens >= skip_top) & (split.tokens < num_words)
    if oov_char is not None:
        return _Split(np.where(in_vocabulary, split.tokens, oov_char), split.lengths, split.labels)
    tokens, lengths = _filter_tokens(split.tokens, split.lengths, in_vocabulary)
    return _Split(tokens, lengths, split.labels)


# ----------------------------------------------------------------------------- finding files


def _how_to_supply(env, name, offer_download=True):
    download = (
        "; on a machine that is online, installing TensorFlow lets rnnfast download it"
        if offer_download
        else ""
    )
    return (
        f"Supply the file with path=..., or set the environment variable {env} to it, or put "
        f"it at {_keras_cache_dir() / name} (Keras' cache){download}. Or use the small "
        'bundled sample: source="sample".'
    )


def _keras_cache_dir():
    """Keras' download cache: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def _as_path(value, what):
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{what} must be a str or os.PathLike, got {type(value).__name__}")
    return Path(os.fspath(value)).expanduser()


def _resolve_file(path, source, *, env, name, file_hash, sample):
    """The file to read, following the lookup order of the module docstring."""
    if source is not None:
        if source != "sample":
            raise ValueError(f"source must be None or 'sample', got {source!r}")
        if path is not None:
            raise ValueError("give either path= or source='sample', not both")
        if not sample.is_file():
            raise FileNotFoundError(
                f"The bundled IMDB sample is missing: {sample}. The installation is "
                "incomplete (package data not installed); reinstall rnnfast."
            )
        return sample
    if path is not None:
        file = _as_path(path, "path")
        if not file.is_file():
            raise FileNotFoundError(f"IMDB file not found: {file} (given as path=)")
        return file
    if os.environ.get(env):
        file = _as_path(os.environ[env], env)
        if not file.is_file():
            raise FileNotFoundError(
                f"IMDB file not found: {file} (from the environment variable {env})"
            )
        return file
    if env == ENV_WORD_INDEX and os.environ.get(ENV_DATA):
        beside_data = _as_path(os.environ[ENV_DATA], ENV_DATA).parent / name
        if beside_data.is_file():
            return beside_data
    cached = _keras_cache_dir() / name
    if cached.is_file():
        return cached
    downloaded = _download_with_keras(name, file_hash, _how_to_supply(env, name, False))
    if downloaded is not None:
        return downloaded
    raise FileNotFoundError(
        f"No IMDB file {name} found and Keras is not installed to "
        f"download it. {_how_to_supply(env, name)}"
    )


def _download_with_keras(name, file_hash, how_to):
    """Download ``name`` with Keras' ``get_file`` (progress bar); None if Keras is absent.

    Keras (and with it TensorFlow) is imported here only, so that loading a local file or
    the sample never imports it.
    """
    try:
        from keras.utils import get_file
    except Exception:  # not installed, or installed but broken: same as absent
        return None
    origin = KERAS_ORIGIN + name
    try:
        return Path(get_file(fname=name, origin=origin, file_hash=file_hash))
    except Exception as exc:
        raise FileNotFoundError(
            f"Downloading {origin} with Keras failed ({exc}). {how_to}"
        ) from exc

"""Reading IMDB files safely (for :mod:`rnnfast.datasets.imdb`): an ``imdb.npz`` in either
layout, and the JSON word index.

An ``.npz`` is read member by member: numeric arrays without pickle, object arrays (Keras'
lists of ranks) with a restricted unpickler that rebuilds NumPy arrays and nothing else, as
Keras does, so a tampered file cannot run code.  Two layouts are understood: Keras'
(object arrays ``x_train``/``x_test`` of lists of raw ranks, ``y_train``/``y_test``) and the
compact one of the bundled sample (``x_<split>_tokens`` concatenated ranks,
``x_<split>_offsets`` row starts (n + 1,), ``y_<split>``).  Errors are ValueErrors naming the
file.
"""

import io
import json
import pickle
import zipfile
import zlib
from collections import namedtuple

import numpy as np

KERAS_KEYS = ("x_train", "y_train", "x_test", "y_test")
COMPACT_KEYS = (
    "x_train_tokens",
    "x_train_offsets",
    "y_train",
    "x_test_tokens",
    "x_test_offsets",
    "y_test",
)

# One split as read from a file: either `objects` (n,) object array of lists (Keras' layout)
# or `tokens` + `lengths` (the compact layout); `labels` (n,); `name` e.g. "x_train".
_RawSplit = namedtuple("_RawSplit", "name objects tokens lengths labels")


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays of plain Python objects and nothing else (as Keras' loader)."""

    _ALLOWED = frozenset(
        {
            ("numpy", "ndarray"),
            ("numpy", "dtype"),
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy._core.multiarray", "_reconstruct"),
        }
    )

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the file")


def _read_npy(stream):
    """One ``.npy`` member: numeric arrays without pickle, object arrays restricted."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        _, _, dtype = np.lib.format.read_array_header_1_0(stream)
    else:  # 2.0 and 3.0 share the header layout (3.0 only allows utf-8 in it)
        _, _, dtype = np.lib.format.read_array_header_2_0(stream)
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    array = _ArrayOnlyUnpickler(stream).load()
    if not isinstance(array, np.ndarray):
        raise ValueError(f"expected a pickled array, found {type(array).__name__}")
    return array


def _read_npz(file):
    """All arrays of an ``.npz`` file as a dict; ValueError naming the file if unreadable."""
    try:
        arrays = {}
        with zipfile.ZipFile(file) as archive:
            for member in archive.namelist():
                if member.endswith(".npy"):
                    stream = io.BytesIO(archive.read(member))
                    arrays[member[: -len(".npy")]] = _read_npy(stream)
        return arrays
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        pickle.UnpicklingError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        OSError,
    ) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(
            f"{file}: not a readable IMDB .npz file ({type(exc).__name__}: {exc}). "
            "It may be truncated or corrupt; delete it and download it again."
        ) from exc


def read_imdb_file(file):
    """``(train, test)`` _RawSplits of raw ranks, from either layout of the module docstring."""
    arrays = _read_npz(file)
    if all(key in arrays for key in KERAS_KEYS):
        read_split = _keras_split
    elif all(key in arrays for key in COMPACT_KEYS):
        read_split = _compact_split
    else:
        raise ValueError(
            f"{file}: not an IMDB file in Keras' format: expected the arrays "
            f"{list(KERAS_KEYS)}, found {sorted(arrays)}"
        )
    return read_split(arrays, "train", file), read_split(arrays, "test", file)


def _keras_split(arrays, split, file):
    """Keras' layout; the lists are checked when flattened, in :func:`_shuffle`."""
    x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
    if x.ndim != 1 or x.dtype != object:
        raise ValueError(
            f"{file}: x_{split} must be a 1-D object array (one list per "
            f"review), got dtype {x.dtype} shape {x.shape}"
        )
    labels = _check_labels(y, len(x), split, file)
    return _RawSplit(f"x_{split}", x, None, None, labels)


def _compact_split(arrays, split, file):
    tokens, offsets = arrays[f"x_{split}_tokens"], arrays[f"x_{split}_offsets"]
    if (
        tokens.ndim != 1
        or tokens.dtype.kind not in "iu"
        or offsets.ndim != 1
        or offsets.dtype.kind not in "iu"
        or len(offsets) == 0
        or offsets[0] != 0
        or offsets[-1] != len(tokens)
        or np.any(np.diff(offsets) < 0)
    ):
        raise ValueError(f"{file}: x_{split}_tokens / x_{split}_offsets are inconsistent")
    lengths = np.diff(offsets).astype(np.int64)
    labels = _check_labels(arrays[f"y_{split}"], len(lengths), split, file)
    return _RawSplit(f"x_{split}", None, tokens.astype(np.int64), lengths, labels.astype(np.int64))


def _check_labels(y, n, split, file):
    if y.ndim != 1 or len(y) != n or y.dtype.kind not in "iu":
        raise ValueError(
            f"{file}: y_{split} must be {n} integer labels, got dtype {y.dtype} shape {y.shape}"
        )
    return y


def read_word_index(file):
    try:
        with open(file, encoding="utf-8") as handle:
            index = json.load(handle)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{file}: not a JSON word index ({exc})") from exc
    if not isinstance(index, dict) or not all(
        isinstance(rank, int) and not isinstance(rank, bool) for rank in index.values()
    ):
        raise ValueError(f"{file}: a word index must be a JSON object {{word: integer rank}}")
    return index

"""Inputs of the workloads: token ids (the source's IMDB, or synthetic with a fixed seed) and the
one-hot array built from them exactly as the source does (``to_categorical``: float32,
``(m, T, n_features)``, the pad id 0 a real one-hot row)."""

import os
from pathlib import Path

import numpy as np

#: The source's W1 sizes.
W1_TRAIN, W1_VAL, W1_STEPS, W1_FEATURES = 20000, 5000, 100, 100

SYNTHETIC_SEED = 20240607


def synthetic_ids(n, steps, n_features, seed=SYNTHETIC_SEED):
    """``(ids (n, steps) int32 in [0, n_features), labels (n,) int64 in {0, 1})``."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n_features, size=(n, steps), dtype=np.int32)
    labels = rng.integers(0, 2, size=n, dtype=np.int64)
    return ids, labels


def one_hot(ids, n_features, dtype=np.float32):
    """The source's ``to_categorical(ids)``: (m, T, n_features), one 1 per row, built once in
    place (no temporary of the full size besides the result)."""
    out = np.zeros(ids.shape + (n_features,), dtype=dtype)
    np.put_along_axis(out, ids[..., None].astype(np.intp), 1, axis=-1)
    return out


def _imdb_candidates(explicit):
    if explicit:
        yield Path(explicit)
        return
    if os.environ.get("RNNFAST_IMDB"):
        yield Path(os.environ["RNNFAST_IMDB"])
    # The development layout: shared/data beside the repository.
    here = Path(__file__).resolve().parent
    for up in (here.parent.parent, here.parent):
        yield up / "shared" / "data" / "imdb.npz"
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    yield Path(home) / "datasets" / "imdb.npz"


def find_imdb(explicit=None):
    """A local ``imdb.npz`` (never downloads): --imdb PATH, $RNNFAST_IMDB, ../shared/data,
    Keras' cache.  None if there is none."""
    for path in _imdb_candidates(explicit):
        if path.is_file():
            return path
    return None


def w1_ids(kind="auto", imdb_path=None, n_train=W1_TRAIN, n_val=W1_VAL, num_words=W1_FEATURES):
    """W1's token ids: ``(x_train, y_train, x_val, y_val, description)``.

    kind: "imdb" (the source's data via ``rnnfast.datasets.imdb.load_textbook``; an error if
    it cannot be loaded), "synthetic" (uniform ids in [0, num_words) with a fixed seed), or
    "auto" (IMDB when a local file and the loader are there, otherwise synthetic).
    The arrays are cut to n_train / n_val rows (the full data has 20,000 / 5,000).
    """
    if kind in ("auto", "imdb"):
        path = find_imdb(imdb_path)
        error = None
        if path is None:
            error = "no local imdb.npz (give --imdb PATH)"
        else:
            try:
                from rnnfast.datasets.imdb import load_textbook

                x, y, xv, yv = load_textbook(num_words=num_words, path=path)
            except Exception as exc:  # loader absent or failing: say why
                error = f"{type(exc).__name__}: {exc}"
        if error is None:
            if n_train > len(x) or n_val > len(xv):
                raise ValueError(
                    f"IMDB has {len(x)} / {len(xv)} reviews, asked for {n_train} / {n_val}"
                )
            return (
                np.ascontiguousarray(x[:n_train], dtype=np.int32),
                y[:n_train],
                np.ascontiguousarray(xv[:n_val], dtype=np.int32),
                yv[:n_val],
                f"IMDB ({path}), rnnfast.datasets.imdb.load_textbook(num_words={num_words})",
            )
        if kind == "imdb":
            raise RuntimeError(f"--data imdb: cannot load IMDB: {error}")
        reason = f" (IMDB not used: {error})"
    else:
        reason = ""
    ids, labels = synthetic_ids(n_train + n_val, W1_STEPS, num_words)
    return (
        ids[:n_train],
        labels[:n_train],
        ids[n_train:],
        labels[n_train:],
        f"synthetic ids uniform in [0, {num_words}), seed {SYNTHETIC_SEED}{reason}",
    )


def save_arrays(folder, **arrays):
    """Write arrays as .npy files for child processes (they rebuild the one-hot themselves)."""
    for name, arr in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), arr)


def load_arrays(folder, *names):
    return [np.load(os.path.join(folder, name + ".npy")) for name in names]

"""rnnfast.datasets.imdb reading Keras' file: equal to Keras' load_data, file lookup, bad files,
bad arguments.  (load_textbook, the word index, decode_review and the bundled sample:
test_datasets_textbook.py.)

The full file (``../shared/data/imdb.npz`` beside the repo, or ``$RNNFAST_IMDB``) is used when
present, else those tests are skipped. Comparisons with Keras are skipped without Keras.
Keras' own ``load_data`` is run on a given file by replacing its ``get_file`` (which only
downloads into Keras' cache) with one returning that file; the rest of its code runs as is.
"""

import itertools
import json
import os
import pickle
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnfast.datasets import imdb

REPO = Path(__file__).resolve().parents[1]


def _full_file(env, name):
    candidate = os.environ.get(env)
    path = Path(candidate) if candidate else REPO.parent / "shared" / "data" / name
    return path if path.is_file() else None


FULL = _full_file("RNNFAST_IMDB", "imdb.npz")
FULL_WORD_INDEX = _full_file("RNNFAST_IMDB_WORD_INDEX", "imdb_word_index.json")
needs_full = pytest.mark.skipif(FULL is None, reason="full imdb.npz not present")


# ----------------------------------------------------------------------------- helpers


def assert_same_as_keras(ours, theirs):
    """Same (x_train, y_train), (x_test, y_test): object arrays of lists, same labels."""
    for (x, y), (kx, ky) in zip(ours, theirs):
        assert x.dtype == object and x.ndim == 1
        assert len(x) == len(kx)
        assert [list(row) for row in kx] == x.tolist()
        assert all(type(row) is list for row in x)
        assert y.dtype == ky.dtype
        np.testing.assert_array_equal(y, ky)


def write_keras_npz(path, x_train, y_train, x_test, y_test):
    """A file in Keras' layout: object arrays of lists (pickled by np.savez)."""

    def objects(rows):
        out = np.empty(len(rows), dtype=object)
        for i, row in enumerate(rows):
            out[i] = list(row)
        return out

    np.savez(
        path,
        x_train=objects(x_train),
        y_train=np.asarray(y_train, dtype=np.int64),
        x_test=objects(x_test),
        y_test=np.asarray(y_test, dtype=np.int64),
    )
    return path


@pytest.fixture
def tiny_npz(tmp_path):
    x = [[1, 5, 2, 9], [3, 3], [7, 1, 1, 4, 8, 2], [6]]
    return write_keras_npz(tmp_path / "tiny.npz", x, [1, 0, 1, 0], x[::-1], [0, 1, 0, 1])


@pytest.fixture
def isolated_lookup(tmp_path, monkeypatch):
    """No env vars, an empty home (so no Keras cache), and a recorder instead of downloads."""
    for name in ("RNNFAST_IMDB", "RNNFAST_IMDB_WORD_INDEX", "KERAS_HOME"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    calls = []

    def fake_download(name, file_hash, how_to):
        calls.append((name, file_hash))
        return None  # as if Keras were not installed

    monkeypatch.setattr(imdb, "_download_with_keras", fake_download)
    return home, calls


@pytest.fixture(scope="module")
def keras_load():
    """``keras_load(path, **kwargs)``: Keras' own load_data on ``path``."""
    pytest.importorskip("keras")
    from keras.src.datasets import imdb as keras_imdb
    from keras.src.datasets import npz_utils

    cache = {}

    def load(path, **kwargs):
        path = str(path)
        if path not in cache:  # read each file once; load_data does not modify the arrays
            cache.clear()
            cache[path] = npz_utils.load_npz(path)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(keras_imdb, "get_file", lambda **kw: path)
            mp.setattr(keras_imdb.npz_utils, "load_npz", lambda p: dict(cache[path]))
            return keras_imdb.load_data(**kwargs)

    return load


# ----------------------------------------------------------------------------- equal to Keras


@needs_full
def test_acceptance_equal_to_keras_on_full_file(keras_load):
    ours = imdb.load_data(path=FULL, skip_top=20, num_words=100)
    (x_train, y_train), (x_test, y_test) = ours
    assert x_train.shape == y_train.shape == x_test.shape == y_test.shape == (25000,)
    assert y_train.dtype == np.int64
    assert_same_as_keras(ours, keras_load(FULL, skip_top=20, num_words=100))


@needs_full
@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(num_words=1000, maxlen=200, seed=7),
        dict(start_char=None, oov_char=None, index_from=0, skip_top=5, num_words=5000),
    ],
)
def test_equal_to_keras_on_full_file(keras_load, kwargs):
    assert_same_as_keras(imdb.load_data(path=FULL, **kwargs), keras_load(FULL, **kwargs))


_file_numbers = itertools.count()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lengths=st.lists(st.integers(0, 12), min_size=2, max_size=10),
    num_words=st.one_of(st.none(), st.integers(1, 40)),
    skip_top=st.integers(0, 8),
    maxlen=st.one_of(st.none(), st.integers(1, 14)),
    seed=st.integers(0, 10_000),
    start_char=st.one_of(st.none(), st.integers(0, 4)),
    oov_char=st.one_of(st.none(), st.integers(0, 4)),
    index_from=st.integers(0, 4),
    data_seed=st.integers(0, 10_000),
)
def test_equal_to_keras_on_random_small_files(
    keras_load,
    tmp_path,
    lengths,
    num_words,
    skip_top,
    maxlen,
    seed,
    start_char,
    oov_char,
    index_from,
    data_seed,
):
    rng = np.random.RandomState(data_seed)
    rows = [rng.randint(1, 30, size=n).tolist() for n in lengths]
    half = len(rows) // 2
    path = write_keras_npz(
        tmp_path / f"random{next(_file_numbers)}.npz",  # a new name each
        rows[:half],
        rng.randint(0, 2, half),  # time: keras_load caches
        rows[half:],
        rng.randint(0, 2, len(rows) - half),
    )
    kwargs = dict(
        num_words=num_words,
        skip_top=skip_top,
        maxlen=maxlen,
        seed=seed,
        start_char=start_char,
        oov_char=oov_char,
        index_from=index_from,
    )
    try:
        expected = keras_load(path, **kwargs)
    except ValueError as exc:  # maxlen removed every review, or num_words from empty reviews
        with pytest.raises(ValueError, match="maxlen" if "maxlen" in str(exc) else "num_words"):
            imdb.load_data(path=path, **kwargs)
        return
    # (When every kept review has one length Keras returns a 2-D object array; the rows
    # are still compared, ours stays 1-D.)
    assert_same_as_keras(imdb.load_data(path=path, **kwargs), expected)


# ----------------------------------------------------------------------------- file lookup


def test_lookup_explicit_path_wins(tiny_npz, tmp_path, isolated_lookup, monkeypatch):
    monkeypatch.setenv("RNNFAST_IMDB", str(tmp_path / "missing.npz"))
    (x, _), _ = imdb.load_data(path=tiny_npz)
    assert len(x) == 4
    (x, _), _ = imdb.load_data(path=str(tiny_npz))
    assert len(x) == 4


def test_lookup_environment_variable(tiny_npz, tmp_path, isolated_lookup, monkeypatch):
    monkeypatch.setenv("RNNFAST_IMDB", str(tiny_npz))
    (x, _), _ = imdb.load_data()
    assert len(x) == 4
    monkeypatch.setenv("RNNFAST_IMDB", str(tmp_path / "missing.npz"))
    with pytest.raises(FileNotFoundError, match="RNNFAST_IMDB") as info:
        imdb.load_data()
    assert "missing.npz" in str(info.value)
    assert isolated_lookup[1] == []  # an explicit setting never falls back to a download


def test_lookup_keras_cache(tiny_npz, isolated_lookup, monkeypatch, tmp_path):
    home, calls = isolated_lookup
    cache = home / ".keras" / "datasets"
    cache.mkdir(parents=True)
    (cache / "imdb.npz").write_bytes(tiny_npz.read_bytes())
    (x, _), _ = imdb.load_data()
    assert len(x) == 4 and calls == []
    keras_home = tmp_path / "kh"
    (keras_home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    with pytest.raises(FileNotFoundError):
        imdb.load_data()  # KERAS_HOME replaces ~/.keras, as in Keras


def test_lookup_download_then_clear_error(tiny_npz, isolated_lookup, monkeypatch):
    _, calls = isolated_lookup
    with pytest.raises(FileNotFoundError, match='source="sample"') as info:
        imdb.load_data()
    assert "RNNFAST_IMDB" in str(info.value) and "path=" in str(info.value)
    assert calls == [("imdb.npz", imdb.KERAS_DATA_HASH)]
    monkeypatch.setattr(imdb, "_download_with_keras", lambda name, file_hash, how_to: tiny_npz)
    (x, _), _ = imdb.load_data()
    assert len(x) == 4


def test_download_uses_keras_get_file(tiny_npz, isolated_lookup, monkeypatch):
    monkeypatch.undo()  # the real _download_with_keras, with a fake keras.utils module
    import types

    calls = []

    def get_file(**kwargs):
        calls.append(kwargs)
        return str(tiny_npz)

    fake_utils = types.ModuleType("keras.utils")
    fake_utils.get_file = get_file
    fake_keras = types.ModuleType("keras")
    fake_keras.utils = fake_utils
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "keras", fake_keras)
        mp.setitem(sys.modules, "keras.utils", fake_utils)
        assert imdb._download_with_keras("imdb.npz", "abc", "help") == tiny_npz
        assert calls == [
            dict(fname="imdb.npz", origin=imdb.KERAS_ORIGIN + "imdb.npz", file_hash="abc")
        ]

        def offline(**kwargs):
            raise Exception("URL fetch failure")

        fake_utils.get_file = offline
        with pytest.raises(FileNotFoundError, match="URL fetch failure.*help"):
            imdb._download_with_keras("imdb.npz", "abc", "help")
        mp.setitem(sys.modules, "keras", None)  # not installed
        mp.setitem(sys.modules, "keras.utils", None)
        assert imdb._download_with_keras("imdb.npz", "abc", "help") is None


def test_word_index_lookup(tmp_path, isolated_lookup, monkeypatch):
    index_file = tmp_path / "wi.json"
    index_file.write_text(json.dumps({"the": 1, "movie": 2}))
    assert imdb.get_word_index(index_file) == {"the": 1, "movie": 2}
    monkeypatch.setenv("RNNFAST_IMDB_WORD_INDEX", str(index_file))
    assert imdb.get_word_index()["movie"] == 2
    monkeypatch.delenv("RNNFAST_IMDB_WORD_INDEX")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "imdb_word_index.json").write_text(json.dumps({"beside": 1}))
    monkeypatch.setenv("RNNFAST_IMDB", str(data_dir / "imdb.npz"))
    assert imdb.get_word_index() == {"beside": 1}  # next to the data file
    monkeypatch.delenv("RNNFAST_IMDB")
    with pytest.raises(FileNotFoundError, match="RNNFAST_IMDB_WORD_INDEX"):
        imdb.get_word_index()
    assert isolated_lookup[1][-1] == ("imdb_word_index.json", imdb.KERAS_WORD_INDEX_HASH)


# ----------------------------------------------------------------------------- bad files


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.npz"):
        imdb.load_data(path=tmp_path / "nothere.npz")
    with pytest.raises(FileNotFoundError):
        imdb.load_data(path=tmp_path)  # a directory


@pytest.mark.parametrize("content", [b"", b"not a zip file at all" * 10])
def test_corrupt_file(tmp_path, content):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    with pytest.raises(ValueError, match="bad.npz"):
        imdb.load_data(path=bad)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_file(tmp_path, keep):
    data = imdb.SAMPLE_PATH.read_bytes()
    bad = tmp_path / "truncated.npz"
    bad.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ValueError, match="truncated.npz"):
        imdb.load_data(path=bad)


def test_truncated_member_inside_a_valid_zip(tmp_path, tiny_npz):
    with zipfile.ZipFile(tiny_npz) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    bad = tmp_path / "cut.npz"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data[: len(data) - 7] if name == "x_train.npy" else data)
    with pytest.raises(ValueError, match="cut.npz"):
        imdb.load_data(path=bad)


def test_wrong_keys(tmp_path):
    bad = tmp_path / "keys.npz"
    np.savez(bad, x=np.arange(3), y=np.arange(3))
    with pytest.raises(ValueError, match="keys.npz.*x_train") as info:
        imdb.load_data(path=bad)
    assert "['x', 'y']" in str(info.value)


@pytest.mark.parametrize(
    "x_train, y_train, words",
    [
        ([[1, 2], [3]], [0, 1, 1], "y_train"),
        ([[1.5, 2.5], [3.0]], [0, 1], "integers"),
        ([["a"], ["b"]], [0, 1], "integers"),
        ([[1, 2], [3]], [0.0, 1.0], "y_train"),
    ],
)
def test_wrong_contents(tmp_path, x_train, y_train, words):
    bad = tmp_path / "contents.npz"
    x = np.empty(len(x_train), dtype=object)
    for i, row in enumerate(x_train):
        x[i] = row
    np.savez(bad, x_train=x, y_train=np.asarray(y_train), x_test=x, y_test=np.asarray(y_train))
    with pytest.raises(ValueError, match=words) as info:
        imdb.load_data(path=bad)
    assert "contents.npz" in str(info.value)


class _Payload:
    def __reduce__(self):
        return (os.getcwd, ())  # harmless, but a gadget all the same


def test_pickled_code_is_refused(tmp_path):
    bad = tmp_path / "evil.npz"
    npy = tmp_path / "x.npy"
    with open(npy, "wb") as fp:
        header = np.lib.format.header_data_from_array_1_0(np.empty(1, dtype=object))
        np.lib.format.write_array_header_1_0(fp, header)
        pickle.dump(_Payload(), fp, protocol=3)
    with zipfile.ZipFile(bad, "w") as zf:
        for key in ("x_train", "x_test"):
            zf.write(npy, f"{key}.npy")
    with pytest.raises(ValueError, match="evil.npz.*refusing"):
        imdb.load_data(path=bad)


def test_bad_word_index_files(tmp_path):
    bad = tmp_path / "wi.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="wi.json"):
        imdb.get_word_index(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(ValueError, match="wi.json"):
        imdb.get_word_index(bad)
    with pytest.raises(FileNotFoundError, match="none.json"):
        imdb.get_word_index(tmp_path / "none.json")


# ----------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(num_words=0), ValueError, "num_words must be >= 1, got 0"),
        (dict(num_words=1.5), TypeError, "num_words must be an int or None, got 1.5"),
        (dict(skip_top=-1), ValueError, "skip_top"),
        (dict(maxlen=True), TypeError, "maxlen"),
        (dict(maxlen=0), ValueError, "maxlen"),
        (dict(seed=-1), ValueError, "seed"),
        (dict(seed=2**32), ValueError, "seed"),
        (dict(start_char="1"), TypeError, "start_char"),
        (dict(oov_char=-2), ValueError, "oov_char"),
        (dict(index_from=None), TypeError, "index_from"),
        (dict(source="full"), ValueError, "source"),
        (dict(path="x.npz", source="sample"), ValueError, "path"),
        (dict(path=123), TypeError, "path"),
    ],
)
def test_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        imdb.load_data(**kwargs)


def test_bad_textbook_arguments():
    with pytest.raises(ValueError, match="maxlen"):
        imdb.load_textbook(maxlen=0, source="sample")
    with pytest.raises(TypeError, match="num_words"):
        imdb.load_textbook(num_words="100", source="sample")
    with pytest.raises(ValueError, match="split_seed"):
        imdb.load_textbook(split_seed=-5, source="sample")


def test_errors_where_keras_fails(tiny_npz, tmp_path):
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(path=tiny_npz, maxlen=2)
    path = write_keras_npz(tmp_path / "empty_review.npz", [[4, 5], []], [0, 1], [[6]], [1])
    with pytest.raises(ValueError, match="num_words"):  # Keras: max() of an empty review
        imdb.load_data(path=path, start_char=None)
    (x, _), _ = imdb.load_data(path=path, start_char=None, num_words=10, seed=0)
    assert sorted(x.tolist()) == [[], [7, 8]]

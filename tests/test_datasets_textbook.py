"""rnnfast.datasets.imdb for the source's section 6.3: load_textbook, the word index, decode_review,
the bundled sample.  (Reading Keras' file, its lookup, bad files: test_datasets.py, whose
paths and Keras fixture these tests share.)

The full files are used when present, else those tests are skipped (see test_datasets.py).
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import test_datasets
from test_datasets import FULL, FULL_WORD_INDEX, REPO, needs_full

from rnnfast.datasets import imdb
from rnnfast.preprocessing import drop_ids, pad_sequences, textbook_split

#: Keras' own load_data on a file (the fixture of test_datasets.py).
keras_load = test_datasets.keras_load


# ----------------------------------------------------------------------------- load_textbook


@needs_full
def test_load_textbook_equals_the_source_flow_with_keras(keras_load):
    keras = pytest.importorskip("keras")
    (x_train_all, y_train_all), _ = keras_load(FULL, skip_top=20, num_words=100)
    for i in range(len(x_train_all)):  # the source, section 6.3
        x_train_all[i] = [w for w in x_train_all[i] if w > 2]
    random_index = np.random.RandomState(42).permutation(25000)
    x_train = keras.utils.pad_sequences(x_train_all[random_index[:20000]], maxlen=100)
    x_val = keras.utils.pad_sequences(x_train_all[random_index[20000:]], maxlen=100)

    x_train_seq, y_train, x_val_seq, y_val = imdb.load_textbook(path=FULL)
    assert x_train_seq.shape == (20000, 100) and x_val_seq.shape == (5000, 100)
    assert x_train_seq.dtype == np.int32 and y_train.dtype == np.int64
    np.testing.assert_array_equal(x_train_seq, x_train)
    np.testing.assert_array_equal(x_val_seq, x_val)
    np.testing.assert_array_equal(y_train, y_train_all[random_index[:20000]])
    np.testing.assert_array_equal(y_val, y_train_all[random_index[20000:]])


@pytest.mark.skipif(FULL_WORD_INDEX is None, reason="full imdb_word_index.json not present")
def test_full_word_index_as_the_source():
    word_index = imdb.get_word_index(path=FULL_WORD_INDEX)
    assert len(word_index) == 88584
    assert word_index["movie"] == 17  # the source prints 17
    assert word_index["the"] == 1


# ----------------------------------------------------------------------------- the sample


def test_sample_loads_and_is_labelled():
    (x_train, y_train), (x_test, y_test) = imdb.load_data(source="sample", num_words=1000)
    assert x_train.shape == y_train.shape == x_test.shape == y_test.shape == (5000,)
    assert y_train.dtype == np.int64 and y_train.sum() == 2500 and y_test.sum() == 2500
    assert max(max(row) for row in x_train) < 1000
    assert max(len(row) for row in x_train) <= 201  # 200 words + start char
    assert all(row[0] == 1 for row in x_train)
    assert "SAMPLE" in imdb.SAMPLE_DESCRIPTION and "sample" in imdb.load_data.__doc__


def test_sample_file_is_small_and_not_pickled():
    assert imdb.SAMPLE_PATH.stat().st_size < 3_000_000
    with np.load(imdb.SAMPLE_PATH, allow_pickle=False) as f:
        assert f["x_train_tokens"].dtype == np.int16
        assert f["x_train_tokens"].max() <= imdb.SAMPLE_MAX_RANK
        assert np.diff(f["x_test_offsets"]).max() <= imdb.SAMPLE_MAX_LEN
        assert "SAMPLE" in str(f["description"])


def test_sample_word_index_covers_the_sample():
    word_index = imdb.get_word_index(source="sample")
    assert sorted(word_index.values()) == list(range(1, imdb.SAMPLE_MAX_RANK + 1))
    (x_train, _), _ = imdb.load_data(source="sample")
    text = imdb.decode_review(x_train[0], word_index)
    assert text.startswith("<start> ") and "?" not in text.split()


def test_sample_same_args_as_full_file():
    kwargs = dict(
        num_words=500, skip_top=10, maxlen=150, seed=3, start_char=None, oov_char=None, index_from=2
    )
    (x_train, y_train), (x_test, y_test) = imdb.load_data(source="sample", **kwargs)
    assert len(x_train) == len(y_train) < 5000
    assert all(len(row) < 150 for row in x_train)
    assert min(min(row) for row in x_train if row) >= 10
    assert max(max(row) for row in x_test if row) < 500


@needs_full
def test_sample_reviews_come_from_the_full_file():
    with np.load(FULL, allow_pickle=True) as f:  # the trusted development file
        full_x, full_y = f["x_train"], f["y_train"]
    with np.load(imdb.SAMPLE_PATH) as f:
        tokens, offsets = f["x_train_tokens"], f["x_train_offsets"]
        index, labels = f["train_index"], f["y_train"]
    np.testing.assert_array_equal(labels, full_y[index])
    for i in range(0, 5000, 97):
        expected = [w for w in full_x[index[i]] if w <= imdb.SAMPLE_MAX_RANK][-200:]
        assert tokens[offsets[i] : offsets[i + 1]].tolist() == expected


def test_load_textbook_on_sample_matches_public_steps():
    x_train_seq, y_train, x_val_seq, y_val = imdb.load_textbook(source="sample", num_words=1000)
    assert x_train_seq.shape == (4000, 100) and x_val_seq.shape == (1000, 100)
    assert x_train_seq.dtype == np.int32 and y_val.dtype == np.int64
    (x_all, y_all), _ = imdb.load_data(source="sample", skip_top=20, num_words=1000)
    x_all = drop_ids(x_all)
    train_index, val_index = textbook_split(5000)
    np.testing.assert_array_equal(x_train_seq, pad_sequences(x_all[train_index], maxlen=100))
    np.testing.assert_array_equal(x_val_seq, pad_sequences(x_all[val_index], maxlen=100))
    np.testing.assert_array_equal(y_train, y_all[train_index])
    assert x_train_seq.max() < 1000 and set(np.unique(x_train_seq)) - {0} >= {20}
    assert not np.isin(x_train_seq, [1, 2]).any()


def _run_python(code, tmp_path):
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        ),
        HOME=str(tmp_path),
    )
    for name in ("RNNFAST_IMDB", "RNNFAST_IMDB_WORD_INDEX", "KERAS_HOME"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_sample_loads_without_tensorflow(tmp_path):
    code = (
        "import sys\n"
        "import rnnfast.datasets.imdb as imdb\n"
        "(x, y), _ = imdb.load_data(source='sample')\n"
        "imdb.load_textbook(source='sample')\n"
        "imdb.decode_review(x[0], imdb.get_word_index(source='sample'))\n"
        "assert len(x) == 5000\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TF imported'\n"
        "print('ok')\n"
    )
    result = _run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_tensorflow_and_no_file_gives_a_clear_error(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['keras'] = None; sys.modules['tensorflow'] = None  # as if not installed\n"
        "import rnnfast.datasets.imdb as imdb\n"
        "imdb.load_data(source='sample')\n"
        "for f in (imdb.load_data, imdb.get_word_index):\n"
        "    try:\n"
        "        f()\n"
        "    except FileNotFoundError as e:\n"
        "        print(e)\n"
    )
    result = _run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert "path=" in line and 'source="sample"' in line
    assert "RNNFAST_IMDB" in lines[0] and "RNNFAST_IMDB_WORD_INDEX" in lines[1]


# ----------------------------------------------------------------------------- decode_review


def test_decode_review_as_the_source():
    word_index = {"the": 1, "movie": 2, "good": 3}
    assert imdb.decode_review([4, 5, 6], word_index) == "the movie good"  # index_to_word[w - 3]
    assert imdb.decode_review([0, 1, 2, 4, 99], word_index) == "<pad> <start> <oov> the ?"
    assert imdb.decode_review(np.array([0, 0, 5]), word_index) == "<pad> <pad> movie"
    assert imdb.decode_review([1, 2, 3], word_index, index_from=0) == "the movie good"
    assert imdb.decode_review([], word_index) == ""
    with pytest.raises(TypeError, match="ids"):
        imdb.decode_review([1.5], word_index)
    with pytest.raises(TypeError, match="word_index"):
        imdb.decode_review([4], ["the"])

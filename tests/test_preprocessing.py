"""rnnfast.preprocessing: Keras' pad_sequences / to_categorical semantics and the source's steps.

Hand-made cases need no TensorFlow; the comparisons with Keras' own functions are skipped
where Keras is not installed.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnfast.preprocessing import drop_ids, pad_sequences, textbook_split, to_categorical


@pytest.fixture(scope="module")
def keras_utils():
    keras = pytest.importorskip("keras")
    return keras.utils


# ----------------------------------------------------------------------------- pad_sequences


def test_pad_sequences_keras_docstring_examples():
    seqs = [[1], [2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(pad_sequences(seqs), [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(
        pad_sequences(seqs, value=-1), [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]
    )
    np.testing.assert_array_equal(
        pad_sequences(seqs, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]]
    )
    np.testing.assert_array_equal(pad_sequences(seqs, maxlen=2), [[0, 1], [2, 3], [5, 6]])
    assert pad_sequences(seqs).dtype == np.int32


def test_pad_sequences_truncation_keeps_the_end_by_default():
    seq = [list(range(1, 8))]
    np.testing.assert_array_equal(pad_sequences(seq, maxlen=3), [[5, 6, 7]])
    np.testing.assert_array_equal(pad_sequences(seq, maxlen=3, truncating="post"), [[1, 2, 3]])
    np.testing.assert_array_equal(
        pad_sequences([[1, 2, 3, 4], [9]], maxlen=3, padding="post", truncating="post"),
        [[1, 2, 3], [9, 0, 0]],
    )


def test_pad_sequences_empty_sequences():
    out = pad_sequences([[], [1, 2], []], maxlen=3, value=7)
    np.testing.assert_array_equal(out, [[7, 7, 7], [7, 1, 2], [7, 7, 7]])
    assert pad_sequences([[], []]).shape == (2, 0)
    assert pad_sequences([], maxlen=4).shape == (0, 4)
    assert pad_sequences([[1, 2], [3]], maxlen=0).shape == (2, 0)


def test_pad_sequences_dtype_value_and_conversion():
    out = pad_sequences([[1.7, 2.2]], maxlen=3, dtype="float64", value=0.5)
    np.testing.assert_array_equal(out, [[0.5, 1.7, 2.2]])
    out = pad_sequences([[1.7, 2.2]], maxlen=3)  # int32: values truncated as np.asarray does
    np.testing.assert_array_equal(out, [[0, 1, 2]])
    out = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert out.tolist() == [["a", "b"], ["<pad>", "c"]]


def test_pad_sequences_arrays_and_vectors():
    seqs = [np.array([1, 2, 3]), np.array([4])]
    np.testing.assert_array_equal(pad_sequences(seqs), [[1, 2, 3], [0, 0, 4]])
    vectors = [np.ones((2, 3)), np.full((1, 3), 2.0)]
    out = pad_sequences(vectors, maxlen=2, dtype="float32", padding="post")
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[1], [[2, 2, 2], [0, 0, 0]])


def test_pad_sequences_does_not_modify_input():
    seqs = [[1, 2, 3], [4]]
    pad_sequences(seqs, maxlen=2)
    assert seqs == [[1, 2, 3], [4]]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(padding="middle"), ValueError, "padding"),
        (dict(truncating="end"), ValueError, "truncating"),
        (dict(maxlen=-1), ValueError, "maxlen"),
        (dict(maxlen=2.5), TypeError, "maxlen"),
        (dict(dtype="no-such-dtype"), TypeError, "dtype"),
        (dict(value="x"), ValueError, "dtype"),
    ],
)
def test_pad_sequences_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        pad_sequences([[1, 2]], **kwargs)


def test_pad_sequences_bad_sequences():
    with pytest.raises(ValueError, match="non-iterable"):
        pad_sequences([[1], 5])
    with pytest.raises(ValueError, match="list or array of sequences"):
        pad_sequences(iter([[1]]))
    with pytest.raises(ValueError, match="maxlen"):
        pad_sequences([])
    with pytest.raises(ValueError, match="Shape of sample"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])
    with pytest.raises(ValueError):
        pad_sequences([["a"]])


sequence_lists = st.lists(st.lists(st.integers(-1000, 1000), max_size=12), max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    seqs=sequence_lists,
    maxlen=st.one_of(st.none(), st.integers(1, 15)),
    padding=st.sampled_from(["pre", "post"]),
    truncating=st.sampled_from(["pre", "post"]),
    value=st.sampled_from([0.0, -1, 3.5]),
    dtype=st.sampled_from(["int32", "int64", "float32", "float64"]),
    as_arrays=st.booleans(),
)
def test_pad_sequences_equals_keras(
    keras_utils, seqs, maxlen, padding, truncating, value, dtype, as_arrays
):
    if maxlen is None and not seqs:
        return  # Keras fails with a numpy error here; tested above
    if as_arrays:
        seqs = [np.asarray(s, dtype=np.int64) for s in seqs]
    kwargs = dict(maxlen=maxlen, dtype=dtype, padding=padding, truncating=truncating, value=value)
    expected = keras_utils.pad_sequences(seqs, **kwargs)
    actual = pad_sequences(seqs, **kwargs)
    assert actual.dtype == expected.dtype
    np.testing.assert_array_equal(actual, expected)


def test_pad_sequences_equals_keras_on_large_random_input(keras_utils):
    rng = np.random.RandomState(0)
    seqs = [rng.randint(0, 100, size=rng.randint(0, 300)).tolist() for _ in range(2000)]
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            expected = keras_utils.pad_sequences(
                seqs, maxlen=100, padding=padding, truncating=truncating
            )
            np.testing.assert_array_equal(
                pad_sequences(seqs, maxlen=100, padding=padding, truncating=truncating), expected
            )


# ----------------------------------------------------------------------------- to_categorical


def test_to_categorical_shapes_and_dtype():
    out = to_categorical([0, 2, 1])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.eye(3, dtype=np.float32)[[0, 2, 1]])
    assert to_categorical(np.zeros((4, 1), dtype=int), num_classes=3).shape == (4, 3)
    ids = np.random.RandomState(1).randint(0, 100, size=(20, 100))
    onehot = to_categorical(ids)  # the source: (20000, 100) -> (20000, 100, 100) float32
    assert onehot.shape == (20, 100, 100)
    assert onehot.nbytes == 20 * 100 * 100 * 4  # 800,000,000 for 20,000 reviews
    np.testing.assert_array_equal(onehot.argmax(-1), ids)
    assert onehot.sum() == ids.size
    assert to_categorical([1, 0], dtype="float64").dtype == np.float64


def test_to_categorical_pad_id_becomes_a_real_row():
    out = to_categorical([[0, 0, 5]], num_classes=6)
    np.testing.assert_array_equal(out[0, 0], [1, 0, 0, 0, 0, 0])


@pytest.mark.parametrize(
    "y, kwargs, error",
    [
        ([0, -1], {}, ValueError),
        ([0, 3], dict(num_classes=3), ValueError),
        ([0.5, 1], {}, ValueError),
        (["a"], {}, TypeError),
        ([0, 1], dict(num_classes=0), ValueError),
        ([0, 1], dict(num_classes=2.0), TypeError),
        ([], {}, ValueError),
    ],
)
def test_to_categorical_bad_input(y, kwargs, error):
    with pytest.raises(error):
        to_categorical(y, **kwargs)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.sampled_from([(7,), (5, 1), (3, 4), (2, 3, 1), (2, 2, 3)]),
    extra_classes=st.one_of(st.none(), st.integers(0, 3)),
    seed=st.integers(0, 2**16),
)
def test_to_categorical_equals_keras(keras_utils, shape, extra_classes, seed):
    y = np.random.RandomState(seed).randint(0, 6, size=shape)
    num_classes = None if extra_classes is None else int(y.max()) + 1 + extra_classes
    expected = keras_utils.to_categorical(y, num_classes=num_classes)
    actual = to_categorical(y, num_classes=num_classes)
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(actual, expected)  # Keras 3: float64, same values


# ----------------------------------------------------------------------------- drop_ids, split


def test_drop_ids_as_the_source():
    x = np.empty(3, dtype=object)
    x[0], x[1], x[2] = [1, 2, 22, 2, 43, 2], [2, 2], [1, 14, 3]
    out = drop_ids(x)
    assert out.dtype == object and out.shape == (3,)
    assert out.tolist() == [[22, 43], [], [14, 3]]
    assert all(type(row) is list for row in out)
    assert type(out[0][0]) is int
    assert x[0] == [1, 2, 22, 2, 43, 2]  # input unchanged
    assert drop_ids([[5, 6], [7, 8]]).shape == (2,)  # 1-D even for equal lengths
    assert drop_ids([[1, 5, 9]], below=6).tolist() == [[9]]


def test_drop_ids_bad_input():
    with pytest.raises(ValueError, match="integers"):
        drop_ids([[1.5, 3.0]])
    with pytest.raises(ValueError):
        drop_ids([[[1, 2]]])
    with pytest.raises(TypeError, match="below"):
        drop_ids([[1]], below="3")


def test_textbook_split_equals_the_source_and_keeps_global_state():
    state = np.random.get_state()
    try:
        np.random.seed(42)
        random_index = np.random.permutation(25000)  # the source's code
        np.random.seed(7)
        before = np.random.get_state()[1].copy()
        train, val = textbook_split(25000)
        np.testing.assert_array_equal(np.random.get_state()[1], before)
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(train, random_index[:20000])
    np.testing.assert_array_equal(val, random_index[20000:])


def test_textbook_split_sizes_and_errors():
    train, val = textbook_split(5000)
    assert (len(train), len(val)) == (4000, 1000)
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(5000))
    assert [len(part) for part in textbook_split(10, seed=0, n_train=3)] == [3, 7]
    with pytest.raises(ValueError, match="n_train"):
        textbook_split(10, n_train=11)
    with pytest.raises(ValueError, match="seed"):
        textbook_split(10, seed=-1)
    with pytest.raises(TypeError, match="n "):
        textbook_split(10.0)


@settings(max_examples=80, deadline=None)
@given(
    seqs=sequence_lists,
    maxlen=st.integers(1, 15),
    padding=st.sampled_from(["pre", "post"]),
    truncating=st.sampled_from(["pre", "post"]),
)
def test_vectorised_ragged_padding_equals_pad_sequences(seqs, maxlen, padding, truncating):
    # load_textbook pads flat (tokens, lengths) arrays with this helper, without lists.
    from rnnfast.preprocessing import _pad_ragged, _ragged_from_sequences

    tokens, lengths = _ragged_from_sequences(seqs)
    np.testing.assert_array_equal(
        _pad_ragged(tokens, lengths, maxlen, padding=padding, truncating=truncating, value=-7),
        pad_sequences(seqs, maxlen=maxlen, padding=padding, truncating=truncating, value=-7),
    )

"""The memory ceiling (issue 20, item 4): a network too large for this machine is refused
before anything is allocated, naming the argument that made it large."""

import numpy as np
import pytest

from rnnfast import RecurrentNetwork, _memory


@pytest.fixture
def small_machine(monkeypatch):
    """A machine with 1 GB available (whatever this one has)."""
    monkeypatch.setattr(_memory, "available_bytes", lambda: 10**9)


def test_training_bytes_counts_every_copy():
    # 100 features, 32 cells: 100*32 + 32*32 + 2*32 + 1 = 4,289 weights (the source's S2)
    assert _memory.training_bytes(100, 32, None, "sgd", "float64") == 5 * 4289 * 8
    assert _memory.training_bytes(100, 32, None, "adam", "float32") == 11 * 4289 * 4
    # the S3 model: 1,000 x 32 embedding, 8 cells: 32,337 weights, plus the (1000, 8) table
    assert _memory.training_bytes(1000, 8, 32, "adam", "float64") == (11 * 32337 + 8000) * 8


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_the_estimate_covers_the_measured_peak(optimizer):
    """The peak of the bytes a real fit allocates (NumPy reports its allocations to
    tracemalloc: counted whether or not the pages are touched, unlike the resident size)
    stays within the estimate, and the estimate is not far above it."""
    import tracemalloc

    x, y = np.zeros((64, 100), dtype=np.int32), np.arange(64) % 2
    net = RecurrentNetwork(8, 32, 0.01, optimizer=optimizer)
    tracemalloc.start()
    try:
        net.fit(x, y, epochs=1, n_features=2 * 10**6)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    estimate = _memory.training_bytes(2 * 10**6, 8, None, optimizer, "float64")
    assert 0.5 * estimate < peak <= estimate


def test_a_huge_n_features_is_refused_before_allocating(small_machine):
    x = np.zeros((4, 5), dtype=np.int32)
    y = np.array([0, 1, 0, 1])
    net = RecurrentNetwork(8, 4, 0.1)
    with pytest.raises(_memory.MemoryLimitError, match=r"n_features=100,000,000, n_cells=8") as e:
        net.fit(x, y, epochs=1, n_features=10**8)
    assert isinstance(e.value, MemoryError) and isinstance(e.value, ValueError)
    assert "inferred" not in str(e.value) and not net.is_fitted
    with pytest.raises(_memory.MemoryLimitError, match="embedding_dim=64"):
        RecurrentNetwork(8, 4, 0.1, embedding_dim=64).init_weights(10**7)


def test_an_inferred_n_features_says_where_it_came_from(small_machine):
    x = np.zeros((4, 5), dtype=np.int64)
    x[2, 3] = 10**9  # one stray id
    with pytest.raises(_memory.MemoryLimitError) as e:
        RecurrentNetwork(8, 4, 0.1).fit(x, np.array([0, 1, 0, 1]), epochs=1)
    message = str(e.value)
    assert (
        "n_features=1,000,000,001, inferred from the largest token id in x and x_val "
        "(1,000,000,000) + 1" in message
    )
    assert "pass n_features= to fit" in message


def test_ordinary_networks_train_under_the_ceiling(small_machine):
    x = np.zeros((4, 5), dtype=np.int32)
    RecurrentNetwork(32, 4, 0.1).fit(x, np.array([0, 1, 0, 1]), epochs=1, n_features=100)


def test_available_bytes_is_this_machines():
    have = _memory.available_bytes()
    assert have is None or have > 10**6

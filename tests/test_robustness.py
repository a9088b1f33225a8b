"""Divergence, interruption, atomic saves and threads (issue: hardening)."""

import sys
import threading
import time

import numpy as np
import pytest
from helpers import one_hot

from rnnfast import DivergenceError, LambdaCallback, RecurrentNetwork


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 12, (256, 20)).astype(np.int32)
    y = (x[:, -3:] == 1).any(axis=1).astype(np.int64)
    return x, y


def test_huge_learning_rate_stops_with_message_and_finite_weights(data):
    x, y = data
    good = []
    rn = RecurrentNetwork(
        16,
        32,
        1e200,
        seed=0,
        callbacks=LambdaCallback(on_batch_end=lambda n, i: good.append(n.get_weights())),
    )
    rn.init_weights(12)
    start = rn.get_weights()
    rn.warm_start = True
    with pytest.raises(DivergenceError, match="diverged.*last good step"):
        rn.fit(x, y, 50)
    for w in rn.get_weights().values():
        assert np.isfinite(w).all()
    kept = good[-1] if good else start  # the weights of the last finished update
    for n, w in rn.get_weights().items():
        np.testing.assert_array_equal(w, kept[n])
    assert all(np.isfinite(rn.batch_losses))


def test_clip_norm_prevents_that_divergence(data):
    x, y = data
    rn = RecurrentNetwork(16, 32, 1e3, seed=0, clip_norm=1e-3).fit(x, y, 2)
    assert all(np.isfinite(rn.losses))


def test_keyboard_interrupt_keeps_weights_and_history_of_finished_batches(data):
    x, y = data

    def interrupt(net, info):
        if info["epoch"] == 1 and info["batch"] == 3:
            raise KeyboardInterrupt

    rn = RecurrentNetwork(8, 32, 0.1, seed=3, callbacks=LambdaCallback(on_batch_end=interrupt))
    with pytest.raises(KeyboardInterrupt):
        rn.fit(x, y, 5)
    # The same run stopped cleanly after the same batch.
    ref = RecurrentNetwork(
        8,
        32,
        0.1,
        seed=3,
        callbacks=LambdaCallback(on_batch_end=lambda n, i: i["epoch"] == 1 and i["batch"] == 3),
    )
    ref.fit(x, y, 5)
    assert rn.batch_losses == ref.batch_losses
    assert len(rn.batch_losses) == 8 + 4
    np.testing.assert_array_equal(rn.w1h, ref.w1h)
    assert rn.losses == ref.losses[:1]  # the interrupted epoch is not summarised


def test_interrupted_save_keeps_the_old_file(tmp_path, data, monkeypatch):
    x, y = data
    rn = RecurrentNetwork(8, 32, 0.1, seed=0).fit(x, y, 1)
    path = rn.save(tmp_path / "m.npz")
    before = open(path, "rb").read()
    rn.fit(x, y, 1)

    def broken_savez(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        rn.save(path)
    monkeypatch.undo()
    assert open(path, "rb").read() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]
    RecurrentNetwork.load(path)


@pytest.mark.parametrize("kind", ["ids", "onehot"])
def test_two_networks_in_two_threads_match_each_alone(data, kind):
    """The kernels release the GIL and share no state between networks."""
    x, y = data
    x = x if kind == "ids" else one_hot(x, 12, np.float32)
    configs = [dict(seed=1, backprop="exact"), dict(seed=2, backprop="textbook")]
    alone = [RecurrentNetwork(16, 16, 0.05, **c).fit(x, y, 2) for c in configs]
    together = [RecurrentNetwork(16, 16, 0.05, **c) for c in configs]
    threads = [threading.Thread(target=net.fit, args=(x, y, 2)) for net in together]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in zip(alone, together):
        assert a.losses == b.losses
        np.testing.assert_array_equal(a.w1h, b.w1h)


def _ticks_during(work, switch_interval=1e-4):
    """Ticks a second Python thread makes while ``work()`` runs in this one, and the seconds
    ``work`` took.  The ticker needs the GIL for every tick: it stalls while ``work`` holds it."""
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())

    old = sys.getswitchinterval()
    sys.setswitchinterval(switch_interval)
    t = threading.Thread(target=ticker)
    try:
        t.start()
        while not ticks:  # the ticker runs before the work starts
            time.sleep(1e-3)
        start = time.perf_counter()
        work()
        end = time.perf_counter()
        done.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    return sum(start <= x <= end for x in ticks), end - start


def test_kernels_release_the_gil():
    """A Python thread keeps running while a kernel works: during one long forward call it
    ticks at a good share of its free rate.  The control, a C call that holds the GIL as long
    (sorting a list), leaves it almost no tick: the measure can fail."""
    from helpers import random_ids, random_params

    from rnnfast.backends import CythonBackend

    params = random_params(50, 64)
    x = random_ids(2048, 200, 50)
    backend = CythonBackend()
    free, free_s = _ticks_during(lambda: time.sleep(0.05))
    rate = free / free_s
    kernel, kernel_s = _ticks_during(lambda: backend.forward(x, params, keep_states=False))
    values = np.random.default_rng(0).random(1_500_000).tolist()
    held, held_s = _ticks_during(lambda: sorted(values))
    print(
        f"ticks/s: free {rate:.0f}, during the kernel {kernel / kernel_s:.0f} "
        f"({kernel_s * 1e3:.0f} ms), during the GIL-holding sort {held / held_s:.0f} "
        f"({held_s * 1e3:.0f} ms)"
    )
    assert held_s > 0.05 and kernel_s > 0.05  # both long enough to tell
    assert held / held_s < 0.05 * rate  # the control: the ticker stalled
    assert kernel / kernel_s > 0.25 * rate  # the kernel: it did not

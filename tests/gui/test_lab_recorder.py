"""gui.lab.recorder and gui.lab.presets (Qt-free): the lab's records from a real short
training run, checked against independent NumPy computations (own forward and backward loops,
the reference class, central differences)."""

import numpy as np
import pytest


def _forward(w, x_dense):
    """Own NumPy forward over dense input (m, T, nf): hs (T + 1, m, nc), z2 (m,)."""
    m, n_steps, _ = x_dense.shape
    hs = np.zeros((n_steps + 1, m, w["w1h"].shape[0]))
    for t in range(n_steps):
        hs[t + 1] = np.tanh(x_dense[:, t] @ w["w1x"] + hs[t] @ w["w1h"] + w["b1"])
    return hs, hs[-1] @ w["w2"][:, 0] + w["b2"][0]


def _one_hot(ids, nf):
    return np.eye(nf)[ids]


@pytest.fixture(scope="module")
def run():
    """A network trained 2 epochs on 640 sample reviews with a recorder snapshotting at every
    batch (budget 1, no interval), the records, the probe batch."""
    from gui.lab.recorder import LabRecorder
    from rnnfast import RecurrentNetwork
    from rnnfast.datasets import imdb

    x, y, xv, yv = imdb.load_textbook(source="sample")
    records = []
    rec = LabRecorder(xv[:16], yv[:16], sink=records.append, review=3, budget=1.0, min_interval=0.0)
    rn = RecurrentNetwork(16, 32, 0.05, bptt_steps=10, seed=3, callbacks=[rec])
    rn.fit(x[:640], y[:640], epochs=2, n_features=100)
    return {"rn": rn, "records": records, "rec": rec, "x": xv[:16], "y": yv[:16]}


def test_records_fill_during_training_and_history_grows(run):
    records = run["records"]
    assert len(records) == 2 * 20 + 1  # every batch, and once at the end of fit
    last = records[-1]
    assert last["T"] == 100 and last["window"] == 10 and last["n_cells"] == 16
    assert len(last["series"]["batch"]) == len(records)
    assert np.all(np.diff(last["series"]["batch"]) >= 0)
    assert last["series"]["sigma"].shape == (len(records), 16)
    assert last["grad_norms"].shape == (10,)


def test_factors_equal_diagnostics_and_an_own_backward_loop(run):
    from rnnfast import diagnostics

    rn, x = run["rn"], run["x"]
    f = run["rec"].snapshot(rn)["factors"]
    ref = diagnostics.jacobian_factors(rn, x)
    np.testing.assert_array_equal(f["measured"], ref.batch_factors)
    np.testing.assert_array_equal(f["bound"], ref.batch_bounds)
    # independent: own forward, delta_T = w2 * (1 - h_T^2) (output error 1), exact rule
    w = rn.get_weights()
    hs, _ = _forward(w, _one_hot(x, 100))
    delta = w["w2"][:, 0] * (1 - hs[-1] ** 2)
    norms = [np.linalg.norm(delta)]
    for t in range(99, 0, -1):
        delta = (delta @ w["w1h"].T) * (1 - hs[t] ** 2)
        norms.append(np.linalg.norm(delta))
    np.testing.assert_allclose(f["measured"], np.array(norms[1:]) / norms[:-1], rtol=1e-8)
    sigma = np.linalg.svd(w["w1h"], compute_uv=False)
    np.testing.assert_allclose(f["singular_values"], sigma, rtol=1e-10)
    np.testing.assert_allclose(f["bound"], sigma[0] * (1 - hs[99:0:-1] ** 2).max(axis=(1, 2)))
    assert np.all(f["measured"] <= f["bound"] * (1 + 1e-12))


def test_rule_cosines_equal_the_reference_class(run):
    """The reference (the source's class in NumPy) computes both rules' gradients."""
    from rnnfast.reference import NumpyRecurrentNetwork

    rn, x, y = run["rn"], run["x"], run["y"]
    agreement = run["rec"].snapshot(rn)["agreement"]
    grads = {}
    for rule in ("exact", "textbook"):
        ref = NumpyRecurrentNetwork(16, bptt_steps=10, backprop_rule=rule)
        for name, value in rn.get_weights().items():
            setattr(ref, name, value)
        a = 1 / (1 + np.exp(-ref.forpass(x)))
        grads[rule] = ref.backprop(x, a - y.reshape(-1, 1))
    for j, name in enumerate(("w1h", "w1x", "b1", "w2", "b2")):
        e, t = np.ravel(grads["exact"][j]), np.ravel(grads["textbook"][j])
        cos = e @ t / (np.linalg.norm(e) * np.linalg.norm(t))
        assert agreement["cosine"][name] == pytest.approx(cos, abs=1e-9)
    w1h = rn.w1h
    assert agreement["asymmetry"] == pytest.approx(
        np.linalg.norm(w1h - w1h.T) / np.linalg.norm(w1h)
    )


def test_saliency_is_dead_before_t_minus_k_and_equals_central_differences(run):
    rn, x = run["rn"], run["x"]
    sal = run["rec"].snapshot(rn)["saliency"]
    assert sal["review"] == 3
    values = sal["values"]
    assert np.all(values[:90] == 0) and np.all(values[90:] > 0)
    w = rn.get_weights()
    dense = _one_hot(x[3:4], 100)
    eps = 1e-6
    for t in (99, 95, 90, 50):  # 50: dead under truncation, yet the forward reads it
        grad = np.empty(100)
        for f in range(100):
            up, down = dense.copy(), dense.copy()
            up[0, t, f] += eps
            down[0, t, f] -= eps
            grad[f] = (_forward(w, up)[1][0] - _forward(w, down)[1][0]) / (2 * eps)
        if t >= 90:
            assert values[t] == pytest.approx(np.linalg.norm(grad), rel=1e-6)
        else:
            assert values[t] == 0 and np.linalg.norm(grad) > 1e-8


def test_inspector_numbers_follow_the_source_equations(run):
    rn, x, y = run["rn"], run["x"], run["y"]
    ins = run["rec"].snapshot(rn)["inspector"]
    hs_net = rn.hidden_states(x[3:4])[0]
    np.testing.assert_allclose(ins["hs"][1:], hs_net, atol=1e-12)
    w = rn.get_weights()
    np.testing.assert_array_equal(ins["xw"], w["w1x"][x[3]])
    # own backward for this review (m = 1), both rules, 10 steps
    hs, z2 = _forward(w, _one_hot(x[3:4], 100))
    err = 1 / (1 + np.exp(-z2[0])) - y[3]
    for rule, back in (("exact", w["w1h"].T), ("textbook", w["w1h"])):
        delta = err * w["w2"][:, 0] * (1 - hs[-1, 0] ** 2)
        for t in range(99, 89, -1):
            np.testing.assert_allclose(ins[f"deltas_{rule}"][t], delta, atol=1e-14)
            delta = (delta @ back) * (1 - hs[t, 0] ** 2)
        assert np.all(ins[f"deltas_{rule}"][:90] == 0)
    assert not np.allclose(ins["deltas_exact"][90:99], ins["deltas_textbook"][90:99])


def test_gradient_check_table(run):
    from gui.lab.recorder import CHECK_COLUMNS

    rec = run["rec"]
    rec.request_gradient_check()
    table = rec.snapshot(run["rn"])["gradient_check"]
    assert not rec.check_requested
    assert tuple(table["columns"]) == CHECK_COLUMNS
    rows = {(r[0], r[1], r[2]): r for r in table["rows"]}
    col = CHECK_COLUMNS.index("rel_error")
    assert rows[("exact", 100, "w1h")][col] < 1e-6
    assert rows[("textbook", 100, "w1h")][col] > 1e-2
    assert ("exact", 10, "w1h") in rows  # the network's own window
    assert "gradient_check" not in rec.snapshot(run["rn"])


def test_clipping_report_is_read_from_the_library(run):
    """The network reports every batch's clipping (``info["clip"]``, ``last_clip``): the
    recorder's columns are that report (here without clipping: before = after, none
    clipped), and a simulated report is read the same way."""
    from gui.lab.recorder import LabRecorder, clip_stats

    rn = run["rn"]
    assert clip_stats(rn, {}) == rn.last_clip
    clip = run["records"][-1]["clip"]
    assert clip["recorded"] is True and clip["share"] == 0
    np.testing.assert_array_equal(clip["norm_before"], clip["norm_after"])
    assert (np.asarray(clip["norm_before"]) > 0).all()
    rec = LabRecorder(run["x"], run["y"])
    for before, clipped in [(3.0, True), (0.5, False), (2.0, True)]:
        info = {"clip": {"norm_before": before, "norm_after": min(before, 1.0), "clipped": clipped}}
        rec.on_batch_end(rn, info)
    clip = rec.record(rn)["clip"]
    assert clip["recorded"] is True and clip["share"] == pytest.approx(2 / 3)
    np.testing.assert_array_equal(clip["norm_before"], [3.0, 0.5, 2.0])
    np.testing.assert_array_equal(clip["norm_after"], [1.0, 0.5, 1.0])


def test_probe_clip_applies_the_network_clipping(run):
    from gui.lab.recorder import probe_clip
    from rnnfast import diagnostics

    rn, x, y = run["rn"], run["x"], run["y"]
    g = np.concatenate([v.ravel() for v in diagnostics.gradients(rn, x, y).values()])
    before, after = probe_clip(rn, x, y)
    assert before == pytest.approx(np.linalg.norm(g)) and after == before
    rn.clip_norm = before / 2
    try:
        assert probe_clip(rn, x, y) == pytest.approx((before, before / 2))
    finally:
        rn.clip_norm = None


def test_snapshots_are_rate_bounded():
    """With the default budget, a run of ~250 batches takes few snapshots, and the time in
    them stays a small share of the run."""
    import time

    from gui.lab.recorder import LabRecorder
    from rnnfast import RecurrentNetwork
    from rnnfast.datasets import imdb

    x, y, xv, yv = imdb.load_textbook(source="sample")
    rec = LabRecorder(xv[:32], yv[:32])
    rn = RecurrentNetwork(32, 32, 0.01, bptt_steps=10, seed=1, callbacks=[rec])
    start = time.perf_counter()
    rn.fit(x, y, epochs=2, n_features=100)
    elapsed = time.perf_counter() - start
    assert rec.batches_seen == 250
    assert 2 <= rec.snapshots <= 2 + elapsed / rec.min_interval
    print(f"{rec.snapshots} snapshots, {rec.seconds_recording:.3f} s of {elapsed:.3f} s")


def test_explode_preset_and_clip_settings():
    from gui.lab.presets import clip_mode, clip_settings, explode
    from rnnfast import RecurrentNetwork

    rn = RecurrentNetwork(8, seed=0)
    rn.init_weights(20)
    scale = explode(rn, 2.5)
    sigma = np.linalg.svd(rn.w1h, compute_uv=False)
    assert sigma[0] == pytest.approx(2.5) and scale == pytest.approx(2.5)  # orthogonal start
    assert np.allclose(sigma, 2.5)
    assert clip_settings("none", 1) == {"clip_norm": None}
    assert clip_settings("norm", 2) == {"clip_norm": 2.0}
    assert clip_settings("value", 0.5) == {"clip_norm": None, "clip_value": 0.5}
    with pytest.raises(ValueError):
        clip_settings("norm", 0)
    assert clip_mode(RecurrentNetwork(8, clip_norm=3.0)) == ("norm", 3.0)


def test_lab_cost_benchmark_reports_the_three_throughputs_and_ratios():
    """benchmarks/lab_cost.py on a tiny workload: the report's shape, not the speed."""
    from benchmarks.lab_cost import main, measure, report

    out, ratios, last = measure(n=320, epochs=1, runs=1)
    assert set(out) == {"plain", "callback", "recording"}
    assert all(r["samples_per_s"] > 0 for r in out.values())
    assert set(ratios) == {"recording/plain", "recording/callback", "callback/plain"}
    assert last["snapshots"] >= 2 and last["batches"] == 10
    assert "recording/plain" in report(out, ratios, last)
    assert main(["--n", "320", "--epochs", "1", "--runs", "1", "-q"]) == 0

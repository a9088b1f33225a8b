"""The BPTT lab's views (gui.lab), offscreen: each fills from a real short training run, shows
the record's numbers (checked against NumPy where cheap) and exports a PNG and a CSV."""

import csv

import numpy as np
import pytest


@pytest.fixture(scope="module")
def lab_run():
    """A network trained briefly on the bundled sample, a recorder snapshotting every batch;
    the last record carries a gradient check."""
    from gui.lab.recorder import LabRecorder
    from rnnfast import RecurrentNetwork
    from rnnfast.datasets import imdb

    x, y, xv, yv = imdb.load_textbook(source="sample")
    rec = LabRecorder(xv[:8], yv[:8], budget=1.0, min_interval=0.0)
    rn = RecurrentNetwork(12, 32, 0.05, bptt_steps=10, seed=2, callbacks=[rec])
    rn.fit(x[:320], y[:320], epochs=2, n_features=100)
    rec.request_gradient_check()
    return {"rn": rn, "rec": rec, "record": rec.record(rn), "x": xv[:8], "y": yv[:8]}


def _csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _exports(view, tmp_path, columns):
    """PNG non-empty and readable; the main CSV has ``columns`` (and rows)."""
    from PyQt5.QtGui import QImage

    png = tmp_path / f"{view.key}.png"
    assert view.export_png(png) and png.stat().st_size > 1000
    assert not QImage(str(png)).isNull()
    written = view.export_csv(tmp_path / f"{view.key}.csv")
    header, rows = _csv(written[0])
    assert header == columns and rows
    return written


def _make(qtbot, cls, record, **kw):
    view = cls(**kw)
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    assert not view.has_data()
    view.update_from(record)
    assert view.has_data()
    return view


def test_erratum_view(qtbot, need_rnnfast, lab_run, tmp_path):
    from gui.lab.erratum import ErratumView

    record = lab_run["record"]
    view = _make(qtbot, ErratumView, record)
    _, cos = view.curves["w1h"].getData()
    np.testing.assert_array_equal(cos, record["series"]["cos_w1h"])
    assert view.norm_table.rowCount() == 5
    assert view.check_table.rowCount() == len(record["gradient_check"]["rows"])
    with qtbot.waitSignal(view.check_requested, timeout=1000):
        view.check_button.click()
    written = _exports(
        view,
        tmp_path,
        ["batch", "epoch", "cos_w1h", "cos_w1x", "cos_b1", "cos_w2", "cos_b2", "asymmetry"],
    )
    assert [p.name for p in written] == [
        "erratum.csv",
        "erratum_norms.csv",
        "erratum_gradient_check.csv",
    ]
    header, rows = _csv(written[2])
    assert header[:3] == ["backprop", "bptt_steps", "param"] and len(rows) == 15


def test_vanishing_view_plots_the_diagnostics_numbers(qtbot, need_rnnfast, lab_run, tmp_path):
    from gui.lab.vanishing import VanishingView
    from rnnfast import diagnostics

    record = lab_run["record"]
    view = _make(qtbot, VanishingView, record)
    ref = diagnostics.jacobian_factors(lab_run["rn"], lab_run["x"])
    steps, measured = view.measured.getData()  # log axis: getData gives log10
    np.testing.assert_array_equal(steps, np.arange(1, 100))
    np.testing.assert_allclose(10**measured, ref.batch_factors, rtol=1e-12)
    np.testing.assert_allclose(10 ** view.bound.getData()[1], ref.batch_bounds, rtol=1e-12)
    assert len(view.sv_curves) == 12
    sv = view.sv_curves[0].getData()[1]
    assert sv[-1] == pytest.approx(ref.singular_values[0])
    assert view.window_line.value() == 10
    written = _exports(
        view, tmp_path, ["step_back", "measured", "bound", "review_measured", "review_bound"]
    )
    header, rows = _csv(written[1])
    assert header[:3] == ["batch", "epoch", "sigma_1"] and len(header) == 14
    assert len(rows) == len(record["series"]["batch"])


def test_truncation_view_marks_dead_the_words_before_t_minus_k(
    qtbot, need_rnnfast, lab_run, tmp_path
):
    from gui.lab.truncation import TruncationView

    record = lab_run["record"]
    view = _make(qtbot, TruncationView, record)
    dead = view.dead_mask()
    np.testing.assert_array_equal(dead, np.arange(100) < 90)
    values = record["saliency"]["values"]
    assert np.all(values[dead] == 0) and np.all(values[~dead] > 0)
    html = view.words.toHtml()
    assert "#ececec" in html  # the dead words' grey
    written = _exports(view, tmp_path, ["t", "id", "word", "saliency", "dead"])
    _, rows = _csv(written[0])
    assert [int(r[4]) for r in rows] == dead.astype(int).tolist()
    assert all(float(r[3]) == 0 for r in rows[:90])
    lo, hi = view.sal_region.getRegion()
    assert (lo, hi) == (-0.5, 89.5)
    with qtbot.waitSignal(view.review_changed, timeout=1000) as sig:
        view.review_box.setValue(2)
    assert sig.args == [2]


def test_truncation_view_with_full_bptt_has_no_dead_words(qtbot, need_rnnfast, lab_run):
    from gui.lab.recorder import LabRecorder
    from gui.lab.truncation import TruncationView

    rn = lab_run["rn"]
    rn.bptt_steps = None
    try:
        record = LabRecorder(lab_run["x"], lab_run["y"]).record(rn)
    finally:
        rn.bptt_steps = 10
    view = _make(qtbot, TruncationView, record)
    assert not view.dead_mask().any() and np.all(record["saliency"]["values"] > 0)


def test_clipping_view_not_recorded_then_recorded(qtbot, need_rnnfast, lab_run, tmp_path):
    from gui.lab.clipping import ClippingView

    record = lab_run["record"]
    # the library's per-batch report of a run without clipping: none clipped
    view = _make(qtbot, ClippingView, record, per_entry=False)
    assert "0.0%" in view.status.text()
    np.testing.assert_allclose(
        10 ** view.before.getData()[1], record["clip"]["norm_before"], rtol=1e-12
    )
    # a record without the report (e.g. a run file from an older rnnfast)
    view.update_from(dict(record, clip={"settings": record["clip"]["settings"], "recorded": False}))
    assert "not recorded" in view.status.text()
    assert view.before.getData()[0] is None or len(view.before.getData()[0]) == 0
    np.testing.assert_allclose(
        10 ** view.probe_before.getData()[1], record["series"]["probe_norm_before"], rtol=1e-12
    )
    _exports(view, tmp_path, ["batch", "probe_norm_before", "probe_norm_after"])
    recorded = dict(
        record,
        clip={
            "settings": {"clip_norm": 1.0, "clip_value": None},
            "recorded": True,
            "batch": np.array([1.0, 2.0]),
            "norm_before": np.array([3.0, 0.5]),
            "norm_after": np.array([1.0, 0.5]),
            "clipped": np.array([1.0, 0.0]),
            "share": 0.5,
        },
    )
    view.update_from(recorded)
    assert "50.0%" in view.status.text() and view.line.isVisible()
    written = view.export_csv(tmp_path / "clip.csv")
    header, rows = _csv(written[1])
    assert header == ["batch", "norm_before", "norm_after", "clipped"] and len(rows) == 2
    with qtbot.waitSignal(view.settings_requested, timeout=1000) as sig:
        view.mode_box.setCurrentIndex(1)
        view.explode.setChecked(True)
        view.apply.click()
    assert sig.args[0] == {"mode": "norm", "threshold": 1.0, "explode": True, "sigma_max": 2.5}


def test_inspector_view_shows_the_real_numbers(qtbot, need_rnnfast, lab_run, tmp_path):
    from gui.lab.inspector import MARK, InspectorView

    record = lab_run["record"]
    rn, x = lab_run["rn"], lab_run["x"]
    view = _make(qtbot, InspectorView, record)
    assert view.t_box.value() == 99
    view.select(t=95, i=4)
    table = dict(view.tables()["summary"][1])
    w = rn.get_weights()
    h = rn.hidden_states(x[:1])[0]
    z1 = w["w1x"][x[0, 95], 4] + h[94] @ w["w1h"][:, 4] + w["b1"][4]
    assert table["z1"] == pytest.approx(z1, abs=1e-12)
    assert table["h"] == pytest.approx(h[95, 4], abs=1e-12)
    delta = record["inspector"]["deltas_exact"][95]
    slope = 1 - h[94, 4] ** 2
    assert table["delta_prev_exact"] == pytest.approx(delta @ w["w1h"][4, :] * slope)
    assert table["delta_prev_textbook"] == pytest.approx(delta @ w["w1h"][:, 4] * slope)
    assert table["delta_prev_exact"] == pytest.approx(record["inspector"]["deltas_exact"][94, 4])
    assert view.html().count(MARK) == 2
    view.select(t=50)
    assert "not visited" in view.text.toPlainText()
    view.select(t=95)
    _exports(view, tmp_path, ["quantity", "value"])
    names = [p.name for p in view.export_csv(tmp_path / "ins.csv")]
    assert names == ["ins.csv", "ins_forward_terms.csv", "ins_backward_terms.csv"]
    header, rows = _csv(tmp_path / "ins_backward_terms.csv")
    assert header == ["j", "delta_t_j", "w1h_ij", "w1h_ji", "exact_term", "textbook_term"]
    assert len(rows) == 12


def test_lab_window_trains_and_fills_every_view(qtbot, need_rnnfast, tmp_path):
    from gui.lab.runner import LabSettings
    from gui.lab.window import LabWindow, lab_data, word_decoder
    from gui.training.settings import TrainSettings

    data = lab_data(n_probe=8)
    data["x_train"], data["y_train"] = data["x_train"][:640], data["y_train"][:640]
    settings = LabSettings(TrainSettings(n_cells=8, epochs=2), explode=True, clip="norm")
    win = LabWindow(data, settings, decode=word_decoder())
    qtbot.addWidget(win)
    win.resize(1200, 750)
    win.show()
    assert win.train()
    assert win.wait(60_000)
    assert all(v.has_data() for k, v in win.views.items() if k != "clipping")
    assert win.views["clipping"].has_data()  # the probe dots at least
    assert abs(np.linalg.svd(win.network.w1h, compute_uv=False)[0] - 2.5) < 0.5
    win.gradient_check()
    assert win.views["erratum"].check is not None
    win.choose_review(5)
    assert win.latest["saliency"]["review"] == 5
    paths = win.save_screenshots(tmp_path / "lab.png")
    assert [p.name for p in paths] == [
        "lab_1_erratum.png",
        "lab_2_vanishing.png",
        "lab_3_truncation.png",
        "lab_4_clipping.png",
        "lab_5_inspector.png",
    ]
    win.close()
    assert not win.is_training


def test_twin_settings_differ_only_as_the_pair_says():
    from gui.lab.runner import LabSettings
    from gui.lab.twins import differences, twin_settings

    a, b = twin_settings(LabSettings(explode=True), "window")
    assert (a.train.bptt_steps, b.train.bptt_steps) == (10, None)
    assert a.train.seed == b.train.seed and a.explode and b.explode
    assert differences(a, b) == ("bptt 10", "full BPTT")  # the app's words (translated)
    assert differences(*twin_settings(LabSettings(), "rules")) == ("exact", "textbook")


def test_twin_runs_start_from_the_same_weights(qtbot, need_rnnfast, tmp_path):
    from gui.lab.runner import LabSettings
    from gui.lab.window import LabWindow, lab_data
    from gui.training.settings import TrainSettings

    data = lab_data(n_probe=4)
    data["x_train"], data["y_train"] = data["x_train"][:320], data["y_train"][:320]
    win = LabWindow(data, LabSettings(TrainSettings(n_cells=8, epochs=1, seed=5)))
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.twins)
    with qtbot.waitSignal(win.twins.run_requested, timeout=1000):
        win.twins.run_button.click()  # "exact vs textbook rule"
    assert win.twin_runs.running
    assert win.wait(60_000)
    win.redraw(all_views=True)
    view = win.twins
    assert view.has_data() and view.labels == {"A": "exact", "B": "textbook"}
    a, b = (view.records[r]["series"] for r in ("A", "B"))
    assert a["loss"][0] == b["loss"][0]  # the same weights, the same first batch
    assert a["loss"][-1] != b["loss"][-1]
    paths = view.export_csv(tmp_path / "twins.csv")
    header, rows = _csv(paths[0])
    assert header == ["run", "batch", "loss", "cos_w1h"]
    assert {r[0] for r in rows} == {"exact", "textbook"}
    # the loss of every batch (320 reviews / 32), not one point per snapshot
    assert len(view.curves[("loss", "A")].getData()[0]) == 10
    assert _csv(paths[1])[0] == ["run", "step_back", "grad_norm", "factor"]
    assert view.export_png(tmp_path / "twins.png")
    win.close()


def test_lab_plots_have_their_legend_in_a_row_under_the_plot(qtbot, need_rnnfast, lab_run):
    """No legend box over a lab plot's data: each plot's named curves are entries of the
    legend row under it (the app's LegendRow), in the curves' colours."""
    import pyqtgraph as pg
    from PyQt5.QtCore import Qt

    from gui.lab.clipping import ClippingView
    from gui.lab.common import RED, LabPlot, sample_spec
    from gui.lab.erratum import ErratumView
    from gui.lab.truncation import TruncationView
    from gui.lab.twins import TwinView
    from gui.lab.vanishing import VanishingView

    record = lab_run["record"]
    views = [
        _make(qtbot, cls, record, **kw)
        for cls, kw in (
            (ErratumView, {}),
            (VanishingView, {}),
            (TruncationView, {}),
            (ClippingView, {"per_entry": False}),
        )
    ]
    twins = TwinView()
    qtbot.addWidget(twins)
    twins.resize(1100, 650)
    twins.show()
    twins.start(("backprop=exact", "backprop=textbook"))
    twins.update_from(record, run="A")
    views.append(twins)
    qtbot.wait(50)
    checked = 0
    for view in views:
        plots = view.findChildren(LabPlot)
        assert plots, view.key
        for plot in plots:
            where = f"{view.key}: {plot.getPlotItem().titleLabel.text}"
            scene = plot.view.scene().items()
            assert not [i for i in scene if isinstance(i, pg.LegendItem)], where
            assert plot.legend.isVisible(), where
            assert plot.legend.geometry().top() >= plot.view.geometry().bottom(), where
            named = [c for c in plot.getPlotItem().listDataItems() if c.name() is not None]
            shown = plot.getPlotItem().legend.items  # (curve, text) of each entry in the row
            assert named and [c for c, _ in shown] == named, where
            assert [t for _, t in plot.legend.items] == [t for _, t in shown], where
            for entry in plot.legend.entries.values():
                assert plot.legend.rect().contains(entry.geometry()), (where, entry.text)
            checked += 1
    assert checked == 11  # erratum 2, vanishing 2, truncation 2, clipping 1, twins 4
    assert [t for _, t in twins.plots["loss"].legend.items] == [
        "backprop=exact",
        "backprop=textbook",
    ]
    vanishing = views[1]
    assert [t for _, t in vanishing.factor_plot.legend.items] == [
        "measured (batch)",
        "bound",
        "measured (chosen review)",
    ]
    assert [t for _, t in vanishing.sv_plot.legend.items] == ["sigma_max"]
    bound = vanishing.factor_plot.legend.entries[id(vanishing.bound)]
    assert not bound.sample.pixmap().isNull()
    assert sample_spec(vanishing.bound) == (RED, 2.0, Qt.DashLine, None)  # red, dashed
    clipping = views[3]
    assert sample_spec(clipping.probe_before) == (RED, 1.0, Qt.NoPen, "o")  # red dots

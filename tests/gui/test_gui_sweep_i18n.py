"""The Sweep view in Korean and in English: every text it shows (the form, its errors, the
buttons, the status, the plots' titles, axes and legends, the comparison's words) is in the
language chosen; filled from runs made up here (no training)."""

import numpy as np
import pytest
from test_gui_i18n import _check, _texts


def _fill(win):
    """The view as after a sweep of 2 x 2 settings and 3 seeds, one run failed, a field with
    an error, the scheduler's problem said at its field."""
    from gui.sweep.results import SweepResults, comparison_rows
    from gui.sweep.worker import SweepRequest

    view = win.sweep
    grid = {"backprop": ["exact", "textbook"], "bptt_steps": [10, None]}
    r = SweepResults(grid, [0, 1, 2], 4)
    rng = np.random.default_rng(0)
    for cell in r.cells:
        for seed in r.seeds:
            curves = {m: 0.5 + 0.05 * rng.random(4) for m in ("loss", "val_loss", "accuracy")}
            curves["val_accuracy"] = 0.5 + np.cumsum(0.02 * rng.random(4))
            r.add({"cell": cell, "seed": seed, "status": "done", "curves": curves})
    r.add({"cell": (1, 1), "seed": 3, "status": "failed", "error": "x"})
    row = {"n": 3, "mean_a": 0.6, "mean_b": 0.59, "difference": 0.01, "ci_low": -0.01}
    rows = [dict(row, ci_high=0.03, verdict="no evidence", at=(("bptt_steps", 10),))]
    rows.append(dict(row, ci_low=0.005, ci_high=0.02, verdict="higher", at=(("bptt_steps", None),)))
    r.set_comparisons({("backprop", 0, 1): rows, ("bptt_steps", 0, 1): rows[:1]})
    assert comparison_rows  # the rows' form is the worker's (tests/gui/test_gui_sweep.py)
    view.results, view.selected = r, (0, 1)
    view.request = SweepRequest(grid, r.seeds, 4, {}, engine="processes", n_jobs=2)
    view.comparison.set_results(r)
    view.show_view()
    view._say_progress()
    view.redraw(force=True)
    view.form.values[1].setText("5, 0")
    view.form.address.setText("10.0.0.5:1")
    view.form.set_address_problem()
    return view


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_sweep_view_is_in_the_language(window, qtbot, lang):
    win = window
    win.set_language(lang)
    try:
        view = _fill(win)
        assert view.cells.has_data() and view.curves.has_data() and len(view.sentences()) == 2
        assert view.form.values[1].error_label.isVisibleTo(win)
        texts = [t for _, t in _texts(view)]
        assert len(texts) > 40
        _check(view, [], lang)
        if lang == "ko":
            assert "빠진 전치" in view.words.text() and "정확" in view.words.text()
            assert view.form.title() == "스윕: 설정 x 시드" and win.act_sweep_show.text() == "스윕"
            win.set_language("en")  # switched live: the words follow
            assert "missing transpose" in view.words.text()
            _check(view, [], "en")
    finally:
        win.set_language("en")

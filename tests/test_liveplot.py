"""rnnfast.callbacks.LivePlot: one line per epoch in a terminal, one figure redrawn in place
in Jupyter (a display handle), within its time budget.  No timing is asserted here: the cost
is measured by ``python -m benchmarks.liveplot``."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

from rnnfast import RecurrentNetwork
from rnnfast.callbacks import LivePlot


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 20, size=(80, 12))
    y = (x[:, -1] > 9).astype(float)
    return x[:64], y[:64], x[64:], y[64:]


def _drop(png):
    """A sink that keeps nothing (module level: picklable)."""


def _fit(data, callback, epochs=3):
    x, y, xv, yv = data
    rn = RecurrentNetwork(6, 16, 0.05, seed=0, callbacks=[callback])
    return rn.fit(x, y, epochs=epochs, x_val=xv, y_val=yv, n_features=20)


def test_in_a_terminal_one_line_per_epoch(data):
    out = io.StringIO()
    rn = _fit(data, LivePlot(stream=out))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("epoch 1/3  loss ") and "val_accuracy" in lines[0]
    assert f"loss {rn.losses[-1]:.4f}" in lines[-1]


def test_every_redraw_is_a_png_of_the_history_and_the_last_state_is_drawn(data, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setattr("rnnfast.liveplot.FIRST_COST", 0.0)  # the first epoch is always drawn
    pngs = []
    plot = LivePlot(("loss", "accuracy", "grad_norms"), budget=1.0, sink=pngs.append)
    _fit(data, plot, epochs=4)
    assert plot.redraws == len(pngs) >= 2  # the first epoch at least, and the end
    assert all(p[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert plot.seconds_drawing > 0
    assert plot._figure.texts[-1].get_text() == "epoch 4/4"  # the final state
    loss_ax = plot._axes[0]
    assert np.array_equal(
        loss_ax.get_lines()[0].get_ydata(), _fit(data, LivePlot(mode="text"), 4).losses
    )


def test_a_small_budget_skips_redraws_but_not_the_last(data):
    pytest.importorskip("matplotlib")
    pngs = []
    plot = LivePlot(budget=1e-6, sink=pngs.append)
    _fit(data, plot, epochs=5)
    assert plot.redraws == 1 and len(pngs) == 1


def test_in_jupyter_one_display_handle_is_updated(data, monkeypatch):
    pytest.importorskip("matplotlib")
    display_module = pytest.importorskip("IPython.display")
    calls = []

    class Handle:
        def update(self, obj):
            calls.append(("update", obj))

    def fake_display(obj, display_id=False):
        calls.append(("display", obj, display_id))
        return Handle()

    monkeypatch.setattr(display_module, "display", fake_display)
    plot = LivePlot(mode="notebook", budget=1.0)
    _fit(data, plot, epochs=3)
    assert calls[0][0] == "display" and calls[0][2] is True
    assert [c[0] for c in calls[1:]] == ["update"] * (plot.redraws - 1)
    assert calls[-1][1].data[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_arguments_say_what_is_accepted():
    with pytest.raises(ValueError, match="metrics must be one or more of"):
        LivePlot(metrics=("loss", "val"))
    with pytest.raises(ValueError, match="every must be an integer >= 1"):
        LivePlot(every=0)
    with pytest.raises(ValueError, match="budget must be"):
        LivePlot(budget=0)
    with pytest.raises(ValueError, match="mode must be one of"):
        LivePlot(mode="qt")


def test_a_network_with_a_liveplot_pickles(data):
    pytest.importorskip("matplotlib")
    rn = _fit(data, LivePlot(sink=_drop), epochs=1)
    back = pickle.loads(pickle.dumps(rn))
    assert back.callbacks[0]._figure is None and np.array_equal(back.w1h, rn.w1h)

"""rnnfast.plots: each picture draws exactly the diagnostics' numbers, with its labels and
legend; the results' text and HTML; matplotlib (Agg) only when drawing."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from rnnfast import RecurrentNetwork, diagnostics, plots  # noqa: E402
from rnnfast.plots import _data  # noqa: E402
from rnnfast.plots._figure import legend_labels  # noqa: E402


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 30, size=(96, 20))
    y = (x[:, -3:].sum(axis=1) > 45).astype(float)
    rn = RecurrentNetwork(8, 16, 0.05, bptt_steps=5, seed=0)
    rn.fit(x[:64], y[:64], epochs=3, x_val=x[64:], y_val=y[64:], n_features=30)
    return rn, x[:32], y[:32]


def test_import_rnnfast_imports_neither_matplotlib_nor_ipython():
    code = (
        "import sys, rnnfast, rnnfast.diagnostics, rnnfast.plots, rnnfast.callbacks; "
        "print(sorted(m for m in ('matplotlib', 'IPython', 'ipykernel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rule_agreement_plot_draws_the_cosines(fitted):
    rn, x, y = fitted
    result = diagnostics.rule_agreement(rn, x, y)
    d = result.plot()
    heights = [b.get_height() for b in d.artists_["bars"]]
    assert np.allclose(heights, [result.cosine[p] for p in result.cosine])
    assert [t.get_text() for t in d.ax_.get_xticklabels()] == list(result.cosine)
    assert f"{result.asymmetry:.3f}" in d.ax_.get_title()
    assert sorted(legend_labels(d.ax_)) == ["1 (same direction)", "cos(exact, textbook)"]
    assert d.ax_.get_ylabel() == "cosine"
    assert d._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def test_gradient_check_plot_draws_the_relative_errors_per_rule(fitted):
    rn, x, y = fitted
    exact = diagnostics.gradient_check(rn, x, y, bptt_steps="full")
    book = diagnostics.gradient_check(rn, x, y, backprop="textbook", bptt_steps="full")
    d = plots.gradient_check(exact, book)
    assert sorted(legend_labels(d.ax_)) == ["1e-6", "exact, full", "textbook, full"]
    for check in (exact, book):
        bars = d.artists_[f"{check.backprop}, full"]
        drawn = [b.get_height() for b in bars]
        want = [max(r.rel_error, 1e-17) for r in check.rows.values()]
        assert np.allclose(drawn, want)
    assert d.ax_.get_yscale() == "log" and "relative error" in d.ax_.get_ylabel()
    one = exact.plot()  # a result plots itself
    assert np.allclose(one.data["rel_error"][0], [r.rel_error for r in exact.rows.values()])


def test_jacobian_factors_plot_draws_factor_bound_and_singular_values(fitted):
    rn, x, _ = fitted
    f = diagnostics.jacobian_factors(rn, x)
    d = f.plot()
    assert len(d.axes_) == 2
    steps, measured = d.artists_["measured"].get_data()
    assert np.array_equal(steps, np.arange(1, x.shape[1]))
    assert np.array_equal(measured, f.batch_factors, equal_nan=True)
    assert np.array_equal(d.artists_["bound"].get_ydata(), f.batch_bounds)
    assert legend_labels(d.axes_[0]) == ["measured (batch)", "bound", "1"]
    assert np.allclose([b.get_height() for b in d.artists_["singular_values"]], f.singular_values)
    assert d.axes_[0].get_yscale() == "log"
    review = f.plot(review=3)
    assert np.array_equal(review.artists_["measured"].get_ydata(), f.factors[3], equal_nan=True)


def test_jacobian_factors_on_one_given_axes_draws_the_factors_only(fitted):
    rn, x, _ = fitted
    fig, axes = plots._figure.new_figure(ncols=1)
    d = diagnostics.jacobian_factors(rn, x).plot(ax=axes[0])
    assert d.ax_ is axes[0] and "singular_values" not in d.data
    assert d._repr_png_() is None  # the caller's figure: the caller shows it
    with pytest.raises(TypeError, match="sequence of 2 Axes"):
        diagnostics.jacobian_factors(rn, x).plot(ax=[axes[0]] * 3)


def test_saliency_html_and_figure_show_the_truncation_wall(fitted):
    rn, x, _ = fitted
    words = [f"w{i}" for i in x[0]]
    s = plots.saliency(rn, x[0], words)
    want = diagnostics.saliency(rn, x[:1])[0]
    assert np.array_equal(s.values, want) and s.window == 5
    assert s.dead.sum() == x.shape[1] - 5 and np.all(want[s.dead] == 0)
    html = s._repr_html_()
    assert html.count("color:#9a9a9a") == s.dead.sum()  # every dead word greyed
    assert html.count("background:#") - html.count("background:#ececec") == 5  # live: coloured
    d = s.plot()
    assert np.array_equal(d.data["saliency"], want)
    assert "no gradient" in legend_labels(d.ax_)[1]
    assert "k=5" in repr(s).replace(" ", "")


def test_saliency_words_collapses_padding_as_the_app():
    items = _data.saliency_words(
        [0, 0, 0, 0.1, 1.0], ["<pad>"] * 2 + ["a", "b", "c"], 3, [0, 0, 5, 6, 7]
    )
    assert items[0] == ("<pad> x2", None, True)
    assert items[1][0] == "a" and items[1][2] is False and items[1][1] is None  # live, zero
    assert items[-1][1] == _data.word_colour(1.0, 1.0, _data.decades_of(np.array([0.1, 1.0])))


def test_history_plot_is_the_sources_plot(fitted):
    rn, _, _ = fitted
    d = plots.history(rn)
    x, loss = d.artists_["loss"].get_data()
    assert np.array_equal(x, [1, 2, 3]) and np.array_equal(loss, rn.losses)
    assert np.array_equal(d.artists_["val_loss"].get_ydata(), rn.val_losses)
    assert np.array_equal(d.artists_["accuracy"].get_ydata(), rn.accuracies)
    assert np.array_equal(d.artists_["val_accuracy"].get_ydata(), rn.val_accuracies)
    assert legend_labels(d.axes_[0]) == ["training", "validation"]
    assert legend_labels(d.axes_[1]) == ["training", "validation", "chance (0.5)"]
    assert [a.get_xlabel() for a in d.axes_] == ["epoch", "epoch"]
    with pytest.raises(ValueError, match="no history yet"):
        plots.history(RecurrentNetwork())
    with pytest.raises(ValueError, match="metrics must be"):
        plots.history(rn, metrics=("los",))


def test_grad_norms_lines_and_heatmap_draw_rn_grad_norms(fitted):
    rn, _, _ = fitted
    g = np.array(rn.grad_norms)
    lines = plots.grad_norms(rn)
    for e in range(len(g)):
        assert np.array_equal(lines.artists_[f"epoch {e + 1}"].get_ydata(), g[e])
    assert legend_labels(lines.ax_) == ["epoch 1", "epoch 2", "epoch 3"]
    assert lines.ax_.get_yscale() == "log"
    heat = plots.grad_norms(rn, kind="heatmap")
    assert np.allclose(heat.artists_["image"].get_array(), np.log10(g))
    assert tuple(heat.artists_["image"].get_clim()) == tuple(heat.data["levels"])
    assert heat.figure_.axes[-1].get_ylabel() == "log10 ||dL/dz1||"  # the colour bar
    with pytest.raises(ValueError, match="kind must be"):
        plots.grad_norms(rn, kind="bars")


def test_hidden_states_plot_draws_the_reviews_states_with_its_words(fitted):
    rn, x, y = fitted
    words = [f"w{i}" for i in x[5]]
    d = plots.hidden_states(rn, x[5], words, label=y[5])
    assert np.array_equal(d.artists_["image"].get_array(), rn.hidden_states(x[5:6])[0])
    assert float(d.data["proba"]) == pytest.approx(float(rn.predict_proba(x[5:6])[0, 1]))  # P(1)
    ticks = [t.get_text() for t in d.ax_.get_yticklabels()]
    assert ticks[0] == f"{words[0]}  0" and ticks[1] == words[1]
    assert "P(positive)" in d.ax_.get_title() and d.ax_.get_xlabel() == "cell"
    with pytest.raises(ValueError, match="words has 3 entries"):
        plots.hidden_states(rn, x[5], ["a", "b", "c"])
    with pytest.raises(ValueError, match="one review"):
        plots.hidden_states(rn, x[:2])


def test_results_print_as_tables_not_arrays(fitted):
    rn, x, y = fitted
    f = diagnostics.jacobian_factors(rn, x)
    text, short = str(f), repr(f)
    assert "steps back" in text and "[" not in text and "array" not in short
    assert short.startswith("JacobianFactors(m=32, T=20") and "\n" not in short
    for result in (f, diagnostics.rule_agreement(rn, x, y), diagnostics.gradient_check(rn, x, y)):
        html = result._repr_html_()
        assert html.startswith("<table") and "<caption" in html
        assert "\n" not in repr(result) and len(repr(result)) < 300
    assert "max_rel_error=" in repr(diagnostics.gradient_check(rn, x, y))


def test_network_text_and_html(fitted):
    rn, _, _ = fitted
    text = plots.network_text(rn)
    assert "8 cells" in text and "bptt_steps 5" in text
    assert "w1h 8x8" in text and f"{sum(w.size for w in rn.get_weights().values()):,}" in text
    assert f"loss {rn.losses[-1]:.4f}" in text and "after 3 epochs" in text
    html = plots.network_html(rn)
    assert "<table" in html and "w1x" in html and f"{rn.val_accuracies[-1]:.4f}" in html
    fresh = RecurrentNetwork(4)
    assert plots.network_text(fresh).endswith("(not fitted)")
    assert "not fitted" in plots.network_html(fresh)


def test_log_heatmap_levels_as_the_app_had_them():
    img = np.array([[1e-3, 1e-2], [0.0, 1e-1]])
    logimg, (lo, hi) = _data.log_heatmap(img)
    assert lo <= -3 and hi >= -1 and logimg[1, 0] == lo  # not visited: the lowest colour
    assert _data.log_heatmap(np.zeros((2, 2)))[1] is None
    assert _data.bin_rows(np.arange(10.0).reshape(5, 2), 2).shape == (2, 2)


def test_factor_summary_is_the_vanishing_views():
    s = _data.factor_summary([0.5, np.nan, 0.5, 2.0], [1.0, 1.0, 1.0, 1.0], window=3)
    assert s == {"median": 0.5, "exceeded": 1, "product": 0.25}


def test_the_network_prints_and_shows_itself_readably():
    from rnnfast.plots._html import network_html, network_text

    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 20, (64, 10), dtype=np.int32), rng.integers(0, 2, 64)
    net = RecurrentNetwork(6, 16, 0.1, seed=0)
    assert str(net) == network_text(net) and "(not fitted)" in str(net)
    assert repr(net).startswith("RecurrentNetwork(n_cells=6")  # scikit-learn's form stays
    net.fit(x, y, epochs=2, n_features=20, validation_data=(x, y))
    assert str(net) == network_text(net) and "6 cells" in str(net)
    assert net._repr_html_() == network_html(net) and "<table" in net._repr_html_()

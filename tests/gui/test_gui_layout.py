"""Plots that read on a projector: at 1024 x 700 and at 3840 x 2160 no title is cut, no tick
label runs into another, axis labels fit their axis, legends sit outside the data; figures
export at a chosen size and DPI, and as SVG."""

import numpy as np
import pytest
from gui_helpers import make_history
from PyQt5.QtGui import QImage, QPainter

SIZES = [(1024, 700), (3840, 2160)]


def _populate(win):
    win.runs.keep(make_history(bptt_steps=10, backprop="exact", seed=1))
    win.runs.keep(make_history(bptt_steps=None, backprop="textbook", seed=2))
    h = make_history(epochs=30, per_epoch=40, k=100, bptt_steps=None, backprop="exact", seed=3)
    win.controller._set_history(h)
    states = np.tanh(np.random.default_rng(0).standard_normal((100, 32)))
    words = [f"word{i}" for i in range(100)]
    win.hidden_plot.set_review(12, states, words, proba=0.7, label=1)
    win.refresh_plots()


def _axes(plot):
    axes = [plot.plot_item.getAxis("left"), plot.plot_item.getAxis("bottom")]
    if hasattr(plot, "cbar"):
        axes.append(plot.cbar.axis)
    return axes


def _tick_rects(axis):
    img = QImage(8, 8, QImage.Format_ARGB32)
    p = QPainter(img)
    if axis.style["tickFont"] is not None:
        p.setFont(axis.style["tickFont"])
    specs = axis.generateDrawSpecs(p)
    p.end()
    return [] if specs is None else [(r, text) for r, _, text in specs[2]]


def check_layout(win):
    """Every plot whole at the window's size; returns what was measured (for the message)."""
    problems = []
    for name, plot in win.plots.items():
        t = plot.title_label
        if t.heightForWidth(t.width()) > t.height() + 1:
            problems.append(
                f"{name}: title cut ({t.text()!r} needs {t.heightForWidth(t.width())} px, has "
                f"{t.height()})"
            )
        lg = plot.legend
        if lg.isVisible():
            if lg.geometry().intersects(plot.view.geometry()):
                problems.append(f"{name}: the legend overlaps the plot")
            if lg.heightForWidth(lg.width()) > lg.height() + 1:
                problems.append(f"{name}: legend cut")
            for e in lg.entries.values():
                if not lg.rect().contains(e.geometry()):
                    problems.append(f"{name}: legend entry {e.text!r} outside its row")
        vb = plot.plot_item.getViewBox().sceneBoundingRect()
        if vb.width() < 60 or vb.height() < 40:
            problems.append(f"{name}: {vb.width():.0f} x {vb.height():.0f} px left for the data")
        for ax in _axes(plot):
            length = (
                ax.size().height() if ax.orientation in ("left", "right") else ax.size().width()
            )
            if ax.labelText and ax.label.boundingRect().width() > length:
                problems.append(
                    f"{name}: {ax.orientation} axis label {ax.labelText!r} longer than its axis"
                )
            rects = _tick_rects(ax)
            for i, (a, ta) in enumerate(rects):
                for b, tb in rects[i + 1 :]:
                    if a.intersects(b):
                        problems.append(f"{name}: {ax.orientation} ticks {ta!r} and {tb!r} collide")
            words = name == "hidden_states" and ax.orientation == "left"
            if len(rects) < 2 and not words:
                problems.append(f"{name}: {ax.orientation} axis has {len(rects)} tick labels")
    return problems


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_layout_holds_from_a_projector_to_4k(window, qtbot, size, lang):
    win = window
    win.set_language(lang)
    _populate(win)
    win.resize(*size)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == size, timeout=3_000)
    qtbot.wait(100)
    win.refresh_plots()
    qtbot.wait(50)
    assert (win.width(), win.height()) == size  # nothing forces the window larger
    assert win.side.width() >= win.side.minimumSizeHint().width()  # the forms are not cut
    problems = check_layout(win)
    assert not problems, "\n".join(problems)
    pts = [p.font_pt for p in win.plots.values()]
    if size[0] > 3000:
        assert min(pts) >= 14  # the text grows with the plots
    assert win.grid.columns == (2 if size[0] < 1200 else 3)
    win.set_language("en")


def test_figures_at_a_chosen_size_and_dpi(window, qtbot, tmp_path):
    win = window
    _populate(win)
    for name in win.plots:
        path = win.export_figure(
            name, str(tmp_path / f"{name}.png"), width=1600, height=1000, dpi=192
        )
        img = QImage(path)
        assert (img.width(), img.height()) == (1600, 1000), name
        assert abs(img.dotsPerMeterX() * 0.0254 - 192) < 1
        colors = {img.pixel(x, y) for x in range(0, 1600, 13) for y in range(0, 1000, 13)}
        assert len(colors) > 20, name  # drawn, not blank
    svg = win.export_figure(
        "loss", str(tmp_path / "loss.svg"), width=1200, height=800, dpi=96, fmt="svg"
    )
    text = open(svg, encoding="utf-8").read()
    assert (
        text.lstrip().startswith("<?xml")
        and "<svg" in text
        and "Loss (binary cross-entropy)" in text
    )
    assert "bptt 10, exact" in text  # the legend, with the kept runs' labels
    assert not win.errors


def test_figure_refuses_an_absurd_size(window, tmp_path):
    assert (
        window.export_figure("loss", str(tmp_path / "x.png"), width=10, height=10, dpi=96) is None
    )
    assert window.errors[-1][0] == "Export failed"


def test_legends_are_outside_the_data_at_the_default_size(window, qtbot):
    win = window
    _populate(win)
    qtbot.wait(50)
    for name in ("loss", "accuracy", "grad_norms"):
        p = win.plots[name]
        assert p.legend.isVisible() and not p.legend.geometry().intersects(p.view.geometry())
        texts = [t for _, t in p.legend.items]  # the line styles; the runs are named once
        assert not any("bptt" in t for t in texts)
    runs = [t for _, t in win.grid.runs_legend.items]
    assert win.grid.runs_legend.isVisible() and len(runs) == 3
    assert runs[1].startswith("bptt 10, exact") and runs[2].startswith("full BPTT, textbook")
    assert "chance (0.5)" in [t for _, t in win.acc_plot.legend.items]
    assert "batches (raw)" in [t for _, t in win.loss_plot.legend.items]

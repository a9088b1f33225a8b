"""The Sweep view's two plots, as the app's plots (:class:`gui.plots.base.PlotPanel`: title,
legend row under the plot, text that grows with the panel):

* :class:`CellPlot`: the final validation accuracy of every cell, the mean over the seeds and
  its spread (the standard deviation): a heatmap when two settings vary, bars (with each
  seed's dot and a ± one standard deviation bar) when one does; a click selects a cell;
* :class:`CurvesPlot`: the per-epoch validation accuracy of the selected cell, its mean over
  the seeds with a band of ± one standard deviation, each seed thin, and the training
  accuracy's mean dashed.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QRectF, Qt, pyqtSignal
from PyQt5.QtWidgets import QGraphicsRectItem

from ..panels.model import TEXTS
from ..plots.base import PlotPanel, _AxesMixin
from ..plots.kit import BLUE, DASHED, GREY, ORANGE, RED, SOLID, make_pen
from ..text.i18n import translate
from .results import FINAL


def setting_label(name: str) -> str:
    return translate("ModelPanel", TEXTS[name][0]) if name in TEXTS else name


def cell_text(mean: float, std: float, n: int) -> str:
    if n == 0:
        return "…"
    text = f"{mean:.3f}"
    if math.isfinite(std):
        text += f"\n± {std:.3f}"
    return text + f"\nn = {n}"


#: the heatmap's colours span at least this much accuracy: 0.533 and 0.537 are one colour
MIN_SPAN = 0.05


def colour_range(mean, std) -> tuple[float, float]:
    """The accuracies at the ends of the heatmap's colour scale: the cells' means padded by
    their standard deviation over the seeds (0 where one seed), at least MIN_SPAN wide around
    their middle, within 0 .. 1 -- so that colours differ only as much as the runs do."""
    mean, std = np.asarray(mean, dtype=float), np.asarray(std, dtype=float)
    ok = np.isfinite(mean)
    if not ok.any():
        return 0.5, 0.5 + MIN_SPAN
    spread = np.where(np.isfinite(std), std, 0.0)[ok]
    lo, hi = float((mean[ok] - spread).min()), float((mean[ok] + spread).max())
    if hi - lo < MIN_SPAN:
        mid = (lo + hi) / 2
        lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    if lo < 0:
        lo, hi = 0.0, hi - lo
    if hi > 1:
        lo, hi = max(0.0, lo - (hi - 1)), 1.0
    return lo, hi


class _SweepPlot(_AxesMixin, PlotPanel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.PlotWidget()
        self._init_axes(self.view.getPlotItem())
        self.set_body(self.view)
        self.help_button.hide()
        self.results = None
        self.selected = None

    def apply_font_size(self, pt):
        super().apply_font_size(pt)
        self._apply_axes_font(pt)


class CellPlot(_SweepPlot):
    """See the module's docstring; ``cell_selected`` carries the cell clicked."""

    key = "sweep_cells"
    cell_selected = pyqtSignal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cmap = pg.colormap.get("viridis")
        self.image = None
        self.bars = None
        self.texts = []  # the cells' TextItems, in the cells' order
        self.shown = None  # (mean, std, n) arrays drawn
        self.cbar = None  # the heatmap's colour bar (made with the first heatmap)
        self.levels = None  # the accuracies of the colour scale's ends
        self.view.scene().sigMouseClicked.connect(self._clicked)
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_title(
            translate("Sweep", "Final validation accuracy: mean and spread over the seeds")
        )
        if self.results is not None:
            self.draw(self.results, self.selected)

    def has_data(self) -> bool:
        return self.shown is not None and bool(np.any(self.shown[2] > 0))

    def _show_cbar(self, lo, hi):
        """The colour bar: the accuracy each colour stands for (inserted once, beside the
        heatmap; the bars have none)."""
        if self.cbar is None:
            self.cbar = pg.ColorBarItem(
                values=(lo, hi), colorMap=self.cmap, width=12, interactive=False, pen="k"
            )
            self.cbar.setImageItem(self.image, insert_in=self.plot_item)
        else:
            self.cbar.setImageItem(self.image)
        self.cbar.axis.setLabel(translate("Sweep", "validation accuracy"))  # the language shown
        self.cbar.setLevels((lo, hi))
        self.cbar.show()

    def draw(self, results, selected):
        self.results, self.selected = results, selected
        mean, std, n = results.table()
        self.shown = (mean, std, n)
        pi = self.plot_item
        pi.clear()
        self.texts, self.image, self.bars = [], None, None
        names = results.settings
        ticks0 = [(i, results.value_text(names[0], i)) for i in range(mean.shape[0])]
        if len(names) == 2:
            self._heatmap(mean, std, n, results, selected)
            pi.getAxis("bottom").setTicks([[(i + 0.5, t) for i, t in ticks0]])
            ticks1 = [(j + 0.5, results.value_text(names[1], j)) for j in range(mean.shape[1])]
            pi.getAxis("left").setTicks([ticks1])
            self.set_axis_label("bottom", setting_label(names[0]))
            self.set_axis_label("left", setting_label(names[1]))
            pi.setRange(xRange=(0, mean.shape[0]), yRange=(0, mean.shape[1]), padding=0.02)
        else:
            if self.cbar is not None:
                self.cbar.hide()
            self._bars(mean, std, n, results, selected)
            pi.getAxis("bottom").setTicks([ticks0])
            pi.getAxis("left").setTicks(None)
            self.set_axis_label("bottom", setting_label(names[0]))
            self.set_axis_label("left", translate("Sweep", "validation accuracy"))
        pi.getViewBox().setMouseEnabled(x=False, y=False)

    def _heatmap(self, mean, std, n, results, selected):
        lo, hi = colour_range(mean, std)
        self.levels = (lo, hi)
        finite = mean[np.isfinite(mean)]
        if finite.size:  # no image before the first run (an all-NaN image warns)
            self.image = pg.ImageItem(mean.T)
            self.image.setColorMap(self.cmap)
            self.image.setLevels((lo, hi))
            self.image.setRect(QRectF(0, 0, mean.shape[0], mean.shape[1]))
            self.plot_item.addItem(self.image)
            self._show_cbar(lo, hi)
        self.legend.set_entries(
            [
                (
                    "range",
                    translate(
                        "Sweep",
                        "colours from {0} to {1}: the means ± one standard deviation over the "
                        "seeds, at least {2} wide (a smaller difference stays one colour)",
                    ).format(f"{lo:.3f}", f"{hi:.3f}", f"{MIN_SPAN:g}"),
                    GREY,
                    1,
                    SOLID,
                    None,
                )
            ]
        )
        for cell in results.cells:
            i, j = cell
            dark = math.isfinite(mean[cell]) and (mean[cell] - lo) / (hi - lo) < 0.6
            t = pg.TextItem(cell_text(mean[cell], std[cell], n[cell]), anchor=(0.5, 0.5))
            t.setColor("w" if dark else "k")
            t.setPos(i + 0.5, j + 0.5)
            self.plot_item.addItem(t)
            self.texts.append(t)
        if selected is not None:
            box = QGraphicsRectItem(QRectF(selected[0], selected[1], 1, 1))
            pen = make_pen(RED, 3)
            pen.setCosmetic(True)
            box.setPen(pen)
            self.plot_item.addItem(box)

    def _bars(self, mean, std, n, results, selected):
        x = np.arange(mean.shape[0], dtype=float)
        heights = np.where(np.isfinite(mean), mean, 0.0)
        brushes = [pg.mkBrush(*(ORANGE if selected == (i,) else BLUE), 170) for i in range(len(x))]
        self.bars = pg.BarGraphItem(x=x, height=heights, width=0.6, brushes=brushes, pen=None)
        self.plot_item.addItem(self.bars)
        spread = np.where(np.isfinite(std), std, 0.0)
        self.plot_item.addItem(
            pg.ErrorBarItem(
                x=x, y=heights, top=spread, bottom=spread, beam=0.2, pen=make_pen((0, 0, 0), 1.5)
            )
        )
        xs, ys = [], []
        for cell in results.cells:
            for v in results.finals(cell):
                xs.append(cell[0] + 0.18)
                ys.append(v)
        self.plot_item.addItem(
            pg.ScatterPlotItem(xs, ys, size=6, brush=pg.mkBrush(*GREY, 220), pen=None)
        )
        for cell in results.cells:
            t = pg.TextItem(
                cell_text(mean[cell], std[cell], n[cell]).replace("\n", " "), anchor=(0.5, 1.0)
            )
            t.setColor("k")
            t.setPos(cell[0], heights[cell[0]] + spread[cell[0]])
            self.plot_item.addItem(t)
            self.texts.append(t)
        top = np.nanmax(np.r_[heights + spread, ys, 0.5]) if len(x) else 1.0
        low = np.nanmin(np.r_[ys, heights[np.isfinite(mean)], 0.5]) if len(x) else 0.0
        self.plot_item.setRange(
            xRange=(-0.6, len(x) - 0.4),
            yRange=(max(0.0, low - 0.05), min(1.0, top + 0.05)),
            padding=0,
        )
        self.legend.set_entries(
            [
                ("mean", translate("Sweep", "mean over the seeds"), BLUE, 8, SOLID, None),
                (
                    "spread",
                    translate("Sweep", "± one standard deviation"),
                    (0, 0, 0),
                    1.5,
                    SOLID,
                    None,
                ),
                ("seed", translate("Sweep", "one seed"), GREY, 0, Qt.NoPen, "o"),
            ]
        )

    def bar_heights(self):
        """The bars' heights as drawn (NaN: no bar, no run of that value has finished)."""
        if self.bars is None:
            return None
        heights = np.asarray(self.bars.opts["height"], float)
        return np.where(self.shown[2] > 0, heights, np.nan)

    def _clicked(self, event):
        if self.results is None:
            return
        p = self.plot_item.getViewBox().mapSceneToView(event.scenePos())
        shape = self.results.shape()
        if len(shape) == 2:
            cell = (int(math.floor(p.x())), int(math.floor(p.y())))
        else:
            cell = (int(round(p.x())),)
        if all(0 <= c < s for c, s in zip(cell, shape)):
            self.cell_selected.emit(cell)

    def export_csv(self, path):  # pragma: no cover - the view exports the frame
        raise NotImplementedError


class CurvesPlot(_SweepPlot):
    """See the module's docstring."""

    key = "sweep_curves"

    def __init__(self, parent=None):
        super().__init__(parent)
        pi = self.plot_item
        pi.showGrid(x=True, y=True, alpha=0.25)
        self.seed_curves = []
        clear = pg.mkPen((0, 0, 0, 0))  # a pen (not None: pyqtgraph skips the path of a curve
        self.low = pi.plot([], [], pen=clear)  # without one, and the band would have no edges)
        self.high = pi.plot([], [], pen=clear)
        self.band = pg.FillBetweenItem(self.low, self.high, brush=pg.mkBrush(*BLUE, 60))
        pi.addItem(self.band)
        self.mean = pi.plot(
            [],
            [],
            pen=make_pen(BLUE, 2.5),
            symbol="o",
            symbolSize=5,
            symbolBrush=BLUE,
            symbolPen=None,
        )
        self.train = pi.plot([], [], pen=make_pen(ORANGE, 2, DASHED))
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.set_axis_label("bottom", translate("Plots", "epoch"))
        self.set_axis_label("left", translate("Plots", "accuracy"))
        self._title()
        self.legend.set_entries(
            [
                (
                    "mean",
                    translate("Sweep", "validation, mean over the seeds"),
                    BLUE,
                    2.5,
                    SOLID,
                    "o",
                ),
                ("band", translate("Sweep", "± one standard deviation"), BLUE, 8, SOLID, None),
                ("seed", translate("Sweep", "one seed (validation)"), GREY, 1, SOLID, None),
                (
                    "train",
                    translate("Sweep", "training, mean over the seeds"),
                    ORANGE,
                    2,
                    DASHED,
                    None,
                ),
            ]
        )

    def _title(self):
        if self.results is None or self.selected is None:
            self.set_title(translate("Sweep", "Accuracy per epoch of the selected cell"))
        else:
            self.set_title(
                translate("Sweep", "Accuracy per epoch: {0}").format(
                    self.results.cell_text(self.selected)
                )
            )

    def has_data(self) -> bool:
        x, _ = self.mean.getData()
        return x is not None and len(x) > 0

    def draw(self, results, selected):
        self.results, self.selected = results, selected
        self._title()
        if selected is None:
            for c in (self.mean, self.low, self.high, self.train):
                c.setData([], [])
            return
        x, mean, std, n = results.band(selected, FINAL)
        spread = np.where(np.isfinite(std), std, 0.0)
        self.mean.setData(x, mean)
        self.low.setData(x, mean - spread)
        self.high.setData(x, mean + spread)
        tx, tmean, _, _ = results.band(selected, "accuracy")
        self.train.setData(tx, tmean)
        seeds = results.seed_curves(selected, FINAL)
        while len(self.seed_curves) < len(seeds):
            c = self.plot_item.plot([], [], pen=make_pen(GREY, 1))
            c.setZValue(-5)
            self.seed_curves.append(c)
        for c, y in zip(self.seed_curves, list(seeds.values()) + [None] * len(self.seed_curves)):
            if y is None:
                c.setData([], [])
            else:
                c.setData(np.arange(1, len(y) + 1, dtype=float), y)
        y = np.concatenate([mean - spread, mean + spread, tmean, *seeds.values()])
        y = y[np.isfinite(y)]
        epochs = max(len(x), len(tx))  # whole epochs on the axis: 1, 2, 3 (not 1.5)
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if epochs / s <= 10)
        self.plot_item.getAxis("bottom").setTickSpacing(levels=[(step, 0)])
        if len(x) and len(y):
            pad = max(0.01, 0.08 * (y.max() - y.min()))
            self.plot_item.setRange(
                xRange=(0.8, max(len(x), len(tx)) + 0.2),
                yRange=(y.min() - pad, y.max() + pad),
                padding=0,
            )

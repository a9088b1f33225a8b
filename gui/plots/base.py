"""The plot widgets' base classes: a panel with a title, a "?" button that explains the plot,
the plot itself and its legend under it (never over the data), fonts that grow with the
panel (a projector, a 4K screen), PNG of what is on screen and figures at a chosen size
(:mod:`gui.plots.export`).

A new plot subclasses :class:`CurvePlot` (implements ``_refresh``, ``_legend_styles``,
``has_data``, ``export_csv``, ``retranslate``) or :class:`ImagePlot`, and gets a place in
:class:`gui.plots.grid.PlotGrid`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import QFont
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ..text.i18n import language, translate
from .kit import (
    CURRENT_COLOR,
    MAX_CURVE_POINTS,
    MAX_SYMBOLS,
    SOLID,
    RangeFollower,
    TidyAxis,
    finite_or_nan,
    tidy_axes,
)
from .legend import LegendRow

MIN_PT, MAX_PT = 8.0, 20.0


def font_size_for(width: int, height: int) -> float:
    """The text size (points) of a plot panel of this size: 8 pt on a laptop's quarter of a
    window, up to 20 pt on a 4K screen; in half points (no relayout for a pixel)."""
    pt = min(width / 50.0, height / 32.0)
    return float(np.clip(round(2 * pt) / 2, MIN_PT, MAX_PT))


class PlotPanel(QWidget):
    """Title and "?" above, the plot (``set_body``), the legend row below."""

    help_requested = pyqtSignal(str)  # the plot's key (gui.plots.grid.PLOT_ORDER)
    key = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title_label = QLabel()
        self.title_label.setObjectName("plot-title")
        self.title_label.setAlignment(Qt.AlignCenter)
        self.title_label.setWordWrap(True)
        self.title_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.help_button = QToolButton()
        self.help_button.setText("?")
        self.help_button.setAutoRaise(True)
        self.help_button.clicked.connect(lambda: self.help_requested.emit(self.key))
        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 2, 0)
        header.addSpacing(self.help_button.sizeHint().width())
        header.addWidget(self.title_label, 1)
        header.addWidget(self.help_button)
        self.legend = LegendRow()
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(1)
        self._lay.addLayout(header)
        self._lay.addWidget(self.legend)
        self.setStyleSheet("PlotPanel, QLabel, LegendRow { background: white; color: black; }")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setMinimumSize(200, 120)  # five plots and the runs legend fit 1024 x 700
        self.font_pt = None

    def set_body(self, widget):
        self._lay.insertWidget(1, widget, 1)

    @property
    def title(self) -> str:
        return self.title_label.text()

    def set_title(self, text: str):
        self.title_label.setText(text)

    def retranslate(self):
        """Titles, axis labels, legend and tooltips in the language now in use."""
        self.help_button.setToolTip(translate("Plots", "What does this plot show?"))

    # -- text that grows with the panel ------------------------------------------------------
    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        pt = font_size_for(self.width(), self.height())
        if pt != self.font_pt:
            self.font_pt = pt
            self.apply_font_size(pt)

    def apply_font_size(self, pt: float):
        f = QFont(self.title_label.font())
        f.setPointSizeF(pt + 1)
        f.setBold(True)
        self.title_label.setFont(f)
        self.help_button.setFont(f)
        self.legend.set_font_size(pt)

    # -- export ------------------------------------------------------------------------------
    def export_png(self, path: str) -> bool:
        """Saves what is on screen (the widget grabbed into an image)."""
        return bool(self.grab().save(str(path), "PNG"))

    def export_figure(
        self, path: str, width: int, height: int, dpi: float = 96.0, fmt: str | None = None
    ):
        """The plot with its title and legend as a ``width`` x ``height`` px PNG at ``dpi`` (the
        text as large as on a ``width * 96 / dpi`` px wide screen), or an SVG (``fmt`` "svg",
        or a path ending in .svg)."""
        from .export import render_figure

        return render_figure(self, path, width, height, dpi, fmt)

    def export_copy(self) -> "PlotPanel":
        """A new panel of the same kind showing the same data (for a figure)."""
        raise NotImplementedError

    def export_csv(self, path: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def has_data(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


def _axis_font(pt):
    f = QFont()
    f.setPointSizeF(pt)
    return f


class _AxesMixin:
    """Axis labels that keep their text when the font size changes."""

    def _init_axes(self, plot_item):
        self.plot_item = plot_item
        tidy_axes(plot_item)
        self._axis_text = {}

    def set_axis_label(self, side: str, text: str):
        self._axis_text[side] = text
        self._apply_axis(side)

    def _apply_axis(self, side):
        pt = self.font_pt or 9.0
        self.plot_item.getAxis(side).setLabel(
            self._axis_text.get(side, ""), **{"font-size": f"{pt:g}pt"}
        )

    def _apply_axes_font(self, pt):
        for side in ("left", "bottom"):
            ax = self.plot_item.getAxis(side)
            ax.setStyle(tickFont=_axis_font(pt - 0.5))
            self._apply_axis(side)


class CurvePlot(_AxesMixin, PlotPanel):
    """Line plots of the current run and of the kept runs, each run in its own colour."""

    EMPTY_RANGE = ((0.0, 1.0), (0.0, 1.0))  # x, y shown without data (view coordinates)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.PlotWidget()
        self._init_axes(self.view.getPlotItem())
        self.set_body(self.view)
        self.plot_item.showGrid(x=True, y=True, alpha=0.25)
        self.plot_item.setClipToView(True)
        self._versions, self._counts, self._bounds, self._symbols = {}, {}, {}, {}
        self._last_key = ()
        self._log_y = False
        self._runs = ()
        self._run_curves = {}  # kept run uid -> {name: PlotDataItem}
        self.current_label = ""
        self.name_runs = False  # the runs' names in this plot's legend too (an exported figure)
        self.follower = RangeFollower(self.plot_item, x_from_zero=True)

    def apply_font_size(self, pt):
        super().apply_font_size(pt)
        self._apply_axes_font(pt)

    def addItem(self, item):  # noqa: N802
        self.plot_item.addItem(item)

    def setLogMode(self, x=False, y=False):  # noqa: N802
        self.plot_item.setLogMode(x=x, y=y)
        self._log_y = bool(y)

    def _curve(self, pen, symbol=None, color=None, size=5):
        kw = (
            dict(symbol=symbol, symbolSize=size, symbolBrush=color, symbolPen=None)
            if symbol
            else {}
        )
        c = self.plot_item.plot([], [], pen=pen, connect="finite", **kw)
        if symbol:
            self._symbols[c] = [symbol, True]
        return c

    # -- refreshing ---------------------------------------------------------------------------
    def refresh_key(self, hist, runs=()):
        return (
            None if hist is None else hist.version,
            tuple((r.uid, r.history.version, r.color, r.label) for r in runs),
            self.current_label,
            language(),
        )

    def is_stale(self, hist, runs=()) -> bool:
        return self.refresh_key(hist, runs) != self._last_key

    def refresh(self, hist, runs=()):
        """Redraw from the current run's history and the kept runs shown (gui.training.runs.Run)."""
        key = self.refresh_key(hist, runs)
        if key == self._last_key:
            return
        self._last_key = key
        self._runs = tuple(runs)
        self._drop_gone_runs()
        self._refresh(hist, self._runs)
        self._update_legend(hist)
        if self._bounds:
            b = np.array(list(self._bounds.values()))
            self.follower.update(b[:, 0].min(), b[:, 1].max(), b[:, 2].min(), b[:, 3].max())
        else:
            self.follower.show_empty(*self.EMPTY_RANGE)

    def retranslate(self):
        super().retranslate()
        self._last_key = ()  # the legend's texts are rebuilt at the next refresh

    def _refresh(self, hist, runs):  # pragma: no cover - overridden
        raise NotImplementedError

    def _legend_styles(self) -> list:  # pragma: no cover - overridden
        """(key, text, width, pen style, symbol, curve or curves) of each style the plot draws; a
        style is in the legend when one of its curves has data."""
        raise NotImplementedError

    def _update_legend(self, hist):
        grey = (90, 90, 90)
        specs = [
            (key, text, grey, width, style, symbol)
            for key, text, width, style, symbol, curves in self._legend_styles()
            if any(self._has(c) for c in (curves if isinstance(curves, list) else [curves]))
        ]
        if not self.name_runs:  # on screen the runs are named once (gui.plots.legend.RunsLegend)
            self.legend.set_entries(specs)
            return
        if (
            hist is not None and hist.has_data and self._runs
        ):  # colours name runs only when there are several
            specs.append(
                (
                    "run-current",
                    translate("Plots", "current run: {0}").format(self.current_label)
                    if self.current_label
                    else translate("Plots", "current run"),
                    CURRENT_COLOR,
                    2.5,
                    SOLID,
                    None,
                )
            )
        for r in self._runs:
            specs.append((f"run-{r.uid}", r.label, r.color, 2.5, SOLID, None))
        self.legend.set_entries(specs)

    # -- the kept runs' curves ------------------------------------------------------------------
    def run_curves(self, run, make) -> dict:
        """The curves of kept ``run`` (``make(color)`` builds them the first time)."""
        curves = self._run_curves.get(run.uid)
        if curves is None or curves.get("_color") != run.color:
            if curves is not None:
                self._remove_curves(curves)
            curves = dict(make(run.color), _color=run.color)
            self._run_curves[run.uid] = curves
        return curves

    def _drop_gone_runs(self):
        shown = {r.uid for r in self._runs}
        for uid in [u for u in self._run_curves if u not in shown]:
            self._remove_curves(self._run_curves.pop(uid))

    def _remove_curves(self, curves):
        for name, c in curves.items():
            if name != "_color":
                self.plot_item.removeItem(c)
                for d in (self._versions, self._counts, self._bounds, self._symbols):
                    d.pop(c, None)

    def kept_curves(self, name: str) -> list:
        """Curve ``name`` of every kept run shown, in the runs' order."""
        return [self._run_curves[r.uid][name] for r in self._runs if r.uid in self._run_curves]

    def has_compare(self) -> bool:
        return any(
            self._has(c)
            for r in self._runs
            for n, c in self._run_curves.get(r.uid, {}).items()
            if n != "_color"
        )

    def _set(self, curve, x, y, version=None):
        """setData, skipped when ``version`` says nothing changed; long curves decimated."""
        n = len(x)
        key = (version, n)
        if version is not None and self._versions.get(curve) == key:
            return
        self._versions[curve] = key
        self._counts[curve] = n
        if n == 0:
            self._bounds.pop(curve, None)
            curve.setData([], [])
            return
        x = np.asarray(x, dtype=np.float64)
        y = finite_or_nan(y)
        yv = np.log10(y[y > 0]) if self._log_y else y[np.isfinite(y)]
        if yv.size:
            self._bounds[curve] = (
                float(np.min(x)),
                float(np.max(x)),
                float(yv.min()),
                float(yv.max()),
            )
        else:
            self._bounds.pop(curve, None)
        if n > MAX_CURVE_POINTS:
            step = int(np.ceil(n / MAX_CURVE_POINTS))
            idx = np.r_[np.arange(0, n - 1, step), n - 1]  # keep the newest point
            x, y = x[idx], y[idx]
        curve.setData(x, y, connect="finite")
        sym = self._symbols.get(curve)
        if sym is not None and sym[1] != (
            n <= MAX_SYMBOLS
        ):  # markers only while there are few points
            sym[1] = n <= MAX_SYMBOLS
            curve.setSymbol(sym[0] if sym[1] else None)

    def _has(self, curve):
        return self._counts.get(curve, 0) > 0

    def export_copy(self):
        twin = type(self)()
        twin.current_label = self.current_label
        twin.name_runs = True  # a figure stands alone: its legend names the runs
        twin.retranslate()
        twin.refresh(getattr(self, "_hist", None), self._runs)
        return twin


class ImagePlot(_AxesMixin, PlotPanel):
    """A heatmap with a colour bar (no legend: the colour bar is its key)."""

    def __init__(self, cmap, levels, parent=None):
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self._init_axes(self.view.addPlot())
        self.set_body(self.view)
        self.image = pg.ImageItem()
        self.plot_item.addItem(self.image)
        self.cbar = pg.ColorBarItem(
            values=levels, colorMap=pg.colormap.get(cmap), width=12, interactive=False, pen="k"
        )
        self.cbar.setImageItem(self.image, insert_in=self.plot_item)
        self.legend.hide()
        self._last_key = ()

    def apply_font_size(self, pt):
        super().apply_font_size(pt)
        self._apply_axes_font(pt)
        self.cbar.axis.setStyle(tickFont=_axis_font(pt - 0.5))
        self.cbar.axis.setWidth(int(5.5 * pt))
        self._apply_cbar_label()

    def _apply_cbar_label(self):
        text = getattr(self, "_cbar_label", "")
        self.cbar.axis.setLabel(text, **{"font-size": f"{(self.font_pt or 9.0):g}pt"})

    def has_data(self):
        img = self.image.image
        return img is not None and img.size > 0

    def show_axis_values(self, on: bool, sides=("left", "bottom")):
        """Tick values on the axes, or none while there is nothing to measure (an empty plot
        showed cells -0.4 .. 0.4)."""
        for side in sides:
            ax = self.plot_item.getAxis(side)
            if ax.style.get("showValues", True) != on:
                ax.setStyle(showValues=on)


__all__ = ["CurvePlot", "ImagePlot", "PlotPanel", "TidyAxis", "font_size_for"]

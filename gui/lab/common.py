"""What the BPTT lab's views share: translation, the base widget (PNG and CSV export), plot
helpers and the colours of the source's parameters.

Every view is a :class:`LabView`: ``update_from(record)`` redraws it from a record of
:mod:`gui.lab.recorder` (a dict of NumPy arrays; the view never touches a network), and
``tables()`` gives the numbers on screen as CSV tables (``export_csv`` writes them).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QCoreApplication, Qt, pyqtSignal
from PyQt5.QtWidgets import QLabel, QSpinBox, QVBoxLayout, QWidget

from ..plots.kit import tidy_axes
from ..plots.legend import LegendRow

# The app's look (gui.plots.kit sets the same when it is imported): white, black text.
pg.setConfigOptions(background="w", foreground="k", antialias=False)

# Tableau colours, as the app's plots
BLUE, ORANGE, GREEN = (31, 119, 180), (255, 127, 14), (44, 160, 44)
RED, GREY, PURPLE = (214, 39, 40), (150, 150, 150), (148, 103, 189)

#: One colour per parameter, the same in every view (the source's names).
PARAM_COLORS = {"w1h": RED, "w1x": BLUE, "b1": GREEN, "w2": ORANGE, "b2": PURPLE, "embedding": GREY}


def translate(context, text):
    """``QCoreApplication.translate``: the lab's strings use the context ``"lab"`` (the
    app's translator gives them in Korean; scripts/translations.py finds
    ``translate("lab", ...)``)."""
    return QCoreApplication.translate(context, text)


def fmt(v, digits=4):
    """A number for a label: ``-`` for None or NaN, a short general format otherwise."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:.{digits}g}"


def positive(values):
    """Values for a log axis: NaN where not > 0 (a gap in the curve, not an error)."""
    v = np.asarray(values, dtype=np.float64)
    return np.where(v > 0, v, np.nan)


def set_values(curve, x, y):
    """``curve.setData(x, y)``, or no data when no y is finite (nothing to draw; pyqtgraph
    warns about an all-NaN scatter, e.g. a saliency all zero on a log axis)."""
    y = np.asarray(y, dtype=np.float64)
    if np.isfinite(y).any():
        curve.setData(x, y)
    else:
        curve.setData([], [])


def write_table(path, columns, rows):
    """A CSV file: a header of ``columns`` and one line per row (numbers or text)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(columns)
        for row in rows:
            out.writerow([_cell(v) for v in row])


def _cell(v):
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.10g}"
    if isinstance(v, (np.integer, np.bool_)):
        return int(v)
    return v


def table_from_columns(columns):
    """``{name: 1-D array}`` (equal lengths) -> ``(names, rows)``."""
    names = list(columns)
    arrays = [np.asarray(columns[n]).ravel() for n in names]
    n = len(arrays[0]) if arrays else 0
    return names, [[a[r] for a in arrays] for r in range(n)]


class LabView(QWidget):
    """Base of the lab's views: a title, ``update_from``, PNG and CSV export.

    Subclasses implement ``update_from(record)``, ``has_data()`` and ``tables()``: a dict
    ``{name: (columns, rows)}``; the first table goes to the CSV path given, the others next
    to it as ``<stem>_<name>.csv``.
    """

    #: short machine name (file names, tab keys)
    key = "view"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.record = None

    def title(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def update_from(self, record):  # pragma: no cover - overridden
        raise NotImplementedError

    def has_data(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def tables(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def export_png(self, path):
        """What is on screen, grabbed into a PNG; True when written."""
        return bool(self.grab().save(str(path), "PNG"))

    def export_csv(self, path):
        """The tables of :meth:`tables`; returns the paths written."""
        path = Path(path)
        written = []
        for j, (name, (columns, rows)) in enumerate(self.tables().items()):
            target = path if j == 0 else path.with_name(f"{path.stem}_{name}{path.suffix}")
            write_table(target, columns, rows)
            written.append(target)
        return written


def make_pen(color, width=1.5, dashed=False):
    pen = pg.mkPen(color=color, width=width)
    if dashed:
        pen.setStyle(Qt.DashLine)
    return pen


PAD_ID = 0
PAD_WORD = "<pad>"


def default_decoder(ids):
    """Words of a review without a word index: ``#id`` (and the padding)."""
    return [PAD_WORD if i == PAD_ID else f"#{i}" for i in np.asarray(ids).tolist()]


class ReviewView(LabView):
    """A view of one review of the probe batch: a review selector (``review_changed``: the
    window passes the choice to the recorder) and a decoder of ids to words."""

    review_changed = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.decode = default_decoder
        self.review_box = QSpinBox()
        self.review_box.valueChanged.connect(self.review_changed)

    def set_decoder(self, decode):
        """``decode(ids) -> list of words`` (e.g. from the IMDB word index)."""
        self.decode = decode
        if self.record is not None:
            self.update_from(self.record)

    def set_review_count(self, n):
        self._quietly(self.review_box.setRange, 0, max(int(n) - 1, 0))

    def show_review(self, record):
        """The record's review in the selector (without emitting ``review_changed``)."""
        sal = record["saliency"]
        self.set_review_count(sal["n_reviews"])
        self.select_review(sal["review"])

    def select_review(self, index):
        """Review ``index`` in the selector (without emitting ``review_changed``)."""
        if self.review_box.value() != int(index):
            self._quietly(self.review_box.setValue, int(index))

    def _quietly(self, setter, *args):
        self.review_box.blockSignals(True)
        setter(*args)
        self.review_box.blockSignals(False)


#: the text size of a lab plot's legend (points)
LEGEND_PT = 8.0


def sample_spec(item):
    """(colour, width, pen style, symbol) of a curve's sample in a legend row: its pen, or
    its symbols' colour when it has no line (dots)."""
    opts = getattr(item, "opts", {})
    pen = pg.mkPen(opts.get("pen"))
    symbol = opts.get("symbol")
    symbol = symbol if isinstance(symbol, str) else None
    color = pen.color()
    if pen.style() == Qt.NoPen and symbol:
        color = pg.mkBrush(opts.get("symbolBrush")).color()
    return color.getRgb()[:3], pen.widthF(), pen.style(), symbol


class RowLegend:
    """pyqtgraph's legend calls (``addItem(item, name)``, ``removeItem``, ``clear``,
    ``items``) drawn into a :class:`gui.plots.legend.LegendRow`: installed as a PlotItem's
    ``legend``, every curve plotted with a ``name`` gets its entry in the row under the plot
    instead of a box over the data."""

    def __init__(self, row):
        self.row = row
        self._items = []  # (curve, text) in the order added

    @property
    def items(self):
        return list(self._items)

    def addItem(self, item, name):  # noqa: N802
        self._items.append((item, str(name)))
        self._show()

    def removeItem(self, item):  # noqa: N802
        kept = [(i, t) for i, t in self._items if i is not item]
        if len(kept) != len(self._items):
            self._items = kept
            self._show()

    def clear(self):
        self._items = []
        self._show()

    def _show(self):
        self.row.set_entries([(id(item), text, *sample_spec(item)) for item, text in self._items])


class LabPlot(QWidget):
    """A pyqtgraph PlotWidget (``view``) and its legend in a row under it (``legend``, the
    app's :class:`gui.plots.legend.LegendRow`), so a legend never covers a curve.  The PlotWidget
    calls the views make (``plot``, ``addItem``, ``getPlotItem``, ranges) go to the plot."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.PlotWidget()
        self.plot_item = self.view.getPlotItem()
        self.legend = LegendRow()
        self.legend.set_font_size(LEGEND_PT)
        self.plot_item.legend = RowLegend(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        self.setStyleSheet("LabPlot, LegendRow, QLabel { background: white; color: black; }")
        self.setAttribute(Qt.WA_StyledBackground, True)

    def getPlotItem(self):  # noqa: N802
        return self.plot_item

    def plot(self, *args, **kwargs):
        return self.plot_item.plot(*args, **kwargs)

    def addItem(self, item):  # noqa: N802
        self.plot_item.addItem(item)

    def removeItem(self, item):  # noqa: N802
        self.plot_item.removeItem(item)

    def setXRange(self, *args, **kwargs):  # noqa: N802
        self.view.setXRange(*args, **kwargs)

    def setYRange(self, *args, **kwargs):  # noqa: N802
        self.view.setYRange(*args, **kwargs)


def lab_plot(title, xlabel, ylabel, *, log_y=False):
    """A plot as the app's plots: white, grid, no SI prefixes, the legend in a row under the
    plot (:class:`LabPlot`)."""
    w = LabPlot()
    pi = w.getPlotItem()
    tidy_axes(pi)  # no tick label over another (log axes: 0.1, 0.09, 0.08 ... collided)
    pi.setTitle(title, size="10pt")
    pi.setLabel("bottom", xlabel)
    pi.setLabel("left", ylabel)
    pi.showGrid(x=True, y=True, alpha=0.25)
    if log_y:
        pi.setLogMode(y=True)
    w.setMinimumSize(220, 120)
    return w


def unit_line(plot, y=1.0, label=None):
    """A dashed horizontal line (e.g. the factor 1), labelled."""
    line = pg.InfiniteLine(
        pos=math.log10(y) if plot.getPlotItem().ctrl.logYCheck.isChecked() else y,
        angle=0,
        pen=make_pen(GREY, 1, dashed=True),
        label=label,
        labelOpts={"position": 0.95, "color": GREY},
    )
    plot.addItem(line)
    return line


def shade(plot, lo, hi, color=GREY, alpha=50):
    """A shaded vertical band [lo, hi] (the truncated region)."""
    region = pg.LinearRegionItem(
        values=(lo, hi), movable=False, brush=pg.mkBrush(*color[:3], alpha), pen=pg.mkPen(None)
    )
    region.setZValue(-10)
    plot.addItem(region)
    return region


def note_label(text=""):
    """A small wrapped label for explanations under a plot."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def curve(plot, name, color, *, width=2.0, dashed=False, symbol=None):
    kw = {}
    if symbol:
        kw = {"symbol": symbol, "symbolSize": 5, "symbolBrush": color, "symbolPen": None}
    return plot.plot([], [], pen=make_pen(color, width, dashed=dashed), name=name, **kw)


__all__ = [
    "BLUE",
    "GREEN",
    "GREY",
    "LEGEND_PT",
    "ORANGE",
    "PAD_ID",
    "PAD_WORD",
    "PARAM_COLORS",
    "PURPLE",
    "RED",
    "LabPlot",
    "LabView",
    "ReviewView",
    "RowLegend",
    "curve",
    "default_decoder",
    "fmt",
    "lab_plot",
    "make_pen",
    "note_label",
    "positive",
    "sample_spec",
    "set_values",
    "shade",
    "table_from_columns",
    "translate",
    "unit_line",
    "write_table",
]

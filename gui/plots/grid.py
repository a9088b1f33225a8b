"""The five plots in one widget, redrawn from a QTimer at a bounded rate.

The grid is told what to show (:meth:`PlotGrid.set_history`, :meth:`~PlotGrid.set_runs`,
:meth:`~PlotGrid.set_hidden`, :meth:`~PlotGrid.set_dataset`) and only stores it; its timer
redraws ``refresh_hz`` times a second one stale plot per tick, in turn. Each plot thus
redraws >= 5 times a second while all five change, and no tick paints all five at once (which
would stall the event loop). A plot is stale when the history's version moved on, so nothing
is drawn twice.

The arrangement follows the width: three columns (loss, accuracy, hidden states on top of
each other's neighbours) when there is room, two columns and the hidden states below them on
a projector's 1024 x 700.
"""

from __future__ import annotations

from PyQt5.QtCore import QTimer, pyqtSignal
from PyQt5.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from ..text.i18n import QT_TRANSLATE_NOOP, translate
from .base import font_size_for
from .curves import AccuracyPlot, GradNormPlot, LossPlot
from .images import GradHeatmap, HiddenStatesPlot
from .kit import CURRENT_COLOR
from .legend import RunsLegend

PLOT_ORDER = ("loss", "accuracy", "grad_norms", "grad_heatmap", "hidden_states")
PLOT_NAMES = {
    "loss": QT_TRANSLATE_NOOP("PlotGrid", "Loss"),
    "accuracy": QT_TRANSLATE_NOOP("PlotGrid", "Accuracy"),
    "grad_norms": QT_TRANSLATE_NOOP("PlotGrid", "Gradient norm per time step"),
    "grad_heatmap": QT_TRANSLATE_NOOP("PlotGrid", "Gradient norm over training"),
    "hidden_states": QT_TRANSLATE_NOOP("PlotGrid", "Hidden states"),
}
WIDE = 900  # pixels: from this width on, three columns


def plot_name(key: str) -> str:
    return translate("PlotGrid", PLOT_NAMES[key])


class PlotGrid(QWidget):
    """Loss and accuracy on top, the gradient norms below, the hidden states beside or below."""

    refreshed = pyqtSignal()  # at least one plot was redrawn
    help_requested = pyqtSignal(str)  # a plot's "?"

    def __init__(self, refresh_hz: float = 33.0, parent=None):
        super().__init__(parent)
        self.loss_plot = LossPlot()
        self.acc_plot = AccuracyPlot()
        self.grad_plot = GradNormPlot()
        self.heatmap = GradHeatmap()
        self.hidden_plot = HiddenStatesPlot()
        self.plots = dict(
            zip(
                PLOT_ORDER,
                (self.loss_plot, self.acc_plot, self.grad_plot, self.heatmap, self.hidden_plot),
            )
        )
        for p in self.plots.values():
            p.help_requested.connect(self.help_requested)
        # the runs' colours and names, once above the plots (their legends list line styles)
        self.runs_legend = RunsLegend()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(2, 2, 2, 2)
        outer.setSpacing(2)
        outer.addWidget(self.runs_legend)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        outer.addLayout(self._grid, 1)
        self.columns = None
        self._arrange(3)

        self.history = None  # the RunHistory drawn (filled in place by the controller)
        self.runs = ()  # the kept runs shown (gui.training.runs.Run), each in its colour
        self.current_label = ""  # the current run's label (what differs from the kept runs)
        self.dataset = None  # for the hidden-states plot's words and labels
        self._hidden = None  # the latest hidden-states payload, not drawn yet
        self._next_plot = 0
        self.refresh_count = 0
        self.plot_refreshes = {name: 0 for name in PLOT_ORDER}
        self.timer = QTimer(self)
        self.timer.setInterval(max(10, int(1000 / refresh_hz)))
        self.timer.timeout.connect(lambda: self.refresh(all_plots=False))
        self.timer.start()

    def _arrange(self, columns: int):
        if columns == self.columns:
            return
        self.columns = columns
        g = self._grid
        for p in self.plots.values():
            g.removeWidget(p)
        g.addWidget(self.loss_plot, 0, 0)
        g.addWidget(self.acc_plot, 0, 1)
        g.addWidget(self.grad_plot, 1, 0)
        g.addWidget(self.heatmap, 1, 1)
        if columns == 3:
            g.addWidget(self.hidden_plot, 0, 2, 2, 1)
        else:
            g.addWidget(self.hidden_plot, 2, 0, 1, 2)
        for c in range(3):
            g.setColumnStretch(c, 1 if c < columns else 0)
        for r in range(3):
            g.setRowStretch(r, 1 if r < (2 if columns == 3 else 3) else 0)

    def resizeEvent(self, event):  # noqa: N802
        self._arrange(3 if event.size().width() >= WIDE else 2)
        super().resizeEvent(event)
        # the runs' names as large as the plots' text (which follows the plots' size)
        rows = 2 if self.columns == 3 else 3
        size = event.size()
        self.runs_legend.set_font_size(
            font_size_for(size.width() // self.columns, size.height() // rows)
        )

    @property
    def kept(self) -> tuple:
        return self.runs

    # -- what to show ----------------------------------------------------------------------------
    def set_history(self, history):
        """A new run (or none): a hidden-states payload still waiting belongs to the old one."""
        self.history = history
        self._hidden = None
        self._show_runs()

    def set_runs(self, runs, current_label: str = ""):
        """The kept runs shown, and the label of the current run (what differs from them)."""
        self.runs = tuple(runs)
        self.current_label = current_label
        for name in ("loss", "accuracy", "grad_norms"):
            self.plots[name].current_label = current_label
        self._show_runs()

    def _show_runs(self):
        """The runs legend: the current run (when it has data) and the kept runs shown."""
        specs = []
        h = self.history
        if self.runs and h is not None and h.has_data:
            label = self.current_label
            text = (
                translate("Plots", "current run: {0}").format(label)
                if label
                else translate("Plots", "current run")
            )
            specs.append(("run-current", text, CURRENT_COLOR))
        specs += [(f"run-{r.uid}", r.label, r.color) for r in self.runs]
        self.runs_legend.set_runs(specs if self.runs else [])

    def set_dataset(self, dataset):
        self.dataset = dataset

    def set_hidden(self, payload: dict):
        """``{"index", "states" (T, n_cells), "proba"}``, drawn by the next tick."""
        self._hidden = payload

    def show_words(self, index: int):
        """Before any network: the review's words on the hidden-states plot's time axis."""
        d = self.dataset
        if d is not None and 0 <= index < d.n_val:
            self.hidden_plot.show_words(index, d.words(d.ids_val[index]), label=int(d.y_val[index]))

    def retranslate(self):
        for p in self.plots.values():
            p.retranslate()
        self._show_runs()

    # -- drawing -----------------------------------------------------------------------------------
    def refresh(self, all_plots: bool = True) -> list[str]:
        """Redraw the plots whose data changed (the timer: only the next one in turn); returns
        the names of those redrawn."""
        h, k = self.history, self.runs
        stale = [name for name in PLOT_ORDER if self._is_stale(name, h, k)]
        if not stale:
            return []
        if not all_plots:
            n = len(PLOT_ORDER)
            for i in range(n):
                name = PLOT_ORDER[(self._next_plot + i) % n]
                if name in stale:
                    self._next_plot = (PLOT_ORDER.index(name) + 1) % n
                    stale = [name]
                    break
        for name in stale:
            self._refresh_one(name, h, k)
            self.plot_refreshes[name] += 1
        self.refresh_count += 1
        self.refreshed.emit()
        return stale

    def up_to_date(self) -> bool:
        """True when every plot shows the latest data received."""
        return not any(self._is_stale(name, self.history, self.runs) for name in PLOT_ORDER)

    def with_data(self) -> dict:
        return {name: p.has_data() for name, p in self.plots.items()}

    def _is_stale(self, name, h, k) -> bool:
        if name == "hidden_states":
            return self._hidden is not None
        return self.plots[name].is_stale(h, k)

    def _refresh_one(self, name, h, k):
        if name != "hidden_states":
            self.plots[name].refresh(h, k)
            return
        hp, self._hidden = self._hidden, None
        d = self.dataset
        if d is not None and 0 <= hp["index"] < d.n_val:
            i = hp["index"]
            ids = d.ids_val[i]
            self.hidden_plot.set_review(
                i, hp["states"], d.words(ids), ids=ids, proba=hp["proba"], label=int(d.y_val[i])
            )

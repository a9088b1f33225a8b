"""The runs list of the side panel: the current run and every kept run, each with its colour
and its label (:class:`gui.training.runs.RunList`: what differs between them); tick to show,
untick to hide, Remove / Remove all. A long label is cut with an ellipsis (its tooltip
whole): the list never scrolls sideways.
"""

from __future__ import annotations

from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtGui import QIcon
from PyQt5.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from ..plots.kit import CURRENT_COLOR
from ..plots.legend import sample_pixmap
from ..text.i18n import translate
from ..training.runs import Run, RunList


def _swatch(color) -> QIcon:
    return QIcon(sample_pixmap(color, width=3))


class RunsPanel(QGroupBox):
    """The runs in a list: the current one first, then the kept ones (tick: shown in the plots)."""

    keep_requested = pyqtSignal()

    def __init__(self, runs: RunList, parent=None):
        super().__init__(parent)
        self.runs = runs
        self.list = QListWidget()
        self.list.setObjectName("runs-list")
        self.list.setIconSize(QSize(26, 12))
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.list.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        self.list.setMaximumHeight(130)
        # as wide as the side panel: a long label is cut with an ellipsis (its tooltip whole)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.ElideRight)
        self.list.setResizeMode(QListView.Adjust)
        self.keep_button = QPushButton()
        self.remove_button = QPushButton()
        self.clear_button = QPushButton()
        buttons = QHBoxLayout()
        for b in (self.keep_button, self.remove_button, self.clear_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setSpacing(4)
        lay.addWidget(self.list)
        lay.addLayout(buttons)
        self.keep_button.clicked.connect(self.keep_requested)
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button.clicked.connect(self.runs.clear)
        self.list.itemChanged.connect(self._item_changed)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        runs.changed.connect(self.rebuild)
        self._items: list[tuple[QListWidgetItem, Run | None]] = []
        self.retranslate()

    def retranslate(self):
        self.setTitle(translate("RunsPanel", "Runs"))
        self.keep_button.setText(translate("RunsPanel", "Keep"))
        self.keep_button.setToolTip(
            translate(
                "RunsPanel",
                "Keep the current run: it stays in the plots, in its own "
                "colour, while the next runs train (Ctrl+K)",
            )
        )
        self.remove_button.setText(translate("RunsPanel", "Remove"))
        self.remove_button.setToolTip(translate("RunsPanel", "Remove the selected kept runs"))
        self.clear_button.setText(translate("RunsPanel", "Remove all"))
        self.clear_button.setToolTip(translate("RunsPanel", "Remove every kept run (Ctrl+Shift+K)"))
        self.list.setToolTip(
            translate(
                "RunsPanel",
                "Tick a kept run to show it in the plots, untick to hide it; "
                "each run has its own colour",
            )
        )
        self.runs.relabel()  # labels in the new language; rebuilds the list

    def rebuild(self):
        self.list.blockSignals(True)
        self.list.clear()
        self._items = []
        r = self.runs
        if r.current is not None and r.current.has_data:
            text = translate("RunsPanel", "current run")
            if r.current_label:
                text += f": {r.current_label}"
            item = QListWidgetItem(_swatch(CURRENT_COLOR), text)
            item.setFlags(Qt.ItemIsEnabled)
            item.setToolTip(text)
            self.list.addItem(item)
            self._items.append((item, None))
        for run in r.kept:
            item = QListWidgetItem(_swatch(run.color), run.label)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if run.visible else Qt.Unchecked)
            item.setToolTip(run.label)
            self.list.addItem(item)
            self._items.append((item, run))
        self.list.blockSignals(False)
        self._update_buttons()

    def _item_changed(self, item):
        for it, run in self._items:
            if it is item and run is not None:
                self.runs.set_visible(run, item.checkState() == Qt.Checked)

    def selected_runs(self) -> list:
        return [run for it, run in self._items if run is not None and it.isSelected()]

    def remove_selected(self):
        for run in self.selected_runs():
            self.runs.remove(run)

    def set_keep_enabled(self, on: bool):
        self.keep_button.setEnabled(on)

    def _update_buttons(self):
        self.remove_button.setEnabled(bool(self.selected_runs()))
        self.clear_button.setEnabled(bool(self.runs.kept))

"""A table of numbers whose columns share the width it has: each column as wide as its
header and cells need, the room left shared out, and no scrollbar sideways (issue 21: the
erratum's "max abs error" and "cos(k, full)" were behind one, "|textbo" cut in Korean).
"""

from __future__ import annotations

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QHeaderView, QTableWidget

PAD = 12  # pixels around a column's text


class FitTable(QTableWidget):
    """A read-only table whose columns fit its width (see the module's docstring)."""

    def __init__(self, rows: int, columns: int, parent=None):
        super().__init__(rows, columns, parent)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.horizontalHeader().setMinimumSectionSize(16)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setEditTriggers(QTableWidget.NoEditTriggers)

    def needed_widths(self) -> list[int]:
        """Each column's width for its header and its cells, whole."""
        fm, hfm = self.fontMetrics(), self.horizontalHeader().fontMetrics()
        out = []
        for c in range(self.columnCount()):
            head = self.horizontalHeaderItem(c)
            w = hfm.horizontalAdvance(head.text()) if head is not None else 0
            for r in range(self.rowCount()):
                item = self.item(r, c)
                if item is not None:
                    w = max(w, fm.horizontalAdvance(item.text()))
            out.append(w + PAD)
        return out

    def fit_columns(self):
        need = self.needed_widths()
        room = self.viewport().width()
        if not need or room <= 0:
            return
        total = sum(need)
        extra = (room - total) / len(need) if total <= room else None
        for c, w in enumerate(need):
            width = w + extra if extra is not None else w * room / total
            self.setColumnWidth(c, max(16, int(width)))

    def fits(self) -> bool:
        """True when every column shows its header and its cells whole."""
        return all(self.columnWidth(c) >= w for c, w in enumerate(self.needed_widths()))

    def minimum_width(self) -> int:
        """The width at which every column is whole."""
        return sum(self.needed_widths()) + 2 * self.frameWidth()

    def height_for_rows(self, n: int) -> int:
        """The height that shows the header and ``n`` rows."""
        row = self.verticalHeader().defaultSectionSize()
        head = self.horizontalHeader().sizeHint().height()
        return head + n * row + 2 * self.frameWidth() + 2

    def fit_height(self):
        """Exactly as high as its header and its rows (a short table)."""
        self.setFixedHeight(self.height_for_rows(self.rowCount()))

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def set_headers(self, labels):
        self.setHorizontalHeaderLabels(labels)
        self.fit_columns()

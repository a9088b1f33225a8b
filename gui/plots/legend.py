"""A plot's legend as a row of Qt widgets under the plot: it never covers the data, wraps onto
more lines when the plot is narrow, and is part of an exported figure.

An entry is a sample (a line with the curve's pen and symbol, drawn here) and its text. A
plot's row holds the styles (what a solid, dashed or dotted line means in this plot, in a
neutral grey); the runs (one colour each: the current run and every kept run) are named once,
in :class:`RunsLegend` above the plots (and in a plot's exported figure, which stands alone).
An entry wider than its share of the row is cut with an ellipsis, its whole text in its tooltip.
"""

from __future__ import annotations

from PyQt5.QtCore import QPoint, QPointF, QRect, QSize, Qt
from PyQt5.QtGui import QColor, QFontMetrics, QPainter, QPen, QPixmap
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QLayout, QSizePolicy, QWidget

SAMPLE_W, SAMPLE_H = 26, 12


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next line when the width runs out."""

    def __init__(self, parent=None, spacing=10, line_spacing=2):
        super().__init__(parent)
        self._items = []
        self._h, self._v = spacing, line_spacing
        self.setContentsMargins(4, 0, 4, 2)

    def addItem(self, item):  # noqa: N802
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, i):  # noqa: N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientations(0)

    def hasHeightForWidth(self):  # noqa: N802
        return True

    def heightForWidth(self, width):  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect):  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self):  # noqa: N802
        return self.minimumSize()

    def minimumSize(self):  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect, move):
        m = self.contentsMargins()
        left, right = rect.x() + m.left(), rect.right() - m.right()
        x, y, line = left, rect.y() + m.top(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x > left and x + hint.width() > right + 1:
                x, y, line = left, y + line + self._v, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._h
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def sample_pixmap(color, width=1.5, style=Qt.SolidLine, symbol=None, scale=1.0) -> QPixmap:
    """A short line in ``color`` (an RGB tuple), with ``symbol`` ("o", "s") in its middle."""
    w, h = int(SAMPLE_W * scale), int(SAMPLE_H * scale)
    pm = QPixmap(w, h)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    pen = QPen(QColor(*color))
    pen.setWidthF(max(1.0, width * scale))
    pen.setStyle(style)
    p.setPen(pen)
    p.drawLine(QPointF(1, h / 2), QPointF(w - 1, h / 2))
    if symbol:
        p.setBrush(QColor(*color))
        p.setPen(Qt.NoPen)
        r = 3.5 * scale
        c = QPointF(w / 2, h / 2)
        if symbol == "s":
            p.drawRect(int(c.x() - r), int(c.y() - r), int(2 * r), int(2 * r))
        else:
            p.drawEllipse(c, r, r)
    p.end()
    return pm


class LegendEntry(QWidget):
    """One sample and its text."""

    def __init__(self, key, color, width=1.5, style=Qt.SolidLine, symbol=None, parent=None):
        super().__init__(parent)
        self.key = key
        self._spec = (color, width, style, symbol)
        self.sample = QLabel()
        self.label = QLabel()
        self.label.setTextFormat(Qt.PlainText)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.sample)
        lay.addWidget(self.label)
        self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.set_scale(1.0)

        self._text = ""
        self._max_width = None

    @property
    def text(self) -> str:
        """The whole text (the label may show it cut, with an ellipsis)."""
        return self._text

    @property
    def elided(self) -> bool:
        return self.label.text() != self._text

    def set_text(self, text: str):
        if text != self._text:
            self._text = text
            self.label.setToolTip(text)
            self._fit()

    def fit(self, max_width: int | None):
        """At most ``max_width`` px wide (sample and text): the text cut with an ellipsis."""
        if max_width != self._max_width:
            self._max_width = max_width
            self._fit()

    def _fit(self):
        text = self._text
        if self._max_width is not None:
            room = self._max_width - self.sample.sizeHint().width() - 4
            text = QFontMetrics(self.label.font()).elidedText(text, Qt.ElideRight, max(room, 12))
        if text != self.label.text():
            self.label.setText(text)
            self.adjustSize()

    def set_scale(self, scale: float):
        self.sample.setPixmap(sample_pixmap(*self._spec, scale=scale))


class LegendRow(QWidget):
    """The legend of one plot: ``set_entries`` replaces its entries (kept by key when they
    have not changed, so a refresh does not rebuild the widgets)."""

    #: an entry takes at most this share of the row's width
    MAX_SHARE = 1.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("legend")
        self._flow = FlowLayout(self)
        self.entries: dict = {}
        self._specs: dict = {}
        self._font_pt = None
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)

    def hasHeightForWidth(self):  # noqa: N802
        return True

    def heightForWidth(self, width):  # noqa: N802
        return self._flow.heightForWidth(width)

    @property
    def items(self):
        """(entry, text) for each entry, in order (as pyqtgraph's LegendItem.items)."""
        return [(e, e.text) for e in self.entries.values()]

    def set_entries(self, specs: list):
        """``specs``: (key, text, color, width, pen style, symbol) in the order shown."""
        keys = [s[0] for s in specs]
        rebuild = keys != list(self.entries) or any(self._specs.get(s[0]) != s[2:] for s in specs)
        if rebuild:
            for e in self.entries.values():
                self._flow.removeWidget(e)
                e.hide()
                e.setParent(None)  # gone from the row now, deleted by the event loop
                e.deleteLater()
            self.entries, self._specs = {}, {}
            for key, text, *spec in specs:
                e = LegendEntry(key, *spec, parent=self)
                self._flow.addWidget(e)
                self.entries[key] = e
                self._specs[key] = tuple(spec)
                if self._font_pt:
                    self._apply_font(e)
                e.show()
        for key, text, *_ in specs:
            self.entries[key].set_text(text)
        self._fit_entries()
        self.updateGeometry()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self._fit_entries()

    def _fit_entries(self):
        m = self._flow.contentsMargins()
        room = int((self.width() - m.left() - m.right()) * self.MAX_SHARE) - 2
        for e in self.entries.values():
            e.fit(max(room, 40) if self.width() > 0 else None)

    def set_font_size(self, pt: float):
        if pt == self._font_pt:
            return
        self._font_pt = pt
        for e in self.entries.values():
            self._apply_font(e)
        self.updateGeometry()

    def _apply_font(self, entry):
        f = entry.label.font()
        f.setPointSizeF(self._font_pt)
        entry.label.setFont(f)
        entry.set_scale(max(1.0, self._font_pt / 9.0))
        entry._fit()


class RunsLegend(LegendRow):
    """The runs' colours and names, once for all the plots (shown while a kept run is): the
    current run and each kept run shown, an entry at most half the row wide."""

    MAX_SHARE = 1 / 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("runs-legend")
        self.setStyleSheet("RunsLegend, QLabel { background: white; color: black; }")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.hide()

    def set_runs(self, specs: list):
        """``specs``: (key, text, color) of each run, in order; hidden when there are none."""
        self.set_entries(
            [(key, text, color, 2.5, Qt.SolidLine, None) for key, text, color in specs]
        )
        self.setVisible(bool(specs))

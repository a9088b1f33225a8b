"""The Sweep view's paired comparison: which two values of a varied setting to compare (a
combo box of every pair), and the comparison in words, one sentence per combination of the
other setting (:func:`gui.sweep.results.comparison_sentence`, from ``Sweep.compare``'s
numbers: the finding follows them)."""

from __future__ import annotations

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..text.i18n import translate
from .results import comparison_sentence


class ComparisonBox(QWidget):
    """See the module's docstring; :meth:`show_results` fills it from a SweepResults."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results = None
        self.pair_label, self.pair_box = QLabel(), QComboBox()
        self.pair_box.setObjectName("sweep-pair")
        self.words = QLabel()
        self.words.setObjectName("sweep-words")
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.words.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        row = QHBoxLayout()
        row.addWidget(self.pair_label)
        row.addWidget(self.pair_box, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        scroll = QScrollArea()  # the sentences always have room: 5 lines, more by scrolling
        scroll.setWidget(self.words)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(5 * self.words.fontMetrics().lineSpacing() + 6)
        lay.addWidget(scroll)
        self.pair_box.currentIndexChanged.connect(lambda _i: self.show_words())
        self.retranslate()

    def set_results(self, results):
        """A new sweep: its pairs in the box (the same place in the list kept)."""
        self.results = results
        self.fill_pairs()
        self.show_words()

    def fill_pairs(self):
        keep = self.pair_box.currentIndex()
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        r = self.results
        for setting, ia, ib in r.pairs() if r is not None else ():
            text = f"{r.value_text(setting, ia)} - {r.value_text(setting, ib)}"
            self.pair_box.addItem(text, (setting, ia, ib))
        self.pair_box.setCurrentIndex(max(0, min(keep, self.pair_box.count() - 1)))
        self.pair_box.blockSignals(False)

    def select_pair(self, setting: str, ia: int, ib: int) -> bool:
        i = self.pair_box.findData((setting, ia, ib))
        if i >= 0:
            self.pair_box.setCurrentIndex(i)
        return i >= 0

    def sentences(self) -> list:
        """The comparison chosen, in words: one sentence per combination of the other setting."""
        r, pair = self.results, self.pair_box.currentData()
        if r is None or pair is None:
            return []
        rows = r.comparisons.get(tuple(pair))
        if rows is None:
            return [
                translate("Sweep", "The comparison appears once runs of both values have finished.")
            ]
        setting, ia, ib = pair
        a, b = r.grid[setting][ia], r.grid[setting][ib]
        return [comparison_sentence(setting, a, b, row, row["at"]) for row in rows]

    def show_words(self):
        r = self.results
        if r is not None and all(len(v) < 2 for v in r.grid.values()):
            self.words.setText(
                translate("Sweep", "Give a setting two values or more to compare them.")
            )
        else:
            self.words.setText("\n".join(self.sentences()))

    def retranslate(self):
        self.pair_label.setText(translate("Sweep", "compare"))
        self.pair_box.setToolTip(translate("Sweep", "The two values compared, seed by seed"))
        if self.results is not None:
            self.fill_pairs()
        self.show_words()

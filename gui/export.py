"""Figures of one plot at a chosen size: PNG at a chosen DPI, or SVG.

The plot is drawn again, off screen, by a copy of its widget showing the same data, laid out
at ``width * 96 / dpi`` by ``height * 96 / dpi`` logical pixels and painted ``dpi / 96`` times
larger: a 1600 x 1000 PNG at 192 DPI has the text and lines of an 800 x 500 plot, twice as
sharp. Title and legend are part of the figure; the legend stays outside the data.
"""

from __future__ import annotations

import os

from PyQt5.QtCore import QRect, QSize, Qt
from PyQt5.QtGui import QColor, QImage, QPainter
from PyQt5.QtSvg import QSvgGenerator
from PyQt5.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
)

from .i18n import translate
from .plotkit import retire

SCREEN_DPI = 96.0


def render_figure(
    panel, path: str, width: int, height: int, dpi: float = SCREEN_DPI, fmt: str | None = None
):
    """Write ``panel`` (a :class:`gui.plotbase.PlotPanel`) as a figure; returns ``path``."""
    fmt = (fmt or os.path.splitext(str(path))[1].lstrip(".") or "png").lower()
    if fmt not in ("png", "svg"):
        raise ValueError("format must be png or svg")
    width, height, dpi = int(width), int(height), float(dpi)
    if width < 50 or height < 50 or not 24 <= dpi <= 1200:
        raise ValueError("a figure is at least 50 x 50 px, at 24 to 1200 DPI")
    scale = dpi / SCREEN_DPI
    logical = QSize(max(1, round(width / scale)), max(1, round(height / scale)))
    twin = panel.export_copy()
    try:
        twin.help_button.hide()  # a button has no place in a figure
        twin.setAttribute(Qt.WA_DontShowOnScreen, True)
        twin.resize(logical)
        twin.show()
        for _ in range(3):  # the layouts and pyqtgraph's scene settle at that size
            QApplication.sendPostedEvents()
            twin.layout().activate()
        twin.resize(logical)
        if fmt == "svg":
            gen = QSvgGenerator()
            gen.setFileName(str(path))
            gen.setSize(logical)
            gen.setViewBox(QRect(0, 0, logical.width(), logical.height()))
            gen.setResolution(int(round(SCREEN_DPI)))
            gen.setTitle(twin.title)
            painter = QPainter(gen)
            twin.render(painter)
            painter.end()
        else:
            img = QImage(width, height, QImage.Format_ARGB32)
            img.fill(QColor("white"))
            dots_per_meter = int(round(dpi / 0.0254))
            img.setDotsPerMeterX(dots_per_meter)
            img.setDotsPerMeterY(dots_per_meter)
            painter = QPainter(img)
            painter.setRenderHint(QPainter.Antialiasing)
            painter.setRenderHint(QPainter.TextAntialiasing)
            painter.scale(width / logical.width(), height / logical.height())
            twin.render(painter)
            painter.end()
            if not img.save(str(path), "PNG"):
                raise OSError(f"could not write {path}")
    finally:
        twin.close()
        retire(twin)
    if not os.path.exists(str(path)):
        raise OSError(f"could not write {path}")
    return str(path)


class FigureDialog(QDialog):
    """Size, resolution and format of an exported figure."""

    PRESETS = ((1600, 1000, 192), (1920, 1080, 144), (1200, 900, 300))

    def __init__(self, parent=None, width=1600, height=1000, dpi=192):
        super().__init__(parent)
        self.setObjectName("figure-dialog")
        self.width_box, self.height_box, self.dpi_box = QSpinBox(), QSpinBox(), QSpinBox()
        for box, lo, hi, v in (
            (self.width_box, 50, 20000, width),
            (self.height_box, 50, 20000, height),
            (self.dpi_box, 24, 1200, dpi),
        ):
            box.setRange(lo, hi)
            box.setValue(v)
        self.format_box = QComboBox()
        self.format_box.addItem("PNG", "png")
        self.format_box.addItem("SVG", "svg")
        self.preset_box = QComboBox()
        self.preset_box.addItem("", None)
        for p in self.PRESETS:
            self.preset_box.addItem(f"{p[0]} x {p[1]} px, {p[2]} DPI", p)
        self.preset_box.activated.connect(self._preset)
        self.form = QFormLayout(self)
        self.labels = []
        for box in (
            self.preset_box,
            self.width_box,
            self.height_box,
            self.dpi_box,
            self.format_box,
        ):
            self.labels.append(QLabel())
            self.form.addRow(self.labels[-1], box)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)
        self.retranslate()

    def retranslate(self):
        self.setWindowTitle(translate("Export", "Export a figure"))
        for label, text in zip(
            self.labels,
            (
                translate("Export", "preset"),
                translate("Export", "width (px)"),
                translate("Export", "height (px)"),
                translate("Export", "resolution (DPI)"),
                translate("Export", "format"),
            ),
        ):
            label.setText(text)
        self.dpi_box.setToolTip(
            translate(
                "Export",
                "The text is as large as on a screen of width x 96 / DPI "
                "pixels: more DPI, larger text",
            )
        )

    def _preset(self, *_):
        p = self.preset_box.currentData()
        if p:
            self.width_box.setValue(p[0])
            self.height_box.setValue(p[1])
            self.dpi_box.setValue(p[2])

    def values(self) -> tuple[int, int, int, str]:
        return (
            self.width_box.value(),
            self.height_box.value(),
            self.dpi_box.value(),
            self.format_box.currentData(),
        )

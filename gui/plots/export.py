"""Figures of one plot at a chosen size: PNG at a chosen DPI, or SVG.

The plot is drawn again, off screen, by a copy of its widget showing the same data, laid out
at ``width * 96 / dpi`` by ``height * 96 / dpi`` logical pixels and painted ``dpi / 96`` times
larger: a 1600 x 1000 PNG at 192 DPI has the text and lines of an 800 x 500 plot, twice as
sharp. Title and legend are part of the figure; the legend stays outside the data.

:class:`ExportActions`: the Export menu's actions (a plot or a view of the BPTT lab as PNG, CSV
or a figure; all of them; the window's screenshot), a part of :class:`gui.app.files.FileActions`.
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
    QFileDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
)

from ..text.i18n import translate
from .kit import retire

SCREEN_DPI = 96.0


def render_figure(
    panel, path: str, width: int, height: int, dpi: float = SCREEN_DPI, fmt: str | None = None
):
    """Write ``panel`` (a :class:`gui.plots.base.PlotPanel`) as a figure; returns ``path``."""
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


class ExportActions:
    """The Export menu's actions (and the window's screenshot), a part of
    :class:`gui.app.files.FileActions`: they use its ``window``, ``grid``, ``last_dir``, path dialog
    (``_ask_path``) and signals (``error``, ``message``)."""

    def export_plot(self, name: str, path: str | None = None, kind: str = "png"):
        """One plot as PNG (what is on screen) or CSV (all its data)."""
        plot = self.grid.plots[name]
        if kind not in ("png", "csv"):
            raise ValueError("kind must be 'png' or 'csv'")
        filt = "PNG (*.png)" if kind == "png" else "CSV (*.csv)"
        path = path or self._ask_path(
            translate("Files", "Export {0}").format(plot.title), filt, f"{name}.{kind}"
        )
        if not path:
            return None
        try:
            self.grid.refresh()
            if kind == "png":
                if not plot.export_png(path):
                    raise OSError(f"could not write {path}")
            else:
                plot.export_csv(path)
        except OSError as e:
            self._failed(translate("Files", "Export failed"), e)
            return None
        self.message.emit(translate("Files", "exported {0}").format(path))
        return path

    def export_as(self, name: str, kind: str):
        """Export > a plot > PNG, figure or CSV (asks for the path, and a figure's size)."""
        return self.export_figure(name) if kind == "figure" else self.export_plot(name, kind=kind)

    def export_figure(
        self,
        name: str,
        path: str | None = None,
        width: int | None = None,
        height: int | None = None,
        dpi: float | None = None,
        fmt: str | None = None,
    ):
        """One plot as a figure of a chosen size and DPI (PNG) or as SVG; without a size, a
        dialog asks for one."""
        plot = self.grid.plots[name]
        if width is None or height is None or dpi is None:
            dialog = FigureDialog(self.window)
            if dialog.exec_() != QDialog.Accepted:
                return None
            width, height, dpi, fmt = dialog.values()
        fmt = fmt or "png"
        path = path or self._ask_path(
            translate("Files", "Export {0}").format(plot.title),
            "SVG (*.svg)" if fmt == "svg" else "PNG (*.png)",
            f"{name}.{fmt}",
        )
        if not path:
            return None
        try:
            self.grid.refresh()
            plot.export_figure(path, width, height, dpi, fmt)
        except (OSError, ValueError) as e:
            self._failed(translate("Files", "Export failed"), e)
            return None
        self.message.emit(translate("Files", "exported {0}").format(path))
        return path

    def export_lab(self, key: str, path: str | None = None, kind: str = "png") -> list[str] | None:
        """A view of the BPTT lab as PNG (as shown) or CSV (its first table; the others beside
        it, ``<stem>_<table>.csv``); returns the files written."""
        lab = self.window.lab
        if kind not in ("png", "csv"):
            raise ValueError("kind must be 'png' or 'csv'")
        filt = "PNG (*.png)" if kind == "png" else "CSV (*.csv)"
        title = translate("Files", "Export {0}").format(lab.title(key))
        path = path or self._ask_path(title, filt, f"lab_{key}.{kind}")
        if not path:
            return None
        try:
            written = [str(p) for p in lab.export(key, path, kind)]
            if not written:
                raise OSError(f"could not write {path}")
        except OSError as e:
            self._failed(translate("Files", "Export failed"), e)
            return None
        self.message.emit(translate("Files", "exported {0}").format(", ".join(written)))
        return written

    def export_all(self, directory: str | None = None) -> list[str]:
        """Every plot, and every view of the BPTT lab with data, as PNG and CSV."""
        directory = directory or QFileDialog.getExistingDirectory(
            self.window, translate("Files", "Export all plots to"), self.last_dir
        )
        if not directory:
            return []
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as e:  # a file of that name, no permission
            self._failed(translate("Files", "Export failed"), e)
            return []
        out = []
        for name in self.grid.plots:
            for kind in ("png", "csv"):
                p = self.export_plot(name, os.path.join(directory, f"{name}.{kind}"), kind)
                if p:
                    out.append(p)
        for key in self.window.lab.keys_with_data():  # the BPTT lab's views that show something
            for kind in ("png", "csv"):
                out += (
                    self.export_lab(key, os.path.join(directory, f"lab_{key}.{kind}"), kind) or []
                )
        return out

    def save_screenshot(self, path: str | None = None):
        path = path or self._ask_path(
            translate("Files", "Window screenshot"), "PNG (*.png)", "screenshot.png"
        )
        if not path:
            return None
        self.window.refresh_plots()
        if not self.window.grab().save(path, "PNG"):
            self.error.emit(
                translate("Files", "Screenshot failed"),
                translate("Files", "could not write {0}").format(path),
            )
            return None
        return path

"""The Sweep view's export: the sweep's frame (one row per run and epoch, the library's
``Sweep.frame``) and its summary as CSV, and the plots with the comparison's words as a PNG
(as on screen), the paths asked for as the app's other exports ask (``FileActions``)."""

from __future__ import annotations

import os

from ..text.i18n import translate


def export_csv(panel, path: str | None = None):
    """The sweep's frame (one row per run and epoch) as CSV, and its summary beside it
    (``<stem>_summary.csv``); returns the paths written."""
    if panel.sweep is None or panel.sweep.n_done == 0:
        return None
    f = panel.win.files
    path = path or f._ask_path(
        translate("Sweep", "Export the sweep (CSV)"), "CSV (*.csv)", "sweep.csv"
    )
    if not path:
        return None
    stem, ext = os.path.splitext(path)
    summary = f"{stem}_summary{ext or '.csv'}"
    try:
        panel.sweep.frame.to_csv(path, index=False)
        panel.sweep.summary().to_csv(summary, index=False)
    except OSError as e:
        f._failed(translate("Files", "Export failed"), e)
        return None
    f.message.emit(translate("Files", "exported {0}").format(f"{path}, {summary}"))
    return [path, summary]


def export_png(panel, path: str | None = None):
    """The plots and the words as on screen (PNG)."""
    if panel.results is None:
        return None
    f = panel.win.files
    path = path or f._ask_path(
        translate("Sweep", "Export the sweep's plots (PNG)"), "PNG (*.png)", "sweep.png"
    )
    if not path:
        return None
    panel.redraw(force=True)
    if not panel.shown_area.grab().save(str(path), "PNG"):
        f._failed(translate("Files", "Export failed"), OSError(f"could not write {path}"))
        return None
    f.message.emit(translate("Files", "exported {0}").format(path))
    return path

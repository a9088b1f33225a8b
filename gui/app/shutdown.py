"""A clean exit: delete the Qt objects Python still owns before PyQt5's exit hook does.

At interpreter exit PyQt5 walks sip's table of wrappers and deletes every QObject that Python
owns and that has no parent. Deleting one of them (a window, one of pyqtgraph's parentless
context menus) can free the wrappers of its children while that walk is still going, and the
walk then reads a freed wrapper: a segfault *after* the app has closed (seen about once in 30
screenshot runs on a busy machine; core dump: ``cleanup_qobject`` <- ``sip_api_visit_wrappers``
<- ``atexit``). Deleting them here, from a list that holds strong references, while the
QApplication still exists, leaves that hook nothing to delete.
"""

from __future__ import annotations

import gc


def release_qt_objects(*widgets) -> int:
    """Close and delete ``widgets``, then every parentless, Python-owned QObject of the GUI
    thread (the QApplication excepted). Returns how many objects the sweep deleted."""
    from PyQt5 import sip
    from PyQt5.QtCore import QCoreApplication, QObject

    for w in widgets:
        if w is not None and not sip.isdeleted(w):
            if hasattr(w, "confirm_quit"):
                w.confirm_quit = False  # leaving: no question about an unsaved run
            w.close()  # the window's closeEvent joins its worker threads
            sip.delete(w)
    gc.collect()  # reference cycles (pyqtgraph's items, slots) would keep wrappers alive
    app = QCoreApplication.instance()
    if app is None:
        return 0
    here = app.thread()
    leftovers = []
    for obj in gc.get_objects():
        try:
            if (
                isinstance(obj, QObject)
                and obj is not app
                and not sip.isdeleted(obj)
                and sip.ispyowned(obj)
                and obj.parent() is None
                and obj.thread() is here
            ):
                leftovers.append(obj)
        except RuntimeError:  # deleted between the checks
            continue
    for obj in leftovers:  # strong references: no wrapper in this list can be freed under us
        if not sip.isdeleted(obj):
            sip.delete(obj)
    n = len(leftovers)
    del leftovers
    gc.collect()
    return n

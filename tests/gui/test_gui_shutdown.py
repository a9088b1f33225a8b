"""gui.app.shutdown: nothing Python-owned is left for PyQt5's exit hook to delete."""

import gc


def _pyowned_parentless():
    from PyQt5 import sip
    from PyQt5.QtCore import QObject
    from PyQt5.QtWidgets import QApplication

    app = QApplication.instance()
    return [
        o
        for o in gc.get_objects()
        if isinstance(o, QObject)
        and o is not app
        and not sip.isdeleted(o)
        and sip.ispyowned(o)
        and o.parent() is None
    ]


def test_release_deletes_a_trained_window_and_pyqtgraphs_menus(qtbot, need_rnnfast, small_settings):
    from PyQt5 import sip

    from gui.app.shutdown import release_qt_objects
    from gui.app.window import MainWindow

    win = MainWindow(autoload=False)
    win.show()
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        assert win.load_data()
    win.side.model.set_settings(small_settings.to_dict())
    with qtbot.waitSignal(win.training_finished, timeout=60_000):
        assert win.start_training()
    assert _pyowned_parentless(), "the window (and pyqtgraph's menus) are Python-owned, parentless"
    release_qt_objects(win)
    assert sip.isdeleted(win)
    assert _pyowned_parentless() == []

"""GUI tests: headless Qt (offscreen), PyQt5 for pyqtgraph, a private runtime dir.

Everything is set before any Qt import: with no platform and no display Qt aborts the
whole pytest process instead of failing a test.
"""

import os
import stat
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PyQt5")
os.environ.setdefault("PYTEST_QT_API", "pyqt5")
if not os.environ.get("XDG_RUNTIME_DIR"):
    _runtime = tempfile.mkdtemp(prefix="rnnfast-gui-xdg-")
    os.chmod(_runtime, stat.S_IRWXU)
    os.environ["XDG_RUNTIME_DIR"] = _runtime

import pytest  # noqa: E402

pytest.importorskip("PyQt5")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

import importlib.util  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The installed package (CI: pip install -e .) or, for a development checkout run as
# `python -m pytest` from the root, the source tree. Only add the tree when `gui` is not
# importable, so that it never shadows an installed rnnfast with its compiled kernels. (With
# tests/ on sys.path, this very directory looks like a namespace package "gui": not the app.)
_spec = importlib.util.find_spec("gui")
if _spec is None or _spec.origin is None:
    sys.path.insert(0, ROOT)


def _rnnfast_ready():
    try:
        import rnnfast  # noqa: F401
        from rnnfast import RecurrentNetwork  # noqa: F401
        from rnnfast.datasets import imdb

        imdb.load_textbook(source="sample", maxlen=10)
        from rnnfast import _kernels  # noqa: F401  compiled extension built in place
    except Exception as exc:  # pragma: no cover - depends on the tree's state
        return str(exc)
    return None


_NOT_READY = _rnnfast_ready()


@pytest.fixture
def need_rnnfast():
    if _NOT_READY is not None:
        if os.environ.get("RNNFAST_CI"):  # CI installs everything: a missing piece is a failure
            pytest.fail(f"rnnfast is not usable: {_NOT_READY}")
        pytest.skip(f"rnnfast is not usable yet: {_NOT_READY}")


@pytest.fixture
def small_settings():
    """A model small enough to train a few epochs of the sample in well under a second."""
    from gui.training.settings import TrainSettings

    return TrainSettings(
        n_cells=8, batch_size=32, learning_rate=0.05, epochs=2, bptt_steps=10, seed=1
    )


@pytest.fixture
def window(qtbot, need_rnnfast):
    """A MainWindow that has not loaded anything; closed (threads joined) at teardown."""
    from gui.app.window import MainWindow

    win = MainWindow(autoload=False)
    # pytest-qt closes its widgets before the fixtures' teardown: no question about an unsaved run
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "confirm_quit", False))
    win.confirm_quit = False  # the question before quitting with an unsaved run has its own tests
    win.show()
    yield win
    win.confirm_quit = False
    if win.isVisible() or win.is_training or win.is_loading:
        win.close()
    assert not win.is_training and not win.is_loading


@pytest.fixture
def loaded(window, qtbot):
    """The window with the bundled sample loaded (ids, T = 100)."""
    with qtbot.waitSignal(window.data_loaded, timeout=20_000):
        assert window.load_data()
    return window


@pytest.fixture(autouse=True)
def _delete_closed_widgets():
    """After each test, delete the widgets closed with deleteLater (pytest-qt closes the ones it
    was given that way). Processing events in a test does not delete them, so closed windows of
    earlier tests lived on and received the next test's language change; with them alive a
    paint of a deleted pyqtgraph AxisItem crashed the process (2 runs in 4 of test_gui_cli ..
    test_gui_i18n; none in 6 with this flush)."""
    yield
    if "PyQt5.QtWidgets" in sys.modules:
        from PyQt5.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


@pytest.fixture(scope="session", autouse=True)
def _release_qt_objects_at_the_end():
    """After the last GUI test, delete what Qt objects are left while the QApplication exists
    (gui.app.shutdown: PyQt5's own exit hook can segfault on them, failing a green run)."""
    yield
    if "PyQt5.QtWidgets" in sys.modules:
        from gui.app.shutdown import release_qt_objects

        release_qt_objects()

"""Train without the compiled extension (a missing or broken build): the app says in one line
why and what to run, and stays usable (the NumPy backend needs no compiled code)."""

import sys


def test_train_without_the_extension_says_what_to_run(loaded, qtbot, small_settings, monkeypatch):
    win = loaded
    small_settings.epochs = 1
    small_settings.backend = "cython"
    win.side.model.set_settings(small_settings)
    # every import of rnnfast._kernels now fails as a missing module does
    monkeypatch.setitem(sys.modules, "rnnfast._kernels", None)
    with qtbot.waitSignal(win.training_finished, timeout=30_000) as blocker:
        assert win.start_training()
    assert blocker.args[0]["error"]
    title, message = win.errors[-1]
    first = message.split("\n\n")[0]  # the dialog's text (the traceback is in its details)
    assert title == "Training failed"
    assert "\n" not in first and "rnnfast._kernels" in first and "None in sys.modules" in first
    assert "pip install -e ." in first
    assert "pip install -e ." in win.statusBar().currentMessage()
    for box in win._open_boxes:
        box.accept()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)

    small_settings.backend = "numpy"
    win.side.model.set_settings(small_settings)
    with qtbot.waitSignal(win.training_finished, timeout=60_000) as blocker:
        assert win.start_training()
    assert blocker.args[0]["error"] is None and win.history.n_batches_seen > 0

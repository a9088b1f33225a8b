"""The Sweep view (issue 19): a real small sweep on the bundled sample, in the app's process
and on 2 worker processes; the cells and curves show the library's numbers (Sweep.summary,
Sweep.frame); Stop keeps the finished runs; the event loop keeps ticking while 2 processes
train; closing the window ends the worker processes; the form's errors; an unreachable
scheduler; export; the comparison's words follow the numbers."""

import math
import os
import time

import numpy as np
import pandas as pd
import pytest
from PyQt5.QtCore import Qt, QTimer

from gui.training.settings import TrainSettings


def _small(epochs=3):
    return TrainSettings(
        n_cells=8, batch_size=32, learning_rate=0.05, epochs=epochs, bptt_steps=10, seed=1
    )


def _sweep_form(win, seeds=2, workers=1, vary=(("backprop", "exact, textbook"),), epochs=3):
    win.side.model.set_settings(_small(epochs))
    f = win.sweep.form
    f.set_vary(0, *vary[0])
    f.set_vary(1, *(vary[1] if len(vary) > 1 else (None, None)))
    f.seeds.setText(str(seeds))
    f.workers.setText(str(workers))
    f.address.setText("")
    win.sweep.show_view()
    assert not f.errors(), f.errors()


def _run_to_end(win, qtbot, timeout=120_000):
    assert win.sweep.start(), win.errors
    qtbot.waitUntil(lambda: not win.sweep.running, timeout=timeout)
    win.sweep.redraw(force=True)


def _processes() -> dict:
    """{pid: parent pid} of the live processes (Linux /proc; zombies are gone: only their exit
    status is left)."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(name)] = int(fields[1])
    return parents


def _cmdline(pid) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _worker_pids() -> set:
    """The sweep's worker processes: the children of this process's multiprocessing
    forkserver (which itself lives as long as this process)."""
    parents = _processes()
    servers = {p for p, pp in parents.items() if pp == os.getpid() and "forkserver" in _cmdline(p)}
    return {p for p, pp in parents.items() if pp in servers}


def test_sweep_in_the_app_shows_the_librarys_numbers(loaded, qtbot, tmp_path):
    """2 settings x 2 values x 2 seeds, sequential: the heatmap's cells are Sweep.summary()'s
    mean and std; the selected cell's curves are the frame's means per epoch."""
    win = loaded
    _sweep_form(win, vary=(("backprop", "exact, textbook"), ("bptt_steps", "5, full")))
    assert win.sweep.isVisible() and win.act_sweep_show.isChecked()
    _run_to_end(win, qtbot)
    s, view = win.sweep.sweep, win.sweep
    assert s is not None and s.n_done == 8 and not s.failures
    assert s.settings == ("backprop", "bptt_steps") and s.seeds == [0, 1]
    summary = s.summary()
    mean, std, n = view.cells.shown
    np.testing.assert_allclose(mean.ravel(), summary["mean"].to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(std.ravel(), summary["std"].to_numpy(), rtol=0, atol=1e-12)
    assert (n.ravel() == summary["n"].to_numpy()).all()
    np.testing.assert_allclose(view.cells.image.image, mean.T)  # the image drawn: x = backprop
    assert f"{summary['mean'][2]:.3f}" in view.cells.texts[2].toPlainText()  # textbook, bptt 5
    # the curves of a selected cell: textbook, bptt 5
    view.select((1, 0))
    frame = s.frame
    rows = frame[(frame["backprop"] == "textbook") & (frame["bptt_steps"] == 5)]
    expected = rows.groupby("epoch")["val_accuracy"].agg(["mean", "std"])
    x, y = view.curves.mean.getData()
    np.testing.assert_allclose(x, expected.index.to_numpy())
    np.testing.assert_allclose(y, expected["mean"].to_numpy(), atol=1e-12)
    _, hi = view.curves.high.getData()
    np.testing.assert_allclose(hi, (expected["mean"] + expected["std"]).to_numpy(), atol=1e-12)
    assert not view.curves.band.path().isEmpty()  # the band is drawn, not only computed
    train = rows.groupby("epoch")["accuracy"].mean().to_numpy()
    np.testing.assert_allclose(view.curves.train.getData()[1], train, atol=1e-12)
    assert "textbook" in view.curves.title
    # the words: compare()'s numbers, one sentence per value of the other setting
    table = s.compare("backprop", "exact", "textbook")
    words = view.sentences()
    assert len(words) == 2 and words[0].startswith("exact - textbook: ")
    assert f"{table['difference'][0]:+.3f}" in words[0] and "k = 5" in words[0]
    assert "full BPTT" in words[1] and "over 2 seeds" in words[1]
    # export: the frame and the summary as CSV, the plots as PNG
    csv_paths = win.sweep.export_csv(str(tmp_path / "sweep.csv"))
    back = pd.read_csv(csv_paths[0])
    assert len(back) == len(frame) == 8 * 3
    np.testing.assert_allclose(back["val_accuracy"], frame["val_accuracy"])
    assert len(pd.read_csv(csv_paths[1])) == 4
    png = win.sweep.export_png(str(tmp_path / "sweep.png"))
    assert png and os.path.getsize(png) > 5_000


def test_two_processes_bars_responsive_and_close_ends_the_workers(window, qtbot):
    """One setting on 2 worker processes: the bars are the summary's means; a 10 ms timer
    keeps ticking while they train; closing the window mid-sweep ends the processes."""
    win = window
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        assert win.load_data()
    qtbot.waitUntil(lambda: not win.is_loading, timeout=10_000)
    _sweep_form(win, seeds=2, workers=2, vary=(("learning_rate", "0.02, 0.1"),), epochs=6)
    ticks = []
    timer = QTimer()
    timer.setTimerType(Qt.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    seen = set()
    assert win.sweep.start()
    t0 = time.perf_counter()
    qtbot.waitUntil(lambda: seen.update(_worker_pids()) or not win.sweep.running, timeout=120_000)
    elapsed = time.perf_counter() - t0
    timer.stop()
    s = win.sweep.sweep
    assert s.n_done == 4 and not s.failures
    assert len(seen) >= 2  # the 2 worker processes were seen
    workers = set(s.runs["worker"].map(lambda w: int(w.split(":")[1])))
    assert workers <= seen and len(workers) == 2
    win.sweep.redraw(force=True)
    np.testing.assert_allclose(win.sweep.cells.bar_heights(), s.summary()["mean"].to_numpy())
    gaps = np.diff(ticks)
    print(
        f"\nevent loop during a 2-process sweep of {elapsed:.2f} s: {len(ticks)} ticks of "
        f"10 ms, largest gap {1000 * gaps.max():.0f} ms, median {1000 * np.median(gaps):.1f} ms"
    )
    assert len(ticks) >= 0.3 * elapsed / 0.010 and gaps.max() < 0.5
    assert not (_worker_pids() & seen)  # the sweep ended them
    # again, longer, and close the window while the processes train
    _sweep_form(win, seeds=20, workers=2, vary=(("learning_rate", "0.02, 0.1"),), epochs=20)
    assert win.sweep.start()
    qtbot.waitUntil(
        lambda: len(_worker_pids()) >= 2 and win.sweep.results.n_done >= 1, timeout=60_000
    )
    running = _worker_pids()
    t0 = time.perf_counter()
    win.close()
    assert time.perf_counter() - t0 < 10 and not win.sweep.running
    assert win.sweep.sweep is not None and 1 <= win.sweep.sweep.n_done < 40  # kept
    qtbot.waitUntil(lambda: not (_worker_pids() & running), timeout=5_000)


def test_stop_keeps_the_finished_runs(loaded, qtbot):
    win = loaded
    _sweep_form(win, seeds=30, workers=1, vary=(("backprop", "exact, textbook"),), epochs=3)
    assert win.sweep.start()
    assert win.sweep.stop_button.isEnabled() and not win.sweep.run_button.isEnabled()
    qtbot.waitUntil(lambda: win.sweep.results.n_done >= 3, timeout=60_000)
    win.sweep.stop_button.click()
    qtbot.waitUntil(lambda: not win.sweep.running, timeout=30_000)
    s, r = win.sweep.sweep, win.sweep.results
    assert 3 <= s.n_done < 60 and s.n_done == r.n_done
    assert "stopped" in win.sweep.status.text() and f"{s.n_done} of 60" in win.sweep.status.text()
    win.sweep.redraw(force=True)
    np.testing.assert_allclose(win.sweep.cells.bar_heights(), s.summary()["mean"].to_numpy())
    assert win.sweep.run_button.isEnabled() and win.sweep.csv_button.isEnabled()


def test_form_errors_name_the_setting(loaded, qtbot):
    win = loaded
    win.act_sweep_show.trigger()
    assert win.sweep.isVisible()
    f = win.sweep.form
    f.set_vary(0, "bptt_steps", "5, x")
    assert "bptt_steps" in f.values[0].error() and f.values[0].error_label.isVisibleTo(win)
    f.values[0].setText("5, 500")  # more than T = 100
    assert "T = 100" in f.values[0].error()
    f.values[0].setText("5, 5")
    assert "twice" in f.values[0].error()
    f.values[0].setText("5, full")
    assert f.values[0].value() == [5, None] and not f.values[0].error()
    f.set_vary(1, "bptt_steps", "10")
    assert "sweep-vary-2" in f.errors()
    f.set_vary(1, None)
    f.seeds.setText("0")
    assert f.seeds.error() and not win.sweep.start()
    assert win.errors and "seeds" not in win.errors[-1][1].split(":")[0]  # listed, not a crash
    f.seeds.setText("2")
    f.address.setText("not an address")
    assert f.address_error() and not win.sweep.start()
    f.address.setText("")
    assert not f.errors()


def test_an_unreachable_scheduler_is_said_at_its_field(loaded, qtbot):
    win = loaded
    _sweep_form(win)
    win.sweep.form.address.setText("tcp://127.0.0.1:1")
    t0 = time.perf_counter()
    assert win.sweep.start()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    qtbot.waitUntil(lambda: not win.sweep.running, timeout=30_000)
    timer.stop()
    assert time.perf_counter() - t0 < 15 and len(ticks) > 20  # no hang, the loop went on
    f = win.sweep.form
    assert "tcp://127.0.0.1:1" in f.address_error() and f.address_error_label.isVisibleTo(win)
    assert win.errors[-1][0] == "No Dask scheduler"
    assert win.sweep.sweep is None and "nothing ran" in win.sweep.status.text()
    f.address.setText("")  # edited: the problem is gone with it
    assert not f.address_error()


# -- the words follow the numbers -----------------------------------------------------------
def _row(diffs):
    from rnnfast.experiments import _stats

    mean, _, n, low, high = _stats.interval(diffs)
    return {"n": n, "difference": mean, "ci_low": low, "ci_high": high,
            "verdict": _stats.verdict(low, high)}  # fmt: skip


@pytest.mark.parametrize(
    "diffs, finding",
    [
        ([0.010, 0.012, 0.011, 0.013], "exact gives a higher accuracy than textbook"),
        ([-0.010, -0.012, -0.011, -0.013], "exact gives a lower accuracy than textbook"),
        ([0.010, -0.012, 0.011, -0.004], "no evidence that the missing transpose changes"),
        ([0.010], "too few seeds"),
    ],
)
def test_the_sentence_follows_the_numbers(qapp, diffs, finding):
    from gui.sweep.results import comparison_sentence

    text = comparison_sentence("backprop", "exact", "textbook", _row(diffs), (("bptt_steps", 10),))
    assert finding in text and text.endswith("at k = 10")
    assert text.startswith(f"exact - textbook: {np.mean(diffs):+.3f}")
    if len(diffs) > 1:
        assert "95% interval" in text and f"over {len(diffs)} seeds" in text


def test_the_verdict_flips_with_the_spread(qapp):
    """The same mean difference: a tight spread says higher, a wide one no evidence."""
    from gui.sweep.results import comparison_sentence

    tight, wide = [0.010, 0.011, 0.009, 0.010], [0.06, -0.04, 0.05, -0.03]
    assert math.isclose(np.mean(tight), np.mean(wide))
    a = comparison_sentence("bptt_steps", 10, None, _row(tight))
    b = comparison_sentence("bptt_steps", 10, None, _row(wide))
    assert "bptt 10 gives a higher accuracy than full BPTT" in a and "no evidence" not in a
    assert "no evidence that the BPTT window changes the accuracy" in b and "higher" not in b


def test_the_command_line_opens_the_sweep_view(need_rnnfast):
    from test_gui_cli import _run

    p = _run("--sweep", "foo=1", "--startup-check", timeout=60)
    assert p.returncode == 2 and "SETTING=VALUES" in p.stderr
    p = _run("--sweep", "bptt_steps=5,x", "--startup-check", timeout=60)
    assert p.returncode == 2 and "bptt_steps" in p.stderr
    p = _run("--sweep", "learning_rate=0.01,0.1", "--startup-check", timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr

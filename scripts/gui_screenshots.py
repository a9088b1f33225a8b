"""The app's screenshots in docs/: the window at 1024 x 700 with four runs (the current one
and three kept), in English and in Korean.

    python scripts/gui_screenshots.py                 # docs/screenshot.png, docs/screenshot-ko.png
    python scripts/gui_screenshots.py --out /tmp/x    # elsewhere

The four runs are the model panel's presets on the bundled sample (the source's 6.3 rule,
the exact rule with bptt 10, full BPTT, and Adam with full BPTT), each from seed 42; the
BPTT lab's views are made by ``python -m gui.lab --screenshot`` (see the README).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRESETS = ("the source (6.3)", "exact, bptt 10", "exact, full BPTT", "Adam, full BPTT")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(ROOT, "docs"))
    p.add_argument("--size", default="1024x700")
    args = p.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PyQt5")
    sys.path.insert(0, ROOT)
    from PyQt5.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui.app.window import MainWindow
    from gui.text import i18n

    def wait(done, seconds=600.0):
        end = time.monotonic() + seconds
        while not done() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    size = tuple(int(v) for v in args.size.split("x"))
    for lang, name in (("en", "screenshot.png"), ("ko", "screenshot-ko.png")):
        i18n.set_language(lang)  # before training: the status line's messages in it too
        win = MainWindow(autoload=False, dialogs=False)
        win.confirm_quit = False
        win.resize(*size)
        win.show()
        win.load_data()
        wait(lambda: win.dataset is not None and not win.is_loading)
        model = win.side.model
        for i, preset in enumerate(PRESETS):
            model.preset.setCurrentIndex(model.preset.findData(preset))
            model._apply_preset()
            model.seed.set_value(42)
            if not win.start_training():
                print(f"could not train: {win.errors[-1:]}", file=sys.stderr)
                return 1
            wait(lambda: not win.is_training)
            if i < len(PRESETS) - 1:
                win.keep_run()
        wait(lambda: False, 0.5)
        win.refresh_plots()
        app.processEvents()
        path = os.path.join(args.out, name)
        ok = win.grab().save(path, "PNG")
        print(f"{path}: {'written' if ok else 'NOT written'} ({win.width()} x {win.height()})")
        win.close()
        win.deleteLater()
        app.processEvents()
    i18n.set_language("en")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m gui``: the rnnfast desktop app.

    python -m gui                                   # the window; loads the bundled IMDB sample
    python -m gui --data path/to/imdb.npz           # a full IMDB file (Keras' format)
    python -m gui --lang ko                         # in Korean (default: the system's language)
    python -m gui --screenshot out.png --train-seconds 5
                                                    # train on the sample for (at most) 5 s,
                                                    # save a PNG of the whole window, exit
    python -m gui --lab truncation                  # the BPTT lab's tab shown, at that view
    python -m gui --sweep backprop=exact,textbook bptt_steps=10,full
                                                    # the Sweep view, its form set to these

Exit status of the screenshot mode: 0 = PNG written and all five plots had data,
3 = PNG written but some plot was empty, 1 = failure (the data could not be loaded, the
settings were refused, or no PNG). A value out of range is refused by the command line
itself (exit 2, argparse's message), with rnnfast.hyperparams' words.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

_T0 = time.perf_counter()


def _process_age() -> float:
    """Seconds since this process started (Linux /proc; falls back to since-import)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except Exception:
        return time.perf_counter() - _T0


def _size(text: str):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("size must look like 1280x800") from None
    return w, h


def _positive_seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number of seconds, got {text!r}") from None
    if not v > 0 or v != v or v == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text}")
    return v


def _review_index(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a review number, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0 (the first review is 0), got {v}")
    return v


def _existing_file(text: str) -> str:
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return os.path.abspath(text)


def _sweep_setting(text: str):
    """``name=v1,v2``: a setting the Sweep view may vary and its values (rnnfast.hyperparams)."""
    from rnnfast import hyperparams as hp

    from .sweep.form import VARIABLE

    name, sep, values = text.partition("=")
    if not sep or name not in VARIABLE:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give SETTING=VALUES with SETTING one of {', '.join(VARIABLE)}"
        )
    for v in values.split(","):
        try:
            hp.parse(name, v.strip())
        except (TypeError, ValueError) as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    return name, values


# the BPTT lab's views (gui.lab.panel.LAB_VIEWS; named here without importing Qt)
LAB_VIEWS = ("erratum", "vanishing", "truncation", "clipping", "inspector", "twins")


def build_parser() -> argparse.ArgumentParser:
    """The options; every hyperparameter is checked by rnnfast.hyperparams (the app's fields
    and the library accept the same values and refuse the others with the same words)."""
    from rnnfast import hyperparams as hp

    p = argparse.ArgumentParser(
        prog="python -m gui", description="Train a simple RNN on IMDB and watch it learn."
    )
    p.add_argument(
        "--data",
        metavar="IMDB_NPZ",
        type=_existing_file,
        help="an imdb.npz (Keras' format); default: the bundled sample",
    )
    p.add_argument("--download", action="store_true", help="use Keras' download (needs internet)")
    p.add_argument(
        "--lang", choices=["en", "ko"], help="the language of the window (default: the system's)"
    )
    for name, default in (("num_words", 100), ("skip_top", 20), ("maxlen", 100), ("max_train", 0)):
        p.add_argument(
            "--" + name.replace("_", "-"),
            type=hp.argparse_type(name),
            default=default,
            metavar="N",
            help=f"{hp.constraint(name).doc or name}: {hp.describe(name)}",
        )
    p.add_argument(
        "--encoding",
        choices=["ids", "onehot"],
        default="ids",
        help="token ids (fast) or one-hot (as the source)",
    )
    for option, name, metavar in (
        ("--n-cells", "n_cells", "N"),
        ("--batch-size", "batch_size", "N"),
        ("--lr", "learning_rate", "LR"),
        ("--epochs", "epochs", "N"),
        ("--bptt-steps", "bptt_steps", "K"),
        ("--clip-norm", "clip_norm", "NORM"),
        ("--clip-value", "clip_value", "C"),
        ("--seed", "seed", "SEED"),
    ):
        p.add_argument(
            option,
            dest=name,
            type=hp.argparse_type(name),
            default=argparse.SUPPRESS,
            metavar=metavar,
            help=f"{hp.constraint(name).doc or name}: {hp.describe(name)}",
        )
    for name in ("backprop", "optimizer", "backend"):
        p.add_argument("--" + name, choices=hp.constraint(name).choices, default=argparse.SUPPRESS)
    p.add_argument(
        "--lab",
        nargs="?",
        const="erratum",
        choices=LAB_VIEWS,
        metavar="VIEW",
        help=f"show the BPTT lab's tab at this view ({', '.join(LAB_VIEWS)}; default: erratum)",
    )
    p.add_argument(
        "--sweep",
        nargs="*",
        type=_sweep_setting,
        metavar="SETTING=VALUES",
        help="show the Sweep view, its form set to vary these settings (at most two), e.g. "
        "--sweep backprop=exact,textbook bptt_steps=10,full",
    )
    p.add_argument(
        "--review",
        type=_review_index,
        default=None,
        help="validation review shown in the hidden-states plot (0 .. the number of reviews - 1)",
    )
    p.add_argument("--size", type=_size, default=(1280, 800), help="window size, e.g. 1280x800")
    p.add_argument(
        "--screenshot", metavar="PNG", help="train, save a PNG of the whole window, exit"
    )
    p.add_argument(
        "--train-seconds",
        type=_positive_seconds,
        default=5.0,
        help="screenshot mode: train at most this long (seconds > 0)",
    )
    p.add_argument(
        "--report-lateness",
        action="store_true",
        help="screenshot mode: run a 10 ms timer while training and print how late it fired",
    )
    p.add_argument(
        "--startup-check",
        action="store_true",
        help="print the time until the window is shown, then exit",
    )
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    bptt = getattr(args, "bptt_steps", None)
    if bptt is not None and bptt > args.maxlen:
        parser.error(
            f"argument --bptt-steps: bptt_steps ({bptt}) cannot exceed --maxlen ({args.maxlen})"
        )
    if args.sweep is not None and len(args.sweep) > 2:
        parser.error("argument --sweep: at most two settings vary")
    if args.skip_top >= args.num_words:
        parser.error(
            f"argument --skip-top: skip_top ({args.skip_top}) must be smaller than --num-words "
            f"({args.num_words})"
        )
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PyQt5")
    headless = not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM")
    if (args.screenshot or args.startup_check) and headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PyQt5.QtCore import Qt, QTimer
    from PyQt5.QtWidgets import QApplication

    if QApplication.instance() is None:  # a 4K screen's scale factor applies to the whole window
        QApplication.setAttribute(Qt.AA_EnableHighDpiScaling, True)
        QApplication.setAttribute(Qt.AA_UseHighDpiPixmaps, True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("rnnfast")
    app.setOrganizationName("rnnfast")

    from .app.window import MainWindow
    from .panels.model import CHOICES, NUMBERS
    from .text import i18n
    from .training.settings import DataSettings, TrainSettings

    lang = args.lang or i18n.system_language()
    try:
        i18n.set_language(lang)
    except OSError as e:  # a copy of the app without its .qm: English
        print(f"note: {e}; the window is in English", file=sys.stderr)
        lang = i18n.set_language("en")
    if args.data:
        source, path = "file", args.data
    elif args.download:
        source, path = "download", None
    else:
        source, path = "sample", None
    data = DataSettings(
        source=source,
        path=path,
        num_words=args.num_words,
        skip_top=args.skip_top,
        maxlen=args.maxlen,
        encoding=args.encoding,
        max_train=args.max_train,
    )
    win = MainWindow(
        autoload=not args.startup_check, data_settings=data, dialogs=not args.screenshot
    )
    form = TrainSettings().to_dict()
    form.update(
        {k: getattr(args, k) for k in NUMBERS + CHOICES if hasattr(args, k)}
    )  # the options given
    win.side.model.set_maxlen(args.maxlen)
    win.side.model.set_settings(form)
    if args.review is not None:
        win.side.data.review.setMaximum(args.review)
        win.side.data.review.setValue(args.review)
        win.data_loaded.connect(lambda d: _check_review(win, args.review, d))
    _install_excepthook(win)
    win.resize(*args.size)
    win.show()
    if args.lab:
        win.lab.show_view(args.lab)
    if args.sweep is not None:  # the Sweep view, its form set to vary the settings given
        if args.sweep:
            win.sweep.form.set_vary(0, *args.sweep[0])
            win.sweep.form.set_vary(1, *(args.sweep[1] if len(args.sweep) > 1 else (None, None)))
        win.sweep.show_view()
    if args.startup_check:

        def report():  # runs once the event loop has shown (painted) the window
            app.processEvents()
            shown = time.perf_counter() - _T0
            print(
                f"window shown: {shown:.3f} s after gui.__main__ import, "
                f"{_process_age():.3f} s after process start"
            )
            print("tensorflow imported:", "tensorflow" in sys.modules)
            print("language:", i18n.language())
            win.close()
            app.quit()

        QTimer.singleShot(0, report)
        return _teardown(win, app.exec_())
    if args.screenshot:
        shot = _ScreenshotRun(app, win, args.screenshot, args.train_seconds, args.report_lateness)
        QTimer.singleShot(0, shot.begin)
        code = app.exec_()
        return _teardown(win, shot.code if shot.code is not None else code)
    return _teardown(win, app.exec_())


def _check_review(win, review: int, dataset):
    """``--review`` beyond the validation reviews loaded: said, not clamped silently (the
    screenshot mode exits 1 with it)."""
    if review >= dataset.n_val:
        win.show_error(
            "--review",
            f"there is no validation review {review:,}: the data loaded has {dataset.n_val:,} "
            f"(0 .. {dataset.n_val - 1:,})",
        )


def _teardown(win, code: int) -> int:
    """Delete the window and PyQt's other leftovers while the QApplication exists (see
    :mod:`gui.app.shutdown`: otherwise an occasional segfault at exit); returns ``code``."""
    from .app.shutdown import release_qt_objects

    release_qt_objects(win)
    return code


def _install_excepthook(win):
    """An unexpected error in a slot shows a dialog instead of aborting (PyQt5 calls qFatal
    on an unhandled exception when the default hook is installed)."""
    import traceback

    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        print(text, file=sys.stderr)
        try:
            win.show_error("Unexpected error", f"{exc_type.__name__}: {exc}\n\n{text}")
        except Exception:  # pragma: no cover - the window is gone
            pass

    sys.excepthook = hook


class _ScreenshotRun:
    """Load -> train for N seconds (or until done) -> grab the window -> quit."""

    def __init__(self, app, win, path, seconds, lateness=False):
        self.app, self.win, self.path, self.seconds = (
            app,
            win,
            os.path.abspath(path),
            float(seconds),
        )
        self.lateness = lateness
        self.ticks = []
        self.probe = None
        self.code = None
        self._started = self._trained = False
        self._timing = False
        self._done = False

    def begin(self):
        from PyQt5.QtCore import QTimer

        w = self.win
        w.data_loaded.connect(self._on_loaded)
        w.training_finished.connect(self._on_finished)
        w.error_shown.connect(self._on_error)
        QTimer.singleShot(int((self.seconds + 120) * 1000), lambda: self._grab(reason="watchdog"))
        if w.dataset is not None and not w.is_loading:
            self._on_loaded(w.dataset)

    def _on_loaded(self, _dataset):
        from PyQt5.QtCore import QTimer

        if self._started or self._done:
            return
        self._started = True
        if self.win.start_training():  # refused settings: an error, _on_error exits 1
            self._trained = True
            # the N seconds count from the first batch (a busy machine can delay the start)
            self.win.controller.worker.batches.connect(self._first_batch)
        elif not self._done:
            QTimer.singleShot(200, lambda: self._grab(reason="could not start training"))

    def _first_batch(self, _payload):
        from PyQt5.QtCore import QTimer

        if self._timing:
            return
        self._timing = True
        QTimer.singleShot(int(self.seconds * 1000), self.win.stop)
        if self.lateness:  # a 10 ms timer in the GUI thread while the worker trains
            from PyQt5.QtCore import Qt

            self.probe = QTimer()
            self.probe.setTimerType(Qt.PreciseTimer)
            self.probe.setInterval(10)
            self.probe.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
            self.probe.start()

    def _on_error(self, title, message):
        """Before training (the data could not be loaded, the settings are refused): exit 1
        with the error, no screenshot."""
        if self._trained or self._done:
            return
        from PyQt5.QtCore import QTimer

        self._done = True
        print(f"error: {title}: {message.split(chr(10) + chr(10))[0]}", file=sys.stderr)
        self.code = 1
        QTimer.singleShot(0, lambda: (self.win.close(), self.app.quit()))

    def _on_finished(self, _result):
        from PyQt5.QtCore import QTimer

        if self.probe is not None:
            self.probe.stop()
            self._report_lateness()
        # let the last queued payloads arrive and the timer redraw
        QTimer.singleShot(400, lambda: self._grab(reason=None))

    def _report_lateness(self):
        import numpy as np

        if len(self.ticks) < 3:
            print("timer lateness while training: not measured (too short)")
            return
        late = np.diff(self.ticks) - 0.010
        print(
            f"timer lateness while training: max {1000 * late.max():.1f} ms, "
            f"mean {1000 * late.mean():.2f} ms, "
            f"p99 {1000 * np.percentile(late, 99):.1f} ms over {len(late)} ticks"
        )

    def _grab(self, reason):
        if self._done:
            return
        self._done = True
        w = self.win
        if w.is_training:
            w.stop(wait=True)
        self.app.processEvents()
        w.refresh_plots()
        w.lab.redraw()
        self.app.processEvents()
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        ok = w.grab().save(self.path, "PNG")
        have = w.plots_with_data()
        h = w.history
        print(f"screenshot: {self.path} ({'written' if ok else 'NOT written'})")
        print(
            "plots with data: " + ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in have.items())
        )
        if h is not None:
            print(f"batches: {h.n_batches_seen}, epochs: {len(h.epoch_x)}, status: {h.status}")
        print("BPTT lab views with data: " + (", ".join(w.lab.keys_with_data()) or "none"))
        if reason:
            print(f"note: {reason}", file=sys.stderr)
        self.code = 1 if not ok else (0 if all(have.values()) else 3)
        w.close()
        self.app.quit()


if __name__ == "__main__":
    sys.exit(main())

"""``python -m gui.lab``: the BPTT lab's views in their own window.

    python -m gui.lab                              # trains on the bundled IMDB sample
    python -m gui.lab --data path/to/imdb.npz      # the full file (Keras' format)
    python -m gui.lab --screenshot out.png         # train, then one PNG per view, exit
    python -m gui.lab --explode --clip norm --threshold 1
    python -m gui.lab --screenshot out.png --twins rules   # also the twin runs' view

Exit status of the screenshot mode: 0 = one PNG per view written (the twin runs' with
``--twins``), 1 = failure.
"""

from __future__ import annotations

import argparse
import os
import sys

from rnnfast import hyperparams


def _existing_file(text: str) -> str:
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return os.path.abspath(text)


def _size(text: str):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, got {text!r}") from None
    if w < 1 or h < 1:
        raise argparse.ArgumentTypeError(f"size must be positive, got {text!r}")
    return w, h


def build_parser():
    p = argparse.ArgumentParser(
        prog="python -m gui.lab",
        description="The BPTT lab: why gradients vanish, what the missing transpose changes.",
    )
    p.add_argument(
        "--data",
        metavar="IMDB_NPZ",
        type=_existing_file,
        help="an imdb.npz; default: the bundled sample",
    )
    p.add_argument(
        "--screenshot",
        metavar="PNG",
        help="train, save one PNG per view (<stem>_<n>_<view>.png), exit",
    )
    h = hyperparams.argparse_type
    p.add_argument("--epochs", type=h("epochs"), default=5)
    p.add_argument("--n-cells", type=h("n_cells"), default=32)
    p.add_argument("--learning-rate", type=h("learning_rate"), default=0.01)
    p.add_argument("--bptt", type=h("bptt_steps"), default=10, help="steps back, or 'full'")
    p.add_argument("--backprop", type=h("backprop"), default="exact")
    p.add_argument("--clip", choices=["none", "norm", "value"], default="none")
    p.add_argument("--threshold", type=h("clip_norm"), default=1.0, help="the clipping threshold c")
    p.add_argument("--explode", action="store_true", help="start with sigma_max(W1h) = 2.5")
    p.add_argument("--seed", type=h("seed"), default=1)
    p.add_argument(
        "--twins",
        choices=["rules", "window"],
        help="after training, twin runs: exact vs textbook, or k=10 vs full",
    )
    p.add_argument("--size", type=_size, default=(1280, 800), help="window size, WxH")
    p.add_argument("--lang", choices=["en", "ko"], help="the language (default: the system's)")
    return p


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.bptt is not None and args.bptt > 100:
        parser.error(f"argument --bptt: bptt_steps ({args.bptt}) cannot exceed T = 100")
    if args.screenshot and not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PyQt5")
    from PyQt5.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui.text import i18n
    from gui.training.settings import TrainSettings

    try:
        i18n.set_language(args.lang or i18n.system_language())
    except OSError as e:  # a copy without its .qm: English
        print(f"note: {e}; the window is in English", file=sys.stderr)

    from .runner import LabSettings
    from .window import LabWindow, lab_data, word_decoder

    train = TrainSettings(
        n_cells=args.n_cells,
        learning_rate=args.learning_rate,
        epochs=args.epochs,
        bptt_steps=args.bptt,
        backprop=args.backprop,
        seed=args.seed,
    )
    settings = LabSettings(
        train, clip=args.clip, threshold=args.threshold or 1.0, explode=args.explode
    )
    try:  # a file that is not IMDB's: one line, as python -m gui says it
        data = lab_data(args.data)
    except (OSError, ValueError) as e:
        print(f"python -m gui.lab: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 1
    win = LabWindow(data, settings, decode=word_decoder(args.data))
    win.resize(*args.size)
    win.show()
    win.train()
    if not args.screenshot:
        return app.exec_()
    ok = win.wait()
    if args.twins:
        win.train_twins(args.twins)
        ok = win.wait() and ok
    win.gradient_check()
    paths = win.save_screenshots(args.screenshot)
    for view in win.views.values():
        print(f"{view.key}: {'yes' if view.has_data() else 'no data'}")
    print(win.status.text())
    for p in paths:
        print(p)
    win.close()
    return 0 if ok and len(paths) == len(win.views) + bool(args.twins) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The source's section 6.3 on real IMDB, end to end (system S1).

Run it::

    python -m rnnfast.examples.textbook                      # full IMDB (file lookup), one-hot
    python -m rnnfast.examples.textbook --data imdb.npz --encoding ids --plot losses.png
    python -m rnnfast.examples.textbook --sample --epochs 2  # the bundled sample, offline

It follows the source step by step and prints what the source prints: the shapes
``(25000,) (25000,)``, review 0 before and after dropping every id <= 2, its words decoded
with the word index as the source does (``index_to_word[w - 3]``), the lengths of reviews 0
and 1, ``y_train_all[:10]``, the split ``(20000, 100) (5000, 100)``, the padded
``x_train_seq[0]``, and the one-hot array's shape ``(20000, 100, 100)`` and size
``800000000`` bytes.  Then it trains ``RecurrentNetwork(n_cells=32, batch_size=32,
learning_rate=0.01)`` for ``--epochs`` (20) with a progress line per epoch on stderr, and
prints the validation score next to the source's 0.7002.  Where the source printed a value,
the value it printed follows as a ``# source:`` comment.  The data file here is not Keras'
published file (see ``../shared/data/README.md``): its reviews are in another order, so
"review 0" is a different review than the source's, while shapes and sizes are the same.

Options: ``--data PATH`` (default: the lookup of :func:`rnnfast.datasets.imdb.load_data`),
``--sample`` (the small sample shipped with rnnfast, labelled as such), ``--word-index
PATH`` (default: ``imdb_word_index.json`` beside ``--data``, else the lookup),
``--encoding onehot|ids`` (``onehot``: the source's float32 ``to_categorical`` array, 800 MB;
``ids``: the same network fed the token ids, so the one-hot array is never built -- same
weights, same losses, same score), ``--backprop exact|textbook`` (the true gradient, or the
source's rule without the transpose, see README "An erratum in the source"), ``--backend
cython|numpy`` (compiled kernels, or the NumPy reference: the source's code), ``--epochs``,
``--seed`` (weights and shuffling; default 0 so that a run can be repeated -- the source
did not seed), ``--plot PATH.png``.

The loss curves are drawn with matplotlib, which is optional: see
:mod:`rnnfast.examples._report`, which holds the plot and the printout's helpers.

Importing this module has no side effects.  :func:`run` is the whole example as a function
returning a dict; :func:`prepare`, :func:`train` and :func:`plot_losses` are its parts, reused
by :mod:`rnnfast.examples.s1_table`.
"""

import argparse
import sys
import time
from pathlib import Path

from .. import hyperparams
from .._compiled import CompiledExtensionError
from ..datasets import imdb
from ..network import DivergenceError, RecurrentNetwork
from ..preprocessing import drop_ids, pad_sequences, textbook_split, to_categorical
from ._report import MATPLOTLIB_HINT, SOURCE_SCORE, _Out, matplotlib_available, plot_losses

__all__ = [
    "prepare",
    "train",
    "plot_losses",
    "run",
    "main",
    "matplotlib_available",
    "SOURCE_SCORE",
    "MATPLOTLIB_HINT",
]

#: The source's data preparation: ``load_data(skip_top=20, num_words=100)``, maxlen 100.
NUM_WORDS, SKIP_TOP, MAXLEN = 100, 20, 100
#: The source's network and training: RecurrentNetwork(n_cells=32, batch_size=32,
#: learning_rate=0.01), fit(..., epochs=20); backprop through the last 10 steps.
N_CELLS, BATCH_SIZE, LEARNING_RATE, EPOCHS, BPTT_STEPS = 32, 32, 0.01, 20, 10

ENCODINGS = ("onehot", "ids")
BACKPROPS = hyperparams.constraint("backprop").choices
BACKENDS = hyperparams.constraint("backend").choices


# ----------------------------------------------------------------------------- data


def s1_network(backprop, seed, **kwargs):
    """The source's S1 network (compiled) with ``warm_start``: the S1 tables set its weights
    (``init_weights``) and shuffles before ``fit`` continues from them."""
    return RecurrentNetwork(
        n_cells=N_CELLS, batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE, backprop=backprop,
        bptt_steps=BPTT_STEPS, seed=seed, warm_start=True, **kwargs,
    )  # fmt: skip


def s1_score(rn, data, epochs):
    """Fit ``rn`` (an :func:`s1_network` with its weights and shuffles set) on the S1 data for
    ``epochs`` and return its validation score."""
    rn.fit(data["x_train_seq"], data["y_train"], epochs=epochs, x_val=data["x_val_seq"],
           y_val=data["y_val"])  # fmt: skip
    return rn.score(data["x_val_seq"], data["y_val"])


def prepare(path=None, *, sample=False, encoding="onehot", word_index=None, out=None):
    """The source's data preparation, step by step, printing what the source prints.

    Args:
        path: an ``imdb.npz`` in Keras' format; ``None`` = the lookup of
            :func:`rnnfast.datasets.imdb.load_data`.  Not together with ``sample``.
        sample: use the bundled sample (5,000 reviews: the split is 4,000 / 1,000).
        encoding: ``"onehot"`` also builds the source's float32 one-hot arrays;
            ``"ids"`` does not (their shape and size are printed as "not built").
        word_index: a ``imdb_word_index.json``; ``None`` = the one beside ``path``, else
            the lookup (the sample's own for ``sample``).  Without one, decoding is skipped.
        out: a text stream for the printout (``None``: print nothing).

    Returns:
        dict with ``x_train_seq`` (n_train, 100) int32, ``y_train``, ``x_val_seq``,
        ``y_val``, ``x_train_onehot``/``x_val_onehot`` (float32 (n, 100, 100), or None for
        ``ids``), ``n_features`` (100), ``data`` (a description of the data used),
        ``sample`` and ``load_seconds``.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, got {encoding!r}")
    if sample and path is not None:
        raise ValueError("give either path or sample=True, not both")
    say = _Out(out, sample=sample)
    start = time.perf_counter()
    source = "sample" if sample else None
    if sample:
        say(imdb.SAMPLE_DESCRIPTION)
        say()
        data = f"bundled IMDB sample ({imdb.SAMPLE_PATH.name})"
    else:
        data = str(path) if path is not None else "imdb.npz (found by the file lookup)"

    # 1. Load IMDB as the source: skip the 20 most frequent words, keep ids < 100.
    say.code(
        f"(x_train_all, y_train_all), (x_test, y_test) = imdb.load_data("
        f"skip_top={SKIP_TOP}, num_words={NUM_WORDS})"
    )
    (x_train_all, y_train_all), _ = imdb.load_data(
        path=path, skip_top=SKIP_TOP, num_words=NUM_WORDS, source=source
    )
    say.code("print(x_train_all.shape, y_train_all.shape)")
    say(x_train_all.shape, y_train_all.shape)
    say.source("shapes")
    say.code("print(x_train_all[0])")
    if not sample:
        say(
            "# (a file not in the order of Keras' published one, as ../shared/data/imdb.npz, "
            "has another review 0 than the source's)"
        )
    say.wrapped(str(x_train_all[0]))
    lengths_before = (len(x_train_all[0]), len(x_train_all[1]))

    # 2. Drop the start (1), OOV (2) and skip_top ids: [w for w in x if w > 2].
    say.code("for i in range(len(x_train_all)):")
    say.code("    x_train_all[i] = [w for w in x_train_all[i] if w > 2]")
    x_train_all = drop_ids(x_train_all, below=3)
    say.code("print(x_train_all[0])")
    say.wrapped(str(x_train_all[0]))

    # 3. Decode review 0 with the word index, as the source: index_to_word[w - 3].
    say.review_words(x_train_all[0], path, word_index)
    say.code("print(len(x_train_all[0]), len(x_train_all[1]))")
    say(len(x_train_all[0]), len(x_train_all[1]))
    say(f"# before the drop: {lengths_before[0]} {lengths_before[1]}")
    say.source("lengths")
    say.code("print(y_train_all[:10])")
    say(y_train_all[:10])
    say.source("labels")

    # 4. The source's split: np.random.seed(42); np.random.permutation(25000).
    n = len(x_train_all)
    say.code("np.random.seed(42)")
    say.code(f"random_index = np.random.permutation({n})")
    train_index, val_index = textbook_split(n, seed=42)
    n_train = len(train_index)
    x_train, y_train = x_train_all[train_index], y_train_all[train_index]
    x_val, y_val = x_train_all[val_index], y_train_all[val_index]
    say.code(f"x_train = x_train_all[random_index[:{n_train}]]   # and y_train, x_val, y_val")

    # 5. pad_sequences(maxlen=100): pre-padding with 0, keeping the last 100 ids.
    say.code(f"x_train_seq = sequence.pad_sequences(x_train, maxlen={MAXLEN})")
    say.code(f"x_val_seq = sequence.pad_sequences(x_val, maxlen={MAXLEN})")
    x_train_seq = pad_sequences(x_train, maxlen=MAXLEN)
    x_val_seq = pad_sequences(x_val, maxlen=MAXLEN)
    say.code("print(x_train_seq.shape, x_val_seq.shape)")
    say(x_train_seq.shape, x_val_seq.shape)
    say.source("split")
    say.code("print(x_train_seq[0])")
    say(x_train_seq[0])

    # 6. One-hot, float32 as Keras' to_categorical (the pad id 0 becomes a real row).
    x_train_onehot = x_val_onehot = None
    if encoding == "onehot":
        # The source omits num_classes (max id + 1, which is 100 here); giving it keeps
        # the width 100 whatever the data.
        say.code(f"x_train_onehot = to_categorical(x_train_seq, num_classes={NUM_WORDS})")
        say.code(f"x_val_onehot = to_categorical(x_val_seq, num_classes={NUM_WORDS})")
        x_train_onehot = to_categorical(x_train_seq, num_classes=NUM_WORDS)
        x_val_onehot = to_categorical(x_val_seq, num_classes=NUM_WORDS)
    say.onehot(x_train_seq, x_train_onehot, NUM_WORDS)
    return {
        "x_train_seq": x_train_seq,
        "y_train": y_train,
        "x_val_seq": x_val_seq,
        "y_val": y_val,
        "x_train_onehot": x_train_onehot,
        "x_val_onehot": x_val_onehot,
        "n_features": NUM_WORDS,
        "data": data,
        "sample": bool(sample),
        "load_seconds": time.perf_counter() - start,
    }


# ----------------------------------------------------------------------------- training


def train(
    data,
    *,
    encoding="onehot",
    backprop="exact",
    backend="cython",
    seed=0,
    epochs=EPOCHS,
    verbose=False,
    n_cells=N_CELLS,
    batch_size=BATCH_SIZE,
    learning_rate=LEARNING_RATE,
    bptt_steps=BPTT_STEPS,
):
    """Train and score the source's network on the arrays of :func:`prepare`.

    Returns a dict: ``score`` (validation accuracy, ``rn.score``), ``losses``,
    ``val_losses``, ``val_accuracies``, ``epochs_run``, ``fit_seconds`` and
    ``seconds_per_epoch`` (wall time of ``fit``, which includes the validation pass of
    every epoch, as the source's), ``cpu_seconds_per_epoch`` (CPU time of this process,
    all threads: less sensitive to other load on a shared machine), the settings, and
    ``network`` (the fitted :class:`~rnnfast.RecurrentNetwork`).
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, got {encoding!r}")
    if encoding == "onehot":
        x, x_val = data["x_train_onehot"], data["x_val_onehot"]
        if x is None:
            raise ValueError(
                "encoding='onehot' needs the one-hot arrays: prepare(..., encoding='onehot')"
            )
        fit_kwargs = {}
    else:
        x, x_val = data["x_train_seq"], data["x_val_seq"]
        fit_kwargs = {"n_features": data["n_features"]}
    rn = RecurrentNetwork(
        n_cells=n_cells,
        batch_size=batch_size,
        learning_rate=learning_rate,
        backend=backend,
        backprop=backprop,
        bptt_steps=bptt_steps,
        seed=seed,
        verbose=verbose,
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    rn.fit(x, data["y_train"], epochs=epochs, x_val=x_val, y_val=data["y_val"], **fit_kwargs)
    fit_seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    epochs_run = len(rn.losses)
    return {
        "score": rn.score(x_val, data["y_val"]),
        "losses": list(rn.losses),
        "val_losses": list(rn.val_losses),
        "val_accuracies": list(rn.val_accuracies),
        "epochs_run": epochs_run,
        "fit_seconds": fit_seconds,
        "seconds_per_epoch": fit_seconds / max(epochs_run, 1),
        "cpu_seconds_per_epoch": cpu_seconds / max(epochs_run, 1),
        "encoding": encoding,
        "backprop": backprop,
        "backend": backend,
        "seed": seed,
        "epochs": epochs,
        "n_train": len(x),
        "n_val": len(x_val),
        "data": data["data"],
        "network": rn,
    }


# ----------------------------------------------------------------------------- the example


def run(
    encoding="onehot",
    backprop="exact",
    backend="cython",
    seed=0,
    epochs=EPOCHS,
    path=None,
    *,
    sample=False,
    word_index=None,
    plot=None,
    verbose=True,
    out=None,
    quiet=False,
):
    """The whole example: :func:`prepare`, :func:`train`, print the score, plot.

    ``out`` is the stream of the printout (``None`` = ``sys.stdout``; ``quiet=True`` prints
    nothing); ``verbose`` shows the per-epoch progress line on stderr.  ``plot`` = a
    ``.png`` path for the loss curves (skipped with a message if matplotlib is missing).

    Returns the dict of :func:`train` plus ``plot`` (the path written, or None) and
    ``source_score`` (0.7002).
    """
    hyperparams.check("backprop", backprop)
    hyperparams.check("backend", backend)
    say = _Out(None if quiet else (out if out is not None else sys.stdout), sample=sample)
    data = prepare(path, sample=sample, encoding=encoding, word_index=word_index, out=say.stream)
    x_name = "x_train_onehot" if encoding == "onehot" else "x_train_seq"
    xv_name = "x_val_onehot" if encoding == "onehot" else "x_val_seq"
    extra = ", n_features=100" if encoding == "ids" else ""
    say()
    say.code(
        f"rn = RecurrentNetwork(n_cells={N_CELLS}, batch_size={BATCH_SIZE}, "
        f"learning_rate={LEARNING_RATE},"
    )
    say.code(
        f"                      backprop={backprop!r}, backend={backend!r}, "
        f"seed={seed}, verbose={bool(verbose)})"
    )
    say.code(f"rn.fit({x_name}, y_train, epochs={epochs}, x_val={xv_name}, y_val=y_val{extra})")
    result = train(
        data,
        encoding=encoding,
        backprop=backprop,
        backend=backend,
        seed=seed,
        epochs=epochs,
        verbose=verbose,
    )
    say.score(result, xv_name)
    result["source_score"] = SOURCE_SCORE
    result["plot"] = None
    if plot is not None:
        if not matplotlib_available():
            say(f"# no plot: {MATPLOTLIB_HINT}")
        else:
            title = (
                f"S1 {'SAMPLE ' if data['sample'] else ''}{encoding}, {backprop}, "
                f"{backend}, seed {seed}: val. score {result['score']:.4f}"
            )
            result["plot"] = plot_losses(result["losses"], result["val_losses"], plot, title)
            say(f"# loss curves (rn.losses, rn.val_losses) written to {result['plot']}")
    return result


def _parser():
    p = argparse.ArgumentParser(
        prog="python -m rnnfast.examples.textbook",
        description="The source's section 6.3: IMDB, RecurrentNetwork(n_cells=32, "
        "batch_size=32, learning_rate=0.01), 20 epochs; prints what the source "
        "prints and the validation score (source: 0.7002).",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--data",
        metavar="PATH",
        help="imdb.npz in Keras' format (default: "
        "$RNNFAST_IMDB, Keras' cache ~/.keras/datasets, or a download)",
    )
    where.add_argument(
        "--sample",
        action="store_true",
        help="use the small IMDB sample bundled with rnnfast (offline)",
    )
    p.add_argument(
        "--word-index",
        metavar="PATH",
        help="imdb_word_index.json (default: beside --data, else the lookup)",
    )
    p.add_argument(
        "--encoding",
        choices=ENCODINGS,
        default="onehot",
        help="onehot: the source's float32 to_categorical array (800 MB); ids: "
        "the token ids, no one-hot array (same results)",
    )
    # Values outside rnnfast.hyperparams' table are rejected with its message.
    table = hyperparams.argparse_type
    p.add_argument(
        "--backprop",
        type=table("backprop"),
        choices=BACKPROPS,
        default="exact",
        help="exact gradient, or the source's rule (missing transpose)",
    )
    p.add_argument(
        "--backend",
        type=table("backend"),
        choices=BACKENDS,
        default="cython",
        help="compiled kernels, or the NumPy reference (the source's code; slower)",
    )
    p.add_argument(
        "--epochs",
        type=table("epochs"),
        default=EPOCHS,
        help=f"{hyperparams.describe('epochs')}; default %(default)s",
    )
    p.add_argument(
        "--seed",
        type=table("seed"),
        default=0,
        help=f"weights and shuffling: {hyperparams.describe('seed')} (default %(default)s)",
    )
    p.add_argument(
        "--plot", metavar="PATH.png", help="write the loss curves to this PNG (needs matplotlib)"
    )
    p.add_argument(
        "--quiet-progress", action="store_true", help="no per-epoch progress line on stderr"
    )
    return p


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.plot is not None:
        plot = Path(args.plot).expanduser()
        if plot.suffix.lower() != ".png":
            parser.error(f"--plot must name a .png file, got {args.plot!r}")
        if not plot.parent.is_dir():
            parser.error(f"--plot: folder {str(plot.parent)!r} does not exist")
        if not matplotlib_available():
            print(f"warning: {MATPLOTLIB_HINT}; training without a plot", file=sys.stderr)
    try:
        run(
            encoding=args.encoding,
            backprop=args.backprop,
            backend=args.backend,
            seed=args.seed,
            epochs=args.epochs,
            path=args.data,
            sample=args.sample,
            word_index=args.word_index,
            plot=args.plot,
            verbose=not args.quiet_progress,
        )
    except (FileNotFoundError, ValueError) as exc:
        hint = " (here: --data PATH, or --sample)" if isinstance(exc, FileNotFoundError) else ""
        print(f"error: {exc}{hint}", file=sys.stderr)
        return 2
    except (DivergenceError, CompiledExtensionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print(
            "error: out of memory building the one-hot array (800 MB for the full data); "
            "try --encoding ids",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

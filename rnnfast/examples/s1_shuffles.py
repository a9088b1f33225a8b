"""Why the source's own code scores lower on ``../shared/data/imdb.npz``: its shuffles.

Run it (about 40 short compiled runs; 10 to 20 minutes on 2 cores)::

    python -m rnnfast.examples.s1_shuffles --data ../shared/data/imdb.npz \\
        --init-seeds 0 1 2 3 --shuffle-seeds 42 0 1 2 43

The source's ``fit`` calls ``np.random.seed(42)`` before training, so all its runs share one
sequence of mini-batch shuffles (``np.random.permutation`` once per epoch), and only the
TensorFlow initial weights vary between runs.  rnnfast's ``seed`` sets both the weights and
the shuffles.  This script separates the two: for each rule it trains the S1 network
(compiled, token ids: the same results as the one-hot input) from rnnfast's initial weights
of ``--init-seeds`` with the source's shuffles drawn after ``np.random.seed(S)`` for each
``S`` of ``--shuffle-seeds`` (42 = the source's).  The shuffles are drawn from a private
``np.random.RandomState(S)``, the same sequence as the source's, without touching NumPy's
global random state.

Given the same initial weights and shuffles, rnnfast's NumPy backend reproduces the
source's class bit for bit and the compiled backend to about 1e-16 (checked while writing
the README section "Reproducing the source's results (S1)").
"""

import argparse
import sys

import numpy as np

from .. import hyperparams
from . import textbook

__all__ = ["SourceShuffles", "train_with_source_shuffles", "main"]


class SourceShuffles:
    """Stands in for the network's generator: ``permutation(n)`` as the source's
    ``gen_batch`` (``np.random.permutation(np.arange(n))`` after ``np.random.seed(seed)``)."""

    def __init__(self, seed):
        self._state = np.random.RandomState(seed)

    def permutation(self, n):
        return self._state.permutation(np.arange(n))


def train_with_source_shuffles(data, rule, init_seed, shuffle_seed, epochs=textbook.EPOCHS):
    """Validation score of the S1 network (compiled, token ids) started from rnnfast's
    weights for ``init_seed`` and trained with the source's shuffles for ``shuffle_seed``."""
    rn = textbook.s1_network(rule, init_seed)
    rn.init_weights(data["n_features"])
    rn._rng = SourceShuffles(shuffle_seed)  # fit draws one permutation per epoch from it
    return textbook.s1_score(rn, data, epochs)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m rnnfast.examples.s1_shuffles", description=__doc__.splitlines()[0]
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--data", metavar="PATH", help="imdb.npz (default: the file lookup)")
    where.add_argument("--sample", action="store_true", help="the bundled sample (a test)")
    p.add_argument("--init-seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    p.add_argument("--shuffle-seeds", type=int, nargs="+", default=[42, 0, 1, 2, 43])
    p.add_argument(
        "--rules", nargs="+", choices=textbook.BACKPROPS, default=list(textbook.BACKPROPS)
    )
    p.add_argument("--epochs", type=hyperparams.argparse_type("epochs"), default=textbook.EPOCHS)
    args = p.parse_args(argv)
    try:
        data = textbook.prepare(args.data, sample=args.sample, encoding="ids")
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = [
        f"Validation score, S1 network ({args.epochs} epochs), rnnfast's initial weights "
        "(rows) and the source's shuffles `np.random.seed(S)` (columns; 42 is the "
        "source's):",
        "",
    ]
    for rule in args.rules:
        lines += [
            f"{rule} rule:",
            "",
            "| init seed | " + " | ".join(f"S = {s}" for s in args.shuffle_seeds) + " |",
            "|---:|" + "---:|" * len(args.shuffle_seeds),
        ]
        columns = {s: [] for s in args.shuffle_seeds}
        for init_seed in args.init_seeds:
            row = []
            for s in args.shuffle_seeds:
                score = train_with_source_shuffles(data, rule, init_seed, s, args.epochs)
                columns[s].append(score)
                row.append(f"{score:.4f}")
                print(
                    f"{rule} init {init_seed} shuffles {s}: {score:.4f}",
                    file=sys.stderr,
                    flush=True,
                )
            lines.append(f"| {init_seed} | " + " | ".join(row) + " |")
        lines.append(
            "| mean | "
            + " | ".join(f"**{np.mean(columns[s]):.4f}**" for s in args.shuffle_seeds)
            + " |"
        )
        lines.append("")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

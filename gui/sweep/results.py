"""What the Sweep view shows, without Qt widgets: the runs that have finished (copies sent by
the worker), each cell's final validation accuracy over the seeds, the per-epoch curves of a
cell with their spread, and the paired comparison in words.

A cell is one combination of the varied settings, named by the indices of its values
(``(i,)`` or ``(i, j)``); the cells are in the order of ``Sweep.summary()``'s rows (the first
setting varies slowest). The statistics are the library's (``rnnfast.experiments``): the mean
and the standard deviation over the seeds (``ddof=1``; NaN for fewer than 2 seeds).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.runs import phrase

METRICS = ("loss", "val_loss", "accuracy", "val_accuracy")
FINAL = "val_accuracy"  # what the cells show


class SweepResults:
    """The finished runs of one sweep (``add`` a payload of the worker's ``run_done``)."""

    def __init__(self, grid: dict, seeds, epochs: int):
        self.grid = {k: list(v) for k, v in grid.items()}
        self.settings = list(self.grid)
        self.seeds = list(seeds)
        self.epochs = int(epochs)
        self.cells = list(itertools.product(*(range(len(v)) for v in self.grid.values())))
        self.curves = {}  # (cell, seed) -> {metric: np.ndarray per epoch}
        self.failed = {}  # (cell, seed) -> message
        self.comparisons = {}  # (setting, ia, ib) -> rows of Sweep.compare (dicts)
        self.version = 0

    @property
    def n_planned(self) -> int:
        return len(self.cells) * len(self.seeds)

    @property
    def n_done(self) -> int:
        return len(self.curves)

    def shape(self) -> tuple:
        return tuple(len(v) for v in self.grid.values())

    def add(self, payload: dict):
        """A run finished (``status`` done or resumed: its ``curves``) or failed (``error``)."""
        key = (tuple(payload["cell"]), int(payload["seed"]))
        if payload["status"] == "failed":
            self.failed[key] = payload.get("error") or ""
        else:
            self.curves[key] = {m: np.asarray(payload["curves"][m], float) for m in METRICS}
            self.failed.pop(key, None)
        if payload.get("comparisons") is not None:
            self.comparisons = payload["comparisons"]
        self.version += 1

    def set_comparisons(self, comparisons: dict):
        self.comparisons = comparisons
        self.version += 1

    # -- the numbers shown ---------------------------------------------------------------------
    def finals(self, cell) -> list:
        """The final validation accuracy of each finished seed of ``cell``."""
        return [
            float(self.curves[(cell, s)][FINAL][-1])
            for s in self.seeds
            if (cell, s) in self.curves and len(self.curves[(cell, s)][FINAL])
        ]

    def cell_stats(self, cell) -> tuple:
        """``(mean, std, n)`` of the cell's final validation accuracy over its seeds."""
        v = np.asarray(self.finals(cell), float)
        n = len(v)
        mean = float(v.mean()) if n else math.nan
        std = float(v.std(ddof=1)) if n >= 2 else math.nan
        return mean, std, n

    def table(self) -> tuple:
        """``(mean, std, n)`` arrays of the shape of the grid (NaN where nothing finished)."""
        shape = self.shape()
        mean, std, n = np.full(shape, np.nan), np.full(shape, np.nan), np.zeros(shape, int)
        for cell in self.cells:
            mean[cell], std[cell], n[cell] = self.cell_stats(cell)
        return mean, std, n

    def band(self, cell, metric: str = FINAL) -> tuple:
        """``(epochs, mean, std, n)`` of ``metric`` per epoch over the cell's finished seeds
        (epochs 1, 2, ...; std NaN under 2 seeds)."""
        rows = [self.curves[(cell, s)][metric] for s in self.seeds if (cell, s) in self.curves]
        if not rows:
            return (np.zeros(0),) * 3 + (0,)
        length = min(len(r) for r in rows)
        a = np.array([r[:length] for r in rows])
        std = a.std(axis=0, ddof=1) if len(rows) >= 2 else np.full(length, np.nan)
        return np.arange(1, length + 1, dtype=float), a.mean(axis=0), std, len(rows)

    def seed_curves(self, cell, metric: str = FINAL) -> dict:
        return {s: self.curves[(cell, s)][metric] for s in self.seeds if (cell, s) in self.curves}

    def value_text(self, setting: str, index: int) -> str:
        return phrase(setting, self.grid[setting][index])

    def cell_text(self, cell) -> str:
        return ", ".join(self.value_text(s, i) for s, i in zip(self.settings, cell))

    def pairs(self) -> list:
        """The pairs the comparison offers: ``(setting, ia, ib)``, every two values of a
        varied setting (with more than 6 values: the first against each other)."""
        out = []
        for s, values in self.grid.items():
            n = len(values)
            if n > 6:
                out += [(s, 0, j) for j in range(1, n)]
            else:
                out += [(s, i, j) for i in range(n) for j in range(i + 1, n)]
        return out


# -- the comparison in words --------------------------------------------------------------------
#: what a setting's change is, in the sentence "no evidence that ... changes the accuracy"
WHAT_CHANGES = {
    "backprop": QT_TRANSLATE_NOOP("Sweep", "the missing transpose"),
    "bptt_steps": QT_TRANSLATE_NOOP("Sweep", "the BPTT window"),
    "learning_rate": QT_TRANSLATE_NOOP("Sweep", "the learning rate"),
    "n_cells": QT_TRANSLATE_NOOP("Sweep", "the number of cells"),
    "batch_size": QT_TRANSLATE_NOOP("Sweep", "the batch size"),
    "optimizer": QT_TRANSLATE_NOOP("Sweep", "the optimizer"),
    "clip_norm": QT_TRANSLATE_NOOP("Sweep", "the gradient clipping"),
    "clip_value": QT_TRANSLATE_NOOP("Sweep", "the per-entry gradient clipping"),
    "dtype": QT_TRANSLATE_NOOP("Sweep", "the precision"),
}


def signed(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:+.3f}"


def at_text(name: str, value) -> str:
    """Where the comparison holds: "k = 10", "full BPTT", or the setting in a few words."""
    if name == "bptt_steps" and value is not None:
        return f"k = {value}"
    return phrase(name, value)


def comparison_sentence(setting: str, a, b, row: dict, at=()) -> str:
    """One row of ``Sweep.compare(setting, a, b)`` (``n``, ``difference``, ``ci_low``,
    ``ci_high``, ``verdict``) in words, in the language in use; ``at``: the other settings'
    ``(name, value)`` where it holds. The finding is the row's verdict, from its numbers."""
    where = ", ".join(at_text(k, v) for k, v in at)
    head = translate("Sweep", "{0} - {1}: {2}").format(
        phrase(setting, a), phrase(setting, b), signed(row["difference"])
    )
    n = int(row["n"])
    if n >= 2 and math.isfinite(row["ci_low"]):
        head += translate("Sweep", " (95% interval {0} to {1})").format(
            signed(row["ci_low"]), signed(row["ci_high"])
        )
    head += translate("Sweep", " over {0} seeds").format(n)
    what = translate("Sweep", WHAT_CHANGES.get(setting, setting))
    verdict = row["verdict"]
    if verdict == "higher":
        finding = translate("Sweep", "{0} gives a higher accuracy than {1}")
    elif verdict == "lower":
        finding = translate("Sweep", "{0} gives a lower accuracy than {1}")
    elif verdict == "no evidence":
        finding = translate("Sweep", "no evidence that {2} changes the accuracy")
    else:
        finding = translate("Sweep", "too few seeds to tell (at least 2 are needed)")
    finding = finding.format(phrase(setting, a), phrase(setting, b), what)
    if where:
        finding = translate("Sweep", "{0} at {1}").format(finding, where)
    return translate("Sweep", "{0}: {1}").format(head, finding)


def comparison_rows(compare_frame, grid: dict, setting: str) -> list:
    """``Sweep.compare``'s rows as plain dicts with ``at``: the other settings' ``(name,
    value)`` (the rows are in the order of the other settings' combinations)."""
    others = [s for s in grid if s != setting]
    combos = list(itertools.product(*(grid[o] for o in others)))
    out = []
    for k, (_, row) in enumerate(compare_frame.iterrows()):
        out.append(
            {
                "at": tuple(zip(others, combos[k])) if k < len(combos) else (),
                **{
                    c: (row[c] if c == "verdict" else float(row[c]))
                    for c in ("n", "mean_a", "mean_b", "difference", "ci_low", "ci_high")
                    + ("p_paired_t", "p_sign_flip", "verdict")
                },
            }
        )
    return out


def compare_all(sweep_obj, grid: dict, pairs) -> dict:
    """``{(setting, ia, ib): rows}`` of ``Sweep.compare`` for every pair (see
    :meth:`SweepResults.pairs`)."""
    out = {}
    for setting, ia, ib in pairs:
        frame = sweep_obj.compare(setting, grid[setting][ia], grid[setting][ib])
        out[(setting, ia, ib)] = comparison_rows(frame, grid, setting)
    return out

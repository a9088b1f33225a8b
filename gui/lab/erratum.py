"""View 1, the erratum panel: what the source's missing transpose changes.

The source propagates ``err_to_cell = np.dot(err_to_cell, self.w1h) * (1 - h ** 2)``; the
true gradient needs ``w1h.T``.  The two rules' gradients have nearly the same norms but point
in different directions: their cosine per parameter over training (w2 and b2 do not depend
on the rule: cosine 1), beside the asymmetry of w1h, ``||w1h - w1h^T|| / ||w1h||`` (for a
symmetric w1h the two rules agree).  "Gradient check" compares both with central differences.
"""

from __future__ import annotations

import numpy as np
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QHBoxLayout, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from .common import (
    GREY,
    PARAM_COLORS,
    LabView,
    curve,
    fmt,
    lab_plot,
    note_label,
    set_values,
    table_from_columns,
    translate,
)
from .tables import FitTable

#: parameters whose gradient the rule changes (w2, b2 are drawn thin: always 1)
RULE_PARAMS = ("w1h", "w1x", "b1", "embedding")
#: norms that differ by less than this share of the larger one "barely differ"
NORMS_CLOSE = 0.1
#: a cosine at least this: the same direction
SAME_DIRECTION = 0.99


def rule_name(rule: str) -> str:
    """A backprop rule's name in the language shown."""
    return {"exact": translate("lab", "exact"), "textbook": translate("lab", "textbook")}.get(
        rule, str(rule)
    )


def finding(agreement: dict) -> str:
    """What the numbers of W1h's two gradients say, computed from them: whether the norms
    barely differ (less than NORMS_CLOSE apart) and whether the directions do (cosine below
    SAME_DIRECTION), with the numbers."""
    e = agreement["exact_norm"].get("w1h")
    t = agreement["textbook_norm"].get("w1h")
    c = agreement["cosine"].get("w1h")
    head = translate(
        "lab", "W1h asymmetry {a}: cos(W1h) {c}, |exact| {e} vs |textbook| {t}."
    ).format(a=fmt(agreement["asymmetry"], 3), c=fmt(c, 3), e=fmt(e, 3), t=fmt(t, 3))
    if e is None or t is None or c is None or not np.isfinite([e, t, c]).all():
        return head
    apart = abs(e - t) / max(e, t) if max(e, t) > 0 else 0.0
    share = f"{100 * apart:.0f}%"
    close = apart < NORMS_CLOSE
    same = c >= SAME_DIRECTION
    if close and not same:
        tail = translate("lab", "The norms barely differ ({p} apart); the directions do.")
    elif close:
        tail = translate("lab", "Both norms ({p} apart) and directions nearly agree.")
    elif same:
        tail = translate("lab", "The norms differ by {p}; the directions nearly agree.")
    else:
        tail = translate("lab", "The norms differ by {p}, and the directions differ too.")
    return f"{head} {tail.format(p=share)}"


class ErratumView(LabView):
    """Cosines of the exact and the textbook gradient over training; w1h's asymmetry; the
    norms of both; the gradient-check table."""

    key = "erratum"
    #: the user asked for a gradient check (the window runs it: recorder or directly)
    check_requested = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.check = None
        self.cos_plot = lab_plot(
            translate("lab", "cos(exact, textbook) per parameter"),
            translate("lab", "batch"),
            translate("lab", "cosine"),
        )
        self.cos_plot.setYRange(-1.05, 1.05)
        self.cos_plot.setToolTip(
            translate(
                "lab",
                "Cosine between the gradient of the exact rule (err_to_cell @ W1h^T) and "
                "of the source's rule (err_to_cell @ W1h) on the same batch. 1 = same "
                "direction.",
            )
        )
        self.asym_plot = lab_plot(
            translate("lab", "asymmetry of W1h"),
            translate("lab", "batch"),
            translate("lab", "asymmetry"),
        )
        # 0: symmetric (the rules agree); 2 at most (antisymmetric); a random W1h ~ sqrt(2)
        self.asym_plot.setYRange(0, 2.0, padding=0.04)
        self.asym_plot.setToolTip(
            translate(
                "lab",
                "||W1h - W1h^T|| / ||W1h||: 0 for a symmetric W1h (the two rules agree), "
                "2 at most (antisymmetric); about 1.41 for a random W1h.",
            )
        )
        self.curves = {}
        self.asym_curve = curve(self.asym_plot, translate("lab", "asymmetry"), GREY)
        self.norm_table = self._table(4)
        self.norm_table.setHorizontalHeaderLabels(
            [translate("lab", "parameter"), translate("lab", "cosine"), "|exact|", "|textbook|"]
        )
        self.check_button = QPushButton(translate("lab", "Gradient check"))
        self.check_button.setToolTip(
            translate(
                "lab",
                "Central differences of the loss on sampled entries of each weight, "
                "against the exact and the textbook rule with full BPTT (and the "
                "network's own window).",
            )
        )
        self.check_button.clicked.connect(self.check_requested)
        self.check_table = self._table(6)
        self.check_table.setHorizontalHeaderLabels(
            [
                translate("lab", "rule"),
                "k",
                translate("lab", "parameter"),
                translate("lab", "rel. error"),
                translate("lab", "max abs error"),
                "cos(k, full)",
            ]
        )
        self.summary = note_label(
            translate(
                "lab",
                "The two rules' gradients on the same batch: their norms and their directions "
                "(train, and the numbers appear here).",
            )
        )
        # the cosines over the asymmetry, beside the finding and the norms; the gradient
        # check's table across the whole width (its six columns never behind a scrollbar)
        left = QVBoxLayout()
        left.addWidget(self.cos_plot, 3)
        left.addWidget(self.asym_plot, 2)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.summary)
        side.addWidget(self.norm_table)
        side.addStretch(1)
        holder = QWidget()
        holder.setLayout(side)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(holder, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.check_table, 2)
        self.check_table.setMinimumHeight(self.check_table.height_for_rows(4))

    @staticmethod
    def _table(n_columns):
        return FitTable(0, n_columns)

    def title(self):
        return translate("lab", "Erratum: W1h vs W1h^T")

    # ------------------------------------------------------------------ drawing

    def update_from(self, record):
        self.record = record
        series = record["series"]
        x = series["batch"]
        for p in record["params"]:
            c = self.curves.get(p)
            if c is None:
                thin = p not in RULE_PARAMS
                c = self.curves[p] = curve(
                    self.cos_plot,
                    p,
                    PARAM_COLORS.get(p, GREY),
                    width=1.0 if thin else 2.5,
                    dashed=thin,
                    symbol=None if thin else "o",
                )
            set_values(c, x, series[f"cos_{p}"])
        self.asym_curve.setData(x, series["asymmetry"])
        self._fill(self.norm_table, self._norm_rows(record["agreement"]))
        self.norm_table.fit_height()
        self.summary.setText(finding(record["agreement"]))
        check = record.get("gradient_check")
        if check is not None:
            self.check = check
            cols = check["columns"]
            pick = [
                cols.index(c)
                for c in (
                    "backprop",
                    "bptt_steps",
                    "param",
                    "rel_error",
                    "max_abs_error",
                    "cos_vs_full",
                )
            ]
            rows = [[row[j] for j in pick] for row in check["rows"]]
            for row in rows:  # the rule's name in the language shown (정확, 교재식)
                row[0] = rule_name(row[0])
            self._fill(self.check_table, rows)

    @staticmethod
    def _norm_rows(agreement):
        return [
            [p, agreement["cosine"][p], agreement["exact_norm"][p], agreement["textbook_norm"][p]]
            for p in agreement["cosine"]
        ]

    @staticmethod
    def _fill(table, rows):
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                text = (
                    v
                    if isinstance(v, str)
                    else (str(v) if isinstance(v, (int, np.integer)) else fmt(float(v), 3))
                )
                table.setItem(r, c, QTableWidgetItem(text))
        table.setMinimumWidth(table.minimum_width())  # the layout gives it room for them all
        table.fit_columns()

    # ------------------------------------------------------------------ data out

    def has_data(self):
        return self.record is not None and len(self.record["series"]["batch"]) > 0

    def tables(self):
        if self.record is None:
            return {"cosines": (["batch", "epoch", "asymmetry"], [])}
        series = self.record["series"]
        columns = {"batch": series["batch"], "epoch": series["epoch"]}
        columns.update({f"cos_{p}": series[f"cos_{p}"] for p in self.record["params"]})
        columns["asymmetry"] = series["asymmetry"]
        out = {
            "cosines": table_from_columns(columns),
            "norms": (
                ["param", "cosine", "exact_norm", "textbook_norm"],
                self._norm_rows(self.record["agreement"]),
            ),
        }
        if self.check is not None:
            out["gradient_check"] = (self.check["columns"], self.check["rows"])
        return out

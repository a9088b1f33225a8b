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
from PyQt5.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

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

#: parameters whose gradient the rule changes (w2, b2 are drawn thin: always 1)
RULE_PARAMS = ("w1h", "w1x", "b1", "embedding")


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
            translate("lab", "asymmetry of W1h: ||W1h - W1h^T|| / ||W1h||"),
            translate("lab", "batch"),
            translate("lab", "asymmetry"),
        )
        self.asym_plot.setYRange(0, 1.45)  # 0: symmetric (the rules agree), sqrt(2) at most
        self.asym_plot.setMaximumHeight(220)
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
            translate("lab", "The norms of the two gradients barely differ; their directions do.")
        )
        side = QVBoxLayout()
        side.addWidget(self.summary)
        side.addWidget(self.norm_table, 1)
        side.addWidget(self.check_button)
        side.addWidget(self.check_table, 2)
        left = QVBoxLayout()
        left.addWidget(self.cos_plot, 3)
        left.addWidget(self.asym_plot, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        holder = QWidget()
        holder.setLayout(side)
        layout.addWidget(holder, 2)

    @staticmethod
    def _table(n_columns):
        table = QTableWidget(0, n_columns)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        return table

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
        agreement = record["agreement"]
        self.summary.setText(
            translate(
                "lab",
                "W1h asymmetry {a}: cos(W1h) {c}, |exact| {e} vs |textbook| {t}. The norms "
                "barely differ; the directions do.",
            ).format(
                a=fmt(agreement["asymmetry"], 3),
                c=fmt(agreement["cosine"].get("w1h"), 3),
                e=fmt(agreement["exact_norm"].get("w1h"), 3),
                t=fmt(agreement["textbook_norm"].get("w1h"), 3),
            )
        )
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
            self._fill(self.check_table, [[row[j] for j in pick] for row in check["rows"]])

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
                    else (str(v) if isinstance(v, (int, np.integer)) else fmt(float(v), 4))
                )
                table.setItem(r, c, QTableWidgetItem(text))

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

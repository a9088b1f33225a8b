"""View 2, why it vanishes: the factor by which err_to_cell shrinks at each step back.

Going back one step multiplies the error by W1h^T and by the tanh derivative 1 - H^2 (the
source: "W1h and 1 - H^2 are multiplied again and again"):
``delta_{t-1} = (delta_t W1h^T) * (1 - h_{t-1}^2)``.  Its measured factor
``||delta_{t-1}|| / ||delta_t||`` never exceeds the bound of Pascanu, Mikolov & Bengio (2013),
``sigma_max(W1h) max(1 - h_{t-1}^2)``; below the line 1 the gradient vanishes step after
step.  Beside it, the singular values of W1h over training (all 1 at the orthogonal start).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5.QtWidgets import QHBoxLayout, QVBoxLayout

from rnnfast.plots._data import factor_summary  # as rnnfast.diagnostics' JacobianFactors

from .common import (
    BLUE,
    GREY,
    ORANGE,
    RED,
    LabView,
    curve,
    fmt,
    lab_plot,
    make_pen,
    note_label,
    positive,
    table_from_columns,
    translate,
    unit_line,
)


class VanishingView(LabView):
    """Measured factor vs bound per step back (log scale, line 1); W1h's singular values over
    training (sigma_max in red)."""

    key = "vanishing"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.factor_plot = lab_plot(
            translate("lab", "factor per step back: ||delta_(t-1)|| / ||delta_t||"),
            translate("lab", "steps back"),
            translate("lab", "factor (log)"),
            log_y=True,
        )
        self.factor_plot.setToolTip(
            translate(
                "lab",
                "delta = err_to_cell = dL/dz1. Each step back multiplies it by W1h^T and "
                "by 1 - H^2. Bound (Pascanu et al. 2013): sigma_max(W1h) * max(1 - H^2).",
            )
        )
        self.measured = curve(
            self.factor_plot, translate("lab", "measured (batch)"), BLUE, width=2.5
        )
        self.bound = curve(self.factor_plot, translate("lab", "bound"), RED, dashed=True)
        self.review = curve(
            self.factor_plot, translate("lab", "measured (chosen review)"), ORANGE, width=1.0
        )
        unit_line(self.factor_plot, 1.0, "1")
        self.window_line = pg.InfiniteLine(
            angle=90, pen=make_pen(GREY, 1, dashed=True), label="k", labelOpts={"position": 0.9}
        )
        self.factor_plot.addItem(self.window_line)
        self.sv_plot = lab_plot(
            translate("lab", "singular values of W1h"), translate("lab", "batch"), "sigma"
        )
        self.sv_plot.setToolTip(
            translate(
                "lab",
                "sigma_max(W1h) > 1 lets the error grow step after step back (explode); "
                "the factor also has 1 - H^2 <= 1 in it.",
            )
        )
        self.sv_curves = []
        unit_line(self.sv_plot, 1.0)
        self.summary = note_label()
        left = QVBoxLayout()
        left.addWidget(self.factor_plot, 1)
        left.addWidget(self.summary)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.sv_plot, 2)

    def title(self):
        return translate("lab", "Why it vanishes")

    def update_from(self, record):
        self.record = record
        f = record["factors"]
        steps = np.arange(1, len(f["measured"]) + 1)
        for c, values in (
            (self.measured, f["measured"]),
            (self.bound, f["bound"]),
            (self.review, f["review_measured"]),
        ):
            c.setData(steps, positive(values))
        self.window_line.setValue(record["window"])
        series = record["series"]
        sigma = np.atleast_2d(series["sigma"])
        while len(self.sv_curves) < sigma.shape[1]:
            first = not self.sv_curves
            self.sv_curves.append(
                curve(
                    self.sv_plot,
                    "sigma_max" if first else None,
                    RED if first else GREY,
                    width=2.5 if first else 0.8,
                )
            )
        for j, c in enumerate(self.sv_curves):  # a network with fewer cells: curves emptied
            c.setData(
                series["batch"] if j < sigma.shape[1] else [],
                sigma[:, j] if j < sigma.shape[1] else [],
            )
        summary = factor_summary(f["measured"], f["bound"], record["window"])  # shared
        self.summary.setText(
            translate(
                "lab",
                "sigma_max(W1h) = {s}; median factor {m}; bound exceeded: {x} times. "
                "Over the k = {k} steps of the window the error is multiplied by {p} "
                "(< 1: it vanishes, > 1: it explodes).",
            ).format(
                s=fmt(f["singular_values"][0], 3),
                m=fmt(summary["median"], 3),
                x=summary["exceeded"],
                k=record["window"],
                p=fmt(summary["product"], 3),
            )
        )

    def has_data(self):
        return self.record is not None and len(self.record["factors"]["measured"]) > 0

    def tables(self):
        if self.record is None:
            return {"factors": (["step_back", "measured", "bound"], [])}
        f = self.record["factors"]
        steps = np.arange(1, len(f["measured"]) + 1)
        factors = table_from_columns(
            {
                "step_back": steps,
                "measured": f["measured"],
                "bound": f["bound"],
                "review_measured": f["review_measured"],
                "review_bound": f["review_bound"],
            }
        )
        series = self.record["series"]
        sigma = np.atleast_2d(series["sigma"])
        columns = {"batch": series["batch"], "epoch": series["epoch"]}
        columns.update({f"sigma_{j + 1}": sigma[:, j] for j in range(sigma.shape[1])})
        return {"factors": factors, "singular_values": table_from_columns(columns)}

"""View 3, the truncation wall: which words of a review receive any gradient.

Truncated BPTT (the source's TBPTT, ``[:10]``) propagates err_to_cell only k steps back, so
the words before T - k get no gradient at all, although the forward pass read them: their
saliency ``||dz2 / dx_t||`` is exactly zero.  The review's words are coloured by saliency
(log scale; dead words grey), the saliency is plotted per time step with the dead region
shaded, and so is the network's gradient norm per step back (steps beyond k: not visited).
"""

from __future__ import annotations

import html

import numpy as np
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout

# the colour scale and the words as shown: shared with rnnfast.plots.saliency
from rnnfast.plots._data import DECADES, decades_of, saliency_words, word_colour  # noqa: F401

from .common import (
    BLUE,
    RED,
    ReviewView,
    curve,
    lab_plot,
    note_label,
    positive,
    set_values,
    shade,
    table_from_columns,
    translate,
)


class TruncationView(ReviewView):
    """The chosen review's words coloured by saliency; saliency per step; gradient norm per
    step back, both with the truncated region shaded."""

    key = "truncation"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words = QTextBrowser()
        self.words.setMinimumHeight(90)
        self.words.setMaximumHeight(200)
        self.words.setToolTip(
            translate(
                "lab",
                "Orange: the word receives gradient (darker = more). Grey: before T - k, "
                "no gradient at all (truncated BPTT), although the forward pass read it.",
            )
        )
        self.sal_plot = lab_plot(
            translate("lab", "saliency ||dz2/dx_t|| per time step"),
            translate("lab", "time step t"),
            translate("lab", "saliency (log)"),
            log_y=True,
        )
        self.sal_curve = curve(self.sal_plot, translate("lab", "saliency"), RED, symbol="o")
        self.norm_plot = lab_plot(
            translate("lab", "||err_to_cell|| per step back (last batch)"),
            translate("lab", "steps back"),
            "||dL/dz1|| (log)",
            log_y=True,
        )
        self.norm_curve = curve(self.norm_plot, translate("lab", "gradient norm"), BLUE, symbol="o")
        self.sal_region = shade(self.sal_plot, 0, 0)
        self.norm_region = shade(self.norm_plot, 0, 0)
        self.summary = note_label()
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("lab", "review")))
        top.addWidget(self.review_box)
        top.addWidget(self.summary, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.sal_plot, 3)
        plots.addWidget(self.norm_plot, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.words, 1)
        layout.addLayout(plots, 4)

    def title(self):
        return translate("lab", "Truncation wall")

    # ------------------------------------------------------------------ drawing

    def dead_mask(self):
        """(T,) bool: the words that get no gradient (t < T - k) in the current record."""
        rec = self.record
        return np.arange(rec["T"]) < rec["T"] - rec["window"]

    def update_from(self, record):
        self.record = record
        sal = record["saliency"]
        n_steps, window = record["T"], record["window"]
        values = np.asarray(sal["values"], dtype=np.float64)
        self.show_review(record)
        self.words.setHtml(self._html(sal["ids"], values, self.dead_mask()))
        steps = np.arange(n_steps)
        set_values(self.sal_curve, steps, positive(values))
        self.sal_region.setRegion((-0.5, n_steps - window - 0.5))
        norms = record["grad_norms"]
        if norms is not None:
            set_values(self.norm_curve, np.arange(len(norms)), positive(norms))
            self.norm_plot.setXRange(0, n_steps, padding=0.02)
        self.norm_region.setRegion((window - 0.5, n_steps))
        self.summary.setText(
            translate(
                "lab", "k = {k} of T = {T} steps: {dead} words get no gradient (grey), {live} do."
            ).format(k=window, T=n_steps, dead=int(n_steps - window), live=int(window))
        )

    def _html(self, ids, values, dead):
        items = saliency_words(values, self.decode(ids), len(dead) - int(dead.sum()), ids)
        parts = [self._span(text, colour, is_dead) for text, colour, is_dead in items]
        return "<div style='font-size:13pt; line-height:160%'>" + " ".join(parts) + "</div>"

    @staticmethod
    def _span(word, colour, dead):
        text = html.escape(word)
        if dead:
            return f"<span style='color:#9a9a9a; background:#ececec'>{text}</span>"
        if colour is None:  # inside the window but saliency 0 (e.g. a saturated cell)
            return f"<span style='color:#555'>{text}</span>"
        return f"<span style='background:{colour}'>{text}</span>"

    # ------------------------------------------------------------------ data out

    def has_data(self):
        return self.record is not None

    def tables(self):
        if self.record is None:
            return {"saliency": (["t", "id", "word", "saliency", "dead"], [])}
        sal = self.record["saliency"]
        ids = np.asarray(sal["ids"])
        words = np.array(self.decode(ids), dtype=object)
        out = {
            "saliency": table_from_columns(
                {
                    "t": np.arange(len(ids)),
                    "id": ids,
                    "word": words,
                    "saliency": sal["values"],
                    "dead": self.dead_mask().astype(int),
                }
            )
        }
        norms = self.record["grad_norms"]
        if norms is not None:
            out["grad_norms"] = table_from_columns(
                {"step_back": np.arange(len(norms)), "grad_norm": norms}
            )
        return out

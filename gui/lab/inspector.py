"""View 5, the equation inspector: the source's equations with the real numbers of one cell.

Pick a review, a time step t and a cell i.  Forward, as the source's ``forpass``:
``z1 = x w1x + h_prev w1h + b1`` with its shapes, and for cell i the sums with their terms;
``h = tanh(z1)``.  Backward (the source's ``err_to_cell``, delta = dL/dz1) for the same cell
one step further back, by both rules from the same delta_t:
exact ``delta_prev[i] = sum_j delta_t[j] W1h[i, j] * (1 - h_prev[i]^2)`` (W1h^T),
textbook ``sum_j delta_t[j] W1h[j, i] * (...)`` (W1h): the index that swaps is highlighted.
"""

from __future__ import annotations

import html

import numpy as np
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTextBrowser, QVBoxLayout

from .common import ReviewView, table_from_columns, translate

#: terms of a sum written out (the largest |product| first); the CSV has all of them
SHOWN_TERMS = 6
MARK = "background:#ffd54f; font-weight:bold"


def forward_terms(ins, t, i):
    """The numbers of ``z1[t, i] = x_t w1x[:, i] + h_{t-1} w1h[:, i] + b1[i]``.

    Returns a dict: ``input`` (rows j, x_j, w1x[j, i], product: for token ids without an
    embedding the single row of the one-hot's 1), ``recurrent`` (j, h_prev[j], w1h[j, i],
    product), their sums, ``b1``, ``z1``, ``h = tanh(z1)`` and ``h_network`` (the state the
    network computed, the same number)."""
    x_in, w1x = ins["x_in"], ins["w1x"]
    if x_in is None:  # one-hot: x_t w1x = w1x[id_t]
        j = np.array([ins["ids"][t]])
        x_j = np.ones(1)
    else:
        j = np.flatnonzero(x_in[t]) if not ins["embedding"] else np.arange(x_in.shape[1])
        x_j = x_in[t, j]
    w_j = w1x[j, i]
    h_prev = ins["hs"][t]
    w_rec = ins["w1h"][:, i]
    out = {
        "input": (j, x_j, w_j, x_j * w_j),
        "recurrent": (np.arange(len(h_prev)), h_prev, w_rec, h_prev * w_rec),
        "b1": float(ins["b1"][i]),
    }
    out["input_sum"] = float(np.sum(x_j * w_j))
    out["recurrent_sum"] = float(h_prev @ w_rec)
    out["z1"] = out["input_sum"] + out["recurrent_sum"] + out["b1"]
    out["h"] = float(np.tanh(out["z1"]))
    out["h_network"] = float(ins["hs"][t + 1, i])
    return out


def backward_terms(ins, t, i):
    """The numbers of one step back for cell i, from the exact ``delta_t`` (dL/dz1 at t).

    Returns a dict: ``visited`` (t inside the BPTT window), ``terms`` (j, delta_t[j],
    W1h[i, j], W1h[j, i]), ``slope = 1 - h_{t-1}[i]^2``, ``exact`` and ``textbook`` (the two
    rules' delta_{t-1}[i]) and ``exact_chain`` (the network's exact delta_{t-1}[i], equal to
    ``exact`` when step t - 1 is visited too)."""
    n_steps = len(ins["ids"])
    visited = t >= n_steps - ins["window"]
    delta = ins["deltas_exact"][t]
    w1h = ins["w1h"]
    slope = float(1 - ins["hs"][t, i] ** 2)
    out = {
        "visited": bool(visited),
        "delta_t": float(delta[i]),
        "slope": slope,
        "terms": (np.arange(len(delta)), delta, w1h[i, :], w1h[:, i]),
    }
    out["exact"] = float(delta @ w1h[i, :]) * slope
    out["textbook"] = float(delta @ w1h[:, i]) * slope
    prev_visited = t >= 1 and t - 1 >= n_steps - ins["window"]
    out["exact_chain"] = float(ins["deltas_exact"][t - 1, i]) if prev_visited else None
    return out


def _num(v):
    return f"{v:+.4f}"


def _sum_html(pairs, left, right, total, mark=None):
    """``left[j] right[j] + ...`` written out for the largest terms (j as a subscript), then
    the total."""
    j, a, b, prod = pairs
    order = np.argsort(-np.abs(prod))[:SHOWN_TERMS]
    terms = [f"({_num(a[k])})({_num(b[k])})<sub>{j[k]}</sub>" for k in sorted(order)]
    more = len(j) - len(order)
    tail = translate("lab", " + ... ({n} more terms)").format(n=more) if more > 0 else ""
    head = f"&Sigma;<sub>j</sub> {left}[j] &middot; {right}"
    if mark:
        head += f" &nbsp;<small>{mark}</small>"
    return f"{head}<br>&nbsp;&nbsp;= {' + '.join(terms)}{tail} = <b>{_num(total)}</b>"


class InspectorView(ReviewView):
    """The forward equation with shapes and the real numbers of cell i at step t; the
    backward step by both rules with the swapped index highlighted."""

    key = "inspector"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.t_box = QSpinBox()
        self.i_box = QSpinBox()
        for box in (self.t_box, self.i_box):
            box.valueChanged.connect(self._redraw)
        self.text = QTextBrowser()
        controls = QHBoxLayout()
        for label, box in (
            (translate("lab", "review"), self.review_box),
            (translate("lab", "time step t"), self.t_box),
            (translate("lab", "cell i"), self.i_box),
        ):
            controls.addWidget(QLabel(label))
            controls.addWidget(box)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.text, 1)

    def title(self):
        return translate("lab", "Equation inspector")

    def select(self, t=None, i=None):
        """Choose the step and the cell (clamped to the record's T and n_cells)."""
        if t is not None:
            self.t_box.setValue(int(t))
        if i is not None:
            self.i_box.setValue(int(i))

    # ------------------------------------------------------------------ drawing

    def update_from(self, record):
        first = self.record is None
        self.record = record
        ins = record["inspector"]
        n_steps, n_cells = len(ins["ids"]), ins["w1h"].shape[0]
        for box, top in ((self.t_box, n_steps - 1), (self.i_box, n_cells - 1)):
            box.blockSignals(True)
            box.setRange(0, top)
            box.blockSignals(False)
        if first:
            self.t_box.blockSignals(True)
            self.t_box.setValue(n_steps - 1)
            self.t_box.blockSignals(False)
        self.show_review(record)
        self._redraw()

    def _redraw(self, *_):
        if self.record is not None:
            self.text.setHtml(self.html())

    def html(self):
        ins = self.record["inspector"]
        t, i = self.t_box.value(), self.i_box.value()
        n_steps, n_cells = len(ins["ids"]), ins["w1h"].shape[0]
        n_in = ins["w1x"].shape[0]
        word = html.escape(self.decode(ins["ids"][t : t + 1])[0])
        fw, bw = forward_terms(ins, t, i), backward_terms(ins, t, i)
        x_name = "embedding[x]" if ins["embedding"] else "x"
        f_name = "d" if ins["embedding"] else "n_f"
        head_f = translate("lab", "Forward (the source: forpass)")
        head_b = translate("lab", "Backward (err_to_cell = dL/dz1), one step back")
        sizes = translate("lab", "m = 1 review, {f} = {n}, n_c = {c}, T = {T}").format(
            f=f_name, n=n_in, c=n_cells, T=n_steps
        )
        network = translate("lab", "network")
        lines = [
            f"<h3>{head_f}</h3>",
            (
                f"<p><code>z1 = {x_name} &middot; w1x + h_prev &middot; w1h + b1</code><br>"
                f"(m, {f_name}) &middot; ({f_name}, n_c) + (m, n_c) &middot; (n_c, n_c) + (n_c,) "
                f"&rarr; (m, n_c) &nbsp; <small>{sizes}</small></p>"
            ),
            f"<p>t = {t} (<b>{word}</b>), i = {i}:</p><p>",
            self._input_html(ins, fw, i),
            "<br>",
            _sum_html(fw["recurrent"], "h<sub>t-1</sub>", f"w1h[j, {i}]", fw["recurrent_sum"]),
            f"<br>b1[{i}] = {_num(fw['b1'])}",
            (
                f"<br>z1[{t}, {i}] = <b>{_num(fw['z1'])}</b>, &nbsp; h = tanh(z1) = "
                f"<b>{_num(fw['h'])}</b> <small>({network}: {_num(fw['h_network'])})</small></p>"
            ),
            f"<h3>{head_b}</h3>",
        ]
        lines += self._backward_html(ins, bw, t, i)
        return "\n".join(lines)

    @staticmethod
    def _input_html(ins, fw, i):
        j = fw["input"][0]
        if ins["x_in"] is None:
            note = translate("lab", "(one-hot: only entry {id} of x_t is 1)").format(id=int(j[0]))
            return (
                f"x<sub>t</sub> &middot; w1x[:, {i}] = w1x[{int(j[0])}, {i}] = "
                f"<b>{_num(fw['input_sum'])}</b> <small>{note}</small>"
            )
        return _sum_html(fw["input"], "x<sub>t</sub>", f"w1x[j, {i}]", fw["input_sum"])

    @staticmethod
    def _backward_html(ins, bw, t, i):
        if not bw["visited"]:
            text = translate(
                "lab", "Step t is not visited under bptt_steps = {k}: delta_t = 0 (truncated)."
            ).format(k=ins["window"])
            return [f"<p>{text}</p>"]
        if t == 0:
            text = translate("lab", "t = 0: there is no earlier step.")
            return [f"<p>delta<sub>t</sub>[{i}] = {_num(bw['delta_t'])}; {text}</p>"]
        j, delta, row, col = bw["terms"]
        exact = _sum_html(
            (j, delta, row, delta * row),
            "delta<sub>t</sub>",
            f"W1h[<span style='{MARK}'>{i}</span>, j]",
            float(delta @ row),
            translate("lab", "exact: W1h^T"),
        )
        book = _sum_html(
            (j, delta, col, delta * col),
            "delta<sub>t</sub>",
            f"W1h[j, <span style='{MARK}'>{i}</span>]",
            float(delta @ col),
            translate("lab", "textbook: W1h (transpose missing)"),
        )
        network = translate("lab", "network")
        chain = (
            ""
            if bw["exact_chain"] is None
            else (f" <small>({network}: {_num(bw['exact_chain'])})</small>")
        )
        source = translate("lab", "the source: np.dot(err_to_cell, self.w1h), without .T")
        return [
            (
                "<p><code>delta_prev = (delta &middot; w1h<sup>T</sup>) * (1 - h_prev<sup>2</sup>)"
                f"</code> &nbsp; (m, n_c) &middot; (n_c, n_c) * (m, n_c)<br><small>{source}</small>"
                "</p>"
            ),
            (
                f"<p>delta<sub>t</sub>[{i}] = {_num(bw['delta_t'])}, &nbsp; "
                f"1 - h<sub>t-1</sub>[{i}]<sup>2</sup> = {_num(bw['slope'])}</p>"
            ),
            (
                f"<p>{exact}<br>&rarr; delta<sub>t-1</sub>[{i}] = <b>{_num(bw['exact'])}</b>{chain}"
                "</p>"
            ),
            f"<p>{book}<br>&rarr; delta<sub>t-1</sub>[{i}] = <b>{_num(bw['textbook'])}</b></p>",
        ]

    # ------------------------------------------------------------------ data out

    def has_data(self):
        return self.record is not None

    def tables(self):
        if self.record is None:
            return {"summary": (["quantity", "value"], [])}
        ins = self.record["inspector"]
        t, i = self.t_box.value(), self.i_box.value()
        fw, bw = forward_terms(ins, t, i), backward_terms(ins, t, i)
        summary = [
            ["t", t],
            ["i", i],
            ["input_sum", fw["input_sum"]],
            ["recurrent_sum", fw["recurrent_sum"]],
            ["b1", fw["b1"]],
            ["z1", fw["z1"]],
            ["h", fw["h"]],
            ["h_network", fw["h_network"]],
            ["visited", int(bw["visited"])],
            ["delta_t", bw["delta_t"]],
            ["slope", bw["slope"]],
            ["delta_prev_exact", bw["exact"]],
            ["delta_prev_textbook", bw["textbook"]],
        ]
        parts = []
        for name in ("input", "recurrent"):
            j, a, b, prod = fw[name]
            parts.append(
                {
                    "part": np.full(len(j), name, dtype=object),
                    "j": j,
                    "left": a,
                    "right": b,
                    "product": prod,
                }
            )
        forward = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        j, delta, row, col = bw["terms"]
        backward = {
            "j": j,
            "delta_t_j": delta,
            "w1h_ij": row,
            "w1h_ji": col,
            "exact_term": delta * row,
            "textbook_term": delta * col,
        }
        return {
            "summary": (["quantity", "value"], summary),
            "forward_terms": table_from_columns(forward),
            "backward_terms": table_from_columns(backward),
        }

"""Readable results: short text and HTML tables (not arrays) for the diagnostics' results,
a review's saliency, and the network itself.

No matplotlib here: Jupyter calls ``_repr_html_`` for every result shown, so this stays
cheap.  The network's hooks (to be added to ``RecurrentNetwork``) are
``_repr_html_ = lambda self: network_html(self)`` and ``__str__ = lambda self:
network_text(self)``.
"""

from __future__ import annotations

import html

import numpy as np

from . import _data

_STYLE = "border-collapse:collapse; font-family:monospace; font-size:90%"
_CELL = "padding:2px 8px; border-bottom:1px solid #ddd"


def table_html(header, rows, caption=None):
    """An HTML table: header (names), rows (lists of str), an optional caption (text)."""
    head = "".join(f"<th style='{_CELL}; text-align:right'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td style='{_CELL}; text-align:right'>{html.escape(str(c))}</td>" for c in r)
        + "</tr>"
        for r in rows
    )
    cap = ""
    if caption is not None:
        cap = f"<caption style='text-align:left'>{html.escape(caption)}</caption>"
    return f"<table style='{_STYLE}'>{cap}<tr>{head}</tr>{body}</table>"


def text_table(header, rows):
    """A plain text table: header (names), rows (lists of str), columns right-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    return "\n".join("  ".join(str(c).rjust(w) for c, w in zip(r, widths)) for r in [header] + rows)


def _g(v, digits=4):
    return "-" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.{digits}g}"


# ---------------------------------------------------------------- the diagnostics' results


def check_table(result):
    """GradientCheck -> (caption, header, rows)."""
    caption = (
        f"gradient check: backprop={result.backprop}, bptt_steps={result.bptt_steps} of "
        f"T={result.n_steps}, eps={result.eps:g}"
    )
    header = ["param", "shape", "checked", "rel error", "max abs err", "cos(k, full)"]
    rows = [
        [
            r.name,
            "x".join(map(str, r.shape)),
            str(r.n_checked),
            f"{r.rel_error:.2e}",
            f"{r.max_abs_error:.2e}",
            f"{r.cos_vs_full:.4f}",
        ]
        for r in result.rows.values()
    ]
    return caption, header, rows


def agreement_table(result):
    """RuleAgreement -> (caption, header, rows)."""
    caption = (
        f"exact vs textbook rule, bptt_steps={result.bptt_steps}, w1h asymmetry "
        f"{result.asymmetry:.4f}"
    )
    rows = [
        [n, f"{c:.4f}", f"{result.exact_norm[n]:.3e}", f"{result.textbook_norm[n]:.3e}"]
        for n, c in result.cosine.items()
    ]
    return caption, ["param", "cosine", "|exact|", "|textbook|"], rows


def factors_table(result, max_rows=12):
    """JacobianFactors -> (caption, header, rows): the batch's factor and bound per step back
    (the first steps back, then every so many, then the last) and the summary in the caption."""
    measured, bound = result.batch_factors, result.batch_bounds
    n = len(measured)
    s = _data.factor_summary(measured, bound, n + 1)
    m, n_steps = result.delta_norms.shape
    caption = (
        f"Jacobian factors ({result.backprop} rule, from the {result.start}): m={m} reviews, "
        f"T={n_steps}; sigma_max(w1h)={result.singular_values[0]:.4f}; median factor "
        f"{_g(s['median'])}; above the bound {s['exceeded']} times"
    )
    if n <= max_rows:
        steps = list(range(n))
    else:
        steps = sorted(set(np.linspace(0, n - 1, max_rows).round().astype(int).tolist()))
    rows = [
        [
            str(j + 1),
            _g(float(measured[j])),
            _g(float(bound[j])),
            _g(float(result.batch_norms[j + 1])),
        ]
        for j in steps
    ]
    return caption, ["steps back", "factor", "bound", "||delta||"], rows


_TABLES = {
    "GradientCheck": check_table,
    "RuleAgreement": agreement_table,
    "JacobianFactors": factors_table,
}


def result_text(result):
    """The text table of a diagnostics result (its ``__str__``)."""
    caption, header, rows = _TABLES[type(result).__name__](result)
    return caption + "\n" + text_table(header, rows)


def result_html(result):
    """The HTML table of a diagnostics result (its ``_repr_html_``)."""
    caption, header, rows = _TABLES[type(result).__name__](result)
    return table_html(header, rows, caption)


def result_repr(result):
    """One line: what the result is and its headline numbers (its ``__repr__``)."""
    name = type(result).__name__
    if name == "GradientCheck":
        return (
            f"GradientCheck(backprop={result.backprop!r}, bptt_steps={result.bptt_steps} of "
            f"T={result.n_steps}, params={list(result.rows)}, "
            f"max_rel_error={result.max_rel_error:.3g})"
        )
    if name == "RuleAgreement":
        cos = ", ".join(f"{n}={c:.3f}" for n, c in result.cosine.items())
        return (
            f"RuleAgreement(bptt_steps={result.bptt_steps}, asymmetry={result.asymmetry:.3f}, "
            f"cosine: {cos})"
        )
    m, n_steps = result.delta_norms.shape
    s = _data.factor_summary(result.batch_factors, result.batch_bounds, n_steps)
    return (
        f"JacobianFactors(m={m}, T={n_steps}, backprop={result.backprop!r}, "
        f"start={result.start!r}, sigma_max={result.singular_values[0]:.4f}, "
        f"median factor={_g(s['median'])})"
    )


# ---------------------------------------------------------------- saliency


def saliency_html(sal):
    """A review's words coloured by saliency (white to orange, log scale over the review's
    span), the words before ``T - k`` grey: the app's truncation view, as HTML."""
    parts = []
    for text, colour, dead in sal.items():
        text = html.escape(text)
        if dead:
            parts.append(f"<span style='color:#9a9a9a; background:#ececec'>{text}</span>")
        elif colour is None:  # inside the window but saliency 0
            parts.append(f"<span style='color:#555'>{text}</span>")
        else:
            parts.append(f"<span style='background:{colour}; color:black'>{text}</span>")
    n = len(sal.values)
    head = (
        f"<div style='font-size:90%; color:#555'>saliency ||dz2/dx_t||, window k = "
        f"{sal.window} of T = {n}: {int(sal.dead.sum())} words (grey) get no gradient</div>"
    )
    return head + "<div style='line-height:170%'>" + " ".join(parts) + "</div>"


# ---------------------------------------------------------------- the network


def _settings(rn):
    return rn.get_config()


def _last(values):
    return float(values[-1]) if values else None


def network_facts(rn):
    """What the network's text and HTML show: ``settings`` (the constructor's, as
    ``get_config()``), and when fitted ``shapes`` ({name: shape}), ``n_params``,
    ``epochs`` and ``last`` ({metric: last value} of its history)."""
    facts = {"name": type(rn).__name__, "settings": _settings(rn), "fitted": bool(rn.is_fitted)}
    if rn.is_fitted:
        weights = rn.get_weights()
        facts["shapes"] = {n: tuple(w.shape) for n, w in weights.items()}
        facts["n_params"] = int(sum(w.size for w in weights.values()))
        h = rn.history
        facts["epochs"] = len(h.get("loss") or [])
        facts["last"] = {k: _last(h.get(k) or []) for k in _data.HISTORY_KEYS if h.get(k)}
    return facts


def network_text(rn):
    """A few lines: the settings, and when fitted the weights' shapes, the parameter count,
    the epochs run and the last scores (the network's ``__str__``)."""
    f = network_facts(rn)
    s = f["settings"]
    lines = [
        f"{f['name']}: {s['n_cells']} cells, batch {s['batch_size']}, "
        f"learning rate {s['learning_rate']:g}, {s['optimizer']}, backprop {s['backprop']}, "
        f"bptt_steps {'full' if s['bptt_steps'] is None else s['bptt_steps']}, "
        f"{s['backend']}, {s['dtype']}"
    ]
    if not f["fitted"]:
        return lines[0] + "\n(not fitted)"
    shapes = ", ".join(f"{n} {'x'.join(map(str, sh))}" for n, sh in f["shapes"].items())
    lines.append(f"weights: {shapes} ({f['n_params']:,} parameters)")
    if f["last"]:
        scores = ", ".join(f"{k} {v:.4f}" for k, v in f["last"].items())
        lines.append(f"after {f['epochs']} epochs: {scores}")
    return "\n".join(lines)


def network_html(rn):
    """The network as HTML (its ``_repr_html_``): a settings table, and when fitted the
    weights (name, shape, size), the last scores and Keras' ``summary()`` lines."""
    f = network_facts(rn)
    settings = [[k, "None" if v is None else str(v)] for k, v in f["settings"].items()]
    out = [f"<b>{html.escape(f['name'])}</b>", table_html(["setting", "value"], settings)]
    if not f["fitted"]:
        out.append("<i>not fitted</i>")
        return "<div>" + "".join(out) + "</div>"
    rows = [[n, "x".join(map(str, sh)), str(int(np.prod(sh)))] for n, sh in f["shapes"].items()]
    out.append(table_html(["weight", "shape", "size"], rows, f"{f['n_params']:,} parameters"))
    if f["last"]:
        scores = [[k, f"{v:.4f}"] for k, v in f["last"].items()]
        out.append(table_html(["metric", "last"], scores, f"after {f['epochs']} epochs"))
    return "<div style='display:flex; gap:24px; align-items:flex-start'>" + "".join(out) + "</div>"

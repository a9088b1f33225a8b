"""Qt-free: what the BPTT lab's views show, computed from a network and a fixed probe batch.

:class:`LabRecorder` is an :class:`rnnfast.Callback`.  Put it in ``fit``'s callbacks (or call
its ``on_batch_end`` from the app's own callback): after a batch it may take a *snapshot*,
a record (a dict of NumPy arrays, all copies) passed to ``sink``.  The app's worker thread
emits it by a Qt signal; a view draws it with ``update_from(record)`` and never touches the
network.  Snapshots are taken at a bounded rate: the time spent in them is at most
``budget`` of the wall time (default 10%), so training keeps its throughput
(``python -m benchmarks.lab_cost`` measures it).

A record holds (``None`` where a quantity is not available):

- ``batch``, ``epoch``: batches seen by this recorder, epochs as a float
- ``T``, ``window`` (steps back BPTT visits, ``bptt_steps`` or T), ``backprop``, ``n_cells``
- ``grad_norms`` (k,): ||dL/dz1|| per step back of the last batch (the network's payload)
- ``agreement``: ``{"cosine": {param: float}, "asymmetry": float}`` (rule_agreement)
- ``factors``: ``{"measured", "bound", "singular_values"}`` (jacobian_factors)
- ``saliency``: ``{"review", "n_reviews", "ids" (T,), "values" (T,)}`` for the chosen
  review (an index into the probe batch, or into ``reviews``, of n_reviews)
- ``inspector``: one review's forward and backward numbers (:func:`inspect_review`)
- ``series``: the history over training of the scalars above (``batch``, ``epoch``,
  ``loss`` (the mean batch loss since the previous snapshot), ``cos_<param>``,
  ``asymmetry``, ``sigma`` (n, n_cells), ``probe_norm_before``/``_after``: the probe batch's
  gradient norm before and after the network's clipping, :func:`probe_clip`)
- ``clip``: the network's ``settings`` (clip_norm, clip_value) and ``recorded``: False when
  the library does not report clipping; else also the per-batch ``batch``,
  ``norm_before``, ``norm_after``, ``clipped`` and the ``share`` of clipped batches
- ``gradient_check``: a table (``columns``, ``rows``) when one was asked for
"""

from __future__ import annotations

import time

import numpy as np

from rnnfast import Callback
from rnnfast import diagnostics as diag

#: What the library reports per batch about clipping (see :func:`clip_stats`).
CLIP_KEYS = ("norm_before", "norm_after", "clipped")

#: The columns of the gradient-check table (:meth:`LabRecorder.gradient_check`).
CHECK_COLUMNS = (
    "backprop",
    "bptt_steps",
    "param",
    "shape",
    "checked",
    "rel_error",
    "max_abs_error",
    "cos_vs_full",
)


class _Series:
    """Columns that grow by one row per snapshot; when ``cap`` rows are reached every other
    row is dropped (the history keeps its span at half the resolution)."""

    def __init__(self, cap):
        self.cap = int(cap)
        self.columns = {}
        self.rows = 0

    def append(self, **values):
        for name, v in values.items():
            self.columns.setdefault(name, []).append(v)
        self.rows += 1
        if self.rows >= self.cap:
            for name in self.columns:
                self.columns[name] = self.columns[name][::2]
            self.rows = len(next(iter(self.columns.values())))

    def arrays(self):
        return {n: np.array(v, dtype=np.float64) for n, v in self.columns.items()}


def _as_ids(x_row):
    """The token ids of one review: ids as they are; dense (T, nf) -> argmax per step."""
    x_row = np.asarray(x_row)
    return x_row.astype(np.int64) if x_row.ndim == 1 else np.argmax(x_row, axis=1)


def input_vectors(weights, x_row):
    """What multiplies w1x at each step of one review: ``(x_in, w1x)`` with x_in (T, n_in)
    the dense rows, or the embedded words ``embedding[ids]``; None for token ids without an
    embedding (one-hot: ``x_t w1x`` is the row ``w1x[id_t]``)."""
    x_row = np.asarray(x_row)
    w1x = np.asarray(weights["w1x"], dtype=np.float64)
    if x_row.ndim == 2:
        return np.asarray(x_row, dtype=np.float64), w1x
    if "embedding" in weights:
        return np.asarray(weights["embedding"], dtype=np.float64)[x_row], w1x
    return None, w1x


def inspect_review(rn, x_row, y_row):
    """The numbers of the equation inspector for one review (NumPy, m = 1).

    Forward as the source: ``z1_t = x_t w1x + h_{t-1} w1h + b1``, ``h_t = tanh(z1_t)``, then
    ``z2 = h_T w2 + b2``, ``a = sigmoid(z2)``.  Backward from this review's loss, under the
    network's window k, with both rules from the same forward states:
    exact ``delta_{t-1} = (delta_t w1h^T) * (1 - h_{t-1}^2)``, textbook ``delta_t w1h``.
    ``deltas_*[t]`` is dL/dz1 at step t (zero for t < T - k: not visited).
    """
    w = rn.get_weights()
    x_row = np.asarray(x_row)
    n_steps = x_row.shape[0]
    x_in, w1x = input_vectors(w, x_row)
    xw = w1x[x_row] if x_in is None else x_in @ w1x  # (T, n_cells)
    w1h, b1, w2, b2 = (np.asarray(w[n], dtype=np.float64) for n in ("w1h", "b1", "w2", "b2"))
    hs = diag.forward_states(w, x_row[None])[1][:, 0]  # (T + 1, n_cells)
    z2 = float(hs[-1] @ w2[:, 0] + b2[0])
    a = float(diag.sigmoid(z2))
    err = a - float(y_row)
    k = n_steps if rn.bptt_steps is None else min(rn.bptt_steps, n_steps)
    deltas = {}
    for rule, back in (("exact", w1h.T), ("textbook", w1h)):
        d = np.zeros((n_steps, w1h.shape[0]))
        delta = err * w2[:, 0] * (1 - hs[-1] ** 2)
        for t in range(n_steps - 1, n_steps - 1 - k, -1):
            d[t] = delta
            delta = (delta @ back) * (1 - hs[t] ** 2)  # hs[t] = h_{t-1} of step t
        deltas[rule] = d
    return {
        "ids": _as_ids(x_row),
        "x_in": x_in,
        "w1x": w1x,
        "xw": xw,
        "hs": hs,
        "w1h": w1h,
        "b1": b1,
        "w2": w2[:, 0],
        "b2": float(b2[0]),
        "z2": z2,
        "a": a,
        "y": float(y_row),
        "err": err,
        "window": k,
        "deltas_exact": deltas["exact"],
        "deltas_textbook": deltas["textbook"],
        "embedding": "embedding" in w,
        "n_features": int(rn.n_features),
    }


def _field(result, *names):
    """``result[name]`` or ``result.name`` for the first name present (None if none)."""
    for name in names:
        if isinstance(result, dict) and name in result:
            return result[name]
        if hasattr(result, name):
            return getattr(result, name)
    return None


def probe_clip(rn, x, y):
    """The global gradient norm on the probe batch (the network's rule and window) before
    and after the network's clipping: ``clip_norm`` scales the gradients to that norm,
    ``clip_value`` clips each entry into [-c, c].  What clipping would do at a snapshot,
    with any library (the per-batch report is :func:`clip_stats`)."""
    grads = diag.gradients(rn, x, y)
    flat = np.concatenate([np.ravel(g).astype(np.float64) for g in grads.values()])
    before = float(np.linalg.norm(flat))
    value = getattr(rn, "clip_value", None)
    if value:
        return before, float(np.linalg.norm(np.clip(flat, -value, value)))
    if rn.clip_norm and before > rn.clip_norm:
        return before, float(rn.clip_norm)
    return before, before


def clip_stats(network, info):
    """The clipping of the batch just trained, as the library reports it, or None.

    Read from the batch payload ``info["clip"]`` or else ``network.last_clip``: a mapping
    with ``norm_before`` (global gradient norm before clipping), ``norm_after`` and
    ``clipped`` (bool).  Absent (a library that does not record it): None, "not recorded".
    """
    stats = (info or {}).get("clip") if isinstance(info, dict) else None
    if stats is None:
        stats = getattr(network, "last_clip", None)
    if stats is None or any(_field(stats, k) is None for k in CLIP_KEYS):
        return None
    return {k: _field(stats, k) for k in CLIP_KEYS}


class LabRecorder(Callback):
    """Snapshots of the lab's quantities during ``fit``, at a bounded cost.

    x_probe, y_probe: a fixed batch (e.g. the first 32 validation reviews) on which the
    gradients, factors and saliency are computed, so that records are comparable over
    training.  review: index into the probe batch of the review the truncation view and the
    inspector show (may be set from another thread: an int); ``reviews=(x, y)``: the reviews
    it indexes instead (e.g. the app's whole validation set, not copied).  sink: ``sink(record)``.
    budget: the largest share of wall time spent in snapshots; min_interval: seconds
    between two snapshots at least.  max_rows: rows of history kept (then halved).
    """

    def __init__(
        self,
        x_probe,
        y_probe,
        *,
        sink=None,
        review=0,
        reviews=None,
        budget=0.1,
        min_interval=0.05,
        max_rows=2000,
    ):
        self.x_probe = np.ascontiguousarray(x_probe)
        self.y_probe = np.asarray(y_probe, dtype=np.float64).reshape(-1)
        if len(self.x_probe) != len(self.y_probe) or len(self.x_probe) == 0:
            raise ValueError("x_probe and y_probe must be a non-empty batch of equal length")
        self.sink = sink
        self.review = int(review)
        self.reviews = None if reviews is None else (reviews[0], np.asarray(reviews[1]).reshape(-1))
        self.budget = float(budget)
        self.min_interval = float(min_interval)
        self.max_rows = int(max_rows)
        self.check_requested = False
        self.reset()

    # ------------------------------------------------------------------ state

    def reset(self):
        """Forget the history (a new run)."""
        self.batches_seen = 0
        self.snapshots = 0
        self.seconds_recording = 0.0
        self._next_due = 0.0
        self._series = _Series(self.max_rows)
        self._clip = _Series(self.max_rows * 4)
        self._clip_counts = [0, 0]  # clipped batches, batches with a clip record
        self._losses = [0.0, 0]  # batch losses since the last snapshot: sum, count
        self._batch_losses = _Series(self.max_rows * 8)  # every batch's loss (the twins' curve)
        self._last_info = {}
        self.last_record = None

    def request_gradient_check(self):
        """Run ``gradient_check`` at the next snapshot (set from the GUI thread)."""
        self.check_requested = True

    # ------------------------------------------------------------------ callback

    def on_train_begin(self, network, info):
        self._next_due = 0.0

    def on_batch_end(self, network, info):
        self.batches_seen += 1
        self._last_info = info
        if "loss" in info:
            self._losses[0] += info["loss"]
            self._losses[1] += 1
            self._batch_losses.append(batch=self.batches_seen, loss=float(info["loss"]))
        stats = clip_stats(network, info)
        if stats is not None:
            self._clip_counts[0] += bool(stats["clipped"])
            self._clip_counts[1] += 1
            self._clip.append(batch=self.batches_seen, **{k: float(v) for k, v in stats.items()})
        now = time.perf_counter()
        if now >= self._next_due or self.check_requested:
            self.record(network, info)

    def on_train_end(self, network, info):
        if network.is_fitted:
            self.record(network, self._last_info)

    # ------------------------------------------------------------------ snapshots

    def record(self, network, info=None):
        """Take a snapshot now, pass it to the sink and return it."""
        start = time.perf_counter()
        rec = self.snapshot(network, info)
        cost = time.perf_counter() - start
        self.seconds_recording += cost
        self.snapshots += 1
        # Spend at most `budget` of the time in snapshots: wait cost * (1 - b) / b.
        wait = cost * (1 - self.budget) / max(self.budget, 1e-6)
        self._next_due = time.perf_counter() + max(self.min_interval, wait)
        self.last_record = rec
        if self.sink is not None:
            self.sink(rec)
        return rec

    def snapshot(self, rn, info=None):
        """The record of the network's current weights (see the module docstring)."""
        info = info or {}
        x, y = self.x_probe, self.y_probe
        n_steps = x.shape[1]
        xr, yr = self.reviews or (x, y)
        review = min(max(self.review, 0), len(xr) - 1)
        window = n_steps if rn.bptt_steps is None else min(rn.bptt_steps, n_steps)
        agreement = self._agreement(rn, x, y)
        factors = self._factors(rn, x, review, None if self.reviews is None else xr)
        sal = np.asarray(diag.saliency(rn, xr[review : review + 1]), dtype=np.float64)[0]
        loss_sum, n_losses = self._losses
        self._losses = [0.0, 0]
        row = {
            "batch": self.batches_seen,
            "epoch": self._epoch(info),
            "loss": loss_sum / n_losses if n_losses else float("nan"),
            "asymmetry": agreement["asymmetry"],
        }
        row.update({f"cos_{p}": c for p, c in agreement["cosine"].items()})
        row["sigma"] = factors["singular_values"]
        row["probe_norm_before"], row["probe_norm_after"] = probe_clip(rn, x, y)
        self._series.append(**row)
        rec = {
            "batch": self.batches_seen,
            "epoch": row["epoch"],
            "T": n_steps,
            "window": window,
            "bptt_steps": rn.bptt_steps,
            "backprop": rn.backprop,
            "n_cells": rn.n_cells,
            "params": list(rn.param_names),
            "grad_norms": self._grad_norms(rn, info),
            "agreement": agreement,
            "factors": factors,
            "saliency": {
                "review": review,
                "n_reviews": len(xr),
                "ids": _as_ids(xr[review]),
                "values": sal,
            },
            "inspector": inspect_review(rn, xr[review], yr[review]),
            "series": self._series.arrays(),
            "batch_losses": self._batch_losses.arrays(),  # every batch (halved when long)
            "clip": self._clip_record(rn),
        }
        if self.check_requested:
            self.check_requested = False
            rec["gradient_check"] = self.gradient_check(rn)
        return rec

    def gradient_check(self, rn):
        """``gradient_check`` on the probe batch, as a table: one row per parameter and
        check (the exact and the textbook rule with full BPTT, and the network's own rule
        and window when it is neither), columns as :data:`CHECK_COLUMNS`."""
        settings = [("exact", diag.FULL), ("textbook", diag.FULL)]
        if rn.bptt_steps is not None and rn.bptt_steps < self.x_probe.shape[1]:
            settings.append((rn.backprop, rn.bptt_steps))
        rows = []
        for backprop, k in settings:
            check = diag.gradient_check(
                rn, self.x_probe, self.y_probe, backprop=backprop, bptt_steps=k
            )
            rows += [
                [
                    check.backprop,
                    check.bptt_steps,
                    r.name,
                    "x".join(map(str, r.shape)),
                    r.n_checked,
                    r.rel_error,
                    r.max_abs_error,
                    r.cos_vs_full,
                ]
                for r in check.rows.values()
            ]
        return {"columns": list(CHECK_COLUMNS), "rows": rows, "T": self.x_probe.shape[1]}

    # ------------------------------------------------------------------ the parts

    @staticmethod
    def _agreement(rn, x, y):
        result = diag.rule_agreement(rn, x, y)
        return {
            "cosine": dict(result.cosine),
            "asymmetry": result.asymmetry,
            "exact_norm": dict(result.exact_norm),
            "textbook_norm": dict(result.textbook_norm),
        }

    @staticmethod
    def _factors(rn, x, review, reviews=None):
        """All T steps back, exact rule: the batch's factors and bounds, the chosen
        review's (of the batch, or of ``reviews``), and w1h's singular values
        (diagnostics.jacobian_factors)."""
        f = diag.jacobian_factors(rn, x)
        r, review = (
            (f, review)
            if reviews is None
            else (diag.jacobian_factors(rn, reviews[review : review + 1]), 0)
        )
        return {
            "measured": f.batch_factors.copy(),
            "bound": f.batch_bounds.copy(),
            "review_measured": r.factors[review].copy(),
            "review_bound": r.bounds[review].copy(),
            "singular_values": f.singular_values.copy(),
        }

    @staticmethod
    def _grad_norms(rn, info):
        norms = info.get("grad_norms") if isinstance(info, dict) else None
        if norms is None:
            norms = rn.last_grad_norms
        return None if norms is None else np.array(norms, dtype=np.float64)

    @staticmethod
    def _epoch(info):
        if not info or "epoch" not in info:
            return float("nan")
        return info["epoch"] + (info.get("batch", 0) + 1) / max(info.get("n_batches", 1), 1)

    def _clip_record(self, rn):
        """Always a dict: the network's clipping settings, ``recorded`` (whether the library
        reported any batch's clipping) and, when it did, the per-batch columns and share."""
        rec = {
            "settings": {
                "clip_norm": getattr(rn, "clip_norm", None),
                "clip_value": getattr(rn, "clip_value", None),
            },
            "recorded": self._clip_counts[1] > 0,
        }
        if rec["recorded"]:
            rec.update(self._clip.arrays())
            rec["share"] = self._clip_counts[0] / self._clip_counts[1]
        return rec

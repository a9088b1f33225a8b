"""The history of a run (Qt-free): what the plots show, filled from the worker's payloads,
saved and read as JSON, or rebuilt from what a trained network remembers; and the smoothing
of its curves.

Plain Python + NumPy, like :mod:`gui.training.settings` (the settings it records), which it
imports; nothing imports this module back.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import time

import numpy as np

from .settings import TrainSettings


class RunFileError(ValueError):
    """A run file that cannot be read as one: ``kind`` is "json" (not JSON), "format" (JSON,
    not a run) or "damaged" (a run with a missing or wrong field); ``detail`` says where."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


RUN_FORMAT = "rnnfast-gui-run/1"


class _Growing:
    """A float64 array that grows by rows (amortised doubling). Rows of another width (a run
    continued with another truncation or sequence length) are padded with NaN: the columns
    are steps back, which keep their meaning."""

    def __init__(self, width: int | None = None):
        self._buf = None
        self.n = 0
        self.width = width

    def append_rows(self, rows: np.ndarray):
        rows = np.asarray(rows, dtype=np.float64)
        if rows.ndim == 1:
            rows = rows[None, :]
        if rows.shape[0] == 0:
            return
        if self._buf is None:
            self.width = rows.shape[1]
            self._buf = np.empty((max(256, 2 * rows.shape[0]), self.width))
        if rows.shape[1] < self.width:
            rows = np.hstack([rows, np.full((rows.shape[0], self.width - rows.shape[1]), np.nan)])
        elif rows.shape[1] > self.width:
            wider = np.full((self._buf.shape[0], rows.shape[1]), np.nan)
            wider[:, : self.width] = self._buf
            self._buf, self.width = wider, rows.shape[1]
        need = self.n + rows.shape[0]
        if need > self._buf.shape[0]:
            new = np.empty((max(need, 2 * self._buf.shape[0]), self.width))
            new[: self.n] = self._buf[: self.n]
            self._buf = new
        self._buf[self.n : need] = rows
        self.n = need

    @property
    def array(self) -> np.ndarray:
        if self._buf is None:
            return np.empty((0, self.width or 0))
        return self._buf[: self.n]


_uids = itertools.count(1)


class RunHistory:
    """Everything the plots show about one run, filled from the worker's payloads.

    x positions are in epochs: batch ``b`` of epoch ``e`` (both 0-based) sits at
    ``e + (b + 1) / n_batches``; the end of epoch ``e`` at ``e + 1``.
    """

    def __init__(
        self,
        train_settings: TrainSettings | None = None,
        data_info: dict | None = None,
        label: str = "",
    ):
        self.train_settings = train_settings
        self.data_info = dict(data_info or {})
        self.label = label or (train_settings.label() if train_settings else "")
        self.created = time.strftime("%Y-%m-%d %H:%M:%S")
        self.uid = next(_uids)  # identifies this history (a copy gets a new one)
        self.batch_x: list[float] = []
        self.batch_loss: list[float] = []
        self.batch_acc: list[float] = []
        self._grads = _Growing()
        self.epoch_x: list[float] = []
        self.epoch_loss: list[float] = []
        self.epoch_acc: list[float] = []
        self.val_loss: list[float] = []
        self.val_acc: list[float] = []
        self.epoch_grads: list[np.ndarray] = []
        self.elapsed = 0.0
        self.samples_per_second = float("nan")
        self.status = "new"  # new | running | paused | stopped | finished | failed
        self.error = ""
        self.final_val_accuracy = None

    # -- filling ---------------------------------------------------------------
    def add_batches(self, payload: dict):
        self.batch_x.extend(float(v) for v in payload["x"])
        self.batch_loss.extend(float(v) for v in payload["losses"])
        self.batch_acc.extend(float(v) for v in payload["accuracies"])
        g = payload.get("grad_norms")
        if g is not None and len(g):
            self._grads.append_rows(g)
        if "elapsed" in payload:
            self.elapsed = float(payload["elapsed"])
        if "samples_per_second" in payload:
            self.samples_per_second = float(payload["samples_per_second"])

    def add_epoch(self, info: dict):
        # a continued run reports where its epoch ends on the shared axis ("epoch_x")
        self.epoch_x.append(float(info.get("epoch_x", float(info["epoch"]) + 1.0)))
        self.epoch_loss.append(_f(info.get("loss")))
        self.epoch_acc.append(_f(info.get("accuracy")))
        self.val_loss.append(_f(info.get("val_loss")))
        self.val_acc.append(_f(info.get("val_accuracy")))
        g = info.get("grad_norms")
        if g is not None:
            self.epoch_grads.append(np.array(g, dtype=np.float64, copy=True))
        if "elapsed" in info:
            self.elapsed = float(info["elapsed"])

    def end(self, result: dict):
        """The outcome of a training thread (``TrainingWorker``'s result dict)."""
        if result.get("error"):
            self.status, self.error = "failed", result["error"]
        elif result.get("diverged"):
            self.status, self.error = "failed", f"diverged: {result['diverged']}"
        else:
            self.status = "stopped" if result.get("stopped") else "finished"
        net = result.get("network")
        if net is not None and net.val_accuracies:
            self.final_val_accuracy = float(net.val_accuracies[-1])

    # -- reading ---------------------------------------------------------------
    @property
    def version(self) -> tuple:
        """Changes whenever something was added: the plots redraw only then."""
        return (self.uid, len(self.batch_loss), len(self.epoch_x), len(self.grad_matrix))

    @property
    def n_batches_seen(self) -> int:
        return len(self.batch_loss)

    @property
    def grad_matrix(self) -> np.ndarray:
        """(batches, k): per-step gradient norm of every batch, column j = j steps back."""
        return self._grads.array

    @property
    def has_data(self) -> bool:
        return bool(self.batch_loss)

    def latest_grad_norms(self, n: int = 1) -> np.ndarray | None:
        g = self.grad_matrix
        if not len(g):
            return None
        return g[-n:].mean(axis=0)

    def copy(self) -> "RunHistory":
        h = RunHistory(self.train_settings, self.data_info, self.label)
        h.created = self.created
        for name in (
            "batch_x",
            "batch_loss",
            "batch_acc",
            "epoch_x",
            "epoch_loss",
            "epoch_acc",
            "val_loss",
            "val_acc",
        ):
            setattr(h, name, list(getattr(self, name)))
        h.epoch_grads = [g.copy() for g in self.epoch_grads]
        if len(self.grad_matrix):
            h._grads.append_rows(self.grad_matrix.copy())
        h.elapsed, h.samples_per_second = self.elapsed, self.samples_per_second
        h.status, h.error, h.final_val_accuracy = self.status, self.error, self.final_val_accuracy
        return h

    def to_json_dict(self) -> dict:
        return {
            "format": RUN_FORMAT,
            "label": self.label,
            "created": self.created,
            "status": self.status,
            "error": self.error,
            "train_settings": self.train_settings.to_dict() if self.train_settings else None,
            "data": self.data_info,
            "elapsed_seconds": self.elapsed,
            "samples_per_second": _json_float(self.samples_per_second),
            "final_val_accuracy": _json_float(self.final_val_accuracy),
            "history": {
                "epoch": self.epoch_x,
                "loss": [_json_float(v) for v in self.epoch_loss],
                "accuracy": [_json_float(v) for v in self.epoch_acc],
                "val_loss": [_json_float(v) for v in self.val_loss],
                "val_accuracy": [_json_float(v) for v in self.val_acc],
                "grad_norms": [[_json_float(v) for v in g] for g in self.epoch_grads],
                "batch_x": self.batch_x,
                "batch_loss": [_json_float(v) for v in self.batch_loss],
                "batch_accuracy": [_json_float(v) for v in self.batch_acc],
            },
        }

    def save_json(self, path: str, extra: dict | None = None):
        d = self.to_json_dict()
        if extra:
            d.update(extra)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(d, f, indent=1, allow_nan=False)

    @classmethod
    def from_network(cls, net, settings: TrainSettings) -> "RunHistory | None":
        """What a ``RecurrentNetwork`` remembers of its training (a loaded model), or None."""
        if not net.losses:
            return None
        h = cls(settings, {}, label=f"loaded: {settings.label()}")
        grads = net.grad_norms

        def at(values, e):  # a list shorter than the epochs' (an older file) has no entry
            return values[e] if e < len(values) else None

        for e, loss in enumerate(net.losses):
            h.add_epoch(
                {
                    "epoch": e,
                    "loss": loss,
                    "accuracy": at(net.accuracies, e),
                    "val_loss": at(net.val_losses, e),
                    "val_accuracy": at(net.val_accuracies, e),
                    "grad_norms": at(grads, e),
                }
            )
        bl = list(net.batch_losses)
        if bl:
            per = max(1, len(bl) // len(net.losses))
            h.add_batches(
                {
                    "x": [(i + 1) / per for i in range(len(bl))],
                    "losses": bl,
                    "accuracies": [float("nan")] * len(bl),
                    "grad_norms": None,
                }
            )
        if grads:
            # one row per epoch: the heatmap of a loaded model is per epoch
            for g in grads:  # (their widths differ when the truncation changed between fits)
                h._grads.append_rows(np.asarray(g, dtype=float))
            if not bl:
                h.batch_x = [float(e + 1) for e in range(len(grads))]
        h.status = "loaded"
        return h

    @classmethod
    def load_json(cls, path: str) -> "RunHistory":
        """A run written by :meth:`save_json`. Raises OSError (unreadable) or RunFileError (not
        JSON, not a run, damaged), whose ``kind`` and ``detail`` say which."""
        with open(path, "rb") as f:
            raw = f.read()
        try:
            d = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise RunFileError("json", f"not UTF-8 text (byte {e.start})") from None
        except json.JSONDecodeError as e:
            raise RunFileError("json", f"line {e.lineno}, column {e.colno}: {e.msg}") from None
        return cls.from_json_dict(d)

    @classmethod
    def from_json_dict(cls, d: dict) -> "RunHistory":
        if not isinstance(d, dict):
            raise RunFileError("format", f"a JSON {type(d).__name__}, not an object")
        if d.get("format") != RUN_FORMAT:
            raise RunFileError("format", f"format {d.get('format')!r}, expected {RUN_FORMAT!r}")
        try:
            return cls._from_checked_dict(d)
        except (TypeError, ValueError, KeyError, AttributeError) as e:
            raise RunFileError("damaged", f"{type(e).__name__}: {e}") from None

    @classmethod
    def _from_checked_dict(cls, d: dict) -> "RunHistory":

        ts = d.get("train_settings")
        if ts:
            known = {f.name for f in dataclasses.fields(TrainSettings)}
            ts = TrainSettings(**{k: v for k, v in ts.items() if k in known}).validate()
        h = cls(ts or None, d.get("data"), str(d.get("label", "")))
        hist = d.get("history", {})
        nan = float("nan")
        h.epoch_x = [float(v) for v in hist.get("epoch", [])]
        for name, key in (
            ("epoch_loss", "loss"),
            ("epoch_acc", "accuracy"),
            ("val_loss", "val_loss"),
            ("val_acc", "val_accuracy"),
        ):
            setattr(h, name, [nan if v is None else float(v) for v in hist.get(key, [])])
            if len(getattr(h, name)) != len(h.epoch_x):
                raise ValueError(
                    f"history.{key} has {len(getattr(h, name))} values for {len(h.epoch_x)} epochs"
                )
        h.epoch_grads = [
            np.array([nan if v is None else v for v in g], dtype=float)
            for g in hist.get("grad_norms", [])
        ]
        h.batch_x = [float(v) for v in hist.get("batch_x", [])]
        h.batch_loss = [nan if v is None else float(v) for v in hist.get("batch_loss", [])]
        h.batch_acc = [nan if v is None else float(v) for v in hist.get("batch_accuracy", [])]
        if len(h.batch_loss) != len(h.batch_x):
            raise ValueError(
                f"history.batch_loss has {len(h.batch_loss)} values for {len(h.batch_x)} positions"
            )
        h.status = str(d.get("status", "loaded"))
        h.elapsed = float(d.get("elapsed_seconds") or 0.0)
        return h


def _f(v):
    return float("nan") if v is None else float(v)


def _json_float(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def smooth_fast(values, window: int = 20) -> np.ndarray:
    """Trailing moving mean over the finite values (vectorised; used for long curves)."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return v
    window = max(1, min(int(window), len(v)))
    ok = np.isfinite(v)
    c = np.cumsum(np.insert(np.where(ok, v, 0.0), 0, 0.0))
    k = np.cumsum(np.insert(ok.astype(np.float64), 0, 0.0))
    idx = np.arange(len(v))
    lo = np.maximum(0, idx - window + 1)
    cnt = k[idx + 1] - k[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (c[idx + 1] - c[lo]) / cnt
    out[cnt == 0] = np.nan
    return out

"""A sweep's ``results_dir``: every finished run written at once, read back on the next call.

Layout::

    results_dir/sweep.json        what the runs share: the estimator's other settings, the
                                  grid's setting names, epochs, a fingerprint of the data
    results_dir/runs/<key>.parquet  one file per finished run (CSV where pyarrow is missing):
                                  its settings, seed, one row per epoch, rnnfast's version

A run file is written to a temporary name and renamed, so a file that exists is complete:
an interrupt (Ctrl+C, a killed process) loses at most the runs that were still training.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import signal
import threading
import warnings

import numpy as np

FORMAT = "rnnfast-sweep-1"
METRICS = ("loss", "val_loss", "accuracy", "val_accuracy", "seconds")
RUN_FIELDS = ("fit_seconds", "cpu_seconds", "worker", "cpu_level", "version")


def fingerprint(data) -> str:
    """A hash of the arrays' bytes, shapes and dtypes (and n_features): another data set
    in the same results_dir is refused instead of mixed in."""
    h = hashlib.blake2b(digest_size=16)
    for name in ("x", "y", "x_val", "y_val"):
        a = getattr(data, name)
        if a is None:
            h.update(b"none")
            continue
        a = np.ascontiguousarray(a)
        h.update(f"{name}:{a.dtype.str}:{a.shape}".encode())
        h.update(memoryview(a.reshape(-1).view(np.uint8)))
    h.update(f"n_features:{data.n_features}".encode())
    return h.hexdigest()


def _jsonable(params):
    """The estimator's shared parameters as JSON (callbacks by their class names)."""
    out = {}
    for k, val in params.items():
        if k in ("verbose", "warm_start", "seed"):
            continue
        if k == "callbacks":
            val = [type(cb).__name__ for cb in val or ()]
        elif not (val is None or isinstance(val, (str, bool, int, float))):
            val = str(val)
        out[k] = val
    return out


def manifest(estimator, grid, epochs, data_hash) -> dict:
    shared = {k: val for k, val in estimator.get_params().items() if k not in grid}
    return {
        "format": FORMAT,
        "estimator": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
        "settings": list(grid),
        "data": data_hash,
        "epochs": epochs,
        "shared_settings": _jsonable(shared),
    }


class Store:
    """The runs of one results_dir."""

    def __init__(self, path, meta, *, parquet=None):
        self.path = os.fspath(path)
        self.runs_dir = os.path.join(self.path, "runs")
        if parquet is None:
            parquet = importlib.util.find_spec("pyarrow") is not None
        self.suffix = ".parquet" if parquet else ".csv"
        self._open(meta)

    def _open(self, meta):
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise ValueError(f"results_dir {self.path!r} is a file, not a folder")
        manifest_path = os.path.join(self.path, "sweep.json")
        if os.path.exists(manifest_path):
            with open(manifest_path) as f:
                try:
                    old = json.load(f)
                except json.JSONDecodeError as e:
                    raise ValueError(f"results_dir: {manifest_path} is not readable: {e}") from None
            differ = [k for k in meta if old.get(k) != meta[k]]
            if differ:
                details = "; ".join(_difference(k, old.get(k), meta[k]) for k in differ)
                raise ValueError(
                    f"results_dir {self.path!r} holds runs of another sweep ({details}): "
                    "choose another results_dir, or delete that one to start over"
                )
            return
        if os.path.isdir(self.path) and os.listdir(self.path):
            raise ValueError(
                f"results_dir {self.path!r} is not empty and holds no sweep.json: "
                "give a new or empty folder"
            )
        os.makedirs(self.runs_dir, exist_ok=True)
        _atomic_write_text(manifest_path, json.dumps(meta, indent=1))

    def _file(self, run, suffix=None):
        return os.path.join(self.runs_dir, run.key + (suffix or self.suffix))

    def write(self, run, record):
        """Write one finished run (atomically; a Ctrl+C meanwhile waits for the file)."""
        frame = _run_frame(run, record)
        final = self._file(run)
        tmp = f"{final}.tmp-{os.getpid()}"
        with _interrupt_after():
            try:
                if self.suffix == ".parquet":
                    frame.to_parquet(tmp, index=False)
                else:
                    frame.to_csv(tmp, index=False)
                os.replace(tmp, final)
            finally:
                if os.path.exists(tmp):
                    os.remove(tmp)

    def read(self, run):
        """The record of a finished run, or None if it has not finished."""
        import pandas as pd

        for suffix in (".parquet", ".csv"):
            path = self._file(run, suffix)
            if not os.path.exists(path):
                continue
            try:
                if suffix == ".parquet":
                    frame = pd.read_parquet(path)
                else:
                    frame = pd.read_csv(path, **_round_trip(pd))
            except Exception as e:  # unreadable: run it again
                warnings.warn(f"{path} is unreadable ({e}); that run is run again", stacklevel=3)
                return None
            if json.loads(frame["settings"].iloc[0]) != [list(kv) for kv in run.settings]:
                return None  # a hash collision: not this run
            record = {m: frame[m].astype(float).tolist() for m in METRICS}
            record.update({k: frame[k].iloc[0] for k in RUN_FIELDS})
            record["fit_seconds"] = float(record["fit_seconds"])
            record["cpu_seconds"] = float(record["cpu_seconds"])
            record["version"] = str(record["version"])
            return record
        return None


def _round_trip(pd):
    """read_csv's option that reads back the exact bits to_csv wrote: pandas 2 needs
    ``float_precision="round_trip"``; pandas 3 does it by default and deprecates the option."""
    return {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


@contextlib.contextmanager
def _interrupt_after():
    """Hold a SIGINT (Ctrl+C) until the block is done, then raise it: a run that finished is
    kept even when Ctrl+C comes while its file is written.  Only the main thread receives
    signals; elsewhere (the app's worker thread) the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *args: caught.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if not caught or previous == signal.SIG_IGN:
        return
    if callable(previous):  # Python's default handler raises KeyboardInterrupt
        previous(*caught[0])
    else:
        raise KeyboardInterrupt


def _run_frame(run, record):
    import pandas as pd

    n = len(record["loss"])
    columns = {
        "settings": [json.dumps([list(kv) for kv in run.settings])] * n,
        "seed": [run.seed] * n,
        "epoch": list(range(1, n + 1)),
    }
    columns.update({m: record[m] for m in METRICS})
    columns.update({k: [record[k]] * n for k in RUN_FIELDS})
    return pd.DataFrame(columns)


def _atomic_write_text(path, text):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def _difference(key, there, now):
    """``epochs: 20 there, 10 now``; for a dict only the entries that differ."""
    if isinstance(there, dict) and isinstance(now, dict):
        parts = [
            f"{k} {_short(there.get(k, '(absent)'))} there, {_short(now.get(k, '(absent)'))} now"
            for k in sorted(set(there) | set(now), key=str)
            if there.get(k, "(absent)") != now.get(k, "(absent)")
        ]
        return f"{key}: " + ", ".join(parts)
    return f"{key}: {_short(there)} there, {_short(now)} now"


def _short(value, limit=120):
    text = json.dumps(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."

"""The runs of the S1 table (:mod:`rnnfast.examples.s1_table`), through
:func:`rnnfast.experiments.sweep`: one path for many runs, on one core, every core or a Dask
cluster, with the same numbers from each.

The input encoding (the source's float32 one-hot array, or token ids) is the data, not a
setting, so :func:`collect` makes one sweep per encoding and backend, each over
``{"backprop": rules, "backend": [backend]}`` and the seeds; its records are read from the
sweeps' ``frame`` (per epoch) and ``runs`` (per run: seconds of ``fit``, wall and CPU).
"""

import os
import warnings

from . import textbook

__all__ = ["collect", "RunsFailed"]


class RunsFailed(RuntimeError):
    """Runs of :func:`collect` that failed (e.g. a DivergenceError); the others finished
    (and are kept in ``results_dir`` when one was given).  ``.failures``: ``[(label, error)]``."""

    def __init__(self, failures):
        self.failures = failures
        lines = "; ".join(f"{label}: {error}" for label, error in failures)
        super().__init__(f"{len(failures)} run(s) failed: {lines}")


def _sweeps(seeds, numpy_seeds, ids):
    """``[(encoding, backend, seeds)]``: one sweep per input encoding and backend (the
    encoding is the data, so it cannot be a grid setting)."""
    plan = [("onehot", "cython", list(seeds))]
    if ids:
        plan.append(("ids", "cython", list(seeds)))
    chosen = set(numpy_seeds)
    numpy_seeds = [s for s in seeds if s in chosen]
    if numpy_seeds:
        plan.append(("onehot", "numpy", numpy_seeds))
    return plan


def _inputs(data, encoding):
    """``(x, validation_data, n_features)`` of ``data`` (:func:`textbook.prepare`)."""
    if encoding == "onehot":
        if data.get("x_train_onehot") is None:
            raise ValueError(
                "the one-hot runs need the one-hot arrays: prepare(..., encoding='onehot')"
            )
        return data["x_train_onehot"], (data["x_val_onehot"], data["y_val"]), None
    return data["x_train_seq"], (data["x_val_seq"], data["y_val"]), data["n_features"]


def _records(s, encoding, backend, epochs, n_train, n_val):
    """One record per finished run of the sweep ``s``, from its ``frame`` and ``runs``."""
    frame, runs = s.frame, s.runs
    out = []
    for _, run in runs[runs["status"].isin(["done", "resumed"])].iterrows():
        rows = frame[(frame["backprop"] == run["backprop"]) & (frame["seed"] == run["seed"])]
        rows = rows.sort_values("epoch")
        n = len(rows)
        val_acc = [float(a) for a in rows["val_accuracy"]]
        out.append(
            {
                "score": val_acc[-1],  # = rn.score(x_val, y_val) after the last epoch
                "losses": [float(a) for a in rows["loss"]],
                "val_losses": [float(a) for a in rows["val_loss"]],
                "val_accuracies": val_acc,
                "epoch_seconds": [float(a) for a in rows["seconds"]],
                "epochs_run": n,
                "fit_seconds": float(run["fit_seconds"]),
                "seconds_per_epoch": float(run["fit_seconds"]) / max(n, 1),
                "cpu_seconds_per_epoch": float(run["cpu_seconds"]) / max(n, 1),
                "encoding": encoding,
                "backprop": str(run["backprop"]),
                "backend": backend,
                "seed": int(run["seed"]),
                "epochs": epochs,
                "n_train": n_train,
                "n_val": n_val,
                "status": str(run["status"]),
                "worker": str(run["worker"]),
            }
        )
    return out


def collect(
    data,
    seeds,
    numpy_seeds=(),
    rules=textbook.BACKPROPS,
    epochs=textbook.EPOCHS,
    ids=True,
    log=None,
    *,
    engine="auto",
    n_jobs=None,
    client=None,
    results_dir=None,
):
    """Run the S1 trainings through :func:`rnnfast.experiments.sweep`; returns a list of
    records (dicts: ``score``, ``losses``, ``val_losses``, ``val_accuracies``,
    ``seconds_per_epoch``, ``cpu_seconds_per_epoch``, ``backprop``, ``backend``,
    ``encoding``, ``seed``, ...).

    ``data``: the dict of :func:`rnnfast.examples.textbook.prepare` with
    ``encoding="onehot"``.  Three sweeps over ``{"backprop": rules, "backend": [...]}``:
    one-hot on the compiled backend over ``seeds``, token ids on it over ``seeds`` (unless
    ``ids=False``), one-hot on NumPy over the ``numpy_seeds`` that are in ``seeds``.
    ``engine``, ``n_jobs``, ``client``: as :func:`~rnnfast.experiments.sweep` takes them;
    ``results_dir``: a folder for the finished runs (a sub-folder per input encoding), read
    back by the next call.  ``log``: a stream for one line per run (None: silent).

    Raises :class:`RunsFailed` when a run failed (after the others finished), and
    sweep's errors (ValueError, TypeError, ConnectionError, ImportError) for bad input
    before any run starts.
    """
    from ..experiments import sweep

    rules = list(rules)
    if not rules:
        raise ValueError(f"rules is empty: give one or more of {textbook.BACKPROPS}")
    plan = _sweeps(seeds, numpy_seeds, ids)
    total = sum(len(rules) * len(s) for _, _, s in plan)
    n_train, n_val = len(data["y_train"]), len(data["y_val"])
    records, failures, count = [], [], [0]

    def logger(encoding, backend):
        def on_run(s, run, status):
            count[0] += 1
            rule = dict(run.settings)["backprop"]
            head = f"[{count[0]}/{total}] {rule:8s} seed {run.seed} {backend:6s} {encoding:6s}"
            if status == "failed":
                print(f"{head}: FAILED: {s.failures[run.index]}", file=log, flush=True)
                return
            row = s.runs.iloc[run.index]
            print(
                f"{head}: score {s.final('val_accuracy')[run.index]:.4f}, "
                f"{row['fit_seconds'] / epochs:.2f} s/epoch "
                f"(CPU {row['cpu_seconds'] / epochs:.2f} s)"
                + (" (read from results_dir)" if status == "resumed" else ""),
                file=log,
                flush=True,
            )

        return None if log is None else on_run

    for encoding, backend, run_seeds in plan:
        x, validation, n_features = _inputs(data, encoding)
        with warnings.catch_warnings():  # failed runs: RunsFailed below says which
            warnings.filterwarnings("ignore", r"\d+ of \d+ runs failed", RuntimeWarning)
            s = sweep(
                textbook.s1_network(rules[0], run_seeds[0], backend=backend),
                {"backprop": rules, "backend": [backend]},
                x,
                data["y_train"],
                seeds=run_seeds,
                epochs=epochs,
                validation_data=validation,
                n_features=n_features,
                engine=engine,
                n_jobs=n_jobs,
                client=client,
                results_dir=None if results_dir is None else os.path.join(results_dir, encoding),
                progress=False,
                on_run=logger(encoding, backend),
            )
        records += _records(s, encoding, backend, epochs, n_train, n_val)
        runs = s.runs
        for _, run in runs[runs["status"] == "failed"].iterrows():
            label = f"{run['backprop']} seed {run['seed']} {backend} {encoding}"
            failures.append((label, run["error"]))
    if failures:
        raise RunsFailed(failures)
    return records

"""Saving and loading a :class:`~rnnfast.RecurrentNetwork` (floor 2): one ``.npz`` file with
the hyperparameters, the weights, the optimiser's state, the shuffling stream and the history.

The file holds arrays only (read with ``allow_pickle=False``) and a JSON ``meta`` string; a
save is atomic (a temporary file renamed), so an interrupted save never leaves a broken file.
"""

import json
import os
import tempfile

import numpy as np

from .optimizers import make_optimizer

SAVE_FORMAT = "rnnfast-recurrent-network-1"


def history(net):
    """The network's history as JSON-ready lists."""
    return {
        "losses": net.losses,
        "val_losses": net.val_losses,
        "accuracies": net.accuracies,
        "val_accuracies": net.val_accuracies,
        "batch_losses": net.batch_losses,
        "grad_norms": [g.tolist() for g in net.grad_norms],
        "epoch_seconds": net.epoch_seconds,
    }


def save(net, path):
    """Write a fitted ``net`` to ``path`` (``.npz`` appended if missing); returns the path."""
    net._require_fitted()
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"path: folder {folder!r} does not exist")
    arrays = {n: net._params[n] for n in net.param_names}
    arrays.update({"opt_" + k: a for k, a in net._opt.state_dict().items()})
    meta = {
        "format": SAVE_FORMAT,
        "config": net.get_config(),
        "seed_": net.__dict__.get("seed_"),
        "classes_": net.classes_.tolist(),
        "classes_dtype": net.classes_.dtype.str,
        "n_features_in_": net.__dict__.get("n_features_in_"),
        "rng_state": None if net._rng is None else net._rng.bit_generator.state,
        "history": history(net),
    }
    arrays["meta"] = np.array(json.dumps(meta))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rnnfast-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OSError(f"path: cannot write to {folder!r}: {exc}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def load(cls, path, **overrides):
    """A ``cls`` (RecurrentNetwork) read from ``path``; ``overrides`` replace saved settings."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"path: no such file {path!r}")
    try:
        with np.load(path, allow_pickle=False) as f:
            data = {k: f[k] for k in f.files}
        meta = json.loads(str(data.pop("meta")))
    except Exception as exc:  # corrupt zip, truncated file, wrong content
        raise ValueError(
            f"path: {path!r} is not a readable rnnfast model file ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != SAVE_FORMAT:
        raise ValueError(
            f"path: {path!r} is not an rnnfast model file (format "
            f"{meta.get('format') if isinstance(meta, dict) else None!r})"
        )
    config = dict(meta["config"])
    config.update(overrides)
    net = cls(**config)
    missing = [n for n in net.param_names if n not in data]
    if missing:
        raise ValueError(f"path: {path!r} lacks the weights {missing}")
    net.set_weights({n: data[n] for n in net.param_names})
    net._opt = make_optimizer(net.optimizer, net.lr)
    net._opt.load_state_dict({k[4:]: a for k, a in data.items() if k.startswith("opt_")})
    if "classes_" in meta:  # (absent before 0.4.0: the source's labels 0/1)
        net.classes_ = np.array(meta["classes_"], dtype=np.dtype(meta["classes_dtype"]))
    if meta.get("n_features_in_") is not None:
        net.n_features_in_ = meta["n_features_in_"]
    if meta.get("seed_") is not None:
        net.seed_ = meta["seed_"]
        # The shuffling stream continues where it stopped: a saved and reloaded
        # warm_start network trains on exactly as the original would have.
        net._rng = np.random.default_rng(net.seed_)
        if meta.get("rng_state") is not None:
            net._rng.bit_generator.state = meta["rng_state"]
    hist = meta["history"]
    net.losses, net.val_losses = list(hist["losses"]), list(hist["val_losses"])
    net.accuracies = list(hist["accuracies"])
    net.val_accuracies = list(hist["val_accuracies"])
    net.batch_losses = list(hist["batch_losses"])
    net.grad_norms = [np.array(g) for g in hist["grad_norms"]]
    net.epoch_seconds = list(hist.get("epoch_seconds", []))  # absent before 0.4.0
    return net

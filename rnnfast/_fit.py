"""fit's Keras arguments (``batch_size``, ``validation_split``, ``shuffle``,
``initial_epoch``) and its warm-start checks, for :meth:`rnnfast.RecurrentNetwork.fit`."""

import numbers

import numpy as np

from . import _validation as v
from . import hyperparams


def check_epochs(epochs, initial_epoch):
    """``(epochs, initial_epoch)`` checked: Keras' ``initial_epoch`` is the index of the first
    epoch to run, ``epochs`` the index to stop at, so ``epochs - initial_epoch`` run."""
    epochs = v.check_int(epochs, "epochs", minimum=0)
    if epochs:
        epochs = hyperparams.check("epochs", epochs)
    initial_epoch = v.check_int(initial_epoch, "initial_epoch", minimum=0)
    if initial_epoch > epochs:
        raise ValueError(
            f"initial_epoch must be <= epochs (Keras: epochs is the index of the last epoch, "
            f"epochs - initial_epoch are run), got initial_epoch={initial_epoch}, epochs={epochs}"
        )
    return epochs, initial_epoch


def check_batch_size(batch_size, default):
    """fit's ``batch_size`` (this fit only): the constructor's value when None."""
    return default if batch_size is None else hyperparams.check("batch_size", batch_size)


def check_shuffle(shuffle):
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    return bool(shuffle)


def check_validation_split(validation_split, has_validation_data):
    """Keras' ``validation_split``: a fraction in [0, 1) of the samples, taken from the end
    of x and y before shuffling; not with validation data."""
    if validation_split in (None, 0):
        return 0.0
    if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real):
        raise TypeError(
            f"validation_split must be a number in [0, 1), got {validation_split!r} "
            f"({type(validation_split).__name__})"
        )
    if not 0 <= validation_split < 1:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split}")
    if has_validation_data:
        raise ValueError(
            "give validation data once: validation_split or x_val/y_val (validation_data), not both"
        )
    return float(validation_split)


def split_tail(x, y, validation_split):
    """``(x, y, x_val, y_val)``: the last ``validation_split`` of the samples (Keras' rule,
    ``int(m * (1 - split))`` kept for training) become the validation data."""
    n_train = int(len(x) * (1 - validation_split))
    if n_train < 1 or n_train == len(x):
        raise ValueError(
            f"validation_split={validation_split} of {len(x)} samples leaves "
            f"{n_train} for training and {len(x) - n_train} for validation: each needs one"
        )
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def check_warm_start(net, n_features, classes):
    """fit continuing a fitted network: the width and the labels must be the weights'."""
    if n_features is not None and n_features != net.n_features:
        raise ValueError(
            f"n_features={n_features}, but warm_start continues weights of width "
            f"n_features={net.n_features}: set warm_start=False to start again with the "
            "new width"
        )
    old = net.__dict__.get("classes_")
    if old is not None and not (len(old) == len(classes) and (old == classes).all()):
        raise ValueError(
            f"y's labels {classes.tolist()} are not the labels the network was fitted on "
            f"(classes_ = {old.tolist()}); warm_start continues that fit: set "
            "warm_start=False to start again"
        )

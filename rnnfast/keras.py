"""TensorFlow / Keras interop: the source's Keras models (section 6.4) and weights both ways.

This is the only module of rnnfast that imports TensorFlow, and it does so when a function is
called (``import rnnfast`` and even ``import rnnfast.keras`` stay TensorFlow-free).

* :func:`build_s2` -- the source's ``SimpleRNN(32, input_shape=(100, 100))`` +
  ``Dense(1, activation='sigmoid')``, compiled with ``'sgd'`` (4,289 parameters).
* :func:`build_s3` -- the source's ``Embedding(1000, 32)`` + ``SimpleRNN(8)`` +
  ``Dense(1, activation='sigmoid')``, compiled with ``'adam'`` (32,337 parameters).
* :func:`to_keras` / :func:`from_keras` -- move a :class:`rnnfast.RecurrentNetwork`'s weights to
  an equivalent Keras model and back (also ``RecurrentNetwork.to_keras()`` and
  ``RecurrentNetwork.from_keras(model)``).

The weights map one to one (Keras' ``SimpleRNN`` computes ``h_t = tanh(x_t W + h_{t-1} U + b)``,
the source's ``z1 = x w1x + h w1h + b1``):

=======================  ============================
Keras                    rnnfast
=======================  ============================
``Embedding.embeddings``  ``embedding`` (n_features, d)
``SimpleRNN`` kernel      ``w1x``
``SimpleRNN`` recurrent   ``w1h``
``SimpleRNN`` bias        ``b1``
``Dense`` kernel, bias    ``w2``, ``b2``
=======================  ============================

A network without an embedding takes dense input (m, T, n_features) in Keras, even when rnnfast
trained it on token ids (ids mean one-hot): feed the Keras model
``rnnfast.preprocessing.to_categorical(ids, n_features)``.
"""

import numpy as np

#: Keras' defaults of the source's optimizers ('sgd' and 'adam' compile with these).
SGD_LEARNING_RATE = 0.01
ADAM_LEARNING_RATE = 0.001


def _keras():
    """Keras 3 on TensorFlow, imported on first use."""
    import tensorflow as tf

    return tf.keras


def _input_dtype(dtype):
    return None if dtype is None else str(np.dtype(dtype))


def build_s2(n_steps=100, n_features=100, n_cells=32, *, dtype=None, compile=True):
    """The source's S2 model: ``SimpleRNN(n_cells)`` on (n_steps, n_features) + a sigmoid unit.

    ``model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])`` as the
    source (``compile=False`` skips it).  ``n_steps=None`` accepts any length.  ``dtype``:
    ``None`` = Keras' float32, or e.g. ``"float64"`` for every layer (gradient checks).
    The source writes ``SimpleRNN(32, input_shape=(100, 100))``; Keras 3 asks for an ``Input``
    instead, which builds the same model.
    """
    keras = _keras()
    dt = _input_dtype(dtype)
    return _rnn_classifier(
        keras,
        [keras.Input(shape=(n_steps, n_features), dtype=dt or "float32")],
        n_cells,
        dt,
        name="s2",
        optimizer="sgd",
        compile=compile,
    )


def build_s3(vocab=1000, embedding_dim=32, n_cells=8, *, n_steps=None, dtype=None, compile=True):
    """The source's S3 model: ``Embedding(vocab, embedding_dim)`` + ``SimpleRNN(n_cells)`` +
    ``Dense(1, activation='sigmoid')``, compiled with ``'adam'`` as the source.

    Input: int32 token ids (m, T) (``n_steps=None``: any T, the source's ``(None, None, 32)``).
    The ``Input`` makes the model built, so ``summary()`` counts the 32,337 parameters.
    """
    keras = _keras()
    dt = _input_dtype(dtype)
    return _rnn_classifier(
        keras,
        [
            keras.Input(shape=(n_steps,), dtype="int32"),
            keras.layers.Embedding(vocab, embedding_dim, dtype=dt),
        ],
        n_cells,
        dt,
        name="s3",
        optimizer="adam",
        compile=compile,
    )


def _rnn_classifier(keras, head, n_cells, dt, *, name, optimizer, compile):
    """``head`` + ``SimpleRNN(n_cells)`` + ``Dense(1, 'sigmoid')``, compiled as the source
    (binary cross-entropy, accuracy) with ``optimizer`` unless ``compile`` is False."""
    model = keras.Sequential(
        [
            *head,
            keras.layers.SimpleRNN(n_cells, dtype=dt),
            keras.layers.Dense(1, activation="sigmoid", dtype=dt),
        ],
        name=name,
    )
    if compile:
        model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _layers(model):
    """``(embedding or None, simple_rnn, dense)`` of a model of the supported shape."""
    keras = _keras()
    L = keras.layers
    layers = [la for la in getattr(model, "layers", None) or [] if not isinstance(la, L.InputLayer)]
    kinds = [type(la).__name__ for la in layers]
    shape_ok = (
        len(layers) in (2, 3)
        and isinstance(layers[-1], L.Dense)
        and isinstance(layers[-2], L.SimpleRNN)
        and (len(layers) == 2 or isinstance(layers[0], L.Embedding))
    )
    if not shape_ok:
        raise ValueError(
            "model must be [Embedding,] SimpleRNN, Dense(1) in this order (the "
            f"source's S2 or S3), got layers {kinds}"
        )
    emb = layers[0] if len(layers) == 3 else None
    rnn, dense = layers[-2], layers[-1]
    problems = []
    act = getattr(rnn.activation, "__name__", str(rnn.activation))
    if act != "tanh":
        problems.append(f"SimpleRNN activation must be tanh, got {act}")
    if not rnn.cell.use_bias:
        problems.append("SimpleRNN must use a bias")
    for flag in ("return_sequences", "return_state", "go_backwards", "stateful"):
        if getattr(rnn, flag, False):
            problems.append(f"SimpleRNN {flag}=True is not supported")
    for rate in ("dropout", "recurrent_dropout"):
        if getattr(rnn.cell, rate, 0):
            problems.append(f"SimpleRNN {rate} must be 0 (rnnfast has no dropout)")
    if dense.units != 1:
        problems.append(f"Dense must have 1 unit, got {dense.units}")
    dense_act = getattr(dense.activation, "__name__", str(dense.activation))
    if dense_act not in ("sigmoid", "linear"):
        problems.append(f"Dense activation must be sigmoid (or linear logits), got {dense_act}")
    if not dense.use_bias:
        problems.append("Dense must use a bias")
    if emb is not None and emb.mask_zero:
        problems.append(
            "Embedding mask_zero=True is not supported (rnnfast treats id 0 as "
            "a token, as the source's model does)"
        )
    if problems:
        raise ValueError("model is not a simple RNN rnnfast can hold: " + "; ".join(problems))
    if not rnn.built or not dense.built or (emb is not None and not emb.built):
        raise ValueError(
            "model has no weights yet: build it first (e.g. give it a "
            "keras.Input or call it on a batch)"
        )
    return emb, rnn, dense


def _optimizer_settings(model):
    """``{"optimizer", "learning_rate", "clip_norm"}`` from a compiled model when rnnfast has
    the same update rule (plain SGD; Adam with Keras' default betas and epsilon), else {}."""
    keras = _keras()
    opt = getattr(model, "optimizer", None)
    if opt is None:
        return {}
    try:
        lr = np.asarray(keras.ops.convert_to_numpy(opt.learning_rate))
    except Exception:  # a learning-rate schedule: no constant to copy
        return {}
    # Keras keeps the rate in a float32 variable: 0.001 reads back as 0.0010000000474974513;
    # its shortest float32 spelling is the number the user wrote.
    lr = float(str(lr)) if lr.dtype == np.float32 else float(lr)
    settings = {"learning_rate": lr}
    if type(opt) is keras.optimizers.SGD and not opt.momentum and not opt.nesterov:
        settings["optimizer"] = "sgd"
    elif (
        type(opt) is keras.optimizers.Adam
        and not opt.amsgrad
        and (opt.beta_1, opt.beta_2, opt.epsilon) == (0.9, 0.999, 1e-7)
    ):
        settings["optimizer"] = "adam"
    else:
        return {}
    if opt.clipnorm or opt.clipvalue or getattr(opt, "weight_decay", None):
        return {}
    if opt.global_clipnorm:
        settings["clip_norm"] = float(opt.global_clipnorm)
    return settings


def to_keras(network, *, n_steps=None, dtype="float32", compile=True):
    """A Keras model computing what ``network`` computes, holding copies of its weights.

    Without an embedding: the S2 shape, input dense (m, T, n_features) (one-hot for a network
    trained on token ids).  With ``embedding_dim``: the S3 shape, input token ids (m, T).
    ``n_steps``: fixed T of the ``Input`` (None: any).  ``dtype``: the layers' dtype
    (``"float32"``, Keras' default: predictions equal rnnfast's to float32 rounding;
    ``"float64"``: to ~1e-12).  ``compile``: compile as the network trains --
    ``SGD(learning_rate)`` or ``Adam(learning_rate)`` (Keras' betas and epsilon, rnnfast's
    too), ``global_clipnorm=clip_norm``, binary cross-entropy, accuracy.  Not carried over:
    the optimiser's state (Adam's moments restart), truncation (Keras always backpropagates
    through all steps, rnnfast's ``bptt_steps=None``) and ``backprop="textbook"``.
    """
    network._require_fitted()
    keras = _keras()
    w = network.get_weights()
    nc = network.n_cells
    if network.embedding_dim:
        model = build_s3(
            network.n_features,
            network.embedding_dim,
            nc,
            n_steps=n_steps,
            dtype=dtype,
            compile=False,
        )
    else:
        model = build_s2(n_steps, network.n_features, nc, dtype=dtype, compile=False)
    emb, rnn, dense = _layers(model)
    if emb is not None:
        emb.embeddings.assign(w["embedding"].astype(emb.embeddings.dtype))
    cell = rnn.cell
    for var, name in (
        (cell.kernel, "w1x"),
        (cell.recurrent_kernel, "w1h"),
        (cell.bias, "b1"),
        (dense.kernel, "w2"),
        (dense.bias, "b2"),
    ):
        var.assign(w[name].astype(var.dtype))
    if compile:
        kwargs = {"learning_rate": network.lr}
        if network.clip_norm is not None:
            kwargs["global_clipnorm"] = network.clip_norm
        opt = (
            keras.optimizers.Adam(**kwargs)
            if network.optimizer == "adam"
            else keras.optimizers.SGD(**kwargs)
        )
        model.compile(optimizer=opt, loss="binary_crossentropy", metrics=["accuracy"])
    return model


def from_keras(model, *, network_class=None, **network_kwargs):
    """A :class:`rnnfast.RecurrentNetwork` holding (float64 by default) copies of a Keras
    model's weights.

    ``model``: ``[Embedding,] SimpleRNN(tanh, bias), Dense(1, sigmoid or linear)``, built (e.g.
    :func:`build_s2`, :func:`build_s3`, :func:`to_keras`).  ``n_cells`` and ``embedding_dim``
    come from the model; ``network_kwargs`` are the other constructor arguments.  When the model
    is compiled with plain SGD or Keras-default Adam and the keywords do not say otherwise,
    ``optimizer``, ``learning_rate`` (and ``clip_norm`` from ``global_clipnorm``) are copied.
    Keras always backpropagates through every step: pass ``bptt_steps=None`` to train the same
    way (rnnfast's default truncates to 10).
    """
    from .network import RecurrentNetwork

    cls = network_class or RecurrentNetwork
    emb, rnn, dense = _layers(model)
    for key in ("n_cells", "embedding_dim"):
        if key in network_kwargs:
            raise TypeError(f"{key} comes from the model; do not pass it")
    kwargs = {"n_cells": int(rnn.units)}
    if emb is not None:
        kwargs["embedding_dim"] = int(emb.output_dim)
    for key, value in _optimizer_settings(model).items():
        if key not in network_kwargs and not (
            key == "learning_rate" and "optimizer" in network_kwargs
        ):
            kwargs[key] = value
    kwargs.update(network_kwargs)
    net = cls(**kwargs)
    cell = rnn.cell
    weights = {
        name: np.asarray(var.numpy())
        for name, var in (
            ("w1x", cell.kernel),
            ("w1h", cell.recurrent_kernel),
            ("b1", cell.bias),
            ("w2", dense.kernel),
            ("b2", dense.bias),
        )
    }
    if emb is not None:
        weights["embedding"] = np.asarray(emb.embeddings.numpy())
    net.set_weights(weights)
    return net

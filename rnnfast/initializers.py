"""Weight initialisation as the source (Keras' initialisers), in NumPy, seeded.

The source calls ``tf.initializers.Orthogonal()`` for ``w1h`` and ``GlorotUniform()`` for
``w1x`` and ``w2``, with zero biases.  These follow Keras' definitions exactly (Keras'
own random streams differ, so the numbers do not, only their distribution).
"""

import numpy as np


def orthogonal(shape, rng, gain=1.0):
    """Keras' Orthogonal: QR of a normal matrix, signs fixed by diag(R).  shape (rows, cols)."""
    rows, cols = shape
    flat = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return gain * q


def glorot_uniform(shape, rng):
    """Keras' GlorotUniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = shape
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def init_params(rng, n_features, n_cells, n_classes=1, dtype=np.float64):
    """The five weights of the source's ``init_weights``, as a dict of contiguous arrays.

    w1h (n_cells, n_cells), w1x (n_features, n_cells), b1 (n_cells,),
    w2 (n_cells, n_classes), b2 (n_classes,).  The draw order (w1h, w1x, w2) is the source's.
    """
    w1h = orthogonal((n_cells, n_cells), rng)
    w1x = glorot_uniform((n_features, n_cells), rng)
    w2 = glorot_uniform((n_cells, n_classes), rng)
    params = dict(w1h=w1h, w1x=w1x, b1=np.zeros(n_cells), w2=w2, b2=np.zeros(n_classes))
    return {name: np.ascontiguousarray(v, dtype=dtype) for name, v in params.items()}

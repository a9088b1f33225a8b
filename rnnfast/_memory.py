"""A memory ceiling: a network whose training would not fit in this machine's memory is
refused before anything is allocated, with the argument that made it large.

Without it ``fit(x, y, n_features=10**8)`` with 8 cells asked for ~26 GB one array at a
time until the kernel killed the process (a notebook's kernel dies without a word), and one
stray id of 10**9 gave NumPy's "Unable to allocate 59.6 GiB" with no word that n_features
had been inferred from it.
"""

from __future__ import annotations

import os

import numpy as np

#: The share of the available memory one network's training may plan to use.
SHARE = 0.8

#: Copies of the weights that training holds at its peak: the weights, their gradients, the
#: updated weights (an update builds new arrays, so that an interrupt never leaves a
#: half-updated set) and the kernels' buffers; Adam adds its two moments and the temporaries
#: of its step.  Measured (the peak of NumPy's allocations in fit, tracemalloc, over the
#: weights' bytes; token ids, n_features 2,000,000, 8 cells): SGD 4.0, Adam 10.0.
COPIES = {"sgd": 5, "adam": 11}


class MemoryLimitError(ValueError, MemoryError):
    """A network too large for this machine's memory (a ValueError, since an argument is
    too large, and a MemoryError, which is what it saves the process from)."""


def available_bytes() -> int | None:
    """Memory the system can give without swapping (Linux's MemAvailable), or the free
    physical pages; None where neither is known (then there is no ceiling)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def training_bytes(n_features, n_cells, embedding_dim, optimizer, dtype) -> int:
    """Bytes training a network of this shape holds at least: COPIES of its weights, and with
    an embedding the projected table ``embedding @ w1x`` (n_features, n_cells) the kernels
    read."""
    d = embedding_dim
    weights = (d or n_features) * n_cells + n_cells * n_cells + 2 * n_cells + 1
    if d:
        weights += n_features * d
    table = n_features * n_cells if d else 0
    copies = COPIES.get(optimizer, max(COPIES.values()))
    return (copies * weights + table) * np.dtype(dtype).itemsize


def check(net, n_features, inferred_from=None):
    """Refuse (MemoryLimitError) a network whose training would take more than SHARE of the
    available memory.  ``inferred_from``: how n_features was found (e.g. "the largest token
    id in x and x_val, 999,999,999, + 1"), said in the message."""
    need = training_bytes(n_features, net.n_cells, net.embedding_dim, net.optimizer, net.dtype)
    have = available_bytes()
    if have is None or need <= SHARE * have:
        return
    d = net.embedding_dim
    where = f", inferred from {inferred_from}" if inferred_from else ""
    raise MemoryLimitError(
        f"this network needs about {_size(need)} to train, more than the {_size(have)} of "
        f"memory available: n_features={n_features:,}{where}, n_cells={net.n_cells}"
        + (f", embedding_dim={d}" if d else "")
        + f", {net.optimizer}, {np.dtype(net.dtype).name}. "
        + (
            "Check the token ids (an id must be < the vocabulary size) or pass n_features= to fit."
            if inferred_from
            else "Use a smaller n_features (vocabulary), n_cells or embedding_dim."
        )
    )


def _size(n):
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n / 1e3:,.1f} kB"

"""Many runs: the chapter's questions as comparisons over settings and seeds.

>>> from rnnfast import RecurrentNetwork
>>> from rnnfast.experiments import sweep
>>> s = sweep(RecurrentNetwork(32, 32, 0.01), {"backprop": ["exact", "textbook"]},
...           x, y, seeds=range(10), epochs=20, validation_data=(x_val, y_val))  # doctest: +SKIP
>>> s.summary()                                  # mean, std, n, 95% interval per setting
>>> s.compare("backprop", "exact", "textbook")   # paired over the seeds

:func:`sweep` runs every combination of a grid times every seed, in this process, on every
core (``engine="processes"``) or on a Dask cluster (``engine="dask"``), with the same numbers
from each; ``results_dir`` keeps every finished run.  :class:`Sweep` holds the runs: a tidy
``frame``, ``summary``, ``compare``, ``plot``.  pandas is needed (``pip install
'rnnfast[experiments]'``); Dask only for its engine (``'rnnfast[dask]'``); ``import rnnfast``
imports none of this.  Command line: ``python -m rnnfast.experiments --help``.
"""

from ._plan import Run
from ._sweep import ENGINES, Sweep, SweepInterrupted, sweep

__all__ = ["sweep", "Sweep", "SweepInterrupted", "Run", "ENGINES"]

"""The Sweep view (issue 19, part 3): many runs of the model panel's network over up to two
settings and a number of seeds, with ``rnnfast.experiments.sweep`` in a QThread, on this
computer's cores or a Dask scheduler; the cells' final validation accuracy (a heatmap or bars),
the selected cell's curves with a band over the seeds, the paired comparison in words.

``form`` (the form), ``worker`` (the QObject on its QThread), ``results`` (Qt-free: the runs
received, the statistics, the sentences), ``plots`` (the two plots), ``panel`` (the view).
"""

from .panel import SweepPanel

__all__ = ["SweepPanel"]

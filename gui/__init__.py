"""rnnfast desktop app: ``python -m gui``.

A PyQt5 + pyqtgraph window that loads IMDB, trains an :class:`rnnfast.RecurrentNetwork`
in a worker thread and plots, live, the loss, the accuracy, the gradient norm at every
time step of the truncation window (the vanishing gradient), its evolution over training,
and the hidden states of a chosen validation review.

Modules (gui/README.md draws how they talk):

* ``gui.__main__``   -- command line (``--screenshot``, ``--train-seconds``), QApplication;
* ``gui.window``     -- :class:`MainWindow`: layout, menus, toolbar; wires the pieces below;
* ``gui.controller`` -- :class:`TrainingController`: load, train, continue, pause, step, stop,
  reset; the state (an enum); the worker threads, the data set, the network, the history;
* ``gui.worker``     -- :class:`TrainingWorker` / :class:`DataLoader` (QObjects on QThreads);
* ``gui.plotgrid``   -- :class:`PlotGrid`: the five plots, redrawn from a timer;
* ``gui.plots``      -- one widget per plot, each exportable as PNG and CSV (``gui.plotkit``:
  what they share);
* ``gui.files``      -- :class:`FileActions`: the File and Export menus;
* ``gui.panels``     -- the data panel and the model/training form; ``gui.statusbar``;
* ``gui.dataset``    -- Qt-free: the data set and :func:`load_dataset`;
* ``gui.state``      -- Qt-free: settings and run history (JSON, CSV);
* ``gui.shutdown``   -- a clean exit (Qt objects deleted while the QApplication exists).

Nothing here imports TensorFlow, and ``rnnfast`` is imported lazily so the window
appears fast.
"""

__all__ = ["main"]


def main(argv=None):
    from .__main__ import main as _main

    return _main(argv)

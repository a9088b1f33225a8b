"""rnnfast desktop app: ``python -m gui``.

A PyQt5 + pyqtgraph window that loads IMDB, trains an :class:`rnnfast.RecurrentNetwork`
in a worker thread and plots, live, the loss, the accuracy, the gradient norm at every
time step of the truncation window (the vanishing gradient), its evolution over training,
and the hidden states of a chosen validation review.

Modules:

* ``gui.__main__`` -- command line (``--screenshot``, ``--train-seconds``), QApplication;
* ``gui.window``   -- :class:`MainWindow`, actions, menus, status bar, files;
* ``gui.worker``   -- :class:`TrainingWorker` / :class:`DataLoader` (QObjects on QThreads);
* ``gui.plots``    -- one widget per plot, each exportable as PNG and CSV;
* ``gui.panels``   -- the data panel and the model/training form;
* ``gui.state``    -- Qt-free settings and run history (JSON, CSV).

Nothing here imports TensorFlow, and ``rnnfast`` is imported lazily so the window
appears fast.
"""

__all__ = ["main"]


def main(argv=None):
    from .__main__ import main as _main

    return _main(argv)

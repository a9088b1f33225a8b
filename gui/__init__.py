"""rnnfast desktop app: ``python -m gui``.

A PyQt5 + pyqtgraph window that loads IMDB, trains an :class:`rnnfast.RecurrentNetwork`
in a worker thread and plots, live, the loss, the accuracy, the gradient norm at every
time step of the truncation window (the vanishing gradient), its evolution over training,
and the hidden states of a chosen validation review.

Modules (gui/README.md draws how they talk):

* ``gui.__main__``   -- command line (``--screenshot``, ``--lang``; values checked by
  ``rnnfast.hyperparams``), QApplication;
* ``gui.app.window``     -- :class:`MainWindow`: layout, language, dialogs; wires the pieces below
  (``gui.app.menus``: the menus and toolbar);
* ``gui.training.controller`` -- :class:`TrainingController`: load, train, continue, pause, step,
  stop, reset; the state (an enum); the worker threads, the data set, the network, the history;
* ``gui.training.worker``     -- :class:`TrainingWorker` / :class:`DataLoader` (QObjects on
  QThreads);
* ``gui.plots.grid``   -- :class:`PlotGrid`: the five plots, redrawn from a timer;
* ``gui.plots.curves``, ``gui.plots.images`` -- one widget per plot (``gui.plots.base``,
  ``gui.plots.kit``, ``gui.plots.legend``: what they share; ``gui.plots.export``: figures at a
  chosen size, SVG);
* ``gui.training.runs``       -- the kept runs, their colours and labels, their list;
* ``gui.training.health``     -- the warning when training has gone bad;
* ``gui.text.help``   -- what each plot teaches;
* ``gui.app.files``      -- :class:`FileActions`: the File and Export menus;
* ``gui.panels.data``, ``gui.panels.model``, ``gui.panels.fields`` -- the forms (values checked by
  ``rnnfast.hyperparams``); ``gui.app.statusbar``;
* ``gui.text.i18n``       -- Korean and English (Qt's translators; gui/translations);
* ``gui.training.dataset``    -- Qt-free: the data set and :func:`load_dataset`;
* ``gui.training.settings``      -- Qt-free: settings and run history (JSON, CSV);
* ``gui.app.shutdown``   -- a clean exit (Qt objects deleted while the QApplication exists).

Nothing here imports TensorFlow, and ``rnnfast`` is imported lazily so the window
appears fast.
"""

__all__ = ["main"]


def main(argv=None):
    from .__main__ import main as _main

    return _main(argv)

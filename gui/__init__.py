"""rnnfast desktop app: ``python -m gui``.

A PyQt5 + pyqtgraph window that loads IMDB, trains an :class:`rnnfast.RecurrentNetwork`
in a worker thread and plots, live, the loss, the accuracy, the gradient norm at every
time step of the truncation window (the vanishing gradient), its evolution over training,
and the hidden states of a chosen validation review.

Its rooms (gui/README.md and docs/ARCHITECTURE.md draw how they talk):

* ``gui.__main__`` -- the command line (``--screenshot``, ``--lang``, ``--lab``, ``--sweep``;
  values checked by ``rnnfast.hyperparams``), the QApplication;
* ``gui.app`` -- the window and its wiring: ``window`` (:class:`MainWindow`), ``wiring``,
  ``menus``, ``files`` (the File and Export menus), ``statusbar``, ``shutdown``;
* ``gui.panels`` -- the side panel's forms and lists: ``data``, ``model`` (and the
  ``SidePanel``), ``fields`` (checked by ``rnnfast.hyperparams``), ``runs`` (the runs list);
* ``gui.plots`` -- the five plots: ``grid`` (:class:`PlotGrid`, redrawn from a timer),
  ``curves``, ``images``, and what they share: ``base``, ``kit``, ``legend``, ``export``;
* ``gui.training`` -- a run: ``settings`` and ``history`` (Qt-free; history imports settings,
  never the other way), ``dataset`` (Qt-free), ``worker``, ``loading``, ``controller``
  (:class:`TrainingController`, its ``State``), ``runs`` (kept runs, colours, labels),
  ``health`` (training gone bad);
* ``gui.lab`` -- the BPTT lab: its views, its recorder, ``python -m gui.lab``, and its part in
  the app (``panel``, ``link``);
* ``gui.sweep`` -- the Sweep view (many runs, ``rnnfast.experiments.sweep``);
* ``gui.text`` -- the app's words: ``i18n`` (Korean and English; gui/translations) and
  ``help`` (what each plot teaches).

Nothing here imports TensorFlow, and ``rnnfast`` is imported lazily so the window
appears fast.
"""

__all__ = ["main"]


def main(argv=None):
    from .__main__ import main as _main

    return _main(argv)

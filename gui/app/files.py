"""File actions: load the data, save/load the model, save a run or load one to compare, export.

Each action takes a path (the tests, scripts) or asks for one with a file dialog, reports a
failure through :attr:`FileActions.error` (a dialog; the app stays usable) and success
through :attr:`FileActions.message` (the status bar), and returns what it wrote or read
(None when it did nothing). Messages are in the language in use; a technical detail (an
exception's text) follows them.
"""

from __future__ import annotations

import os

from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QFileDialog

from ..plots.export import ExportActions
from ..text.i18n import translate
from ..training.history import RunFileError, RunHistory
from ..training.settings import SettingsError, network_settings

MODEL_FILTER = "rnnfast (*.npz);;* (*)"


class FileActions(ExportActions, QObject):
    """What the File and Export menus do, for a window, its controller, plot grid and panels
    (the Export menu's actions: :class:`gui.plots.export.ExportActions`)."""

    error = pyqtSignal(str, str)  # title, message
    message = pyqtSignal(str)
    run_loaded = pyqtSignal(object, str)  # RunHistory, its file name: a run to compare with

    def __init__(self, window, controller, grid, side, runs):
        super().__init__(window)
        self.window, self.controller, self.grid, self.side, self.runs = (
            window,
            controller,
            grid,
            side,
            runs,
        )
        self.last_dir = os.getcwd()
        self.saved_version = None  # the history version last written by save_run

    def _ask_path(self, title, filt, default_name, save=True):
        if save:
            path, _ = QFileDialog.getSaveFileName(
                self.window, title, os.path.join(self.last_dir, default_name), filt
            )
        else:
            path, _ = QFileDialog.getOpenFileName(self.window, title, self.last_dir, filt)
        if path:
            self.last_dir = os.path.dirname(path)
        return path or None

    def _failed(self, title, exc):
        self.error.emit(title, f"{type(exc).__name__}: {exc}")

    def unsaved(self) -> bool:
        """The current run has data that no Save run wrote (Quit asks first)."""
        h = self.controller.history
        return (
            h is not None
            and h.has_data
            and h.status != "loaded"
            and self.saved_version != h.version
        )

    # -- data --------------------------------------------------------------------------------------
    def load_data(self, settings=None) -> bool:
        """Load the reviews in the background (``settings``: the data panel's by default)."""
        if self.controller.is_loading or self.controller.is_training:
            return False
        if settings is not None:  # the form shows what is loaded
            self.side.data.set_settings(settings)
        try:
            settings = settings or self.side.data.settings()
        except SettingsError as e:
            if "path" in e.fields:
                self.error.emit(translate("Files", "No file chosen"), e.fields["path"])
            else:
                self.error.emit(translate("Files", "Invalid data settings"), str(e))
            return False
        return self.controller.load_data(settings)

    # -- the model ---------------------------------------------------------------------------------
    def save_model(self, path: str | None = None):
        net = self.controller.network_for_gui()
        if net is None:
            self.error.emit(
                translate("Files", "No model"),
                translate(
                    "Files", "Train (or load) a network first; while training, pause it to save."
                ),
            )
            return None
        path = path or self._ask_path(translate("Files", "Save model"), MODEL_FILTER, "model.npz")
        if not path:
            return None
        try:
            net.save(path)
        except (OSError, ValueError) as e:  # an unwritable folder; rnnfast refuses
            self._failed(translate("Files", "Could not save the model"), e)
            return None
        self.message.emit(translate("Files", "model saved to {0}").format(path))
        return path

    def load_model(self, path: str | None = None):
        """A saved network: it becomes the current one (Continue trains it on), its history
        (if it has one) replaces the plots'."""
        c = self.controller
        if c.is_training:
            return None
        path = path or self._ask_path(
            translate("Files", "Load model"), MODEL_FILTER, "", save=False
        )
        if not path:
            return None
        from rnnfast import RecurrentNetwork

        try:
            net = RecurrentNetwork.load(path)
        except (OSError, ValueError) as e:  # missing, unreadable, not an rnnfast model
            self._failed(translate("Files", "Could not load the model"), e)
            return None
        try:
            self.side.model.set_settings(network_settings(net))
        except (
            SettingsError,
            TypeError,
        ):  # a value the form does not offer: the form keeps its own
            pass
        try:
            settings = self.side.model.settings_unchecked()
        except SettingsError:
            settings = None
        c.adopt_network(
            net, RunHistory.from_network(net, settings) if settings is not None else None
        )
        msg = translate("Files", "model loaded from {0}").format(os.path.basename(path))
        d = c.dataset
        if d is not None and not d.fits(net):
            msg += translate(
                "Files",
                " (its input, {0} features, does not match the loaded data: {1} features, {2})",
            ).format(net.n_features, d.n_features, d.encoding)
        elif d is not None:
            try:
                msg += translate("Files", "; validation accuracy {0}").format(
                    f"{float(net.score(d.x_val, d.y_val)):.4f}"
                )
            except ValueError:
                pass
            c.set_review(self.side.data.review.value())
        self.message.emit(msg)
        return net

    # -- runs --------------------------------------------------------------------------------------
    def save_run(self, path: str | None = None):
        """The run's settings and history as JSON (with the kept runs)."""
        history, dataset = self.controller.history, self.controller.dataset
        if history is None:
            self.error.emit(
                translate("Files", "Nothing to save"),
                translate("Files", "Train first: a run is its settings and its history."),
            )
            return None
        path = path or self._ask_path(translate("Files", "Save run"), "JSON (*.json)", "run.json")
        if not path:
            return None
        extra = {
            "data_settings": dataset.settings.to_dict() if dataset is not None else None,
            "kept_runs": [dict(r.history.to_json_dict(), label=r.label) for r in self.runs.kept],
            "app": "rnnfast gui",
        }
        try:
            history.save_json(path, extra=extra)
        except (OSError, ValueError, TypeError) as e:  # unwritable; not JSON-serialisable
            self._failed(translate("Files", "Could not save the run"), e)
            return None
        self.saved_version = history.version
        self.message.emit(translate("Files", "run saved to {0}").format(path))
        return path

    def load_run(self, path: str | None = None):
        """A run saved with Save run, kept (in its own colour) to compare with."""
        path = path or self._ask_path(
            translate("Files", "Load run"), "JSON (*.json)", "", save=False
        )
        if not path:
            return None
        name = os.path.basename(path)
        title = translate("Files", "Could not load the run")
        try:
            kept = RunHistory.load_json(path)
        except OSError as e:
            self.error.emit(
                title, translate("Files", "{0} cannot be read: {1}").format(name, e.strerror or e)
            )
            return None
        except RunFileError as e:
            text = {
                "json": translate("Files", "{0} is not a run file: it is not valid JSON ({1})."),
                "format": translate("Files", "{0} is JSON but not a run saved by rnnfast ({1})."),
                "damaged": translate("Files", "{0} is a run file, but it is damaged ({1})."),
            }[e.kind]
            self.error.emit(title, text.format(name, e.detail))
            return None
        self.run_loaded.emit(kept, name)
        self.message.emit(
            translate("Files", "run loaded from {0}: kept, in its own colour").format(path)
        )
        return kept

"""File actions: load the data, save/load the model, save a run or load one to compare, export.

Each action takes a path (the tests, scripts) or asks for one with a file dialog, reports a
failure through :attr:`FileActions.error` (a dialog; the app stays usable) and success
through :attr:`FileActions.message` (the status bar), and returns what it wrote or read
(None when it did nothing).
"""

from __future__ import annotations

import json
import os

from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QFileDialog

from .state import RunHistory, SettingsError, network_settings

MODEL_FILTER = "rnnfast model (*.npz);;all files (*)"


class FileActions(QObject):
    """What the File and Export menus do, for a window, its controller, plot grid and panels."""

    error = pyqtSignal(str, str)  # title, message
    message = pyqtSignal(str)
    kept_loaded = pyqtSignal(object, str)  # RunHistory, its file name: the run to compare with

    def __init__(self, window, controller, grid, side):
        super().__init__(window)
        self.window, self.controller, self.grid, self.side = window, controller, grid, side
        self.last_dir = os.getcwd()

    def _ask_path(self, title, filt, default_name, save=True):
        if save:
            path, _ = QFileDialog.getSaveFileName(self.window, title, os.path.join(self.last_dir, default_name), filt)
        else:
            path, _ = QFileDialog.getOpenFileName(self.window, title, self.last_dir, filt)
        if path:
            self.last_dir = os.path.dirname(path)
        return path or None

    def _failed(self, title, exc):
        self.error.emit(title, f"{type(exc).__name__}: {exc}")

    # -- data ----------------------------------------------------------------------------------------
    def load_data(self, settings=None) -> bool:
        """Load the reviews in the background (``settings``: the data panel's by default)."""
        if self.controller.is_loading or self.controller.is_training:
            return False
        try:
            settings = settings or self.side.data.settings()
        except SettingsError as e:
            self.error.emit("Invalid data settings", str(e))
            return False
        return self.controller.load_data(settings)

    # -- the model -----------------------------------------------------------------------------------
    def save_model(self, path: str | None = None):
        net = self.controller.network_for_gui()
        if net is None:
            self.error.emit("No model", "Train (or load) a network first; while training, pause it to save.")
            return None
        path = path or self._ask_path("Save model", MODEL_FILTER, "model.npz")
        if not path:
            return None
        try:
            net.save(path)
        except (OSError, ValueError) as e:  # an unwritable folder; rnnfast refuses
            self._failed("Could not save the model", e)
            return None
        self.message.emit(f"model saved to {path}")
        return path

    def load_model(self, path: str | None = None):
        """A saved network: it becomes the current one (Continue trains it on), its history
        (if it has one) replaces the plots'."""
        c = self.controller
        if c.is_training:
            return None
        path = path or self._ask_path("Load model", MODEL_FILTER, "", save=False)
        if not path:
            return None
        from rnnfast import RecurrentNetwork

        try:
            net = RecurrentNetwork.load(path)
        except (OSError, ValueError) as e:  # missing, unreadable, not an rnnfast model
            self._failed("Could not load the model", e)
            return None
        try:
            self.side.model.set_settings(network_settings(net))
        except (SettingsError, TypeError):  # a value the form does not offer: the form keeps its own
            pass
        c.adopt_network(net, RunHistory.from_network(net, self.side.model.settings_unchecked()))
        msg = f"model loaded from {os.path.basename(path)}"
        d = c.dataset
        if d is not None and not d.fits(net):
            msg += (f" (its input, {net.n_features} features{' with an embedding' if net.embedding_dim else ''}, "
                    f"does not match the loaded data: {d.n_features} features, {d.encoding})")
        elif d is not None:
            try:
                msg += f"; validation accuracy {float(net.score(d.x_val, d.y_val)):.4f}"
            except ValueError:
                pass
            c.set_review(self.side.data.review.value())
        self.message.emit(msg)
        return net

    # -- runs ----------------------------------------------------------------------------------------
    def save_run(self, path: str | None = None):
        """The run's settings and history as JSON (with the kept run, if any)."""
        history, dataset, kept = self.controller.history, self.controller.dataset, self.grid.kept
        if history is None:
            self.error.emit("Nothing to save", "Train first: a run is its settings and its history.")
            return None
        path = path or self._ask_path("Save run", "JSON (*.json)", "run.json")
        if not path:
            return None
        extra = {
            "data_settings": dataset.settings.to_dict() if dataset is not None else None,
            "kept_run": kept.to_json_dict() if kept is not None else None,
            "app": "rnnfast gui",
        }
        try:
            history.save_json(path, extra=extra)
        except (OSError, ValueError, TypeError) as e:  # unwritable; not JSON-serialisable
            self._failed("Could not save the run", e)
            return None
        self.message.emit(f"run saved to {path}")
        return path

    def load_run(self, path: str | None = None):
        """A run saved with Save run, shown as the kept run (dashed) to compare with."""
        path = path or self._ask_path("Load run", "JSON (*.json)", "", save=False)
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as f:
                kept = RunHistory.from_json_dict(json.load(f))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:  # unreadable, not JSON, not a run
            self._failed("Could not load the run", e)
            return None
        self.kept_loaded.emit(kept, os.path.basename(path))
        self.message.emit(f"run loaded from {path}: drawn dashed")
        return kept

    # -- export --------------------------------------------------------------------------------------
    def export_plot(self, name: str, path: str | None = None, kind: str = "png"):
        """One plot as PNG (what is on screen) or CSV (all its data)."""
        plot = self.grid.plots[name]
        if kind not in ("png", "csv"):
            raise ValueError("kind must be 'png' or 'csv'")
        filt = "PNG image (*.png)" if kind == "png" else "CSV (*.csv)"
        path = path or self._ask_path(f"Export {plot.title}", filt, f"{name}.{kind}")
        if not path:
            return None
        try:
            self.grid.refresh()
            if kind == "png":
                if not plot.export_png(path):
                    raise OSError(f"could not write {path}")
            else:
                plot.export_csv(path)
        except OSError as e:
            self._failed("Export failed", e)
            return None
        self.message.emit(f"exported {path}")
        return path

    def export_all(self, directory: str | None = None) -> list[str]:
        directory = directory or QFileDialog.getExistingDirectory(self.window, "Export all plots to", self.last_dir)
        if not directory:
            return []
        os.makedirs(directory, exist_ok=True)
        out = []
        for name in self.grid.plots:
            for kind in ("png", "csv"):
                p = self.export_plot(name, os.path.join(directory, f"{name}.{kind}"), kind)
                if p:
                    out.append(p)
        return out

    def save_screenshot(self, path: str | None = None):
        path = path or self._ask_path("Window screenshot", "PNG image (*.png)", "screenshot.png")
        if not path:
            return None
        self.window.refresh_plots()
        if not self.window.grab().save(path, "PNG"):
            self.error.emit("Screenshot failed", f"could not write {path}")
            return None
        return path

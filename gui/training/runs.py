"""Runs side by side: any number of kept runs, each in its own colour, labelled by the settings
in which the runs differ ("bptt 10, exact" / "full BPTT, textbook"), listed with show/hide
and remove.

:class:`RunList` holds them (a QObject: ``changed`` is sent on every change), the plots draw
the runs it shows (:meth:`RunList.shown`), and :class:`gui.panels.runs.RunsPanel` is its
list in the side panel. The labels are rebuilt whenever a run comes or goes, since what differs
depends on which runs are there.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pyqtgraph as pg
from PyQt5.QtCore import QObject, pyqtSignal

from ..text.i18n import translate

# -- the runs' colours (the plots draw each run in its colour) --
CURRENT_COLOR = (31, 119, 180)  # Tableau's blue: the current run
# the kept runs' colours, in the order they are handed out (Tableau 10 without the current
# run's blue)
KEPT_COLORS = (
    (255, 127, 14),  # orange
    (44, 160, 44),  # green
    (214, 39, 40),  # red
    (148, 103, 189),  # purple
    (140, 86, 75),
    (227, 119, 194),
    (188, 189, 34),
    (23, 190, 207),
    (127, 127, 127),
)


def run_color(i: int):
    """The colour of the ``i``-th kept run (0-based): distinct for any number of runs."""
    if i < len(KEPT_COLORS):
        return KEPT_COLORS[i]
    c = pg.intColor(i - len(KEPT_COLORS), hues=7, values=2, minValue=120, maxValue=200)
    return (c.red(), c.green(), c.blue())


_uids = itertools.count(1)

# the settings that tell runs apart, in the order a label names them
LABEL_FIELDS = (
    "bptt_steps",
    "backprop",
    "learning_rate",
    "optimizer",
    "n_cells",
    "batch_size",
    "clip_norm",
    "clip_value",
    "embedding_dim",
    "explode",
    "epochs",
    "dtype",
    "backend",
    "seed",
    "maxlen",
    "n_features",
    "encoding",
    "n_train",
)


def phrase(name: str, value) -> str:
    """One setting in a few words, in the language in use."""
    if name == "bptt_steps":
        return (
            translate("Runs", "full BPTT")
            if value is None
            else translate("Runs", "bptt {0}").format(value)
        )
    if name == "backprop":
        return {"exact": translate("Runs", "exact"), "textbook": translate("Runs", "textbook")}.get(
            value, str(value)
        )
    if name == "learning_rate":
        return translate("Runs", "lr {0}").format(f"{value:g}")
    if name == "optimizer":
        return {"sgd": "SGD", "adam": "Adam"}.get(value, str(value))
    if name == "n_cells":
        return translate("Runs", "{0} cells").format(value)
    if name == "batch_size":
        return translate("Runs", "batch {0}").format(value)
    if name == "clip_norm":
        return (
            translate("Runs", "no clipping")
            if not value
            else translate("Runs", "clip {0}").format(f"{value:g}")
        )
    if name == "clip_value":
        return (
            translate("Runs", "no per-entry clipping")
            if not value
            else translate("Runs", "entries clipped to {0}").format(f"±{value:g}")
        )
    if name == "embedding_dim":
        return (
            translate("Runs", "no embedding")
            if not value
            else translate("Runs", "embedding {0}").format(value)
        )
    if name == "explode":
        return (
            translate("Runs", "usual start")
            if not value
            else translate("Runs", "explode {0}").format(f"{value:g}")
        )
    if name == "epochs":
        return translate("Runs", "{0} epochs").format(value)
    if name == "backend":
        return {"cython": "Cython", "numpy": "NumPy"}.get(value, str(value))
    if name == "seed":
        return (
            translate("Runs", "random seed")
            if value is None
            else translate("Runs", "seed {0}").format(value)
        )
    if name == "maxlen":
        return f"T = {value}"
    if name == "n_features":
        return translate("Runs", "{0} words").format(value)
    if name == "encoding":
        return {
            "ids": translate("Runs", "token ids"),
            "onehot": translate("Runs", "one-hot"),
            "embedding": translate("Runs", "embedding input"),
        }.get(value, str(value))
    if name == "n_train":
        return translate("Runs", "{0} reviews").format(value)
    return f"{name} {value}"


def settings_phrase(settings) -> str:
    """A run's main settings in a few words (the status line)."""
    d = settings.to_dict()
    names = ("n_cells", "bptt_steps", "backprop", "optimizer", "learning_rate", "backend")
    text = ", ".join(phrase(n, d[n]) for n in names)
    for name in ("clip_norm", "clip_value", "embedding_dim", "explode"):
        if d.get(name):
            text += ", " + phrase(name, d[name])
    return text


def _settings_of(history) -> dict:
    out = {}
    ts = getattr(history, "train_settings", None)
    if ts is not None:
        out.update(ts.to_dict())
    out.update(
        {
            k: v
            for k, v in (getattr(history, "data_info", None) or {}).items()
            if k in ("maxlen", "n_features", "encoding", "n_train")
        }
    )
    return out


def differing_labels(histories) -> list[str]:
    """A label per run: the settings whose values are not the same in all runs (``run N``
    when every run has the same settings)."""
    settings = [_settings_of(h) for h in histories]
    differ = [
        name
        for name in LABEL_FIELDS
        if len({repr(s.get(name, "?")) for s in settings}) > 1 and any(name in s for s in settings)
    ]
    labels = []
    for i, s in enumerate(settings, 1):
        parts = [phrase(name, s[name]) for name in differ if name in s]
        labels.append(", ".join(parts) if parts else translate("Runs", "run {0}").format(i))
    # runs with the same settings (a random seed each, say) are told apart by their number
    first = list(labels)
    for i, label in enumerate(first, 1):
        if first.count(label) > 1 and differ:
            labels[i - 1] = f"{label} ({translate('Runs', 'run {0}').format(i)})"
    return labels


@dataclass(eq=False)
class Run:
    """A kept run: its history (a copy), colour, label and whether the plots show it."""

    history: object
    color: tuple
    label: str = ""
    visible: bool = True
    uid: int = field(default_factory=lambda: next(_uids))


class RunList(QObject):
    """The current run and the kept runs; labels and colours."""

    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kept: list[Run] = []
        self.current = None  # the current run's history (not a copy)
        self.current_label = ""
        self._current_state = (None, False)

    def set_current(self, history):
        """The current run's history; relabels when it changed or first got data."""
        state = (history, history is not None and history.has_data)
        if state != self._current_state:
            self._current_state = state
            self.current = history
            self.relabel()

    def keep(self, history) -> Run:
        used = {r.color for r in self.kept}
        i = next(i for i in itertools.count() if run_color(i) not in used)
        run = Run(history, run_color(i))
        self.kept.append(run)
        self.relabel()
        return run

    def remove(self, run: Run):
        if run in self.kept:
            self.kept.remove(run)
            self.relabel()

    def clear(self):
        if self.kept:
            self.kept = []
            self.relabel()

    def set_visible(self, run: Run, visible: bool):
        if run.visible != bool(visible):
            run.visible = bool(visible)
            self.changed.emit()

    def shown(self) -> tuple:
        return tuple(r for r in self.kept if r.visible)

    def relabel(self):
        """Labels from the settings that differ between the current run (if it has data) and
        the kept runs; also after a change of language."""
        current = self.current if self.current is not None and self.current.has_data else None
        runs = ([current] if current is not None else []) + [r.history for r in self.kept]
        labels = differing_labels(runs) if runs else []
        if current is not None:
            self.current_label = labels.pop(0) if self.kept else ""
        else:
            self.current_label = ""
        for r, label in zip(self.kept, labels):
            r.label = label
        self.changed.emit()

"""The BPTT lab in the app (issue 14): the views of :mod:`gui.lab`, live while training, exported
like the plots.

:class:`LabPanel` takes the place of the plots while shown (Lab > BPTT lab, Ctrl+B, a button
of the toolbar: the plots keep all their height): the views in tabs, built when first shown,
again for a new run (its network may have other shapes) and in a new language (their texts are
set when built); the newest record drawn into the visible view from the plot grid's timer at
most every 0.25 s, the others when shown; each view's PNG and CSV. Its controller part,
:class:`gui.lab.link.LabLink`, records and answers the views' requests.
"""

from __future__ import annotations

import time

from PyQt5.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from ..plots.kit import retire
from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.settings import TrainSettings
from .link import LabLink, clip_of, twin_labels
from .presets import EXPLODE_SIGMA
from .twins import TwinView
from .window import make_views

#: the views in tab order: key -> title (the views' own, context "lab")
LAB_VIEWS = {
    "erratum": QT_TRANSLATE_NOOP("lab", "Erratum: W1h vs W1h^T"),
    "vanishing": QT_TRANSLATE_NOOP("lab", "Why it vanishes"),
    "truncation": QT_TRANSLATE_NOOP("lab", "Truncation wall"),
    "clipping": QT_TRANSLATE_NOOP("lab", "Clipping lab"),
    "inspector": QT_TRANSLATE_NOOP("lab", "Equation inspector"),
    "twins": QT_TRANSLATE_NOOP("lab", "Twin runs"),
}
REDRAW_S = 0.25  # the visible view is redrawn at most this often


class LabPanel(QWidget):
    """The lab's views in tabs, with a status line (see the module's docstring)."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.win = window
        self.link = link = LabLink(window, self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        self.outer = None  # the plots or this panel (beside)
        self.views = {}  # key -> view, built when first needed (_ensure_views)
        self._dirty = True  # the views are to be built (again)
        self.latest = None  # the newest record
        self._check = None  # the newest gradient-check table: later records carry it
        self._twin_latest, self._twin_pair = {}, None  # the twin runs' records, their TrainSettings
        self._drawn = {}  # view key (or ("twins", run)) -> the record it shows
        self._next_draw = 0.0
        self._want_refresh = False  # a snapshot of the idle network when shown
        link.record.connect(self.receive)
        link.twin_record.connect(self._receive_twin)
        link.twins_started.connect(self._twins_started)
        link.new_run.connect(self.clear)
        self.tabs.currentChanged.connect(lambda _i: self.redraw())

    def beside(self, grid) -> QStackedWidget:
        """The plot grid or this panel, one at a time, in one place (the window's right side)."""
        self.outer = QStackedWidget()
        self.outer.addWidget(grid)
        self.outer.addWidget(self)
        self.outer.currentChanged.connect(self._outer_changed)
        return self.outer

    def attach(self):
        """Connects the panel to the window's pieces (once the window's actions exist)."""
        w, c, link = self.win, self.win.controller, self.link
        c.extra_callbacks = link.callbacks
        w.data_loaded.connect(self._data_loaded)
        w.training_finished.connect(link.finished)
        c.history_changed.connect(lambda h: h is None and self.clear(forget_network=True))  # reset
        c.changed.connect(self.update_actions)
        link.changed.connect(self.update_actions)
        link.changed.connect(w._update_actions)  # the status bar says when twin runs train
        link.message.connect(w.status.showMessage)
        w.side.data.review_changed.connect(self.follow_review)
        w.side.model.changed.connect(self.show_form_clipping)
        w.grid.timer.timeout.connect(self.tick)
        for act in (w.act_lab_show, w.act_lab_record):
            act.setCheckable(True)
        w.ui.toolbar.insertSeparator(w.act_lab_show)
        w.act_lab_record.setChecked(link.recording)
        self.update_actions()

    def slots(self) -> dict:
        """The Lab menu's actions (gui.app.menus.ACTIONS)."""
        link = self.link
        return {
            "act_lab_show": self.toggle,
            "act_lab_record": self._recording_toggled,
            "act_lab_check": link.gradient_check,
            "act_lab_twins_rules": lambda: link.start_twins("rules"),
            "act_lab_twins_window": lambda: link.start_twins("window"),
            "act_lab_twins_stop": link.stop_twins,
        }

    # -- what arrives ----------------------------------------------------------------------------
    def _data_loaded(self, dataset):
        self.link.set_dataset(dataset, self.win.side.data.review.value())

    def receive(self, record):
        if record.get("gradient_check") is not None:
            self._check = record["gradient_check"]
        elif self._check is not None:
            record = {**record, "gradient_check": self._check}
        self.latest = record
        if (
            self.link.recorder is not None
            and record["saliency"]["review"] == self.link.recorder.review
        ):
            self._want_refresh = False  # the review chosen is in the record
        if not self.link.controller.is_training:  # asked for (a check, a review): shown now
            self.redraw()

    def _receive_twin(self, run, record):
        self._twin_latest[run] = record

    def _twins_started(self, pair):
        self._twin_latest, self._twin_pair = {}, pair
        if self.views:
            view = self.views["twins"]
            view.start(twin_labels(*pair))
            if (
                view.pair_box.findData(self.link.twin_pair) >= 0
            ):  # the pair started from the Lab menu
                view.pair_box.setCurrentIndex(view.pair_box.findData(self.link.twin_pair))
        self._drawn = {k: v for k, v in self._drawn.items() if not isinstance(k, tuple)}

    def clear(self, forget_network=False):
        """A new run (or none): the views start again, empty."""
        self.latest = self._check = None
        self._dirty = True
        self._drawn.clear()
        if forget_network:
            self.link.network = None

    def follow_review(self, index: int):
        """The data panel's review: the views' selectors, the recorder, a snapshot when idle."""
        for key in ("truncation", "inspector"):
            if key in self.views:
                self.views[key].select_review(index)
        if self.link.recorder is not None:
            self.link.recorder.review = int(index)
            self._want_refresh = True
            self._refresh_if_shown()

    def _recording_toggled(self):
        self.link.recording = self.win.act_lab_record.isChecked()
        self._show_status()

    # -- showing -----------------------------------------------------------------------------------
    def toggle(self):
        """Lab > BPTT lab: the lab in the place of the plots, or the plots again."""
        self.outer.setCurrentIndex(0 if self.outer.currentWidget() is self else 1)

    def show_view(self, key: str):
        self.outer.setCurrentWidget(self)
        self.tabs.setCurrentWidget(self._ensure_views()[key])

    def _outer_changed(self, _index):
        shown = self.outer.currentWidget() is self
        self.win.act_lab_show.setChecked(shown)
        if shown:
            self._ensure_views()
            self._want_refresh = self._want_refresh or self.latest is None
            self._refresh_if_shown()
            self.redraw()

    def _refresh_if_shown(self):
        c = self.link.controller
        if (
            self._want_refresh
            and self.isVisible()
            and (not c.is_training or c.network_for_gui() is not None)
        ):
            self._want_refresh = False
            self.link.refresh()

    def tick(self):
        """The plot grid's timer: the visible view redrawn, at most every REDRAW_S."""
        now = time.monotonic()
        if now >= self._next_draw and self.isVisible() and self.redraw():
            self._next_draw = now + REDRAW_S

    def redraw(self, all_views: bool = False) -> list:
        """The newest records drawn into the visible view (every view: ``all_views``) where
        they are not drawn yet; returns the keys drawn."""
        if not all_views and not self.isVisible():
            return []
        views = self._ensure_views()
        drawn = []
        for view in views.values() if all_views else [self.tabs.currentWidget()]:
            if view is views["twins"]:
                for run, record in self._twin_latest.items():
                    if self._drawn.get(("twins", run)) is not record:
                        view.update_from(record, run)
                        self._drawn[("twins", run)] = record
                        drawn.append("twins")
            elif self.latest is not None and self._drawn.get(view.key) is not self.latest:
                view.update_from(self.latest)
                self._drawn[view.key] = self.latest
                drawn.append(view.key)
        if drawn:
            self._show_status()
        return drawn

    def _ensure_views(self) -> dict:
        """The views, built (again) when a new run, a new language or a first look asks."""
        if not self._dirty:
            return self.views
        old, index = self.views, self.tabs.currentIndex()
        keep = _choices_of(old)
        self.views = dict(make_views(per_entry=True), twins=TwinView())
        self.tabs.blockSignals(True)
        self.tabs.clear()
        for view in self.views.values():
            self.tabs.addTab(view, view.title())
        self.tabs.setCurrentIndex(max(index, 0))
        self.tabs.blockSignals(False)
        for view in old.values():  # out of the window now (a walk over its widgets skips them)
            retire(view)
        self._dirty = False
        self._drawn.clear()
        self._wire_views(keep)
        return self.views

    def _wire_views(self, keep):
        v, link, d = self.views, self.link, self.link.controller.dataset
        for key in ("truncation", "inspector"):
            v[key].set_review_count(d.n_val if d is not None else 1)
            v[key].select_review(self.win.side.data.review.value())
            if d is not None:
                v[key].set_decoder(d.words)
            v[key].review_changed.connect(self.win.side.data.review.setValue)
        v["truncation"].words.setProperty("data_text", True)  # a review's words: data
        v["erratum"].check_requested.connect(link.gradient_check)
        v["clipping"].settings_requested.connect(link.apply_clipping)
        v["twins"].run_requested.connect(link.start_twins)
        v["twins"].pair_box.setCurrentIndex(keep.get("pair", 0))
        if self._twin_pair:
            v["twins"].start(twin_labels(*self._twin_pair))
        self.show_form_clipping()
        if self.latest is not None and "cell" in keep:  # the step and cell chosen stay chosen
            v["inspector"].update_from(self.latest)
            self._drawn["inspector"] = self.latest
            v["inspector"].select(*keep["cell"])
        self.update_actions()
        self._show_status()

    def show_form_clipping(self):
        """The clipping lab's controls show the form's clip and explode fields."""
        if not self.views:
            return
        m = self.win.side.model  # the fields that are valid (one being typed may not be)
        form = TrainSettings(
            clip_norm=m.clip_norm.value_or(None),
            clip_value=m.clip_value.value_or(None),
            explode=m.explode.value_or(None),
        )
        mode, c = clip_of(form)
        self.views["clipping"].show_settings(mode, c, form.explode is not None)
        self.views["clipping"].sigma.setValue(form.explode or EXPLODE_SIGMA)

    # -- the rest ----------------------------------------------------------------------------------
    def update_actions(self):
        w, c, link = self.win, self.link.controller, self.link
        data = c.dataset is not None
        check = data and (c.network is not None or c.is_training)
        running = link.twin_runs is not None and link.twin_runs.running
        twins = data and not running and not c.is_training
        w.act_lab_check.setEnabled(check)
        for act in (w.act_lab_twins_rules, w.act_lab_twins_window):
            act.setEnabled(twins)
        w.act_lab_twins_stop.setEnabled(running)
        if self.views:
            self.views["erratum"].check_button.setEnabled(check)
            self.views["twins"].run_button.setEnabled(twins)
            self.views["clipping"].apply.setEnabled(data and not c.is_loading)

    def _show_status(self):
        self.status.setText(status_text(self.link))

    def retranslate(self):
        if self.views:  # built again in the new language (their texts are set when built)
            self._dirty = True
            self._ensure_views()
            self.redraw(all_views=True)
        self._show_status()

    def title(self, key: str) -> str:
        return translate("lab", LAB_VIEWS[key])

    def keys_with_data(self) -> list:
        self.redraw(all_views=True)
        return [key for key, view in self.views.items() if view.has_data()]

    def export(self, key: str, path, kind: str = "png") -> list:
        """View ``key`` as a PNG (as on screen) or as CSV (its first table at ``path``, the
        others beside it as ``<stem>_<table>.csv``); returns the paths written."""
        view = self._ensure_views()[key]
        self.redraw(all_views=True)
        if kind == "csv":
            return view.export_csv(path)
        if view.isVisible():
            return [path] if view.export_png(path) else []
        shown = (
            self.outer.currentIndex(),
            self.tabs.currentIndex(),
        )  # laid out as on screen, then back
        self.show_view(key)
        try:
            return [path] if view.export_png(path) else []
        finally:
            self.outer.setCurrentIndex(shown[0])
            self.tabs.setCurrentIndex(shown[1])

    def shutdown(self):
        """Closing the window: the twin runs stop and their threads are joined."""
        self.link.stop_twins()


def status_text(link) -> str:
    """The panel's status line: what the views show, from the lab's recorder (``link``: the
    panel's :class:`gui.lab.link.LabLink`)."""
    rec = link.recorder
    if rec is None:
        return translate(
            "LabPanel", "Load the data and train: the views fill while the network learns."
        )
    if not link.recording:
        return translate(
            "LabPanel",
            "Not recording while training (Lab > Record while training): the views "
            "show the network when it is idle.",
        )
    return translate(
        "LabPanel",
        "Snapshots of the first {0} validation reviews (the probe batch): {1}, "
        "{2} s of computing. The views follow the review chosen in the data "
        "panel.",
    ).format(len(rec.y_probe), rec.snapshots, f"{rec.seconds_recording:.2f}")


def _choices_of(views: dict) -> dict:
    """What the user chose in the views (the twin pair, the inspector's step and cell), kept
    when they are built again; {} before they are built."""
    if not views:
        return {}
    inspector = views["inspector"]
    return {
        "pair": views["twins"].pair_box.currentIndex(),
        "cell": (inspector.t_box.value(), inspector.i_box.value()),
    }

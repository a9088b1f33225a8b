"""The window's menus and toolbar: every action with its text, tooltip and shortcuts, kept in a
table so that a change of language retranslates them all; and the small dialogs of the Help
menu (keyboard shortcuts, about) and of Quit (an unsaved run)."""

from __future__ import annotations

from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction, QActionGroup, QMessageBox

from ..text.i18n import LANGUAGES, QT_TRANSLATE_NOOP, language, translate

MENUS = (
    ("file", QT_TRANSLATE_NOOP("Menus", "&File")),
    ("train", QT_TRANSLATE_NOOP("Menus", "&Train")),
    ("lab", QT_TRANSLATE_NOOP("Menus", "&Lab")),
    ("export", QT_TRANSLATE_NOOP("Menus", "&Export")),
    ("language", QT_TRANSLATE_NOOP("Menus", "&Language")),
    ("help", QT_TRANSLATE_NOOP("Menus", "&Help")),
)


# The menu entries in order: (attribute of the window, text, tooltip, shortcuts, menu, also on the
# toolbar); ("-", menu) is a separator, "plots" the Export submenus, "lab_views" the BPTT lab's
# (gui.lab.panel), "languages" the languages.
ACTIONS = (
    (
        "act_load_data",
        QT_TRANSLATE_NOOP("Menus", "Load data"),
        QT_TRANSLATE_NOOP("Menus", "Load the reviews (in the background)"),
        ("Ctrl+L",),
        "file",
        False,
    ),
    ("-", "file"),
    (
        "act_save_model",
        QT_TRANSLATE_NOOP("Menus", "Save model..."),
        QT_TRANSLATE_NOOP("Menus", "Save the network's weights"),
        ("Ctrl+S",),
        "file",
        False,
    ),
    (
        "act_load_model",
        QT_TRANSLATE_NOOP("Menus", "Load model..."),
        QT_TRANSLATE_NOOP("Menus", "Load a saved network"),
        ("Ctrl+O",),
        "file",
        False,
    ),
    (
        "act_save_run",
        QT_TRANSLATE_NOOP("Menus", "Save run..."),
        QT_TRANSLATE_NOOP("Menus", "Save the run's settings and history (JSON)"),
        ("Ctrl+Shift+S",),
        "file",
        False,
    ),
    (
        "act_load_run",
        QT_TRANSLATE_NOOP("Menus", "Load run to compare..."),
        QT_TRANSLATE_NOOP("Menus", "Keep a saved run (JSON) in the plots, in its own colour"),
        (),
        "file",
        False,
    ),
    ("-", "file"),
    (
        "act_quit",
        QT_TRANSLATE_NOOP("Menus", "Quit"),
        QT_TRANSLATE_NOOP("Menus", "Close the window (stops training)"),
        ("Ctrl+Q",),
        "file",
        False,
    ),
    (
        "act_train",
        QT_TRANSLATE_NOOP("Menus", "Train"),
        QT_TRANSLATE_NOOP("Menus", "Train a new network"),
        ("F5", "Ctrl+Return"),
        "train",
        True,
    ),
    (
        "act_continue",
        QT_TRANSLATE_NOOP("Menus", "Continue"),
        QT_TRANSLATE_NOOP(
            "Menus",
            "Train the current network for the form's number of epochs more (its weights, "
            "optimizer state and history carry on)",
        ),
        ("F6",),
        "train",
        True,
    ),
    (
        "act_pause",
        QT_TRANSLATE_NOOP("Menus", "Pause"),
        QT_TRANSLATE_NOOP("Menus", "Pause / resume training"),
        ("Ctrl+P", "Pause"),
        "train",
        True,
    ),
    (
        "act_stop",
        QT_TRANSLATE_NOOP("Menus", "Stop"),
        QT_TRANSLATE_NOOP("Menus", "Stop after the current batch"),
        ("Shift+F5", "Esc"),
        "train",
        True,
    ),
    (
        "act_step",
        QT_TRANSLATE_NOOP("Menus", "Step"),
        QT_TRANSLATE_NOOP("Menus", "Train one batch, then pause"),
        ("F10", "Ctrl+N"),
        "train",
        True,
    ),
    (
        "act_reset",
        QT_TRANSLATE_NOOP("Menus", "Reset"),
        QT_TRANSLATE_NOOP("Menus", "Forget the network and its history"),
        ("Ctrl+R",),
        "train",
        True,
    ),
    ("-", "train"),
    (
        "act_keep",
        QT_TRANSLATE_NOOP("Menus", "Keep run"),
        QT_TRANSLATE_NOOP(
            "Menus", "Keep this run in the plots, in its own colour, to compare with the next runs"
        ),
        ("Ctrl+K",),
        "train",
        True,
    ),
    (
        "act_clear_compare",
        QT_TRANSLATE_NOOP("Menus", "Remove kept runs"),
        QT_TRANSLATE_NOOP("Menus", "Remove every kept run from the plots"),
        ("Ctrl+Shift+K",),
        "train",
        True,
    ),
    (
        "act_lab_show",
        QT_TRANSLATE_NOOP("Menus", "BPTT lab"),
        QT_TRANSLATE_NOOP(
            "Menus",
            "Show the BPTT lab (or the plots again): why the gradients vanish, what the missing "
            "transpose changes",
        ),
        ("Ctrl+B",),
        "lab",
        True,
    ),
    (
        "act_sweep_show",
        QT_TRANSLATE_NOOP("Menus", "Sweep"),
        QT_TRANSLATE_NOOP(
            "Menus",
            "Show the Sweep view (or the plots again): many runs over settings and seeds, "
            "compared in words",
        ),
        ("Ctrl+M",),
        "lab",
        True,
    ),
    (
        "act_lab_record",
        QT_TRANSLATE_NOOP("Menus", "Record while training"),
        QT_TRANSLATE_NOOP(
            "Menus", "Snapshots for the BPTT lab while training (at most a tenth of the time)"
        ),
        (),
        "lab",
        False,
    ),
    ("-", "lab"),
    (
        "act_lab_check",
        QT_TRANSLATE_NOOP("Menus", "Gradient check"),
        QT_TRANSLATE_NOOP(
            "Menus",
            "Central differences against the exact and the textbook rule, on the current network "
            "(while training: at the next snapshot)",
        ),
        (),
        "lab",
        False,
    ),
    ("-", "lab"),
    (
        "act_lab_twins_rules",
        QT_TRANSLATE_NOOP("Menus", "Twin runs: exact vs textbook rule"),
        QT_TRANSLATE_NOOP(
            "Menus", "Train the form's settings twice from the same weights, once with each rule"
        ),
        (),
        "lab",
        False,
    ),
    (
        "act_lab_twins_window",
        QT_TRANSLATE_NOOP("Menus", "Twin runs: k = 10 vs full BPTT"),
        QT_TRANSLATE_NOOP(
            "Menus",
            "Train the form's settings twice from the same weights: 10 steps back, and all T",
        ),
        (),
        "lab",
        False,
    ),
    ("act_lab_twins_stop", QT_TRANSLATE_NOOP("Menus", "Stop the twin runs"), "", (), "lab", False),
    ("-", "lab"),
    ("act_sweep_stop", QT_TRANSLATE_NOOP("Menus", "Stop the sweep"), "", (), "lab", False),
    ("plots",),
    ("lab_views",),
    ("act_sweep_csv", QT_TRANSLATE_NOOP("Menus", "Sweep (CSV)..."), "", (), "export", False),
    ("act_sweep_png", QT_TRANSLATE_NOOP("Menus", "Sweep (PNG)..."), "", (), "export", False),
    ("-", "export"),
    (
        "act_export_all",
        QT_TRANSLATE_NOOP("Menus", "All plots (PNG + CSV) to a folder..."),
        "",
        ("Ctrl+E",),
        "export",
        False,
    ),
    ("act_screenshot", QT_TRANSLATE_NOOP("Menus", "Window screenshot..."), "", (), "export", False),
    ("languages",),
    (
        "act_plots_help",
        QT_TRANSLATE_NOOP("Menus", "About the plots"),
        QT_TRANSLATE_NOOP("Menus", "What each plot shows, and the warnings"),
        ("F1",),
        "help",
        False,
    ),
    (
        "act_shortcuts",
        QT_TRANSLATE_NOOP("Menus", "Keyboard shortcuts"),
        "",
        ("Ctrl+F1",),
        "help",
        False,
    ),
    ("act_about", QT_TRANSLATE_NOOP("Menus", "About"), "", (), "help", False),
)
# Export > a plot > ...: (kind for FileActions.export_as, text)
EXPORT_KINDS = (
    ("png", QT_TRANSLATE_NOOP("Menus", "PNG image (as shown)...")),
    ("figure", QT_TRANSLATE_NOOP("Menus", "Figure (size, DPI, SVG)...")),
    ("csv", QT_TRANSLATE_NOOP("Menus", "CSV data...")),
)


def keys_text(action) -> str:
    return ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())


class Menus:
    """Builds the menu bar and the toolbar of ``window``; :meth:`action` adds one action."""

    def __init__(self, window):
        self.window = window
        self.menus = {}
        for key, text in MENUS:
            self.menus[key] = (window.menuBar().addMenu(""), text)
        self.toolbar = window.addToolBar("")
        self.toolbar.setObjectName("training-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self._actions = []  # (action, context, text, tip)
        self._submenus = []  # (menu, context, text)
        self.language_actions = {}

    def menu(self, key):
        return self.menus[key][0]

    def action(self, text, slot, shortcuts=(), tip="", menu=None, toolbar=False, context="Menus"):
        """``text`` and ``tip`` are marked with QT_TRANSLATE_NOOP(context, ...) by the caller."""
        a = QAction(self.window)
        if shortcuts:
            a.setShortcuts([QKeySequence(s) for s in shortcuts])
            a.setShortcutContext(Qt.ApplicationShortcut)
        a.triggered.connect(lambda checked=False: slot())
        if menu is not None:
            (self.menu(menu) if isinstance(menu, str) else menu).addAction(a)
        if toolbar:
            self.toolbar.addAction(a)
        self._actions.append((a, context, text, tip))
        return a

    def build(self, rows, slots, export_as, switch_language, target) -> dict:
        """The actions of ``rows`` (:data:`ACTIONS`), each set on ``target`` under its attribute
        name; returns the Export submenus' actions ({plot: (png, figure, csv)})."""
        from ..plots.grid import PLOT_NAMES

        exports = {}
        for row in rows:
            if row[0] == "-":  # a separator in that menu (and the toolbar)
                self.menu(row[1]).addSeparator()
                if row[1] == "train":
                    self.toolbar.addSeparator()
            elif row[0] == "plots":  # Export > each plot > PNG, figure, CSV
                for key, text in PLOT_NAMES.items():
                    sub = self.submenu("export", text, context="PlotGrid")
                    exports[key] = tuple(
                        self.action(label, lambda k=key, kind=kind: export_as(k, kind), menu=sub)
                        for kind, label in EXPORT_KINDS
                    )
            elif row[0] == "lab_views":  # Export > BPTT lab > each view > PNG, CSV
                from ..lab.panel import LAB_VIEWS

                lab = self.submenu("export", QT_TRANSLATE_NOOP("Menus", "BPTT lab"))
                for key, text in LAB_VIEWS.items():
                    sub = self.submenu(lab, text, context="lab")
                    exports["lab_" + key] = tuple(
                        self.action(
                            label,
                            lambda k=key, kind=kind: slots["export_lab"](k, kind=kind),
                            menu=sub,
                        )
                        for kind, label in EXPORT_KINDS
                        if kind != "figure"
                    )
            elif row[0] == "languages":
                self.add_languages(switch_language)
            else:
                attr, text, tip, keys, menu, on_toolbar = row
                setattr(target, attr, self.action(text, slots[attr], keys, tip, menu, on_toolbar))
        return exports

    def submenu(self, parent, text, context="Menus"):
        """A submenu of menu ``parent`` (a key of :data:`MENUS`, or a QMenu)."""
        m = (self.menu(parent) if isinstance(parent, str) else parent).addMenu("")
        self._submenus.append((m, context, text))
        return m

    def add_languages(self, switch):
        group = QActionGroup(self.window)
        for lang, name in LANGUAGES.items():  # each language's name in itself
            a = QAction(name, self.window)
            a.setCheckable(True)
            a.setObjectName(f"language-{lang}")
            a.triggered.connect(lambda checked=False, lang=lang: switch(lang))
            group.addAction(a)
            self.menu("language").addAction(a)
            self.language_actions[lang] = a

    def retranslate(self):
        for key, (m, text) in self.menus.items():
            m.setTitle(translate("Menus", text))
        for m, context, text in self._submenus:
            m.setTitle(translate(context, text))
        self.toolbar.setWindowTitle(translate("Menus", "Training"))
        for a, context, text, tip in self._actions:
            self.set_text(a, translate(context, text), translate(context, tip) if tip else "")
        for lang, a in self.language_actions.items():
            a.setChecked(lang == language())

    @staticmethod
    def set_text(action, text, tip=""):
        action.setText(text)
        plain = text.replace("&", "")
        tip = tip or plain
        keys = keys_text(action)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)


def show_shortcuts(parent, actions):
    rows = "".join(
        f"<tr><td>{a.text().replace('&', '')}</td><td><b>{keys_text(a)}</b></td></tr>"
        for a in actions
    )
    box = QMessageBox(
        QMessageBox.Information,
        translate("Menus", "Keyboard shortcuts"),
        f"<table>{rows}</table>",
        QMessageBox.Ok,
        parent,
    )
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.open()
    return box


def show_about(parent):
    box = QMessageBox(
        QMessageBox.Information,
        translate("Menus", "About"),
        translate(
            "Menus",
            "<b>rnnfast</b>: a simple recurrent neural network (tanh cells, a sigmoid output) trained with "  # noqa: E501 (a translated text: the .ts key)
            "truncated backpropagation through time, with compiled kernels.<br><br>The gradient-norm plots show "  # noqa: E501 (a translated text: the .ts key)
            "‖∂L/∂z1‖ at each time step back: the repeated products of W1h and (1 - h²) "
            "make it shrink (vanish) the further back it goes. Help > About the plots says more.",
        ),
        QMessageBox.Ok,
        parent,
    )
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.open()
    return box


def error_box(parent, title: str, message: str) -> QMessageBox:
    """A warning that does not block the app: the message's first paragraph, all of it (a
    traceback) under Show Details."""
    box = QMessageBox(QMessageBox.Warning, title, message.split("\n\n")[0], QMessageBox.Ok, parent)
    if "\n\n" in message:
        box.setDetailedText(message)
    box.setWindowModality(Qt.WindowModal)
    box.open()
    return box


def ask_unsaved(parent, on_answer) -> QMessageBox:
    """Quit with an unsaved run: Save, Discard or Cancel; ``on_answer(button)`` gets the choice
    (a QMessageBox.StandardButton). The window stays usable while it asks."""
    box = QMessageBox(
        QMessageBox.Warning,
        translate("Menus", "Unsaved run"),
        translate("Menus", "The current run has not been saved. Save it before quitting?"),
        QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
        parent,
    )
    box.setObjectName("unsaved-run")
    box.setInformativeText(
        translate(
            "Menus",
            "Save run writes its settings and history (JSON); the plots can be "
            "compared with later runs by Load run.",
        )
    )
    box.setDefaultButton(QMessageBox.Save)
    box.setWindowModality(Qt.WindowModal)
    box.finished.connect(lambda _r: on_answer(box.standardButton(box.clickedButton())))
    box.open()
    return box

"""How the main window (:class:`gui.app.window.MainWindow`) is put together: its actions in the
menus and the toolbar, and the connections between its pieces (the controller, the file
actions, the plot grid, the runs, the forms, the status bar and the warning banner).
"""

from __future__ import annotations

from ..text.i18n import translate
from .menus import ACTIONS, show_about, show_shortcuts


def make_actions(win):
    """The window's actions (``win.act_...``: :data:`gui.app.menus.ACTIONS`) in its menus and
    toolbar, each connected to what it does."""
    f = win.files
    slots = {
        "act_load_data": win.load_data,
        "act_save_model": f.save_model,
        "act_load_model": f.load_model,
        "act_save_run": f.save_run,
        "act_load_run": f.load_run,
        "act_quit": win.close,
        "act_train": win.start_training,
        "act_continue": win.continue_training,
        "act_pause": win.toggle_pause,
        "act_stop": win.stop,
        "act_step": win.step,
        "act_reset": win.reset,
        "act_keep": win.keep_run,
        "act_clear_compare": win.clear_compare,
        "act_export_all": f.export_all,
        "act_screenshot": f.save_screenshot,
        "act_plots_help": win.show_plots_help,
        "act_shortcuts": lambda: show_shortcuts(win, shortcuts(win)),
        "act_about": lambda: show_about(win),
        "export_lab": f.export_lab,
        **win.lab.slots(),
        **win.sweep.slots(),
    }
    win.export_actions = win.ui.build(ACTIONS, slots, f.export_as, win.set_language, win)


def shortcuts(win):
    """The actions that Help > Keyboard shortcuts lists, in its order."""
    return (
        win.act_train,
        win.act_continue,
        win.act_pause,
        win.act_stop,
        win.act_step,
        win.act_reset,
        win.act_keep,
        win.act_clear_compare,
        win.act_load_data,
        win.act_save_model,
        win.act_load_model,
        win.act_save_run,
        win.act_export_all,
        win.act_lab_show,
        win.act_sweep_show,
        win.act_plots_help,
        win.act_quit,
    )


def wire(win):
    """Connect the window's pieces: what the controller, the file actions, the plot grid, the
    runs and the forms say reaches the window and each other."""
    c, f, g, sb = win.controller, win.files, win.grid, win.status
    c.changed.connect(win._update_actions)
    c.message.connect(sb.showMessage)
    c.error.connect(win.show_error)
    c.progress.connect(sb.set_pending)
    c.hidden.connect(g.set_hidden)
    c.history_changed.connect(g.set_history)
    c.history_changed.connect(lambda h: win.runs.set_current(h))
    c.data_loaded.connect(win._on_data_loaded)
    c.data_loaded.connect(win.data_loaded)  # after the panels know the data
    c.training_started.connect(lambda: sb.clear_progress(translate("MainWindow", "starting")))
    c.training_started.connect(win.training_started)
    c.training_finished.connect(win._on_training_finished)
    c.training_finished.connect(win.training_finished)
    f.error.connect(win.show_error)
    f.message.connect(sb.showMessage)
    f.run_loaded.connect(lambda kept, name: win.runs.keep(kept))
    g.refreshed.connect(win.plots_refreshed)
    g.refreshed.connect(lambda: win.banner.update_from(win.history, win.hidden_plot.states))
    g.help_requested.connect(win.show_plot_help)
    g.timer.timeout.connect(sb.flush)  # the progress shown at the plots' rate, not at every chunk
    win.runs.changed.connect(win._runs_changed)
    win.side.runs.keep_requested.connect(win.keep_run)
    win.side.data.load_requested.connect(win.load_data)
    win.side.data.review_changed.connect(win._show_review)
    win.side.model.changed.connect(win._update_actions)

"""The window and its wiring: MainWindow, its actions, menus and toolbar, the file actions, the
status bar, a clean exit."""

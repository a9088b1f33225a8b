"""A run: its settings, the data set, the worker and its controller, the run's history, the warning
when training goes bad (the room of gui/ where training happens)."""

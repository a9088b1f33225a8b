"""The BPTT lab (issue 14): views of the causes behind the app's plots.

One widget per view, each with ``update_from(record)``, ``export_png`` and ``export_csv``:

1. :class:`ErratumView`     -- the exact vs the textbook rule (the missing transpose)
2. :class:`VanishingView`   -- the per-step factor against Pascanu's bound; W1h's spectrum
3. :class:`TruncationView`  -- the truncation wall over a review's words
4. :class:`ClippingView`    -- gradient clipping made visible; the "explode" preset
5. :class:`InspectorView`   -- the source's equations with the real numbers of one cell
6. :class:`TwinView`        -- two settings trained from the same weights, overlaid

Records come from :class:`gui.lab.recorder.LabRecorder` (Qt-free, an ``rnnfast.Callback``).
``python -m gui.lab`` shows the views in their own window.  Widgets are imported lazily, so
``gui.lab.recorder`` and ``gui.lab.presets`` work without Qt.
"""

_VIEWS = {
    "ErratumView": "erratum",
    "VanishingView": "vanishing",
    "TruncationView": "truncation",
    "ClippingView": "clipping",
    "InspectorView": "inspector",
    "TwinView": "twins",
    "LabWindow": "window",
    "make_views": "window",
}

__all__ = list(_VIEWS) + ["LabRecorder"]


def __getattr__(name):
    import importlib

    if name == "LabRecorder":
        from .recorder import LabRecorder

        return LabRecorder
    if name in _VIEWS:
        return getattr(importlib.import_module(f".{_VIEWS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

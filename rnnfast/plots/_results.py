"""The thin methods of :mod:`rnnfast.diagnostics`' results: ``plot``, ``_repr_html_``,
``__repr__``, ``__str__``, each calling into :mod:`rnnfast.plots` (imported when called, so
that ``import rnnfast`` imports no matplotlib)."""

from __future__ import annotations

import importlib

#: result class -> the module of its picture
_PICTURES = {
    "GradientCheck": "gradcheck",
    "RuleAgreement": "agreement",
    "JacobianFactors": "jacobian",
}


class ResultDisplay:
    """Mixed into the diagnostics' result dataclasses (declare them with ``repr=False``)."""

    def plot(self, ax=None, **kwargs):
        """Draw this result with matplotlib (see :mod:`rnnfast.plots`); returns a
        :class:`rnnfast.plots.Display` (``.figure_``, ``.ax_``, ``.data``)."""
        module = importlib.import_module(f"rnnfast.plots.{_PICTURES[type(self).__name__]}")
        if type(self).__name__ == "GradientCheck":
            return module.plot(self, ax=ax, **kwargs)
        return module.plot(self, ax, **kwargs)

    def _repr_html_(self):
        from ._html import result_html

        return result_html(self)

    def __repr__(self):
        from ._html import result_repr

        return result_repr(self)

    def __str__(self):
        from ._html import result_text

        return result_text(self)

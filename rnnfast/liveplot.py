"""A live plot of ``fit`` in Jupyter: :class:`LivePlot` redraws one figure in place.

In a Jupyter kernel it shows the figure once and replaces it through an IPython display
handle after epochs; anywhere else (a terminal, a script) it prints one line per epoch.
matplotlib and IPython are imported when training begins, never by ``import rnnfast``.

Its cost is bounded: a redraw (matplotlib's Agg render to PNG, some tens of milliseconds) is
made only while the time spent drawing stays within ``budget`` of the time since training
began (counting the redraw about to be made at the cost of the last one), and the last state
is drawn when training ends, so the whole cost is about ``budget`` plus one redraw.  Note
that any callback, this one included, makes ``fit`` train batch by batch in Python instead
of its fused compiled epoch loop (token ids, plain SGD); ``python -m benchmarks.liveplot``
measures both costs against a plain ``fit``.
"""

from __future__ import annotations

import io
import sys
import time

from .callbacks import Callback

#: the panels LivePlot can draw: the history's two and the per-step gradient norms
METRICS = ("loss", "accuracy", "grad_norms")
MODES = ("auto", "notebook", "text")
#: the assumed cost of the first redraw (s), before one has been timed
FIRST_COST = 0.15


def in_notebook():
    """True inside a Jupyter (IPython kernel) session, without importing IPython."""
    ipython = sys.modules.get("IPython")
    if ipython is None or "ipykernel" not in sys.modules:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class LivePlot(Callback):
    """Redraw the losses and accuracies (and the per-step gradient norms) while ``fit`` runs.

    metrics: panels, any of "loss" (training and validation loss per epoch), "accuracy",
    "grad_norms" (the per-step gradient norm of every epoch so far, log scale).
    every: redraw after every ``every``-th epoch (int >= 1), if the budget allows.
    budget: the largest share of the time since fit began spent drawing during training
    (default 0.04): a redraw is made when ``seconds_drawing + c <= budget * elapsed``, c the
    last redraw's cost (first: an estimate of 0.15 s); the final redraw comes on top.
    mode: "auto" (a figure in Jupyter, else text), "notebook", or "text" (one printed line
    per epoch on ``stream``, default stdout).  sink: a function taking the PNG bytes of each
    redraw instead of IPython's display (another front end, tests, the benchmark).
    figsize, dpi: of the figure.  After fit: ``redraws``, ``seconds_drawing``.
    """

    def __init__(
        self,
        metrics=("loss", "accuracy"),
        every=1,
        *,
        budget=0.04,
        mode="auto",
        sink=None,
        stream=None,
        figsize=None,
        dpi=72,
    ):
        metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
        bad = [m for m in metrics if m not in METRICS]
        if bad or not metrics:
            raise ValueError(
                f"metrics must be one or more of {', '.join(map(repr, METRICS))}, got {metrics!r}"
            )
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer >= 1 (epochs), got {every!r}")
        if not 0 < float(budget) <= 1:
            raise ValueError(f"budget must be a share of the time in (0, 1], got {budget!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, MODES))}, got {mode!r}")
        self.metrics, self.every, self.budget = metrics, every, float(budget)
        self.mode, self.sink, self.stream = mode, sink, stream
        self.figsize = figsize or (4.0 * len(metrics), 3.2)
        self.dpi = dpi
        self._figure = self._handle = None
        self.redraws, self.seconds_drawing = 0, 0.0

    # ------------------------------------------------------------------ callback

    def on_train_begin(self, network, info):
        self.epochs = info["epochs"]
        self.redraws, self.seconds_drawing, self._cost = 0, 0.0, FIRST_COST
        self._start = time.perf_counter()
        self._drawing = self.sink is not None or self.mode == "notebook"
        if self.mode == "auto" and self.sink is None:
            self._drawing = in_notebook()
        if self._drawing:
            from .plots._figure import new_figure

            self._figure, self._axes = new_figure(self.figsize, len(self.metrics), layout=None)
            self._figure.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.84, wspace=0.35)
            self._handle, self._drawn = None, -1

    def on_epoch_end(self, network, info):
        if not self._drawing:
            self._print(info)
            return
        epoch = info["epoch"] + 1
        elapsed = time.perf_counter() - self._start
        if epoch % self.every == 0 and self.seconds_drawing + self._cost <= self.budget * elapsed:
            self.redraw(network)

    def on_train_end(self, network, info):
        if self._drawing and network.losses and len(network.losses) != self._drawn:
            self.redraw(network)  # the final state, whatever the budget

    def __getstate__(self):  # pickled with the network: not the figure nor the handle
        state = self.__dict__.copy()
        state.update(_figure=None, _handle=None, _axes=None)
        return state

    # ------------------------------------------------------------------ drawing

    def redraw(self, network):
        """Draw the network's history now and show it (or pass it to ``sink``)."""
        start = time.perf_counter()
        png = self.render(network)
        if self.sink is not None:
            self.sink(png)
        else:
            self._show(png)
        cost = time.perf_counter() - start
        self._drawn = len(network.losses)
        self.redraws += 1
        self.seconds_drawing += cost
        self._cost = cost

    def render(self, network):
        """The figure of the network's history so far, as PNG bytes."""
        from .plots import _data
        from .plots import gradnorms as gn
        from .plots import losses as hist

        panels = [m for m in self.metrics if m != "grad_norms"]
        for ax in self._axes:
            ax.clear()
        series = _data.history_series(network)
        hist.draw(series, self._axes[: len(panels)], panels)
        if "grad_norms" in self.metrics and network.grad_norms:
            gn.grad_norms(network, "lines", ax=self._axes[self.metrics.index("grad_norms")])
        epochs = len(network.losses)
        self._figure.suptitle(f"epoch {epochs}/{self.epochs}", fontsize="medium")
        buf = io.BytesIO()
        self._figure.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()

    def _show(self, png):
        from IPython.display import Image, display

        image = Image(data=png, format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)

    def _print(self, info):
        parts = [f"epoch {info['epoch'] + 1}/{self.epochs}", f"loss {info['loss']:.4f}"]
        parts.append(f"accuracy {info['accuracy']:.4f}")
        if info.get("val_loss") is not None:
            parts.append(f"val_loss {info['val_loss']:.4f}")
            parts.append(f"val_accuracy {info['val_accuracy']:.4f}")
        parts.append(f"({info['elapsed']:.1f} s)")
        print("  ".join(parts), file=self.stream or sys.stdout, flush=True)

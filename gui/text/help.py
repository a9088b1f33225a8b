# ruff: noqa: E501  (the help pages: long translated HTML texts, each literal a key of the .ts)
"""What each plot teaches, tied to the source's equations: the "?" of each plot shows its part,
Help > About the plots shows them all (with the warnings and the two backprop rules)."""

from __future__ import annotations

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout

from .i18n import QT_TRANSLATE_NOOP, translate

# key -> (title, text); the text is HTML
SECTIONS = {
    "loss": (
        QT_TRANSLATE_NOOP("Help", "Loss"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>The binary cross-entropy of the sigmoid output a = σ(z2), z2 = h<sub>T</sub> W2 + b2:"
            " L = −(y log a + (1 − y) log(1 − a)), the mean over a batch.</p>"
            "<p>The faint line is the loss of every batch (noisy: each batch is other reviews), the thin line"
            " its moving average, the dots the mean of each epoch. The dashed line with squares is the loss on"
            " the validation reviews, which the network never trains on: when it rises while the training loss"
            " falls, the network overfits.</p>"
            "<p>Chance is ln 2 ≈ 0.693: the loss of a network that answers 0.5 for every review.</p>",
        ),
    ),
    "accuracy": (
        QT_TRANSLATE_NOOP("Help", "Accuracy"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>The share of reviews classified right (a > 0.5 counts as positive), for the training batches,"
            " each epoch and the validation reviews.</p>"
            "<p>The dotted line at 0.5 is chance: guessing, or always the same answer on balanced reviews. The"
            " source's network reaches about 0.70 on the validation reviews after 20 epochs.</p>",
        ),
    ),
    "grad_norms": (
        QT_TRANSLATE_NOOP("Help", "Gradient norm per time step"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>How much of the error reaches each time step. Backpropagation through time starts at the last"
            " word with err_to_cell = ∂L/∂z1 = (a − y) W2<sup>T</sup> ⊙ (1 − h²)"
            " and goes back one step at a time: ∂L/∂z1<sub>t−1</sub> ="
            " ∂L/∂z1<sub>t</sub> W1h<sup>T</sup> ⊙ (1 − h²<sub>t−1</sub>).</p>"
            "<p>Every step multiplies by W1h and by 1 − h² (at most 1), so the norm"
            " ‖∂L/∂z1‖ usually shrinks geometrically the further back it goes: a straight"
            " falling line on this log scale. That is the vanishing gradient: the first words of a review"
            " hardly change the weights.</p>"
            "<p>With bptt_steps = 10 (the source's [:10]) the error stops after 10 steps; full BPTT follows it"
            " through all T steps. The thick line is the mean of the last 20 batches, the thin line the latest"
            " batch, the dotted line the first epoch; each kept run has its own colour.</p>",
        ),
    ),
    "grad_heatmap": (
        QT_TRANSLATE_NOOP("Help", "Gradient norm over training"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>The same norm ‖∂L/∂z1‖ for every batch of the training, as a colour (log10):"
            " x = time steps back from the last word, y = training progress in epochs.</p>"
            "<p>Colours that darken to the right are the vanishing gradient; how they change from bottom to top"
            " shows what training does to it (as W1h grows, the error reaches further back).</p>",
        ),
    ),
    "hidden_states": (
        QT_TRANSLATE_NOOP("Help", "Hidden states"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>The hidden states h<sub>t</sub> = tanh(z1), z1 = x<sub>t</sub> W1x + h<sub>t−1</sub> W1h + b1,"
            " of one validation review: a row per time step (its word on the left), a column per cell, the"
            " colour from −1 (blue) to +1 (red).</p>"
            "<p>The last row decides: a = σ(h<sub>T</sub> W2 + b2) is P(positive), green when the"
            " prediction is right, red when it is wrong. Cells at ±1 are saturated: there"
            " 1 − h² ≈ 0 and no gradient passes. The reviews are padded at the front (as Keras'"
            " pad_sequences does), so the padding is in the first rows.</p>",
        ),
    ),
    "warnings": (
        QT_TRANSLATE_NOOP("Help", "Warnings"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>A yellow banner above the plots says when training has gone bad: hidden states saturated (most"
            " |h| > 0.99), gradient norms collapsed (they underflow), the loss far above chance (diverging) or"
            " stuck at chance. A learning rate of 10 does all of that; the source uses 0.01.</p>",
        ),
    ),
    "rules": (
        QT_TRANSLATE_NOOP("Help", "Exact and textbook backprop"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>Since z1 = x W1x + h<sub>t−1</sub> W1h + b1, the error of the step before is"
            " ∂L/∂h<sub>t−1</sub> = ∂L/∂z1 W1h<sup>T</sup> (exact, the default). The"
            " source's code multiplies by W1h without the transpose (textbook): its gradients of W1h, W1x and b1"
            " differ unless W1h is symmetric. Keep a run with each rule to compare them.</p>",
        ),
    ),
    "lab": (
        QT_TRANSLATE_NOOP("Help", "The BPTT lab"),
        QT_TRANSLATE_NOOP(
            "Help",
            "<p>Lab > BPTT lab (Ctrl+B) shows the causes behind the plots, on the first 32"
            " validation reviews while training. Erratum: the cosine between the exact and the"
            " textbook gradient of each weight (1 = same direction) and a gradient check against"
            " central differences. Why it vanishes: the factor ‖δ<sub>t−1</sub>‖ / ‖δ<sub>t</sub>‖"
            " of each step back against its bound σ<sub>max</sub>(W1h) · max(1 − h²) and the"
            " singular values of W1h. Truncation wall: the words of a review coloured by their"
            " gradient; before T − k they get none. Clipping lab: the gradient norm before and"
            " after clipping. Equation inspector: the source's equations with the numbers of one"
            " cell. Twin runs: two settings trained from the same weights.</p>",
        ),
    ),
}

PLOT_KEYS = ("loss", "accuracy", "grad_norms", "grad_heatmap", "hidden_states")


def section(key: str) -> tuple[str, str]:
    title, text = SECTIONS[key]
    return translate("Help", title), translate("Help", text)


class PlotHelpBox(QMessageBox):
    """The "?" of a plot: its text in a window that does not block the app."""

    def __init__(self, parent, key: str):
        super().__init__(QMessageBox.Information, "", "", QMessageBox.Ok, parent)
        self.key = key
        self.setObjectName(f"help-{key}")
        self.setTextFormat(Qt.RichText)
        self.setWindowModality(Qt.NonModal)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.retranslate()

    def retranslate(self):
        title, text = section(self.key)
        self.setWindowTitle(title)
        self.setText(f"<h3>{title}</h3>{text}")


def show_plot_help(parent, key: str) -> QMessageBox:
    box = PlotHelpBox(parent, key)
    box.open()
    return box


class PlotsHelp(QDialog):
    """Help > About the plots: what each plot teaches, the warnings, the two rules."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("plots-help")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
        self.resize(640, 560)
        self.retranslate()

    def retranslate(self):
        self.setWindowTitle(translate("Help", "About the plots"))
        heading = translate("Help", "What the plots show")
        parts = [f"<h2>{heading}</h2>"]
        for key in (*PLOT_KEYS, "lab", "warnings", "rules"):
            title, text = section(key)
            parts.append(f"<h3>{title}</h3>{text}")
        self.browser.setHtml("".join(parts))

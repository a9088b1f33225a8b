"""fit's training step (floor 2): one update on a batch, its loss, the divergence checks, and
the loop over epochs and batches that :meth:`rnnfast.RecurrentNetwork.fit` runs.

The arithmetic is the backend's (:mod:`rnnfast.backends`).  The step asks the backend what it
can fuse in compiled code for plain SGD -- ``fused_sgd_step(batch_size)`` (output, loss and
update of one batch) and ``fused_sgd_epoch(...)`` (the epoch's full batches in one loop) --
and takes the generic path (NumPy glue around ``forward``/``backward``) where it answers None.
The paths give the same numbers: bit for bit per batch (tests/test_fast_path.py), to rounding
for the fused epoch (tests/test_compiled_epoch.py).

The functions take the network (``net``) and read its hyperparameters and weights when
called, as scikit-learn's ``fit_binary(est, ...)`` does; they replace the weights only through
``net._commit``, so an interrupt never leaves a half-updated set.
"""

import math
import time
import warnings

import numpy as np

from ._threads import training_threads
from .callbacks import ProgressBar
from .exceptions import RunawayTrainingWarning
from .optimizers import SGD

#: Weights whose global norm exceeds this make squared quantities overflow (the gradient norm,
#: Adam's second moment): such an update counts as divergence and is not applied.
DIVERGENCE_BOUND = 1e150

#: Runaway training (a RuntimeWarning, once per fit; training goes on): the weights' root
#: mean square beyond this.  The source's initialisation gives entries of about
#: 1/sqrt(n_cells), trained networks stay below ~1; at an RMS of 100 every tanh cell and the
#: sigmoid output are saturated (|z| in the hundreds), so the gradients vanish and the
#: network cannot recover -- the symptom of a learning rate far too large (``learning_rate=1e6``
#: drives the weights to ~6e5), long before DIVERGENCE_BOUND's overflow.
RUNAWAY_WEIGHT_RMS = 100.0

#: Runaway training, second sign: an epoch's mean loss above this and above the previous
#: epoch's.  2 ln 2 is twice the loss of always answering 0.5: the network is confidently
#: wrong on many samples and getting worse.
RUNAWAY_LOSS = 2 * math.log(2)

#: Batches per call of the fused SGD epoch (token ids, no callbacks): the weights and history
#: are published between calls, ~10 ms apart on the source's workload.
COMPILED_CHUNK = 32


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss, gradient or weight; the weights of the last good
    step are kept."""


# ----------------------------------------------------------------------------- the loss


def sigmoid(z):
    z = np.clip(z, -100, None)  # as the reference: keeps np.exp from overflowing
    return 1 / (1 + np.exp(-z))


def binary_crossentropy(a, y):
    """The source's loss: mean BCE with the output clipped to [1e-10, 1 - 1e-10].

    Computed in float64 whatever a's dtype (the source's arithmetic): in float32,
    ``1 - 1e-10`` rounds to 1, so a saturated output would make the loss log(0) = -inf / NaN.
    """
    a = np.clip(np.asarray(a, dtype=np.float64), 1e-10, 1 - 1e-10)
    return float(np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a))))


def count_hits(a, y):
    """Predictions ``a > 0.5`` equal to the labels y (an int)."""
    return int(np.count_nonzero((a > 0.5) == (y > 0.5)))


#: OpenBLAS's dot product starts its threads above this many entries.
_BLAS_DOT_THREADS = 10_000


def _sum_sq(a):
    """The sum of squares of ``a`` as a NumPy scalar of its dtype (float32 sums overflow as
    the fused path's do: that is a divergence signal).

    BLAS's dot (the fused path's order for a plain network's weights) below the size where
    OpenBLAS starts threads; NumPy's own loop above it (an embedding of 1,000 x 32 has 32,000
    entries), so a step never wakes every core for a reduction of microseconds, with or
    without threadpoolctl (rnnfast/_threads.py)."""
    if a.size <= _BLAS_DOT_THREADS:
        return np.vdot(a, a)
    return np.einsum("i,i->", a.ravel(), a.ravel())


def global_norm(grads):
    """The gradients' global norm (a float; not finite exactly when a gradient is not)."""
    return float(np.sqrt(sum(_sum_sq(g) for g in grads.values())))


def output_and_loss(z2, y, glue=None):
    """``a = sigmoid(z2)``, then ``(a - y, binary_crossentropy(a, y), hits)``: z2 (m,)
    float32/float64, y (m,) float64; ``a - y`` (m,) in z2's dtype.

    ``glue``: a backend's ``fused_sgd_step`` (:mod:`rnnfast._train`), bit-identical to the
    NumPy functions (``exp`` and ``log`` are NumPy's).  Without it, float32 output (whose loss
    is computed in float64) and float64 input on which NumPy would warn, the NumPy functions
    are used, warnings included."""
    if glue is not None and z2.dtype == np.float64:
        m = len(z2)
        e = np.empty(m, dtype=z2.dtype)
        err = np.empty(m, dtype=z2.dtype)
        logs = np.empty(2 * m, dtype=z2.dtype)
        if glue.sigmoid_prologue(z2, e):
            np.exp(e, out=e)
            hits, ok = glue.output_stats(e, y, err, logs)
            if ok:
                np.log(logs, out=logs)
                return err, glue.bce_mean(logs, y), hits
    a = sigmoid(z2)
    return (a - y).astype(z2.dtype), binary_crossentropy(a, y), count_hits(a, y)


# ----------------------------------------------------------------------------- divergence


def check_gradients(total, learning_rate):
    """total: the gradients' global norm or its square (finite exactly when the gradients
    are)."""
    if not math.isfinite(total):
        raise DivergenceError(
            "training diverged: the gradients are not finite (learning_rate "
            f"{learning_rate} may be too large; set clip_norm to bound the step). The weights "
            "of the last good step are kept."
        )


def check_weights(sum_sq, learning_rate):
    """sum_sq: the new weights' sum of squares.  ``not s <= bound**2`` is also true for
    NaN and inf, so one comparison checks everything."""
    if not sum_sq <= DIVERGENCE_BOUND**2:
        raise DivergenceError(
            f"training diverged: the update drove the weights' norm beyond "
            f"{DIVERGENCE_BOUND:g} or to inf/NaN (learning_rate {learning_rate} is too large; "
            "set clip_norm to bound the step). The weights of the last good step are kept."
        )


# ----------------------------------------------------------------------------- one update


def plain_sgd(optimizer):
    """Whether ``optimizer`` is the source's SGD (a subclass may change the rule)."""
    return type(optimizer) is SGD


def train_batch(net, x, y):
    """The generic update: forward, backward and one optimiser step on a prepared batch
    x (m, ...), labels y (m,) float64.  Returns the output a (m,) computed before it."""
    params = net._params
    z2, hs = net._engine.forward(x, params, keep_states=True)
    a = sigmoid(z2)
    k = net._window(x.shape[1])
    # Adam on an embedding needs the per-occurrence squared gradients Keras uses.
    squares = bool(net.embedding_dim) and net.optimizer == "adam"
    grads, norms, *sq = net._engine.backward(
        x, hs, a - y, params, k, net.backprop == "textbook", squares=squares
    )
    sq = sq[0] if sq else None
    # One sum of squares serves the clipping and the divergence check: it is finite
    # exactly when every gradient is.
    total = global_norm(grads)
    check_gradients(total, net.lr)
    grads, sq, after = clip_gradients(grads, sq, total, net.clip_norm, net.clip_value)
    net.last_clip = clip_record(total, after)
    new = net._opt.step(params, grads, sq)
    check_weights(sum(float(_sum_sq(w)) for w in new.values()), net.lr)
    net._commit(new)
    net.last_grad_norms = np.array(norms, dtype=np.float64)
    return a


def clip_gradients(grads, squares, total, clip_norm=None, clip_value=None):
    """Clip the gradients (dict name -> array) whose global norm is ``total``: to the global
    norm ``clip_norm`` (Pascanu et al. 2013: one scale for all), then each entry to
    [-clip_value, clip_value] (min-char-rnn's ``np.clip``).  ``squares`` (Adam's per-occurrence
    squared gradients of an embedding, or None) follow each entry's scale.  Returns
    ``(grads, squares, norm after)``."""
    after = total
    if clip_norm is not None and total > clip_norm:
        scale = clip_norm / total
        grads = {n: g * scale for n, g in grads.items()}
        squares = squares and {n: s * scale**2 for n, s in squares.items()}
        after = total * scale
    if clip_value is not None:
        clipped = {n: np.clip(g, -clip_value, clip_value) for n, g in grads.items()}
        if squares:
            squares = {n: s * _entry_scale(clipped[n], grads[n]) ** 2 for n, s in squares.items()}
        grads = clipped
        after = global_norm(grads)
    return grads, squares, after


def _entry_scale(clipped, g):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(g != 0, clipped / g, 1.0)


def clip_record(before, after):
    """``last_clip`` and the callbacks' ``info["clip"]``: the gradients' global norm before
    and after clipping, and whether clipping changed them."""
    return {
        "norm_before": float(before),
        "norm_after": float(after),
        "clipped": bool(after < before),
    }


def fused_sgd_batch(net, glue, x, y):
    """:func:`train_batch` for plain SGD with the NumPy glue replaced by the backend's fused
    step ``glue`` (``fused_sgd_step``): the same arithmetic bit for bit (its divergence sums
    differ from BLAS' only by rounding, at the bounds).  Returns ``(loss, hits)``."""
    params = net._params
    z2, hs = net._engine.forward(x, params, keep_states=True)
    err, loss, hits = output_and_loss(z2, y, glue)
    grads, norms = net._engine.backward(
        x, hs, err, params, net._window(x.shape[1]), net.backprop == "textbook"
    )
    scale = 1.0  # exact: w - lr * (g * 1) is w - lr * g
    # The generic path's norm (BLAS' summation order): clipped steps and the recorded
    # norms (last_clip) are bit-identical too.
    total = global_norm(grads)
    if net.clip_norm is not None:
        check_gradients(total, net.lr)
        if total > net.clip_norm:
            scale = net.clip_norm / total
    new, grad_sq, weight_sq = glue.sgd_step(params, grads, net._opt.learning_rate, scale)
    # Checked in the generic order; the new arrays of a failed step are dropped.
    if net.clip_norm is None:
        check_gradients(grad_sq, net.lr)
    check_weights(weight_sq, net.lr)
    net.last_clip = clip_record(total, total * scale)
    net._commit(new)
    net.last_grad_norms = np.array(norms, dtype=np.float64)
    return loss, hits


def fused_epoch(net, x, batch_size=None):
    """The backend's fused epoch for fit on x (see ``fused_sgd_epoch``), or None: plain SGD
    without clipping only (and, in :func:`_run_epoch`, no callback to call between batches)."""
    if not plain_sgd(net._opt) or net.clip_norm is not None or net.clip_value is not None:
        return None
    return net._engine.fused_sgd_epoch(
        x,
        net._params,
        batch_size or net.batch_size,
        net._window(x.shape[1]),
        net.backprop == "textbook",
    )


def fused_batches(net, epoch, n, y, order, losses, batch_size=None):
    """Run the full batches of an epoch of n rows through the fused ``epoch`` in chunks of
    COMPILED_CHUNK, publishing a new set of weights and the batches' history after every
    chunk (so a ``predict`` from another thread and an interrupt both see a consistent state).
    Appends the batch losses to ``losses``; returns (batches done, hits, summed per-step
    norms)."""
    y = np.ascontiguousarray(y, dtype=np.float64)
    order = np.ascontiguousarray(order, dtype=np.int64)
    n_full = n // (batch_size or net.batch_size)
    chunk_losses = np.empty(COMPILED_CHUNK)
    chunk_hits = np.empty(COMPILED_CHUNK, dtype=np.int64)
    norm_rows = np.empty((n_full, epoch.k))
    done = hits = 0
    while done < n_full:
        count = min(COMPILED_CHUNK, n_full - done)
        ran, status = epoch.run(
            y,
            order,
            done,
            count,
            net.lr,
            DIVERGENCE_BOUND**2,
            chunk_losses,
            chunk_hits,
            norm_rows[done:],
        )
        if ran:
            net._commit({name: w.copy() for name, w in epoch.work.items()})
            batch_losses = chunk_losses[:ran].tolist()
            losses.extend(batch_losses)
            net.batch_losses.extend(batch_losses)
            hits += int(chunk_hits[:ran].sum())
            done += ran
            net.last_grad_norms = norm_rows[done - 1].copy()
        if status == 1:
            check_gradients(float("inf"), net.lr)
        if status == 2:
            check_weights(float("inf"), net.lr)
    # the sequential sum of _run_epoch's `norms += ...`
    return done, hits, np.cumsum(norm_rows, axis=0)[-1]


# ----------------------------------------------------------------------------- fit's loop


def run_epochs(
    net, x, y, epochs, x_val, y_val, verbose=0, *, batch_size=None, shuffle=True, initial_epoch=0
):
    """fit's loop on checked input in the backend's form: epochs of (shuffled) batches, the
    history and the callbacks' events.  verbose: 0 silent, 1 a progress bar (one line per
    epoch when stderr is not a terminal), 2 one line per epoch (Keras').  ``batch_size``
    (default the network's), ``shuffle`` and ``initial_epoch`` (the first epoch's number in
    the callbacks' info) are fit's Keras arguments."""
    bs = batch_size or net.batch_size
    callbacks = list(net.callbacks)
    if verbose:
        bar = ProgressBar()
        bar.batches = verbose == 1 and _is_terminal(bar.stream)
        callbacks.append(bar)
    n = len(x)
    n_batches = -(-n // bs)
    start = time.perf_counter()
    net.stop_training = False
    epochs_run = 0
    runaway = RunawayCheck(net)
    if _notify(
        callbacks,
        "on_train_begin",
        net,
        {"epochs": initial_epoch + epochs, "n_batches": n_batches, "n_samples": n},
    ):
        net.stop_training = True
    try:
        with training_threads(net):  # one BLAS thread for a small network (_threads)
            for epoch in range(initial_epoch, initial_epoch + epochs):
                if net.stop_training:  # asked to stop before training began
                    break
                epoch_start = time.perf_counter()
                order = net._rng.permutation(n) if shuffle else np.arange(n)
                _run_epoch(net, x, y, epoch, n_batches, start, callbacks, bs, order)
                epochs_run += 1
                if net.stop_training:
                    break
                info = _end_epoch(net, x_val, y_val, epoch, start)
                net.epoch_seconds.append(time.perf_counter() - epoch_start)
                runaway.after_epoch()
                if _notify(callbacks, "on_epoch_end", net, info):
                    net.stop_training = True
                if net.stop_training:
                    break
    finally:
        _notify(
            callbacks,
            "on_train_end",
            net,
            {
                "epochs_run": epochs_run,
                "elapsed": time.perf_counter() - start,
                "stopped": net.stop_training,
            },
        )


def _is_terminal(stream):
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class RunawayCheck:
    """Warn once per fit when training runs away (RUNAWAY_WEIGHT_RMS, RUNAWAY_LOSS)."""

    def __init__(self, net):
        self.net = net
        self.warned = False
        self.previous = None

    def after_epoch(self):
        net = self.net
        loss = net.losses[-1]
        previous, self.previous = self.previous, loss
        if self.warned:
            return
        weights = net._params.values()
        rms = math.sqrt(sum(float(np.vdot(w, w)) for w in weights) / sum(w.size for w in weights))
        rising = previous is not None and loss > RUNAWAY_LOSS and loss > previous
        if rms > RUNAWAY_WEIGHT_RMS or rising:
            self.warned = True
            sign = (
                f"the weights' root mean square is {rms:.3g} (> {RUNAWAY_WEIGHT_RMS:g}: every "
                "cell saturated)"
                if rms > RUNAWAY_WEIGHT_RMS
                else f"the loss rose to {loss:.3g} (> 2 ln 2 = {RUNAWAY_LOSS:.3f}, from "
                f"{previous:.3g})"
            )
            warnings.warn(
                f"training is running away: {sign} after epoch {len(net.losses)}; "
                f"learning_rate={net.lr:g} is probably too large (try 10x smaller, or set "
                "clip_norm)",
                RunawayTrainingWarning,
                stacklevel=4,
            )


def listens_to_batches(cb) -> bool:
    """Whether callback ``cb`` does something after a batch (an ``on_batch_end`` of its own,
    or one given to a LambdaCallback); one that only listens to epochs (a LivePlot, an
    early stop on val_loss) leaves fit its compiled epoch loop."""
    from .callbacks import Callback

    if "on_batch_end" in vars(cb):
        return True
    own = getattr(type(cb), "on_batch_end", None)
    return own is not None and own is not Callback.on_batch_end


def _run_epoch(net, x, y, epoch, n_batches, start, callbacks, bs, order):
    batch = net._batcher(x)
    step = net._batch_step(bs)
    losses, hits, norms, seen = [], 0, None, 0
    first = 0
    # The payload of every batch is built only when somebody listens to batches; the compiled
    # epoch loop runs when nobody does (the same results to rounding: test_compiled_epoch.py).
    callbacks = [cb for cb in callbacks if listens_to_batches(cb)]
    fused = None if callbacks else fused_epoch(net, x, bs)
    if fused is not None:
        first, hits, norms = fused_batches(net, fused, len(x), y, order, losses, bs)
        seen = first * bs
    for b in range(first, n_batches):
        idx = order[b * bs : (b + 1) * bs]
        yb = y.take(idx)
        loss, hit = step(batch(idx), yb)
        losses.append(loss)
        net.batch_losses.append(loss)
        hits += hit
        seen += len(idx)
        if norms is None:
            norms = net.last_grad_norms.copy()
        else:
            norms += net.last_grad_norms
        if callbacks:
            elapsed = time.perf_counter() - start
            info = {
                "epoch": epoch,
                "batch": b,
                "n_batches": n_batches,
                "loss": loss,
                "accuracy": hit / len(idx),
                "batch_size": len(idx),
                "grad_norms": net.last_grad_norms.copy(),
                "clip": dict(net.last_clip),
                "samples_seen": seen,
                "elapsed": elapsed,
                "samples_per_second": (epoch * len(x) + seen) / max(elapsed, 1e-9),
            }
            if _notify(callbacks, "on_batch_end", net, info):
                net.stop_training = True
        if net.stop_training:
            break
    net.losses.append(float(np.mean(losses)))
    net.accuracies.append(hits / seen)
    net.grad_norms.append(norms / len(losses))


def _end_epoch(net, x_val, y_val, epoch, start):
    val_loss = val_acc = None
    if x_val is not None:
        a = net._proba(x_val)
        val_loss = binary_crossentropy(a, y_val)
        val_acc = float(np.mean((a > 0.5) == (y_val > 0.5)))
        net.val_losses.append(val_loss)
        net.val_accuracies.append(val_acc)
    return {
        "epoch": epoch,
        "loss": net.losses[-1],
        "accuracy": net.accuracies[-1],
        "val_loss": val_loss,
        "val_accuracy": val_acc,
        "grad_norms": net.grad_norms[-1].copy(),
        "elapsed": time.perf_counter() - start,
    }


def _notify(callbacks, event, network, info):
    """Call ``event`` on every callback; True if any asked to stop."""
    stop = False
    for cb in callbacks:
        if getattr(cb, event)(network, info):
            stop = True
    return stop

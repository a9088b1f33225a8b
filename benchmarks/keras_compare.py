"""The source's Keras models (section 6.4) trained in Keras and in rnnfast, side by side.

    python -m benchmarks.keras_compare --seeds 0 1 2 --epochs 10 --data PATH/imdb.npz

* S2: ``SimpleRNN(32)`` on one-hot (100, 100) + ``Dense(1, 'sigmoid')``, SGD (lr 0.01), 20
  epochs (``--s2-epochs``).  Data: ``load_textbook(num_words=100)``; Keras gets the source's
  one-hot float32 array (800 MB), rnnfast the token ids (the same one-hot, never built).
* S3: ``Embedding(1000, 32)`` + ``SimpleRNN(8)`` + ``Dense(1, 'sigmoid')``, Adam (lr 0.001),
  10 epochs (``--epochs``).  Data: ``load_textbook(num_words=1000)``, token ids for both.

Both frameworks: batch 32, the source's 20,000 / 5,000 split (``np.random.seed(42)``), full
BPTT (Keras' only mode; rnnfast ``bptt_steps=None``), reshuffled every epoch, seeded per run
(Keras: ``keras.utils.set_random_seed(seed)``; rnnfast: ``seed=seed``).  The initial weights
follow the same distributions but not the same numbers (two random streams).

Timing: the wall time of each epoch including its validation pass (epoch begin to epoch end,
from each framework's callbacks), reported as the median over the epochs of a run (Keras'
first epoch also traces its graph).  The two frameworks train epoch by epoch in turn (Keras
epoch 1, rnnfast epoch 1, Keras epoch 2, ...: one ``fit(epochs=1)`` call each, rnnfast with
``warm_start``), so that on a shared machine both see the same load.  Threads, set
explicitly: TensorFlow ``intra_op = inter_op = --tf-threads`` (default: every core), rnnfast's
BLAS ``threadpoolctl.threadpool_limits(--blas-threads)`` (default 1; the kernels themselves are
single-threaded).  Keras runs on the CPU only (``CUDA_VISIBLE_DEVICES=""``).

Acceptance (issue 7, S3): rnnfast's median final validation accuracy within 0.02 of Keras'
and >= 0.79; rnnfast's epoch >= 8x faster than Keras' in the same run.
"""

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # Keras on the CPU only
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

MODELS = {
    "s2": {"num_words": 100, "n_cells": 32, "optimizer": "sgd", "learning_rate": 0.01},
    "s3": {
        "num_words": 1000,
        "n_cells": 8,
        "optimizer": "adam",
        "learning_rate": 0.001,
        "embedding_dim": 32,
    },
}
BATCH_SIZE = 32
ACCEPT_GAP, ACCEPT_MIN, ACCEPT_SPEEDUP = 0.02, 0.79, 8.0


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.keras_compare", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--epochs", type=int, default=10, help="S3 epochs (source: 10)")
    p.add_argument("--s2-epochs", type=int, default=20, help="S2 epochs (source: 20)")
    p.add_argument("--models", nargs="+", choices=sorted(MODELS), default=["s2", "s3"])
    p.add_argument(
        "--frameworks", nargs="+", choices=["keras", "rnnfast"], default=["keras", "rnnfast"]
    )
    p.add_argument(
        "--data",
        default=None,
        help="imdb.npz in Keras' format (default: rnnfast's resolution: "
        "$RNNFAST_IMDB, Keras' cache, download)",
    )
    p.add_argument(
        "--source",
        default=None,
        choices=["sample"],
        help="'sample': the small IMDB sample shipped with rnnfast (quick check)",
    )
    p.add_argument(
        "--tf-threads",
        type=int,
        default=os.cpu_count() or 1,
        help="TensorFlow intra- and inter-op threads (default: all cores)",
    )
    p.add_argument("--blas-threads", type=int, default=1, help="rnnfast's BLAS threads")
    p.add_argument(
        "--dtype",
        default="float64",
        choices=["float64", "float32"],
        help="rnnfast's dtype (Keras runs float32, its default)",
    )
    p.add_argument("--backend", default="cython", choices=["cython", "numpy"])
    p.add_argument("--json", default=None, help="also write the results to this file")
    return p.parse_args(argv)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data


def load(model, args):
    from rnnfast.datasets.imdb import load_textbook

    x, y, xv, yv = load_textbook(
        num_words=MODELS[model]["num_words"], path=args.data, source=args.source
    )
    return x, y.astype(np.float32), xv, yv.astype(np.float32)


# --------------------------------------------------------------------------- frameworks


def setup_tensorflow(threads):
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    tf.config.set_visible_devices([], "GPU")
    return tf


class KerasRun:
    """The source's model in Keras, trained one epoch per :meth:`epoch` call."""

    def __init__(self, model, seed, data, onehot):
        import tensorflow as tf

        from rnnfast import keras as rk

        self.keras = keras = tf.keras
        x, y, xv, yv = data
        keras.utils.set_random_seed(seed)
        if model == "s2":
            self.net = rk.build_s2(n_steps=x.shape[1], n_features=MODELS[model]["num_words"])
            x, xv = onehot
        else:
            self.net = rk.build_s3(vocab=MODELS[model]["num_words"])
        self.data = (x, y, xv, yv)
        self.val_accuracy, self.epoch_seconds = [], []
        run = self

        class Stamp(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                run._t0 = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                run.epoch_seconds.append(time.perf_counter() - run._t0)

        self.stamp = Stamp()

    def epoch(self, args):
        x, y, xv, yv = self.data
        hist = self.net.fit(
            x,
            y,
            epochs=1,
            batch_size=BATCH_SIZE,
            validation_data=(xv, yv),
            verbose=0,
            callbacks=[self.stamp],
        )
        self.val_accuracy.append(float(hist.history["val_accuracy"][-1]))


class RnnfastRun:
    """The same model in rnnfast (full BPTT), one epoch per :meth:`epoch` call."""

    def __init__(self, model, seed, data, args):
        from rnnfast import LambdaCallback, RecurrentNetwork

        cfg = MODELS[model]
        self.n_features = cfg["num_words"]
        self.data = data
        self.epoch_seconds = []
        stamp = {}

        def begin(net, info):
            stamp["t0"] = time.perf_counter()

        def end(net, info):
            self.epoch_seconds.append(time.perf_counter() - stamp["t0"])

        self.net = RecurrentNetwork(
            cfg["n_cells"],
            BATCH_SIZE,
            cfg["learning_rate"],
            optimizer=cfg["optimizer"],
            embedding_dim=cfg.get("embedding_dim"),
            bptt_steps=None,
            seed=seed,
            dtype=args.dtype,
            backend=args.backend,
            warm_start=True,
            callbacks=[LambdaCallback(on_train_begin=begin, on_epoch_end=end)],
        )

    @property
    def val_accuracy(self):
        return list(self.net.val_accuracies)

    def epoch(self, args):
        from threadpoolctl import threadpool_limits

        x, y, xv, yv = self.data
        with threadpool_limits(limits=args.blas_threads):
            self.net.fit(x, y, epochs=1, x_val=xv, y_val=yv, n_features=self.n_features)


# --------------------------------------------------------------------------- report


def summarize(run):
    acc = run["val_accuracy"]
    return {
        "final": acc[-1],
        "best": max(acc),
        "best_epoch": int(np.argmax(acc)) + 1,
        "s_per_epoch": float(np.median(run["epoch_seconds"])),
        "first_epoch_s": float(run["epoch_seconds"][0]),
    }


def table(results):
    """One row per (model, seed, framework), then the medians over seeds and the ratios."""
    head = (
        f"{'model':5} {'seed':>4} {'framework':9} {'epochs':>6} {'val acc':>8} "
        f"{'best (ep)':>11} {'s/epoch':>8} {'1st ep s':>8} {'keras/rnnfast':>13}"
    )
    lines = [head, "-" * len(head)]
    for model in sorted({r["model"] for r in results}):
        rows = [r for r in results if r["model"] == model]
        seeds = sorted({r["seed"] for r in rows})
        for seed in seeds:
            by_fw = {r["framework"]: r for r in rows if r["seed"] == seed}
            ratio = speed_ratio(by_fw)
            for fw in ("keras", "rnnfast"):
                if fw not in by_fw:
                    continue
                s = by_fw[fw]["summary"]
                lines.append(
                    f"{model:5} {seed:>4} {fw:9} {by_fw[fw]['epochs']:>6} {s['final']:>8.4f} "
                    f"{s['best']:>7.4f} ({s['best_epoch']:>2}) {s['s_per_epoch']:>8.2f} "
                    f"{s['first_epoch_s']:>8.2f} "
                    f"{(f'{ratio:.1f}x' if ratio and fw == 'rnnfast' else ''):>13}"
                )
        for fw in ("keras", "rnnfast"):
            sums = [r["summary"] for r in rows if r["framework"] == fw]
            if sums:
                ratios = [
                    speed_ratio({r["framework"]: r for r in rows if r["seed"] == sd})
                    for sd in seeds
                ]
                ratios = [q for q in ratios if q]
                ratio = f"{statistics.median(ratios):.1f}x" if ratios and fw == "rnnfast" else ""
                lines.append(
                    f"{model:5} {'med':>4} {fw:9} {'':>6} "
                    f"{statistics.median(s['final'] for s in sums):>8.4f} "
                    f"{statistics.median(s['best'] for s in sums):>7.4f}      "
                    f"{statistics.median(s['s_per_epoch'] for s in sums):>8.2f} {'':>8} "
                    f"{ratio:>13}"
                )
        lines.append("")
    return "\n".join(lines)


def speed_ratio(by_fw):
    if "keras" in by_fw and "rnnfast" in by_fw:
        return by_fw["keras"]["summary"]["s_per_epoch"] / by_fw["rnnfast"]["summary"]["s_per_epoch"]
    return None


def acceptance(results):
    rows = [r for r in results if r["model"] == "s3"]
    ker = [r["summary"]["final"] for r in rows if r["framework"] == "keras"]
    rnf = [r["summary"]["final"] for r in rows if r["framework"] == "rnnfast"]
    if not ker or not rnf:
        return None
    seeds = sorted({r["seed"] for r in rows})
    ratios = [speed_ratio({r["framework"]: r for r in rows if r["seed"] == s}) for s in seeds]
    ratios = [q for q in ratios if q]
    mk, mr = statistics.median(ker), statistics.median(rnf)
    checks = {
        f"|median rnnfast - median keras| = {abs(mr - mk):.4f} <= {ACCEPT_GAP}": abs(mr - mk)
        <= ACCEPT_GAP,
        f"median rnnfast = {mr:.4f} >= {ACCEPT_MIN}": mr >= ACCEPT_MIN,
        f"min speed ratio = {min(ratios):.1f}x >= {ACCEPT_SPEEDUP}x": min(ratios) >= ACCEPT_SPEEDUP,
    }
    return checks


def main(argv=None):
    args = parse_args(argv)
    tf = setup_tensorflow(args.tf_threads) if "keras" in args.frameworks else None
    try:
        import rnnfast._kernels  # noqa: F401
        import scipy.linalg.cython_blas  # noqa: F401  (load the kernels' BLAS before limiting)
    except ImportError:
        pass
    from threadpoolctl import threadpool_info

    env = {
        "cpu_count": os.cpu_count(),
        "tf_threads": args.tf_threads,
        "blas_threads": args.blas_threads,
        "rnnfast_dtype": args.dtype,
        "rnnfast_backend": args.backend,
        "tensorflow": getattr(tf, "__version__", None),
        "keras": getattr(getattr(tf, "keras", None), "__version__", None),
        "blas": [f"{p.get('internal_api')} {p.get('version')}" for p in threadpool_info()],
    }
    log(f"environment: {json.dumps(env)}")
    results = []
    for model in args.models:
        epochs = args.s2_epochs if model == "s2" else args.epochs
        data = load(model, args)
        onehot = None
        if model == "s2" and "keras" in args.frameworks:
            from rnnfast.preprocessing import to_categorical

            nf = MODELS[model]["num_words"]
            onehot = (to_categorical(data[0], nf), to_categorical(data[2], nf))
        log(f"{model}: train {data[0].shape}, val {data[2].shape}, {epochs} epochs")
        for seed in args.seeds:
            t0 = time.perf_counter()
            runs = {
                fw: (
                    KerasRun(model, seed, data, onehot)
                    if fw == "keras"
                    else RnnfastRun(model, seed, data, args)
                )
                for fw in args.frameworks
            }
            for _ in range(epochs):
                for run in runs.values():
                    run.epoch(args)
            for fw, run in runs.items():
                rec = {
                    "model": model,
                    "seed": seed,
                    "framework": fw,
                    "epochs": epochs,
                    "val_accuracy": list(run.val_accuracy),
                    "epoch_seconds": list(run.epoch_seconds),
                }
                rec["summary"] = summarize(rec)
                results.append(rec)
                s = rec["summary"]
                log(
                    f"  {model} seed {seed} {fw:8}: val acc {s['final']:.4f} (best "
                    f"{s['best']:.4f} @ {s['best_epoch']}), {s['s_per_epoch']:.2f} s/epoch; "
                    f"per epoch acc {[round(a, 4) for a in rec['val_accuracy']]}, s "
                    f"{[round(t, 2) for t in rec['epoch_seconds']]}"
                )
            log(f"  ({time.perf_counter() - t0:.0f} s for seed {seed})")
        del onehot
    report = table(results)
    print(report)
    print(
        f"threads: TensorFlow intra_op = inter_op = {args.tf_threads}; rnnfast BLAS "
        f"threadpool_limits({args.blas_threads}); {os.cpu_count()} cores; Keras CPU only, "
        f"float32; rnnfast {args.dtype}, {args.backend} backend; s/epoch = median epoch "
        "wall time incl. validation"
    )
    checks = acceptance(results)
    if checks:
        print("S3 acceptance:")
        for text, ok in checks.items():
            print(f"  [{'ok' if ok else 'FAIL'}] {text}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"environment": env, "args": vars(args), "results": results, "acceptance": checks},
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

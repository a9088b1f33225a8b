"""Child processes of the benchmarks (``python -m benchmarks._child ...``).

``memory``: builds one configuration's input in a fresh interpreter, optionally runs one epoch
of ``fit`` on it, and prints its peak resident memory (``getrusage(RUSAGE_SELF).ru_maxrss``).

``peer``: a Keras or PyTorch worker that builds the W1 one-hot input and the peer's model once,
then times one epoch each time the parent writes ``run`` on its stdin (so the peers interleave
with the in-process configurations), and reports its peak memory on ``quit``.

Both speak JSON lines on the original stdout; anything a library prints goes to stderr.
"""

import argparse
import json
import os
import resource
import sys
import time


def _protocol_stdout():
    """A private copy of stdout for the JSON lines; fd 1 is pointed at stderr so that library
    chatter cannot corrupt the protocol."""
    fd = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(fd, "w", buffering=1)


def _peak_bytes():
    """This process's peak resident memory: ``{"ru_maxrss_bytes", "vmhwm_bytes"}``.

    ru_maxrss survives exec: a child started (vfork/fork + exec) by a big parent starts with the
    parent's peak, so it over-reports.  VmHWM (/proc/self/status) is the peak of this process's
    own address space, fresh at exec: it is the number to use where Linux has it.
    """
    out = {"ru_maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    out["vmhwm_bytes"] = int(line.split()[1]) * 1024
    except OSError:
        pass
    out["peak_bytes"] = out.get("vmhwm_bytes", out["ru_maxrss_bytes"])
    return out


def _limit_threads(n):
    try:
        import scipy.linalg.cython_blas  # noqa: F401  (the kernels' BLAS: load, then limit)
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=n)


# --------------------------------------------------------------------------- memory


def memory_main(args):
    out = _protocol_stdout()
    from rnnfast import RecurrentNetwork

    from .data import load_arrays, one_hot

    try:
        from rnnfast import _kernels  # noqa: F401  (loaded by both modes alike)
    except ImportError:
        pass
    _limit_threads(args.threads)
    x, y, xv, yv = load_arrays(args.data, "x_train", "y_train", "x_val", "y_val")
    if args.input == "onehot":
        x, xv = one_hot(x, args.n_features), one_hot(xv, args.n_features)
    input_bytes = x.nbytes + xv.nbytes + y.nbytes + yv.nbytes
    result = {"mode": args.mode, "config": args.config, "input_bytes": input_bytes}
    if args.mode == "run":
        net = RecurrentNetwork(
            args.n_cells,
            args.batch_size,
            args.learning_rate,
            backend=args.backend,
            bptt_steps=args.bptt_steps,
            seed=args.seed,
        )
        if args.dense_kernel:
            net.dense_kernel = args.dense_kernel
        kwargs = {"n_features": args.n_features} if args.input == "ids" else {}
        t0 = time.perf_counter()
        net.fit(x, y, epochs=1, x_val=xv, y_val=yv, **kwargs)
        result["seconds"] = time.perf_counter() - t0
        result["loss"] = float(net.losses[0])
    result.update(_peak_bytes())
    out.write(json.dumps(result) + "\n")
    return 0


# --------------------------------------------------------------------------- peers


class KerasPeer:
    """The source's S2 model: SimpleRNN(32) + Dense(1, 'sigmoid'), sgd lr 0.01, BCE."""

    def __init__(self, args, x, y, xv, yv):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
        import keras

        keras.utils.set_random_seed(args.seed)
        self.data = (x, y, xv, yv)
        self.batch_size = args.batch_size
        model = keras.Sequential(
            [
                keras.Input((x.shape[1], x.shape[2])),
                keras.layers.SimpleRNN(args.n_cells),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.SGD(learning_rate=args.learning_rate),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        self.model = model
        self.info = {
            "peer": "keras",
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "model": "SimpleRNN(32) + Dense(1, sigmoid), SGD(0.01), "
            "binary_crossentropy, float32, full BPTT",
            "params": int(model.count_params()),
            "threads": {"intra_op": args.threads, "inter_op": args.threads},
        }

    def warm_up(self):
        x, y, xv, yv = self.data
        # A full batch and a partial one in both functions: every shape is traced here.
        n = 2 * self.batch_size
        self.model.fit(
            x[: n + 8],
            y[: n + 8],
            epochs=1,
            batch_size=self.batch_size,
            validation_data=(xv[: n + 8], yv[: n + 8]),
            verbose=0,
        )

    def epoch(self):
        x, y, xv, yv = self.data
        hist = self.model.fit(
            x, y, epochs=1, batch_size=self.batch_size, validation_data=(xv, yv), verbose=0
        )
        return {
            "loss": float(hist.history["loss"][0]),
            "val_loss": float(hist.history["val_loss"][0]),
        }


class TorchPeer:
    """nn.RNN(nf, 32, tanh, batch_first) + Linear(32, 1), SGD lr 0.01, BCE on the logit."""

    def __init__(self, args, x, y, xv, yv):
        import torch

        torch.set_num_threads(args.threads)
        try:
            torch.set_num_interop_threads(args.threads)
        except RuntimeError:
            pass
        torch.manual_seed(args.seed)
        self.torch = torch
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y.astype("float32"))
        self.xv, self.yv = torch.from_numpy(xv), torch.from_numpy(yv.astype("float32"))
        self.rnn = torch.nn.RNN(x.shape[2], args.n_cells, nonlinearity="tanh", batch_first=True)
        self.out = torch.nn.Linear(args.n_cells, 1)
        params = list(self.rnn.parameters()) + list(self.out.parameters())
        self.opt = torch.optim.SGD(params, lr=args.learning_rate)
        self.loss_fn = torch.nn.BCEWithLogitsLoss()
        self.batch_size = args.batch_size
        self.generator = torch.Generator().manual_seed(args.seed)
        self.info = {
            "peer": "torch",
            "torch": torch.__version__,
            "model": "nn.RNN(100, 32, tanh, batch_first) + Linear(32, 1), SGD(0.01), "
            "BCEWithLogitsLoss, float32, full BPTT",
            "params": int(sum(p.numel() for p in params)),
            "threads": {
                "intra_op": torch.get_num_threads(),
                "inter_op": torch.get_num_interop_threads(),
            },
        }

    def _logits(self, xb):
        h, _ = self.rnn(xb)
        return self.out(h[:, -1, :]).squeeze(1)

    def _train(self, x, y):
        torch = self.torch
        self.rnn.train()
        order = torch.randperm(len(x), generator=self.generator)
        losses = []
        for s in range(0, len(x), self.batch_size):
            idx = order[s : s + self.batch_size]
            self.opt.zero_grad()
            loss = self.loss_fn(self._logits(x[idx]), y[idx])
            loss.backward()
            self.opt.step()
            losses.append(loss.item())
        return sum(losses) / len(losses)

    def _validate(self, xv, yv):
        torch = self.torch
        total = 0.0
        with torch.no_grad():
            for s in range(0, len(xv), 256):
                logit = self._logits(xv[s : s + 256])
                total += float(self.loss_fn(logit, yv[s : s + 256])) * len(logit)
        return total / len(xv)

    def warm_up(self):
        n = 2 * self.batch_size + 8
        self._train(self.x[:n], self.y[:n])
        self._validate(self.xv[:n], self.yv[:n])

    def epoch(self):
        loss = self._train(self.x, self.y)
        return {"loss": loss, "val_loss": self._validate(self.xv, self.yv)}


def peer_main(args):
    out = _protocol_stdout()
    import numpy as np

    from .data import load_arrays, one_hot

    limits = _limit_threads(args.threads)
    x, y, xv, yv = load_arrays(args.data, "x_train", "y_train", "x_val", "y_val")
    x, xv = one_hot(x, args.n_features), one_hot(xv, args.n_features)
    y, yv = y.astype(np.float32), yv.astype(np.float32)
    try:
        peer = (KerasPeer if args.peer == "keras" else TorchPeer)(args, x, y, xv, yv)
        peer.warm_up()
    except Exception as exc:
        out.write(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return 1
    info = dict(peer.info)
    try:
        from threadpoolctl import threadpool_info

        info["threadpools"] = [
            {k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
            for p in threadpool_info()
        ]
    except ImportError:
        pass
    out.write(json.dumps({"ready": True, "info": info}) + "\n")
    for line in sys.stdin:
        command = line.strip()
        if command == "run":
            t0 = time.perf_counter()
            result = peer.epoch()
            result["seconds"] = time.perf_counter() - t0
            out.write(json.dumps(result) + "\n")
        elif command == "quit":
            break
    out.write(json.dumps(_peak_bytes()) + "\n")
    del limits
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks._child")
    sub = p.add_subparsers(dest="what", required=True)
    for name in ("memory", "peer"):
        q = sub.add_parser(name)
        q.add_argument("--data", required=True)
        q.add_argument("--threads", type=int, default=1)
        q.add_argument("--n-features", type=int, default=100)
        q.add_argument("--n-cells", type=int, default=32)
        q.add_argument("--batch-size", type=int, default=32)
        q.add_argument("--learning-rate", type=float, default=0.01)
        q.add_argument("--seed", type=int, default=1)
    m = sub.choices["memory"]
    m.add_argument("--mode", choices=("baseline", "run"), required=True)
    m.add_argument("--config", required=True)
    m.add_argument("--input", choices=("onehot", "ids"), required=True)
    m.add_argument("--backend", default="cython")
    m.add_argument("--dense-kernel", default=None)
    m.add_argument("--bptt-steps", type=lambda s: None if s == "full" else int(s), default=10)
    sub.choices["peer"].add_argument("--peer", choices=("keras", "torch"), required=True)
    args = p.parse_args(argv)
    return memory_main(args) if args.what == "memory" else peer_main(args)


if __name__ == "__main__":
    raise SystemExit(main())

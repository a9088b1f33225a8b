"""Parent side of the child processes (see :mod:`benchmarks._child`)."""

import json
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path


def child_env(extra=None):
    """The environment of a child: this one, with the folders that hold ``rnnfast`` and
    ``benchmarks`` first on PYTHONPATH (the child imports exactly what the parent imported).
    OPENBLAS_CORETYPE and friends are passed through unchanged."""
    import rnnfast

    folders = [
        str(Path(rnnfast.__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent),
    ]
    old = os.environ.get("PYTHONPATH")
    env = dict(os.environ)
    paths = list(dict.fromkeys(folders + ([old] if old else [])))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(extra or {})
    return env


def _child_cmd(*args):
    return [sys.executable, "-m", "benchmarks._child", *args]


def run_memory_child(data, config, mode, threads, timeout=3600):
    """Peak memory of a fresh interpreter that builds ``config``'s input (mode "baseline") or
    also trains one epoch on it (mode "run").  Returns the child's JSON dict."""
    args = [
        "memory",
        "--data",
        data,
        "--threads",
        str(threads),
        "--mode",
        mode,
        "--config",
        config["name"],
        "--input",
        config["input"],
        "--backend",
        config["backend"],
        "--n-features",
        str(config["n_features"]),
        "--n-cells",
        str(config["n_cells"]),
        "--batch-size",
        str(config["batch_size"]),
        "--learning-rate",
        str(config["learning_rate"]),
        "--seed",
        str(config["seed"]),
        "--bptt-steps",
        "full" if config["bptt_steps"] is None else str(config["bptt_steps"]),
    ]
    if config.get("dense_kernel"):
        args += ["--dense-kernel", config["dense_kernel"]]
    proc = subprocess.run(
        _child_cmd(*args), env=child_env(), capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"memory child for {config['name']} ({mode}) failed with exit "
            f"{proc.returncode}: {proc.stderr.strip()[-2000:]}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


class PeerWorker:
    """A Keras or PyTorch worker process: set up once, one timed epoch per ``run()``."""

    def __init__(self, peer, data, threads, n_features=100, seed=1, setup_timeout=1800):
        self.peer = peer
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            _child_cmd(
                "peer",
                "--peer",
                peer,
                "--data",
                data,
                "--threads",
                str(threads),
                "--n-features",
                str(n_features),
                "--seed",
                str(seed),
            ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=child_env(),
            bufsize=1,
        )
        hello = self._read(setup_timeout)
        if not hello.get("ready"):
            self.close()
            raise RuntimeError(f"{peer} worker could not start: {hello.get('error')}")
        self.info = hello["info"]
        self.peak_bytes = None

    def _stderr_tail(self):
        self._stderr.seek(0)
        return self._stderr.read()[-2000:]

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            code = self.proc.poll()
            raise RuntimeError(
                f"{self.peer} worker gave no answer (exit {code}): {self._stderr_tail()}"
            )
        return json.loads(line)

    def run(self, timeout=3600):
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        result = self._read(timeout)
        return result.pop("seconds"), result

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.peak_bytes = self._read(120).get("peak_bytes")
                self.proc.wait(timeout=120)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()

"""The README's recipe for a real Dask cluster, as a user types it: ``dask scheduler``,
``dask worker ADDRESS``, then ``python -m rnnfast.experiments --scheduler ADDRESS``."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from helpers import require

ARGS = [
    "--sample",
    "--max-train",
    "600",
    "--grid",
    "backprop=exact,textbook",
    "--seeds",
    "0-1",
    "--epochs",
    "2",
    "--set",
    "n_cells=6",
    "--quiet",
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_command():
    exe = shutil.which("dask", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.fail("the dask command is not installed beside this Python")
    return exe


def _wait_for_workers(address, n, timeout=60):
    from dask.distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


def test_command_line_on_a_scheduler_and_its_workers(tmp_path):
    require("dask.distributed")
    dask = _dask_command()
    address = f"tcp://127.0.0.1:{_free_port()}"
    logs = open(tmp_path / "cluster.log", "w")
    procs = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                address.rsplit(":", 1)[1],
                "--no-dashboard",
            ],
            stdout=logs,
            stderr=logs,
            start_new_session=True,
        )
    ]
    try:
        time.sleep(0.5)
        procs.append(
            subprocess.Popen(
                [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
                stdout=logs,
                stderr=logs,
                start_new_session=True,
            )
        )
        _wait_for_workers(address, 2)
        cluster = subprocess.run(
            [sys.executable, "-m", "rnnfast.experiments", *ARGS, "--scheduler", address],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert cluster.returncode == 0, cluster.stderr
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
        logs.close()
    local = subprocess.run(
        [sys.executable, "-m", "rnnfast.experiments", *ARGS, "--engine", "sequential"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert local.returncode == 0, local.stderr

    def tables(out):  # the summary and comparisons, without the wall-time line
        return [line for line in out.splitlines() if line.startswith(("|", "- "))]

    assert tables(cluster.stdout) == tables(local.stdout)
    assert len(tables(local.stdout)) >= 6

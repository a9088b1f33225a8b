"""Where a sweep's runs execute: this process, one worker process per core, or Dask.

Each engine takes the runs still to do and reports, in the caller's thread, each run as it
finishes (``done(run, record)``) or fails (``failed(run, message)``); all of them call
:func:`rnnfast.experiments._worker.run_one`, so all of them compute the same numbers.  They
check ``stop()`` between runs (the app's Stop) and stop their workers on KeyboardInterrupt.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import shutil
import signal
import tempfile
import time
import traceback

from . import _worker

#: How many times a run whose worker process died is started again before it is reported
#: failed (Dask's own default, distributed.scheduler.allowed-failures, is 3).
PROCESS_RETRIES = 1
#: Seconds to wait for a Dask scheduler given by address.
DASK_CONNECT_TIMEOUT = 5


def _error_text(exc):
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


# ---------------------------------------------------------------------- sequential


def run_sequential(job, runs, done, failed, stop):
    with _worker.one_blas_thread():
        for run in runs:
            if stop():
                return
            try:
                record = _worker.run_one(*job.task_args(run), job.data)
            except Exception as e:  # a run that fails (e.g. DivergenceError) fails alone
                failed(run, _error_text(e))
            else:
                done(run, record)


# ---------------------------------------------------------------------- processes


def _process_main(conn, data_dir, n_features):
    """A worker process: one BLAS thread, the data mapped once, then runs until told to end.
    Ctrl+C is the parent's to handle (it reaches the whole process group)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.limit_blas_threads()
    data = _worker.Data.load(data_dir, n_features)
    conn.send(READY)
    while True:
        task = conn.recv()
        if task is None:
            return
        index, args = task
        try:
            conn.send((index, True, _worker.run_one(*args, data)))
        except Exception as e:
            conn.send((index, False, _error_text(e)))


def _context():
    """forkserver where the platform has it (a fresh single-threaded server forks each
    worker: fast, and safe in a threaded caller such as the app), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["rnnfast.experiments._preload"])
        return ctx
    return multiprocessing.get_context("spawn")


#: A worker's first message: it has started, imported rnnfast and mapped the data.
READY = "ready"


class WorkerStartError(RuntimeError):
    """Worker processes die before they can take a run: nothing the runs did."""


def _start_error(code):
    return WorkerStartError(
        f"the sweep's worker processes die while starting (exit code {code}"
        f"{_signal_name(code)}), before any run: in a script, put the code that calls "
        'sweep() under `if __name__ == "__main__":` (each worker process imports the '
        "script's main module, as with any Python multiprocessing); otherwise see the "
        "error printed above, or use engine='sequential'"
    )


class _Worker:
    def __init__(self, ctx, data_dir, n_features):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_process_main, args=(child, data_dir, n_features), daemon=True
        )
        self.process.start()
        child.close()
        self.run = None  # the run it is training
        self.ready = False

    def give(self, run, args):
        self.run = run
        self.conn.send((run.index, args))

    def stop(self, timeout=2.0):
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout)
        self.conn.close()


def run_processes(job, runs, done, failed, stop, n_workers):
    """One worker process per core (at most one per run), each holding BLAS to one thread.
    The data is written once as .npy files that every worker maps read-only.  A worker that
    dies (killed, out of memory, a crash in C) is replaced; its run is started again
    PROCESS_RETRIES times, then reported failed; the other runs go on."""
    pending = list(runs)
    attempts = {}
    data_dir = tempfile.mkdtemp(prefix="rnnfast-sweep-data-")
    workers = []
    try:
        job.data.save(data_dir)
        ctx = _context()
        n_workers = min(n_workers, len(pending))
        workers = [_Worker(ctx, data_dir, job.data.n_features) for _ in range(n_workers)]
        while pending or any(w.run is not None for w in workers):
            if stop():
                return
            for w in workers:
                if w.run is None and pending:
                    run = pending.pop(0)
                    w.give(run, job.task_args(run))
            busy = [w for w in workers if w.run is not None]
            ready = multiprocessing.connection.wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.2
            )
            for w in busy:
                if w.conn in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        ready.append(w.process.sentinel)  # died while sending
                    else:
                        if message == READY:
                            w.ready = True
                        else:
                            index, ok, payload = message
                            run, w.run = w.run, None
                            (done if ok else failed)(run, payload)
                        continue
                if w.process.sentinel in ready and w.run is not None:
                    run = w.run
                    w.process.join(1.0)
                    code = w.process.exitcode
                    if not w.ready:  # not the run's doing: stop here and say why
                        raise _start_error(code)
                    attempts[run.index] = attempts.get(run.index, 0) + 1
                    if attempts[run.index] > PROCESS_RETRIES:
                        failed(
                            run,
                            f"its worker process died {attempts[run.index]} times "
                            f"(last exit code {code}{_signal_name(code)})",
                        )
                    else:
                        pending.insert(0, run)
                    w.conn.close()
                    workers[workers.index(w)] = _Worker(ctx, data_dir, job.data.n_features)
    finally:
        for w in workers:
            w.stop(timeout=0.5 if w.run is not None else 2.0)
        shutil.rmtree(data_dir, ignore_errors=True)


def _signal_name(code):
    if code is not None and code < 0:
        try:
            return f": {signal.Signals(-code).name}"
        except ValueError:
            pass
    return ""


# ---------------------------------------------------------------------- dask


def dask_client(client, n_workers):
    """``(client, close)``: a Client for ``client`` (None: a new LocalCluster of
    ``n_workers`` processes, one thread each; an address; a Client), and what to close."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(
            "engine='dask' needs Dask's distributed scheduler: pip install 'rnnfast[dask]'"
        ) from None
    if client is None:
        import logging

        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        c = Client(cluster)
        return c, [c, cluster]
    if isinstance(client, Client):
        return client, []
    if isinstance(client, str):
        try:
            c = Client(client, timeout=DASK_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise ConnectionError(
                f"client: no Dask scheduler answered at {client!r} within "
                f"{DASK_CONNECT_TIMEOUT} s ({e}); start one with `dask scheduler` and "
                "workers with `dask worker ADDRESS`"
            ) from None
        return c, [c]
    raise TypeError(
        "client must be None (a local cluster), a scheduler address such as "
        f"'tcp://10.0.0.5:8786' or a dask.distributed.Client, got {type(client).__name__}"
    )


def run_dask(job, runs, done, failed, stop, client):
    """Runs as Dask tasks; the data is scattered to every worker once.  Dask starts a task
    again when its worker dies (up to distributed.scheduler.allowed-failures times), then
    reports it failed (KilledWorker)."""
    from dask.distributed import as_completed

    data = client.scatter(job.data, broadcast=True, hash=False)
    futures = {}
    for run in runs:
        f = client.submit(
            _worker.dask_run_one,
            *job.task_args(run),
            data,
            key=f"rnnfast-sweep-{job.token}-{run.key}",
            pure=False,
        )
        futures[f] = run
    pending = as_completed(list(futures))
    try:
        while not pending.is_empty():
            if stop():
                return
            batch = pending.next_batch(block=False)
            if not batch:
                time.sleep(0.05)
                continue
            for f in batch:
                run = futures[f]
                if f.status == "finished":
                    done(run, f.result())
                else:
                    failed(run, _error_text(f.exception()))
    finally:
        client.cancel(list(futures) + [data])

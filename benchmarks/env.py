"""The machine and the numerical environment a benchmark ran in, and thread control.

Threads are set explicitly with threadpoolctl (``threadpool_limits(N)``); ``OPENBLAS_CORETYPE``
is only read and reported, never set: it selects OpenBLAS' kernels and alone moves the numbers
by 20-50 %.
"""

import os
import platform
import sys


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo``), or platform's best guess."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_flags_of_interest():
    """The SIMD flags the kernels and BLAS care about."""
    wanted = ("avx", "avx2", "fma", "avx512f")
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return [w for w in wanted if w in flags]
    except OSError:
        pass
    return []


def memory_total_bytes():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _version(module_name):
    try:
        module = __import__(module_name)
    except Exception:  # absent or broken: report, never fail
        return None
    return getattr(module, "__version__", "unknown")


def installed_version(dist):
    """Version of an installed distribution without importing it (None if absent)."""
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:
        return None


def blas_info():
    """threadpoolctl's view of the loaded thread pools (BLAS library, version, kernel)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    keys = (
        "user_api",
        "internal_api",
        "prefix",
        "version",
        "architecture",
        "threading_layer",
        "num_threads",
        "filepath",
    )
    return [{k: info.get(k) for k in keys if k in info} for info in threadpool_info()]


def load_average():
    """The 1, 5 and 15-minute load averages (None where the OS has none): how busy the
    machine was, which the timings depend on."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def describe(threads):
    """Everything a reader needs to interpret the numbers (a JSON-able dict)."""
    import numpy as np

    # Load scipy's BLAS (the kernels' BLAS) so that threadpoolctl lists it too.
    try:
        import scipy.linalg.cython_blas  # noqa: F401
    except ImportError:
        pass
    try:
        from rnnfast import _kernels

        tanh_kind = _kernels.tanh_kind()
    except Exception as exc:  # report the broken build instead of hiding it
        tanh_kind = f"unavailable ({type(exc).__name__}: {exc})"
    try:
        import rnnfast

        rnnfast_version = rnnfast.__version__
    except Exception:
        rnnfast_version = None
    return {
        "cpu_model": cpu_model(),
        "cpu_flags": cpu_flags_of_interest(),
        "logical_cpus": os.cpu_count(),
        "memory_bytes": memory_total_bytes(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": _version("scipy"),
        "threadpoolctl": installed_version("threadpoolctl"),
        "rnnfast": rnnfast_version,
        "tanh_kind": tanh_kind,
        "threads": threads,
        "load_average_start": load_average(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "blas": blas_info(),
        # Versions of optional peers without importing them (importing TensorFlow costs
        # seconds and memory); the peers' own workers report what they load.
        "tensorflow": installed_version("tensorflow") or installed_version("tensorflow-cpu"),
        "keras": installed_version("keras"),
        "torch": installed_version("torch"),
        "matplotlib": installed_version("matplotlib"),
    }


class Threads:
    """``with Threads(n):`` limits every BLAS/OpenMP pool threadpoolctl knows to n threads.

    Without threadpoolctl the limit cannot be set; ``available`` tells, and the report says so.
    """

    def __init__(self, n):
        self.n = n
        self._ctx = None
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            self.available = False
            self._limits = None
        else:
            self.available = True
            self._limits = threadpool_limits

    def __enter__(self):
        if self._limits is not None:
            # scipy's BLAS is the kernels' BLAS: load it first so the limit reaches it.
            try:
                import scipy.linalg.cython_blas  # noqa: F401
            except ImportError:
                pass
            self._ctx = self._limits(limits=self.n)
        return self

    def __exit__(self, *exc):
        if self._ctx is not None:
            self._ctx.restore_original_limits()
        return False

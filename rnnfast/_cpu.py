"""CPU levels of the compiled kernels.

Every loop of the kernels that profits from a wider instruction set is compiled for each level
(``rnnfast/_dispatch.h``) and the level in use is chosen at import: the best the CPU supports,
or lower if the environment variable ``RNNFAST_CPU`` asks for it, so that a developer on an
AVX-512 machine can run and measure the AVX2 and baseline code::

    RNNFAST_CPU=x86-64-v3 python -m benchmarks --quick

==============  ====================================================================
``baseline``    x86-64 (SSE2), and the only level elsewhere (aarch64: NEON)
``x86-64-v3``   AVX2 + FMA
``x86-64-v4``   AVX-512 (F, CD, BW, DQ, VL)
==============  ====================================================================

A level above what the CPU supports gives the best level it does support.  BLAS (the large
products) has its own dispatch: OpenBLAS reads ``OPENBLAS_CORETYPE``.
"""

import contextlib
import os

#: The levels, lowest first; their index is the level's number in the C code.
LEVELS = ("baseline", "x86-64-v3", "x86-64-v4")
#: The environment variable read at import.
ENV_VAR = "RNNFAST_CPU"


def requested_level(environ=None):
    """The level number ``RNNFAST_CPU`` asks for (unset or empty: the highest)."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not value:
        return len(LEVELS) - 1
    if value not in LEVELS:
        raise ValueError(
            f"{ENV_VAR}={value!r}: expected one of {', '.join(LEVELS)} "
            "(or unset for the best level the CPU supports)"
        )
    return LEVELS.index(value)


def _modules():
    from . import _compiled  # a missing build: one line saying what to run

    return _compiled.kernels(), _compiled.train()


def cpu_level():
    """The CPU level the compiled kernels use: ``"baseline"``, ``"x86-64-v3"`` or
    ``"x86-64-v4"``."""
    kernels, _ = _modules()
    return LEVELS[kernels.cpu_level()]


def cpu_levels():
    """The levels this CPU supports, lowest first (all of them can be forced)."""
    kernels, _ = _modules()
    return LEVELS[: kernels.cpu_max_level() + 1]


@contextlib.contextmanager
def use_cpu_level(level):
    """Run the kernels at ``level`` (a name of :data:`LEVELS`) inside the ``with`` block, for
    tests and benchmarks; the level must be one the CPU supports.  Not thread-safe: the
    level is global to the process."""
    if level not in LEVELS:
        raise ValueError(f"level: expected one of {', '.join(LEVELS)}, got {level!r}")
    if level not in cpu_levels():
        raise ValueError(f"level: this CPU supports {', '.join(cpu_levels())}, not {level!r}")
    modules = _modules()
    previous = modules[0].cpu_level()
    for module in modules:
        module._set_level(LEVELS.index(level))
    try:
        yield level
    finally:
        for module in modules:
            module._set_level(previous)

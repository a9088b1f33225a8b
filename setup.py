"""Build of the compiled kernels (rnnfast._kernels: _kernels.pyx and the .pxd files it cimports)
and the training step's glue (rnnfast._train).  Metadata lives in pyproject.toml.

Compiler flags are part of correctness: no -ffast-math (it changes NaN/inf semantics) and no
-march=native (the binary must run on any x86-64).  The loops that profit from wider vectors
(rnnfast/_vmath*.h, _train.pyx) are compiled for every CPU level in the same binary with
target attributes (rnnfast/_dispatch.h) and the level is picked at import (RNNFAST_CPU).
"""

import os
import sys

from setuptools import Extension, setup

# The C headers of the extensions (the .pxd files they cimport are Cython's to track).
HEADERS = ("_dispatch.h", "_sumsq.h", "_vmath.h", "_vmath_level.h", "_vmath_panel.h")


def compiled_extension(name, extra_args=()):
    """The extension rnnfast.<name> from rnnfast/<name>.pyx."""
    # libdl: the kernels read BLAS' thread count through dlsym (glibc < 2.34 keeps it there)
    libraries = (
        []
        if sys.platform == "win32"
        else ["m", "dl"]
        if sys.platform.startswith("linux")
        else ["m"]
    )
    extra_compile_args = ["-O3"] if sys.platform != "win32" else ["/O2"]
    if os.environ.get("RNNFAST_ASAN"):
        # Debug build for memory checking (see docs/HARDENING.md).
        extra_compile_args = ["-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer"]
    if sys.platform != "win32":
        extra_compile_args += list(extra_args)
    define_macros = []
    if os.environ.get("RNNFAST_PORTABLE"):
        # Plain C only: no vector extensions, no per-level copies (the path MSVC and other
        # compilers take), for testing that path with GCC or clang.
        define_macros.append(("RNNFAST_PORTABLE", "1"))
    return Extension(
        f"rnnfast.{name}",
        sources=[f"rnnfast/{name}.pyx"],
        include_dirs=["rnnfast"],
        depends=[f"rnnfast/{h}" for h in HEADERS],
        libraries=libraries,
        extra_compile_args=extra_compile_args,
        define_macros=define_macros,
        extra_link_args=["-fsanitize=address"] if os.environ.get("RNNFAST_ASAN") else [],
    )


def extensions():
    from Cython.Build import cythonize

    # _train repeats NumPy's elementwise arithmetic bit for bit: no contraction of
    # w - lr * g into a fused multiply-add.
    return cythonize(
        [compiled_extension("_kernels"), compiled_extension("_train", ["-ffp-contract=off"])],
        compiler_directives={"language_level": 3},
        quiet=True,
    )


setup(ext_modules=extensions())

"""Build of the compiled kernels (rnnfast._kernels).  Metadata lives in pyproject.toml.

Compiler flags are part of correctness: no -ffast-math (it changes NaN/inf semantics) and no
-march=native (the binary must run on any x86-64).  The vector tanh (rnnfast/_vmath.h) is
plain C that GCC vectorises; on x86-64 Linux it is compiled for AVX-512, AVX2+FMA and the
baseline with target_clones and the CPU picks at load time.
"""
import os
import sys

from setuptools import Extension, setup


def kernel_extension():
    libraries = ["m"] if sys.platform != "win32" else []
    extra_compile_args = ["-O3"] if sys.platform != "win32" else ["/O2"]
    if os.environ.get("RNNFAST_ASAN"):
        # Debug build for memory checking (see docs/HARDENING.md).
        extra_compile_args = ["-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer"]
    return Extension(
        "rnnfast._kernels",
        sources=["rnnfast/_kernels.pyx"],
        include_dirs=["rnnfast"],
        libraries=libraries,
        extra_compile_args=extra_compile_args,
        extra_link_args=["-fsanitize=address"] if os.environ.get("RNNFAST_ASAN") else [],
    )


def extensions():
    from Cython.Build import cythonize

    return cythonize(
        [kernel_extension()],
        compiler_directives={"language_level": 3},
        quiet=True,
    )


setup(ext_modules=extensions())

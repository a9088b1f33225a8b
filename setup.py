"""Build of the compiled kernels (rnnfast._kernels).  Metadata lives in pyproject.toml.

Compiler flags are part of correctness: no -ffast-math (it changes NaN/inf semantics) and no
-march=native (the binary must run on any x86-64).  The vector tanh comes from glibc's libmvec,
chosen at run time by CPU features (see rnnfast/_vmath.h); where libmvec cannot be linked the
kernels fall back to scalar libm tanh, which is slower but exact to libm.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

from setuptools import Extension, setup

LIBMVEC_PROBE = r"""
#include <immintrin.h>
__m128d _ZGVbN2v_tanh(__m128d);
int main(void) {
    double out[2];
    _mm_storeu_pd(out, _ZGVbN2v_tanh(_mm_set1_pd(0.5)));
    return out[0] > 0.46 && out[0] < 0.47 ? 0 : 1;
}
"""


def have_libmvec():
    """True when a program calling libmvec's SSE tanh compiles, links and runs here."""
    if os.environ.get("RNNFAST_NO_LIBMVEC"):
        return False
    if not sys.platform.startswith("linux") or sysconfig.get_platform().split("-")[-1] != "x86_64":
        return False
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    cc = cc.split()[0]
    if shutil.which(cc) is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        exe = os.path.join(tmp, "probe")
        with open(src, "w") as f:
            f.write(LIBMVEC_PROBE)
        try:
            subprocess.run([cc, src, "-o", exe, "-lmvec", "-lm"], check=True,
                           capture_output=True, timeout=60)
            subprocess.run([exe], check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return False
    return True


def kernel_extension():
    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
    libraries = ["m"]
    if have_libmvec():
        macros.append(("RNNFAST_HAVE_LIBMVEC", "1"))
        libraries.insert(0, "mvec")
        print("rnnfast: vector tanh from glibc libmvec")
    else:
        print("rnnfast: libmvec not available, scalar libm tanh (slower)")
    extra_compile_args = ["-O3"] if sys.platform != "win32" else ["/O2"]
    if os.environ.get("RNNFAST_ASAN"):
        # Debug build for memory checking (see docs/HARDENING.md).
        extra_compile_args = ["-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer"]
    return Extension(
        "rnnfast._kernels",
        sources=["rnnfast/_kernels.pyx"],
        include_dirs=["rnnfast"],
        define_macros=macros,
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

#!/usr/bin/env bash
# Memory-safety check of the compiled kernels: build the extension with AddressSanitizer into a
# scratch copy of the package and run the kernel tests (fixed cases, fuzzing, the network API)
# against it.  Exits non-zero on any ASan report or test failure.
#
#   bash scripts/memcheck.sh            (needs gcc with libasan, and Cython, setuptools, numpy,
#                                        scipy, pytest, hypothesis in the Python used; Python
#                                        itself need not be ASan-built)
set -euo pipefail
. "$(dirname "$0")/scratch_build.sh"
needs_build_tools memcheck
copy_package "$work"
(cd "$work" && RNNFAST_ASAN=1 "$python" setup.py -q build_ext --inplace >/dev/null)

libasan="$(gcc -print-file-name=libasan.so)"
# The interpreter itself is not instrumented: preload the runtime, ignore the interpreter's
# own leaks (detect_leaks=0), and make any error fatal.
export LD_PRELOAD="$libasan"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1"
export PYTHONPATH="$work"
cd "$root/tests"
"$python" -c "import rnnfast._kernels as k, sys; print('ASan build:', k.__file__)"
"$python" -m pytest -q -p no:cacheprovider test_kernels.py test_fuzz.py test_network.py \
    test_fast_path.py test_compiled_epoch.py test_bad_input.py test_robustness.py "$@"
echo "memcheck: no AddressSanitizer errors"

#!/usr/bin/env bash
# Check of the portable path of the compiled kernels: build the extensions with
# RNNFAST_PORTABLE=1 (plain C: no GCC vector extensions, no per-level copies, only the baseline
# code; the path MSVC and other compilers take) into a scratch copy of the package, with gcc and
# with clang, warnings enabled (-Wall -Wextra), and run the kernel tests against each build.
# Exits non-zero on any compiler warning or test failure.
#
#   bash scripts/portable_check.sh              (gcc, and clang if installed; needs Cython,
#                                                setuptools, numpy, scipy, pytest, hypothesis in
#                                                the Python used)
#   CC=clang bash scripts/portable_check.sh     (that compiler only)
#   PYTHON=/path/to/python bash scripts/portable_check.sh -x    (extra arguments go to pytest)
set -euo pipefail
. "$(dirname "$0")/scratch_build.sh"
needs_build_tools portable_check
if [ -n "${CC:-}" ]; then
    compilers=("$CC")
else
    compilers=(gcc)
    command -v clang >/dev/null && compilers+=(clang)
fi

status=0
for cc in "${compilers[@]}"; do
    command -v "${cc%% *}" >/dev/null || { echo "portable_check: no compiler $cc" >&2; exit 2; }
    copy="$work/$(basename "${cc%% *}")"
    copy_package "$copy"
    echo "== RNNFAST_PORTABLE=1, CC=$cc"
    if ! (cd "$copy" && RNNFAST_PORTABLE=1 CC="$cc" CFLAGS="${CFLAGS:-} -Wall -Wextra" \
            "$python" setup.py build_ext --inplace >build.log 2>&1); then
        cat "$copy/build.log" >&2
        echo "portable_check: the build with $cc failed" >&2
        exit 1
    fi
    if grep -q "warning:" "$copy/build.log"; then
        grep -A3 "warning:" "$copy/build.log" >&2
        echo "portable_check: $cc warns (above)" >&2
        status=1
    fi
    # The copy, not an installed rnnfast, must be the one imported, and built without vector code.
    (cd "$root/tests" && PYTHONPATH="$copy" "$python" - "$copy" <<'EOF'
import os, sys
import rnnfast._kernels as k
print("portable build:", k.__file__)
assert os.path.realpath(k.__file__).startswith(os.path.realpath(sys.argv[1])), "not the scratch copy"
assert "portable" in k.tanh_kind(), k.tanh_kind()
assert k.panel_width(True) == 1 and k.panel_width(False) == 1, "vector code in the portable build"
EOF
    )
    (cd "$root/tests" && PYTHONPATH="$copy" "$python" -m pytest -q -p no:cacheprovider \
        test_kernels.py test_fuzz.py test_fast_path.py test_compiled_epoch.py "$@") || status=1
done
[ "$status" = 0 ] && echo "portable_check: portable builds (${compilers[*]}) warn-free and pass"
exit "$status"

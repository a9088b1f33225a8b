# Sourced by memcheck.sh and portable_check.sh: a scratch copy of the package to build a special
# variant of the extensions in, without touching the checkout's own build.
#   sets: root (the checkout), python ($PYTHON or python3), work (a temporary folder, removed on
#   exit); needs_build_tools NAME; copy_package DEST (rnnfast/ and the build files, no build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

needs_build_tools() {
    "$python" -c "import Cython, setuptools" 2>/dev/null || {
        echo "$1: needs Cython and setuptools in $python (pip install 'Cython>=3' setuptools)" >&2
        exit 2
    }
}

copy_package() {
    mkdir -p "$1"
    cp -r "$root/rnnfast" "$root/setup.py" "$root/pyproject.toml" "$root/README.md" "$1/"
    rm -f "$1"/rnnfast/*.so "$1"/rnnfast/*.pyd "$1"/rnnfast/_kernels.c "$1"/rnnfast/_train.c
}

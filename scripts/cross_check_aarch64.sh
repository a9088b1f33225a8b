#!/usr/bin/env bash
# Compile check of the kernels for aarch64 (Apple Silicon, ARM Linux) on an x86-64 Debian machine:
# generate the C of both extensions with Cython, cross-compile it with -Wall -Wextra -Werror
# (the flags setup.py adds: -O3, and -ffp-contract=off for _train), and count, in the
# disassembly of the recurrent product (_vmath_panel.h), the fmla instructions and the q
# registers moved to and from the stack.  The NEON tile is 6 rows x 4 vectors: its k loop must
# hold 24 fmla and touch no q register on the stack (24 accumulators + 4 of B + the broadcast fit
# in 32 registers).  With clang installed the same check runs with clang --target=aarch64 (the
# compiler of macOS): it inlines the panel functions, so a small file of wrappers is compiled.
#
#   bash scripts/cross_check_aarch64.sh        (PYTHON: the Python with Cython, default python3;
#                                               CROSS_CC: default aarch64-linux-gnu-gcc;
#                                               CLANG=none skips the clang check)
#
# Exit status: 0 clean; 1 a warning or error of a compiler; 2 toolchain missing; 3 no warning,
# but a k loop of the tile spills or is not unrolled (the accumulators are not in registers).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
cross_cc="${CROSS_CC:-aarch64-linux-gnu-gcc}"
objdump="${CROSS_OBJDUMP:-aarch64-linux-gnu-objdump}"
clang="${CLANG:-clang}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

install_hint() {
    cat >&2 <<'EOF'
cross_check_aarch64: install the cross toolchain and arm64 Python headers (Debian/Ubuntu, as root):
    dpkg --add-architecture arm64 && apt-get update
    apt-get install -y gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross \
        libpython3-dev:arm64
(libpython3-dev:arm64 gives /usr/include/aarch64-linux-gnu/python3.X/pyconfig.h; without it the
 host Python's headers are used, a compile check only.)
EOF
}
command -v "$cross_cc" >/dev/null && command -v "$objdump" >/dev/null || {
    echo "cross_check_aarch64: $cross_cc or $objdump not found" >&2
    install_hint
    exit 2
}
"$python" -c "import Cython" 2>/dev/null || {
    echo "cross_check_aarch64: needs Cython in $python (pip install 'Cython>=3')" >&2
    exit 2
}

# Python headers for aarch64: Debian's multiarch pyconfig.h of the host Python's version, else of
# any version installed for arm64 (Cython's C adapts to the headers' version), else the host's.
host_ver="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
py_inc=()
for ver in "$host_ver" $(ls -d /usr/include/aarch64-linux-gnu/python3.* 2>/dev/null \
                         | sed 's#.*/python##' | sort -rV); do
    if [ -f "/usr/include/aarch64-linux-gnu/python$ver/pyconfig.h" ] \
            && [ -f "/usr/include/python$ver/Python.h" ]; then
        py_inc=(-I"/usr/include/python$ver" -I"/usr/include/aarch64-linux-gnu/python$ver")
        echo "Python headers: /usr/include/python$ver with the arm64 pyconfig.h"
        break
    fi
done
if [ ${#py_inc[@]} = 0 ]; then
    host_inc="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
    py_inc=(-I"$host_inc")
    echo "Python headers: $host_inc (the host's pyconfig.h: no arm64 one installed)" >&2
    install_hint
fi

for m in _kernels _train; do
    "$python" -m cython -3 "$root/rnnfast/$m.pyx" -o "$work/$m.c"
done

status=0
compile() {   # compiler (words), extra flags, source, object
    local cc="$1" extra="$2" src="$3" obj="$4"
    # shellcheck disable=SC2086
    if ! $cc -O3 -fPIC -Wall -Wextra -Werror $extra -c "${py_inc[@]}" -I"$root/rnnfast" \
            "$src" -o "$obj" 2>"$obj.log"; then
        cat "$obj.log" >&2
        echo "cross_check_aarch64: $cc $(basename "$src"): warnings or errors (above)" >&2
        status=1
        return 1
    fi
    echo "$cc: $(basename "$src") compiles for aarch64 without warnings"
}
compile "$cross_cc" "" "$work/_kernels.c" "$work/_kernels.o" || true
compile "$cross_cc" "-ffp-contract=off" "$work/_train.c" "$work/_train.o" || true

# The panel functions, named for the check: clang inlines the static ones into their callers.
cat >"$work/panel.c" <<'EOF'
#include "_vmath.h"
#define WRAP(NAME, PARAMS, ARGS) void check_##NAME PARAMS { NAME ARGS; }
WRAP(rnnfast_gemm_acc_d, (const double *A, const double *B, double *C, int m, int k, int n),
     (A, B, C, m, k, n))
WRAP(rnnfast_gemm_acc_f, (const float *A, const float *B, float *C, int m, int k, int n),
     (A, B, C, m, k, n))
WRAP(rnnfast_ids_step_d_i32, (const double *A, const double *B, const double *t,
     const int32_t *ids, ptrdiff_t s, const double *b, double *C, int m, int n),
     (A, B, t, ids, s, b, C, m, n))
WRAP(rnnfast_ids_step_f_i32, (const float *A, const float *B, const float *t,
     const int32_t *ids, ptrdiff_t s, const float *b, float *C, int m, int n),
     (A, B, t, ids, s, b, C, m, n))
EOF

analyse() {   # object, regex of the functions, label
    "$objdump" -d --no-show-raw-insn "$1" >"$1.s"
    "$python" - "$1.s" "$2" "$3" <<'EOF'
import re, sys
path, wanted, label = sys.argv[1:]
TILE = 6 * 4                      # NEON tile of _vmath_panel.h: fmla per k in a full tile
funcs, cur = {}, None
for line in open(path):
    m = re.match(r"[0-9a-f]+ <(.+)>:", line)
    if m:
        cur = funcs.setdefault(m.group(1), [])
        continue
    m = re.match(r"\s+([0-9a-f]+):\s+(\S+)\s*(.*)", line)
    if m and cur is not None:
        cur.append((int(m.group(1), 16), m.group(2), m.group(3)))

def target(ins):
    m = re.search(r"\b([0-9a-f]+) <", ins[2])
    return int(m.group(1), 16) if m and ins[1] not in ("bl", "adr", "adrp") else None

def q_stack(ins):                 # a q register loaded from or stored to the stack
    return ins[1] in ("ldr", "str", "ldp", "stp", "ldur", "stur") \
        and re.match(r"q\d+", ins[2]) and "[sp" in ins[2]

def q_store(ins):
    return ins[1] in ("str", "stp", "stur") and re.match(r"q\d+", ins[2])

bad = 0
print(f"{label}: {'function':34s} {'fmla':>5s} {'q<->sp':>6s} | k loop: {'insns':>5s} "
      f"{'fmla':>4s} {'q<->sp':>6s} {'q st':>4s}")
names = [n for n in funcs if re.fullmatch(wanted, n)]
if not names:
    print(f"{label}: no function matches {wanted}")
    bad = 1
for name in sorted(names):
    ins = funcs[name]
    loops = []
    for x in ins:
        t = target(x)
        if t is None or t >= x[0]:
            continue
        body = [y for y in ins if t <= y[0] <= x[0]]
        if any(target(y) is not None and t <= target(y) < y[0] for y in body[:-1]):
            continue                  # not innermost
        loops.append(body)
    fm = lambda b: sum(1 for y in b if y[1] == "fmla")
    k = max(loops, key=lambda b: (fm(b), sum(map(bool, map(q_store, b))))) if loops else []
    kf, ksp, kst = fm(k), sum(map(bool, map(q_stack, k))), sum(map(bool, map(q_store, k)))
    ok = kf == TILE and ksp == 0 and kst == 0
    bad |= not ok
    print(f"{label}: {name:34s} {fm(ins):5d} {sum(map(bool, map(q_stack, ins))):6d} | "
          f"{len(k):13d} {kf:4d} {ksp:6d} {kst:4d}  "
          + ("ok" if ok else f"SPILLS or not unrolled (want {TILE} fmla, no q to the stack)"))
sys.exit(3 if bad else 0)
EOF
}

spills=0
if [ -f "$work/_kernels.o" ]; then
    analyse "$work/_kernels.o" 'rnnfast_(gemm_acc_[df]|ids_step_[df]_i(32|64))_base' "$cross_cc" \
        || spills=1
fi
if [ "$clang" != none ] && command -v "$clang" >/dev/null; then
    if compile "$clang --target=aarch64-linux-gnu" "-Wno-unused-function" "$work/panel.c" \
            "$work/panel_clang.o"; then
        analyse "$work/panel_clang.o" 'check_rnnfast_.*' "clang" || spills=1
    fi
    compile "$clang --target=aarch64-linux-gnu" "" "$work/_kernels.c" "$work/_kernels_clang.o" \
        || true
    compile "$clang --target=aarch64-linux-gnu" "-ffp-contract=off" "$work/_train.c" \
        "$work/_train_clang.o" || true
fi

[ "$status" != 0 ] && exit "$status"
if [ "$spills" != 0 ]; then
    echo "cross_check_aarch64: no warnings, but the product's tile does not stay in registers" >&2
    exit 3
fi
echo "cross_check_aarch64: both extensions compile for aarch64 without warnings; the tile does not spill"

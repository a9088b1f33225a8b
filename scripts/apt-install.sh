#!/bin/sh
# The system packages of requirements-apt.txt (Debian/Ubuntu): a C compiler, Python's headers
# and venv, the Qt runtime libraries of the app, and a Korean font (fonts-nanum: the app's
# Korean, python -m gui --lang ko, needs Hangul glyphs; Qt finds it through fontconfig).  The
# app's translations are committed compiled (gui/translations/*.qm): no Qt tools are needed
# (scripts/translations.py, for whoever changes a text, needs qttools5-dev-tools).
# apt-get runs directly as root (a Debian container has no sudo) and through sudo otherwise.
#
#   sh scripts/apt-install.sh
set -eu
cd "$(dirname "$0")/.."

if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-install.sh: no apt-get here (not Debian/Ubuntu): install the equivalents of" \
         "requirements-apt.txt with your system's package manager" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "apt-install.sh: run it as root, or as a user with sudo" >&2
    exit 1
fi
packages="$(grep -v '^[[:space:]]*#' requirements-apt.txt)"
# update first: a fresh container has no package lists, and install would find nothing
$as_root apt-get update -qq
# env: DEBIAN_FRONTEND must reach apt-get through sudo too (sudo resets the environment)
# shellcheck disable=SC2086  # one package name per word
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    $packages

#!/usr/bin/env bash
# Set up musicsage in .venv at the repository root. Idempotent: a second run that finds the
# environment up to date does nothing but check (a second or two).
#
# What it does, each step skipped when already done:
#   1. system libraries (Debian/Ubuntu, when root or passwordless sudo): PortAudio for playback,
#      the X/EGL/font libraries Qt needs (among them what Qt's X11 "xcb" platform plugin links).
#      Missing ones are reported, never fatal: the app runs without sound, the command line and
#      the tests (offscreen) run without a display, and main.py says what is missing.
#   2. .venv with Python 3.11 and the pinned stack (pyproject.toml), musicsage installed editable.
#   3. pretrained MusiCNN checkpoints (the musicnn==0.1.0 wheel from PyPI) into models/.
set -euo pipefail

# the physical path (-P): the stamp compares it, and a checkout reached through a symlink is the
# same checkout
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="$ROOT/.venv"
STAMP="$VENV/.musicsage-setup"
cd "$ROOT"

say() { printf 'setup: %s\n' "$*" >&2; }
# Ctrl-C: pip catches it and exits 1, and bash would go on to report a failed install.
trap 'say "stopped; run it again to finish"; exit 130' INT

# Everything below writes in the checkout (.venv, models/): say so plainly, not as a venv error.
[ -w "$ROOT" ] || { say "cannot write to $ROOT: run setup as the user who owns it, or clone musicsage into a folder of yours"; exit 1; }

is_py311() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; }

# A PYTHON= the user chose is not skipped for another one without a word.
if [ -n "${PYTHON:-}" ] && ! is_py311 "$PYTHON"; then
    say "PYTHON=$PYTHON is not a working Python 3.11: point it at one (or unset it to let setup look)"
    exit 1
fi

# Two runs at once (the README's two commands in two terminals) would build one .venv together
# and break it: the second waits for the first, which leaves it nothing to do.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$ROOT/.venv.lock"
    flock -n 9 || { say "another setup is running here; waiting"; flock 9; }
fi

# --- 1. system libraries ---------------------------------------------------------------------
SYSTEM_PACKAGES=(libportaudio2 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0)
# Qt's xcb plugin (PySide6 6.x: Qt/plugins/platforms/libqxcb.so and Qt/lib/libQt6XcbQpa.so.6):
# the shared libraries `ldd` lists for them that Debian/Ubuntu package separately, as in Qt's
# "Qt for X11 Requirements" (xcb-cursor is needed since Qt 6.5; Qt 6 no longer uses xinerama).
XCB_PACKAGES=(libxcb1 libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
              libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
              libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
              libxkbcommon-x11-0 libfreetype6)
SYSTEM_PACKAGES+=("${XCB_PACKAGES[@]}")

# apt_install PKG…: install with apt-get when root or passwordless sudo; returns 1 when it cannot.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
    fi
    say "installing system packages: $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 \
        && return 0
    # stale package lists: refresh them once per run (offline, each update waits on every mirror)
    [ -z "${APT_UPDATED:-}" ] || return 1
    APT_UPDATED=1
    "${sudo[@]}" apt-get update -q >/dev/null 2>&1 && \
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1
}

install_system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian-like system: skipping system packages"; return 0; }
    local missing=()
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    # all at once first; if that fails (one name unknown on an older release), one by one
    apt_install "${missing[@]}" && return 0
    local failed=()
    for pkg in "${missing[@]}"; do apt_install "$pkg" || failed+=("$pkg"); done
    [ ${#failed[@]} -eq 0 ] && return 0
    say "could not install ${failed[*]} (no root, or no network): playback may be disabled and the window may not open (main.py names what is missing); the command line and the tests still work"
}
install_system_packages

# --- 2. virtual environment ------------------------------------------------------------------
find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3 python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if is_py311 "$candidate"; then echo "$candidate"; return 0; fi
    done
    return 1
}

# A .venv is kept only when it is whole: Python 3.11 (the dgl/torch wheels) with a working pip
# (a run stopped while venv ran ensurepip, or a Python without ensurepip, leaves one without),
# made in this folder (the stamp names it: a venv cannot move, its scripts name their path).
venv_whole() { [ -x "$VENV/bin/python" ] && is_py311 "$VENV/bin/python" && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }
# make_venv PY: a whole .venv, or none (and 1)
make_venv() { "$1" -m venv "$VENV" 2>/dev/null && venv_whole || { rm -rf "$VENV"; return 1; }; }

made_in="$(sed -n 2p "$STAMP" 2>/dev/null || true)"
if [ -e "$VENV" ]; then
    if ! venv_whole; then
        say "replacing $VENV (half-made, or not a Python 3.11 environment)"
        rm -rf "$VENV"
    elif [ -n "$made_in" ] && [ "$made_in" != "$ROOT" ]; then
        say "replacing $VENV (made in $made_in; a virtual environment cannot move)"
        rm -rf "$VENV"
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    # Debian/Ubuntu ship venv (ensurepip) separately: python3.11-venv
    PY="$(find_python)" || { apt_install python3.11 python3.11-venv && PY="$(find_python)"; } || {
        say "Python 3.11 is required (the dgl 2.1.0 and torch 2.2.1 wheels); install it, or set PYTHON=/path/to/python3.11"
        exit 1; }
    say "creating $VENV with $PY"
    if ! make_venv "$PY"; then
        apt_install python3.11-venv || true
        make_venv "$PY" || { say "cannot create a virtual environment with pip in it (on Debian/Ubuntu: apt-get install python3.11-venv)"; exit 1; }
    fi
fi

# Reinstall when pyproject.toml or this script changed, or when a package is gone. The stamp is
# removed first and written only once the stack imports for real, so a run stopped inside pip
# (a half-copied torch still "exists") is redone by the next one.
wanted="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"
if [ "$(sed -n 1p "$STAMP" 2>/dev/null || true)" != "$wanted" ] \
   || ! "$VENV/bin/python" -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("musicsage", "torch", "dgl", "pytest")))' 2>/dev/null; then
    rm -f "$STAMP"
    pip_failed() { say "could not install the dependencies (no network? disk full? see pip's message above); rerun setup once that is fixed"; exit 1; }
    stack_imports() { "$VENV/bin/python" -c 'import torch, dgl, PySide6, musicsage'; }
    say "installing dependencies into $VENV (first time: several minutes and ~5 GB; torch is large)"
    { "$VENV/bin/python" -m pip install -q --upgrade "pip<25" >/dev/null \
      && "$VENV/bin/python" -m pip install -q -e ".[test]"; } || pip_failed
    # Importing takes seconds, so it is checked here only. A run stopped inside pip can leave a
    # package half-copied that pip takes as installed: reinstall them all once.
    if ! stack_imports 2>/dev/null; then
        say "the packages in $VENV do not import (a setup stopped while installing?): reinstalling them"
        "$VENV/bin/python" -m pip install -q --force-reinstall -e ".[test]" || pip_failed
        stack_imports || { say "the packages in $VENV still do not import (see the error above): delete $VENV and rerun setup"; exit 1; }
    fi
    printf '%s\n%s\n' "$wanted" "$ROOT" > "$STAMP"
fi

# --- 3. pretrained MusiCNN checkpoints -------------------------------------------------------
# The MusiCNN port reads the checkpoints shipped in this wheel (no TensorFlow needed).
# Its sha256 is pinned (as in musicsage/audio/musicnn/wheel.py): a file that does not match is
# removed, not used.
MUSICNN_WHEEL=models/musicnn-0.1.0-py3-none-any.whl
MUSICNN_SHA256=f38a4890c648c1ddbb141c5d96d2b0a8cfcd36746002d896989f7b88beb65cfa
if [ ! -f "$MUSICNN_WHEEL" ]; then
    if "$VENV/bin/python" -m pip download -q musicnn==0.1.0 --no-deps -d models >/dev/null 2>&1; then
        if [ "$(sha256sum "$MUSICNN_WHEEL" | cut -d' ' -f1)" != "$MUSICNN_SHA256" ]; then
            rm -f "$MUSICNN_WHEEL"
            say "the downloaded MusiCNN wheel does not match its known sha256: removed; the app will use another audio model"
        fi
    else
        say "could not download the MusiCNN checkpoints (no network?): the app will use another audio model"
    fi
fi

# --- 4. application-menu entry -----------------------------------------------------------------
# A .desktop entry and icon for the current user (XDG: ~/.local/share/applications and
# ~/.local/share/icons/hicolor), so musicsage starts from the application menu. Idempotent and
# never fatal: without a desktop (a server) the files are simply unused. It is the user's one
# entry: desktop.py leaves another checkout's or a foreign one alone, and CI clones (CI set, as
# CI services do) or MUSICSAGE_NO_MENU_ENTRY=1 skip the step.
[ -n "${CI:-}${MUSICSAGE_NO_MENU_ENTRY:-}" ] || "$VENV/bin/python" -m musicsage.desktop --quiet \
    || say "could not add musicsage to the application menu; start it with .venv/bin/python main.py"

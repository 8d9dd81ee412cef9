"""Can the window open here? A check ``main.py`` runs before it imports Qt.

Without a usable display Qt aborts the process with a multi-line message of its own ("could
not connect to display", "no Qt platform plugin could be initialized…", then SIGABRT). On a
server, in a container or over ssh without X forwarding that is the common case, and the
useful answer is one line: what is missing, how to get it, and that the command line works
without any of it. This module finds that line without importing Qt (only ``musicsage.gui``
imports Qt):

- ``QT_QPA_PLATFORM`` naming a platform that needs no display (``offscreen``, ``minimal``,
  ``vnc``, ``eglfs``…) is left alone: the tests and ``--screenshot`` use ``offscreen``.
- Neither ``DISPLAY`` nor ``WAYLAND_DISPLAY``: no display.
- A Wayland socket that exists: fine (Qt uses it).
- X11 (``DISPLAY``): the shared libraries Qt's xcb plugin links against, as ``ldd`` reports
  them for the plugin PySide6 ships (``ctypes`` names the first missing one where there is no
  ``ldd``), then whether anything listens at that display.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Mapping

HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb",
                      "vkkhrdisplay"}
CLI_HINT = "or use the command line (no display needed): python -m musicsage --help"

SONAME_PACKAGES = {
    "libxcb.so.1": "libxcb1", "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
}
"""Debian/Ubuntu package of each library the xcb plugin needs (scripts/setup.sh installs them)."""

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.M)
_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")


def display_problem(env: Mapping[str, str] | None = None) -> str | None:
    """One line saying why the window cannot open here, or None when it should open."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if platform and not {"xcb", "wayland"} & set(re.split(r"[;,]", platform)):
        return None  # a platform that needs no display (offscreen…) or one we do not know
    wayland, x11 = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    if wayland and "xcb" not in platform and _wayland_socket_exists(wayland, env):
        return None
    if not x11:
        if wayland:
            return (f"cannot open the window: no Wayland compositor at {wayland} and DISPLAY is "
                    f"not set; run it in a desktop session, {CLI_HINT}")
        return ("cannot open the window: no display (neither DISPLAY nor WAYLAND_DISPLAY is "
                f"set); run it in a desktop session or under xvfb-run, {CLI_HINT}")
    missing = missing_xcb_libraries()
    if missing:
        packages = sorted({SONAME_PACKAGES.get(m, m) for m in missing})
        return (f"cannot open the window: Qt's X11 plugin needs {', '.join(missing)}, not "
                f"installed (Debian/Ubuntu: sudo apt-get install {' '.join(packages)}, or run "
                f"scripts/setup.sh as root), {CLI_HINT}")
    if not x_display_reachable(x11):
        return (f"cannot open the window: nothing answers at the X display {x11} (is the X "
                f"server running, or the ssh connection forwarding X?), {CLI_HINT}")
    return None


def _wayland_socket_exists(name: str, env: Mapping[str, str]) -> bool:
    path = Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "/")) / name
    return path.exists()


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin (found without importing PySide6), or None."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_xcb_libraries(plugin: Path | None = None) -> list[str]:
    """Sonames the xcb plugin needs that the dynamic loader cannot find (empty: all there,
    or nothing to check)."""
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return []
    ldd = shutil.which("ldd")
    if ldd:
        try:
            out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return []
        return parse_ldd_missing(out.stdout)
    return _first_missing_by_loading(plugin)


def parse_ldd_missing(ldd_output: str) -> list[str]:
    """The ``=> not found`` sonames of ``ldd`` output, each once, in order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def _first_missing_by_loading(plugin: Path) -> list[str]:
    import ctypes

    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        m = re.match(r"^(\S+?): cannot open shared object file", str(exc))
        return [m.group(1)] if m else []
    return []


def x_display_reachable(display: str, timeout: float = 2.0) -> bool:
    """Whether an X server accepts connections at ``display`` (``:0``, ``unix:1``,
    ``host:10.0``). A form we do not understand counts as reachable (Qt will say)."""
    m = _DISPLAY.match(display.strip())
    if m is None:
        return True
    host, number = m.group("host"), int(m.group("number"))
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        return any(_connects(socket.AF_UNIX, address, timeout) for address in (path, "\0" + path))
    try:
        socket.create_connection((host, 6000 + number), timeout=timeout).close()
        return True
    except (OSError, ValueError):
        return False


def _connects(family: int, address, timeout: float) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(address)
        return True
    except (OSError, ValueError):
        return False

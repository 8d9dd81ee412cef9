"""Can the window open here? A check ``main.py`` runs before it imports Qt.

Without a usable display Qt aborts the process with a multi-line message of its own ("could
not connect to display", "no Qt platform plugin could be initialized…", then SIGABRT). On a
server, in a container or over ssh without X forwarding that is the common case, and the
useful answer is one line: what is missing, how to get it, and that the command line works
without any of it. This module finds that line without importing Qt (only ``musicsage.gui``
imports Qt):

- ``QT_QPA_PLATFORM`` naming no platform plugin PySide6 ships (a typo: ``bogus``): Qt would
  abort, so the line names the ones there are.
- ``QT_QPA_PLATFORM`` naming a platform that needs no display (``offscreen``, ``minimal``,
  ``vnc``, ``eglfs``…) is left alone: the tests and ``--screenshot`` use ``offscreen``.
- ``QT_QPA_PLATFORM`` asking for Wayland alone, with no compositor listening (at
  ``WAYLAND_DISPLAY``, else at libwayland's default ``wayland-0``): Qt tries no other
  platform, and aborted even with a working ``DISPLAY`` (a profile's setting for Wayland
  sessions, in an X11 session).
- Neither ``DISPLAY`` nor ``WAYLAND_DISPLAY``: no display.
- A Wayland socket a compositor listens on: fine (Qt uses it). A stale one (the compositor
  is gone, the file stays) is not.
- X11 (``DISPLAY``): the shared libraries Qt's xcb plugin links against, as ``ldd`` reports
  them for the plugin PySide6 ships (``ctypes`` names the first missing one where there is no
  ``ldd``), then whether the X server there lets this program in: the connection set-up of
  the X protocol, with the cookie libxcb would send (from ``XAUTHORITY``). A server that
  listens but refuses the client (an expired ``ssh -X`` cookie, ``sudo`` without
  ``XAUTHORITY``) made Qt abort with a false hint about ``libxcb-cursor0``.

When unsure (a display form, a cookie kind or an answer this module does not know) it says
nothing and lets Qt try: a false refusal would keep a working window shut. A server that does
not answer is awaited, said after 5 s, and refused after 60 s (``x11_setup``): Qt would wait
for it for ever, deaf to Ctrl-C.
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

from musicsage.text import printable
from musicsage.x11_setup import open_socket, x_display_problem

HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb",
                      "vkkhrdisplay"}
DEFAULT_WAYLAND = "wayland-0"
"""The socket libwayland connects to where ``WAYLAND_DISPLAY`` is not set: a
``QT_QPA_PLATFORM=wayland`` window opens on it (a compositor started without exporting the
variable, a shell that lost it), so it is looked at before a refusal."""
CLI_HINT = "or use the command line (no display needed): python -m musicsage --help"
SCREENSHOT_HINT = "or unset QT_QPA_PLATFORM (a screenshot renders offscreen)"
"""Said before :data:`CLI_HINT` for a ``--screenshot`` whose ``QT_QPA_PLATFORM`` cannot work:
"run it in a desktop session or under xvfb-run" alone sent the user to a display it needs not."""

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


def display_problem(env: Mapping[str, str] | None = None) -> str | None:
    """One line saying why the window cannot open here, or None when it should open."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    requested = requested_platforms(env.get("QT_QPA_PLATFORM", ""))
    unknown = unknown_platform_problem(requested, env)
    if unknown:
        return unknown
    wants_wayland = not requested or any(p.startswith("wayland") for p in requested)
    if requested and not wants_wayland and "xcb" not in requested:
        return None  # a platform that needs no display (offscreen…)
    wayland, x11 = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    compositor = wayland or (DEFAULT_WAYLAND if requested and wants_wayland else "")
    if compositor and wants_wayland and _wayland_compositor_listens(compositor, env):
        return None
    if requested and all(p.startswith("wayland") for p in requested):
        return wayland_only_problem(env.get("QT_QPA_PLATFORM", ""), wayland, x11)
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
    problem = x_display_problem(x11, env)
    return f"cannot open the window: {problem}, {CLI_HINT}" if problem else None


def wayland_only_problem(platform: str, wayland: str, x11: str) -> str:
    """The line for a ``QT_QPA_PLATFORM`` that asks for Wayland alone where no compositor
    listens: Qt tries no other platform then, and aborted ("Could not load the Qt platform
    plugin "wayland"… Reinstalling the application may fix this problem") even with a
    working X display: a ``QT_QPA_PLATFORM=wayland`` set for Wayland sessions in a profile
    is still set in an X11 session or over ``ssh -X``."""
    where = (f"no Wayland compositor is at {printable(wayland)}" if wayland
             else f"WAYLAND_DISPLAY is not set and no compositor is at {DEFAULT_WAYLAND}")
    advice = (f"unset QT_QPA_PLATFORM to use the X display {printable(x11)}" if x11
              else "run it in a Wayland session")
    return (f"cannot open the window: QT_QPA_PLATFORM={printable(platform)} asks for "
            f"Wayland, but {where}; {advice}, {CLI_HINT}")


def _wayland_compositor_listens(name: str, env: Mapping[str, str]) -> bool:
    """Whether a compositor accepts connections on the socket (a stale file is left behind
    when one dies, and Qt then fails to load its wayland plugin)."""
    path = Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "/")) / name
    sock = open_socket(socket.AF_UNIX, str(path), 2.0)  # the file alone proves nothing
    if sock is None:
        return False
    sock.close()
    return True


def requested_platforms(value: str) -> list[str]:
    """The plugin names ``QT_QPA_PLATFORM`` asks for, in the order Qt tries them: Qt takes a
    list (``wayland;xcb``) and options after a colon (``xcb:nograb``), names in any case."""
    names = (entry.split(":", 1)[0].strip().lower() for entry in value.split(";"))
    return [name for name in names if name]


def unknown_platform_problem(requested: list[str], env: Mapping[str, str]) -> str | None:
    """The line for a ``QT_QPA_PLATFORM`` none of whose names is a platform plugin PySide6
    ships (Qt aborts on it); None when one is, or when Qt may look elsewhere too."""
    plugins = platform_plugins(env)
    if not requested or not plugins:
        return None
    if any(_plugin_provides(name, plugins) for name in requested):
        return None
    value = printable(env.get("QT_QPA_PLATFORM", ""))
    return (f"cannot open the window: QT_QPA_PLATFORM={value} names "
            f"no Qt platform plugin (those here: {', '.join(sorted(plugins))}); unset it to "
            f"use the desktop's display, {CLI_HINT}")


def platform_plugins(env: Mapping[str, str]) -> dict[str, Path]:
    """PySide6's platform plugins by name (``libqxcb.so``: ``xcb``), found without importing
    PySide6; empty when there are none or Qt is told to look in other folders too."""
    if env.get("QT_PLUGIN_PATH") or env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        return {}
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return {}
    if spec is None or not spec.submodule_search_locations:
        return {}
    plugins: dict[str, Path] = {}
    for root in spec.submodule_search_locations:
        for plugin in sorted((Path(root) / "Qt" / "plugins" / "platforms").glob("libq*.so")):
            plugins.setdefault(plugin.name[len("libq"):-len(".so")].lower(), plugin)
    return plugins


def _plugin_provides(name: str, plugins: dict[str, Path]) -> bool:
    """Whether a plugin answers to ``name``: its file name, or one of the keys its metadata
    lists (``libqwayland.so`` is also ``wayland-egl``), a CBOR text string in the file."""
    if name in plugins:
        return True
    key = name.encode()
    if len(key) >= 24:
        return True  # a longer CBOR header than the one looked for: unsure, let Qt say
    for plugin in plugins.values():
        try:
            if bytes([0x60 + len(key)]) + key in plugin.read_bytes():
                return True
        except OSError:
            return True
    return False


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin (found without importing PySide6), or None."""
    return platform_plugins({}).get("xcb")


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

"""An application-menu entry and icon for the current user, by the freedesktop.org (XDG) rules.

``python -m musicsage.desktop`` (run by ``scripts/setup.sh``) writes:

- ``$XDG_DATA_HOME/applications/musicsage.desktop`` (Desktop Entry Specification 1.4, the
  newest that desktop-file-validate 0.26 of Debian 12 accepts): starts ``main.py`` of this
  checkout with this checkout's Python, so the menu opens the same app as the README's command;
- ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/musicsage.svg`` (Icon Theme Specification: the
  hicolor fallback theme every desktop searches), referred to by name (``Icon=musicsage``).

``$XDG_DATA_HOME`` defaults to ``~/.local/share``. Writing is idempotent (unchanged files are
not rewritten) and atomic (a temporary file renamed into place; named by its process, so that
the next install removes one a killed run left). ``--uninstall`` removes only files this
module wrote (they carry its marker key). No Qt here: the setup script runs it before any
window exists.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from musicsage.files import temporary_beside

APP_ID = "musicsage"
MARKER = "X-Musicsage-Installer=musicsage.desktop"
"""A key of our own (``X-`` keys are reserved for such use) that says we wrote the entry."""
REPO = Path(__file__).resolve().parent.parent
ICON_SOURCE = REPO / "resources" / "icons" / "musicsage.svg"

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
"""Characters that make an Exec argument need quoting (Desktop Entry Spec, "The Exec key")."""


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    # the spec: a relative path is invalid and must be ignored
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def exec_arg(arg: str) -> str:
    """One Exec argument: quoted when needed, then escaped for a desktop-file string value."""
    if any(c in _RESERVED for c in arg) or not arg:
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg.replace("\\", "\\\\").replace("%", "%%")


def entry_text(python: str, main_py: str) -> str:
    command = " ".join(exec_arg(a) for a in (python, main_py))
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=musicsage",
        "GenericName=Music library explorer",
        "Comment=Explore your music library: a map of your tracks, similar tracks by sound and "
        "by your playlists",
        f"Exec={command}",
        f"TryExec={python.replace(chr(92), chr(92) * 2)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=AudioVideo;Audio;Player;",
        "Keywords=music;playlist;library;similar;recommendation;map;",
        MARKER,
        ""])


@dataclass(frozen=True)
class Installed:
    entry: Path
    icon: Path
    changed: bool


def install(*, python: str | None = None, main_py: str | None = None) -> Installed:
    """Write (or refresh) the entry and icon for the current user."""
    base = data_home()
    entry = base / "applications" / f"{APP_ID}.desktop"
    icon = base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    text = entry_text(python or _venv_python(), main_py or str(REPO / "main.py"))
    changed = _write_if_changed(entry, text.encode("utf-8"))
    changed |= _write_if_changed(icon, ICON_SOURCE.read_bytes())
    if changed:
        _refresh_caches(base)
    return Installed(entry, icon, changed)


def uninstall() -> list[Path]:
    """Remove the entry and icon if this module wrote them; the paths removed."""
    base = data_home()
    entry = base / "applications" / f"{APP_ID}.desktop"
    icon = base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    removed = []
    if entry.is_file() and MARKER in entry.read_text(encoding="utf-8", errors="replace"):
        entry.unlink()
        removed.append(entry)
        if icon.is_file() and icon.read_bytes() == ICON_SOURCE.read_bytes():
            icon.unlink()
            removed.append(icon)
    return removed


def _venv_python() -> str:
    """The Python of this checkout's ``.venv`` when there is one, else the running one."""
    candidate = REPO / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # named by this process, so that the next install removes what a killed one left
    fd, tmp = temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True


def _refresh_caches(base: Path) -> None:
    """Tell the desktop about the change where the tools exist (the menu also rescans itself)."""
    for tool, arg in (("update-desktop-database", base / "applications"),
                      ("gtk-update-icon-cache", base / "icons" / "hicolor")):
        if shutil.which(tool) and (tool != "gtk-update-icon-cache"
                                   or (Path(arg) / "index.theme").exists()):
            subprocess.run([tool, "-q", str(arg)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m musicsage.desktop",
                                     description="Add musicsage to your application menu.")
    parser.add_argument("--uninstall", action="store_true", help="remove the menu entry")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.uninstall:
            removed = uninstall()
            message = "removed " + ", ".join(map(str, removed)) if removed else "nothing to remove"
        else:
            done = install()
            message = (f"menu entry {'written' if done.changed else 'up to date'}: {done.entry}")
    except OSError as exc:
        print(f"musicsage desktop entry: {exc.strerror or exc}: {exc.filename or ''}",
              file=sys.stderr)
        return 1
    if not args.quiet:
        print(message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

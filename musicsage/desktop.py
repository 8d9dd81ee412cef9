"""An application-menu entry and icon for the current user, by the freedesktop.org (XDG) rules.

``python -m musicsage.desktop`` (run by ``scripts/setup.sh``) writes:

- ``$XDG_DATA_HOME/applications/musicsage.desktop`` (Desktop Entry Specification 1.4, the
  newest that desktop-file-validate 0.26 of Debian 12 accepts): starts ``main.py`` of this
  checkout with this checkout's Python, so the menu opens the same app as the README's command;
- ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/musicsage.svg`` (Icon Theme Specification: the
  hicolor fallback theme every desktop searches), referred to by name (``Icon=musicsage``).

``$XDG_DATA_HOME`` defaults to ``~/.local/share``. Writing is idempotent (unchanged files are
not rewritten) and atomic (a temporary file renamed into place; named by its process, so that
the next install removes one a killed run left). The entry is the user's one menu item, and
several checkouts (a CI clone, a second copy) may run setup: install writes it only when there
is none, it is this checkout's, or it is ours and its checkout is gone; it never replaces an
entry it did not write (a flatpak's, the user's own). ``--force`` takes over another
checkout's entry. ``--uninstall`` removes only this checkout's entry (``--force``: any entry
this module wrote; they carry its marker key). No Qt here: the setup script runs it before
any window exists.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from musicsage.files import temporary_beside

APP_ID = "musicsage"
MARKER = "X-Musicsage-Installer=musicsage.desktop"
"""A key of our own (``X-`` keys are reserved for such use) that says we wrote the entry."""
CHECKOUT_KEY = "X-Musicsage-Checkout"
"""Which checkout the entry starts, so that another checkout's setup leaves it alone."""
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
        f"{CHECKOUT_KEY}={_escape_string(str(Path(main_py).parent))}",
        ""])


def _escape_string(value: str) -> str:
    """A desktop-file string value (the spec's escapes), for a path of any spelling."""
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def entry_checkout(text: str) -> Path | None:
    """The checkout an entry of ours starts: its checkout key, or for an entry written before
    that key, the checkout of its ``TryExec`` (``CHECKOUT/.venv/bin/python``); None if unknown."""
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values.setdefault(key.strip(), value.strip())
    if CHECKOUT_KEY in values:
        escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r"}
        return Path(re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)),
                           values[CHECKOUT_KEY]))
    python = Path(values.get("TryExec", "").replace("\\\\", "\\"))
    return python.parents[2] if python.parts[-3:] == (".venv", "bin", "python") else None


@dataclass(frozen=True)
class Installed:
    entry: Path
    icon: Path
    changed: bool
    kept: str = ""
    """Why an existing entry was left as it is (one line for the user); empty when written."""


def install(*, python: str | None = None, main_py: str | None = None,
            force: bool = False) -> Installed:
    """Write (or refresh) the entry and icon for the current user, unless the entry there is
    not ours, or (without ``force``) starts another checkout that still exists."""
    base = data_home()
    entry, icon = _entry_path(), _icon_path()
    main_py = main_py or str(REPO / "main.py")
    kept = _reason_to_keep(entry, Path(main_py).parent, force=force)
    if kept:
        return Installed(entry, icon, False, kept)
    text = entry_text(python or _venv_python(), main_py)
    changed = _write_if_changed(entry, text.encode("utf-8"))
    changed |= _write_if_changed(icon, ICON_SOURCE.read_bytes())
    if changed:
        _refresh_caches(base)
    return Installed(entry, icon, changed)


def uninstall(*, force: bool = False) -> list[Path]:
    """Remove the entry and icon if this module wrote them for this checkout (``force``: for
    any checkout); the paths removed."""
    return _uninstall(force)[0]


def _uninstall(force: bool) -> tuple[list[Path], str]:
    """:func:`uninstall`, and why the entry stays when it does (one line): from the one
    reading of the entry, which ``--uninstall`` read a second time to say it."""
    entry, icon = _entry_path(), _icon_path()
    if not entry.is_file():
        return [], "nothing to remove"
    kept = _reason_to_keep(entry, REPO, force=force, removing=True)
    if kept:
        return [], kept
    entry.unlink()
    removed = [entry]
    if icon.is_file() and icon.read_bytes() == ICON_SOURCE.read_bytes():
        icon.unlink()
        removed.append(icon)
    return removed, ""


def _entry_path() -> Path:
    return data_home() / "applications" / f"{APP_ID}.desktop"


def _icon_path() -> Path:
    return data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def _reason_to_keep(entry: Path, checkout: Path, *, force: bool, removing: bool = False) -> str:
    """Why the entry there must stay as it is, as one line; empty when it may be written (or,
    ``removing``, removed). One function for both, so that install and ``--uninstall`` agree
    on what is ours; only install may write over an entry whose checkout is gone."""
    try:
        text = entry.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "nothing to remove" if removing else ""
    if MARKER not in text:
        return f"kept {entry}: musicsage's setup did not write it" + (
            "" if removing else " (another installation?); remove it to get this checkout's "
            "menu entry")
    other = entry_checkout(text)
    gone = not removing and other is not None and not (other / "main.py").exists()
    if force or _same_checkout(other, checkout) or gone:
        return ""
    what_to_do = ("--uninstall --force removes it" if removing else
                  f"to start {checkout} from the menu instead, run there: "
                  ".venv/bin/python -m musicsage.desktop --force")
    return f"kept {entry}: it starts the musicsage in {other or 'another folder'}; {what_to_do}"


def _same_checkout(a: Path | None, b: Path) -> bool:
    return a is not None and os.path.realpath(a) == os.path.realpath(b)


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
    except BaseException as exc:
        os.unlink(tmp)
        if isinstance(exc, OSError) and not exc.filename:  # a full disk names no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc  # the line names it
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


def refusal_line(exc: OSError, *, removing: bool = False) -> str:
    """What the system refused and what to do, in one line: "Permission denied: PATH" alone
    left the user to guess which folder, and how (commonly a ``~/.local/share`` folder that
    a run under ``sudo`` made, which belongs to root)."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = Path(os.fsdecode(exc.filename)) if exc.filename else _entry_path()
    if where == ICON_SOURCE:  # the checkout's icon that install copies: no write refused
        return f"cannot read {where} ({what}): this checkout is incomplete; fetch it again"
    head = f"cannot {'remove' if removing else 'write'} {_file_meant(where)} ({what})"
    folder = _nearest_folder(where)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{head}: {_not_writable_words(folder, data_home())}"
    if exc.errno == errno.EROFS:
        return f"{head}: {folder} is read-only; set XDG_DATA_HOME to a folder you can write"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{head}: the disk is full; free some space, then run it again"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = _file_in_the_way(where)
        if blocker is not None:
            return (f"{head}: a file is in the way at {blocker}; move it away, or set "
                    "XDG_DATA_HOME to another folder")
    return head


def _file_meant(where: Path) -> Path:
    """The file the user asked for, for the path the system refused: the icon for a refusal
    in the icon's folder (its temporary file: a full disk writing the icon was said "cannot
    write …/musicsage.desktop") or a folder on the way to it alone, else the menu entry."""
    icon, entry = _icon_path(), _entry_path()
    for_icon = where.parent == icon.parent or (where in icon.parents
                                               and where not in entry.parents)
    return icon if for_icon else entry


def _not_writable_words(folder: Path, home: Path) -> str:
    """Why ``folder`` (the nearest that exists to what was refused) stops the write, and the
    way out. ``sudo chown -R`` only for a folder of the user's own tree (a folder a ``sudo``
    run made in it): the line once advised ``sudo chown -R "$USER" /`` for an XDG_DATA_HOME
    whose folder above was ``/``."""
    if _own_tree(folder, home):
        return (f"{folder} is not writable by you (made under sudo? sudo chown -R \"$USER\" "
                f"{folder}), or set XDG_DATA_HOME to a folder you can write")
    if folder == home:
        return f"{folder} is not writable by you; set XDG_DATA_HOME to a folder you can write"
    return (f"the folder above {home}, {folder}, is not writable by you; set XDG_DATA_HOME "
            "to a folder you can write")


def _own_tree(folder: Path, home: Path) -> bool:
    """Whether ``folder`` is the user's own, to ``chown -R`` back: one inside the data home
    ``home``, or strictly inside the home folder (a ``~/.local`` that ``sudo`` made, with no
    ``share`` in it yet, was said to be "the folder above ~/.local/share"); never the home
    folder itself or above it, nor anything for a home folder of ``/``."""
    user_home = Path.home()
    in_user_home = (user_home.parent != user_home and folder != user_home
                    and folder.is_relative_to(user_home))
    return in_user_home or (folder != home and folder.is_relative_to(home))


def _nearest_folder(path: Path) -> Path:
    """The folder nearest ``path`` that exists (``path`` itself, if it is one)."""
    while not path.is_dir() and path.parent != path:
        path = path.parent
    return path


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest of ``path`` and its folders that is there but no folder (a file where
    the entry's folder must go), or None."""
    for folder in (path, *path.parents):
        if os.path.lexists(folder):
            return None if folder.is_dir() else folder
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m musicsage.desktop",
                                     description="Add musicsage to your application menu.")
    parser.add_argument("--uninstall", action="store_true",
                        help="remove the menu entry (only this checkout's, unless --force)")
    parser.add_argument("--force", action="store_true",
                        help="take over (or remove) the entry another checkout wrote")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.uninstall:
            removed, kept = _uninstall(args.force)
            message = "removed " + ", ".join(map(str, removed)) if removed else kept
        else:
            done = install(force=args.force)
            if done.kept:  # said even with --quiet: setup's run should not hide it
                print(done.kept, file=sys.stderr)
                return 0
            message = (f"menu entry {'written' if done.changed else 'up to date'}: {done.entry}")
    except OSError as exc:
        print(f"musicsage desktop entry: {refusal_line(exc, removing=args.uninstall)}",
              file=sys.stderr)
        return 1
    if not args.quiet:
        print(message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How the command line ends when something goes wrong: one line, never a bare traceback.

:func:`musicsage.cli.main` sorts every exception into one of these (docs/cli.md, "Exit codes
and messages"):

- expected failures — a :class:`~musicsage.errors.MusicsageError`, a file or folder the system
  refuses (``OSError``: permissions, a read-only mount, a file where a folder should be, a full
  disk), a library database another program keeps locked or that is damaged (the line for
  each: :mod:`musicsage.failures`, which the window uses too) — print
  ``musicsage COMMAND: reason`` on stderr and exit 1;
- anything else is a bug: one line on stderr naming a crash log written in the library's data
  dir, which holds the traceback (exit 70, ``EX_SOFTWARE``). A user can attach it to a report;
  a terminal is not flooded with a stack a user cannot act on.
"""

from __future__ import annotations

import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from musicsage.text import printable

if TYPE_CHECKING:
    from musicsage.context import AppContext

BUG_EXIT = 70
CRASH_DIR = "crash-logs"
WINDOW_VALUE_OPTIONS = {"--data-dir", "--select", "--screenshot", "--size", "--screenshot-timeout"}
"""Options that take a value, on the command line or for the window (``musicsage`` alone)."""


def opens_window(argv: Sequence[str]) -> bool:
    """True when ``argv`` names no command and asks for no help (nor ``--version``):
    ``musicsage`` alone (what a desktop menu runs), or with the window's own options
    (``--data-dir D``, ``--demo``)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("-h", "--help", "--version"):
            return False
        elif arg in WINDOW_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-") or arg == "-":
            return False
    return True


def lenient_output() -> None:
    """Let stdout show what its encoding cannot hold as ``\\xe9``-style escapes. Output piped
    or redirected on Windows (cp1252), or under a Latin-1 locale, made a title such as
    "東京" a UnicodeEncodeError: a crash after the work was done (``scan`` had stored it).
    stderr already does this; ``--json`` writes ASCII escapes there instead (valid JSON)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None: no console (pythonw)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or odd stream: leave it as it is
                pass


_ASCII_SPACES = re.compile("[ \t\n\r\x0b\x0c]+")


def _joined(text: str) -> str:
    """``text`` with each run of ASCII whitespace (a line break in an exception's message)
    one space, before :func:`~musicsage.text.printable` writes what is left visibly: a
    failure is one line on stderr. Not :func:`~musicsage.text.one_line`, which makes an
    escape a space: the user must see it there. Not ``str.split`` either, which made the
    U+3000 or no-break space of a file's name an ASCII one: the name shown was not the
    file's."""
    return _ASCII_SPACES.sub(" ", str(text)).strip(" ")


def fail(command: str, reason: str, *, code: int = 1) -> int:
    """Print ``musicsage COMMAND: reason`` (one line) on stderr; return the exit code. A
    reason naming a file or playlist entry shows its control characters escaped (ESC as
    ``\\x1b``), never raw."""
    print(f"musicsage {command}: {printable(_joined(reason))}", file=sys.stderr)
    return code


def stdout_closed() -> int:
    """``musicsage … | head``: the reader went away. Nothing more can be said on stdout, and
    Python's flush at exit must not complain either: stdout is pointed at /dev/null."""
    to_devnull(sys.stdout)
    return 0


def to_devnull(stream) -> None:
    """Point ``stream``'s file descriptor at /dev/null: its reader went away, and what is
    written there from now on is lost, not an error. A stream without a descriptor (a
    test's capture) is left as it is."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def crashed(command: str, argv: Sequence[str], ctx: "AppContext | None") -> int:
    """A bug: write the traceback to a crash log, print one line naming it, exit 70."""
    exc_type, exc, _tb = sys.exc_info()
    summary = _joined(f"{exc_type.__name__}: {exc}" if exc_type else "unknown error")[:200]
    path, why_not = write_crash_log(command, argv, ctx)
    where = (f"the details are in {path}" if path is not None
             else f"no crash log could be written ({why_not})")
    return fail(command, f"unexpected error ({summary}); this is a bug, please report it; "
                         f"{where}", code=BUG_EXIT)


def crash_log_dirs(ctx: "AppContext | None") -> list[Path]:
    """Where a crash log goes: the library's data dir, else the per-user cache, else /tmp."""
    import tempfile

    from musicsage.context import user_cache_root

    dirs = [ctx.data_dir / CRASH_DIR] if ctx is not None else []
    return dirs + [user_cache_root() / CRASH_DIR, Path(tempfile.gettempdir())]


def write_crash_log(command: str, argv: Sequence[str], ctx: "AppContext | None"
                    ) -> tuple[Path | None, str]:
    """(path of the log written, "") or (None, why none could be)."""
    import platform

    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = (f"musicsage {command} crashed at {time.strftime('%Y-%m-%d %H:%M:%S %z')}\n"
            f"command line: musicsage {' '.join(argv)}\n"
            f"python {platform.python_version()} on {platform.platform()}\n"
            f"data dir: {ctx.data_dir if ctx is not None else '(not open)'}\n\n"
            + traceback.format_exc())
    why = ""
    for folder in crash_log_dirs(ctx):
        path = folder / f"musicsage-crash-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # a data dir named in Latin-1 is text with surrogates: written out, not a 2nd crash
            with open(path, "x", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(text)
            return path, ""
        except OSError as exc:
            why = f"{exc.strerror or exc}: {folder}"
    return None, why

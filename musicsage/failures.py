"""The one line a user is told for a failure they can act on, whoever tells it.

Besides :class:`~musicsage.errors.MusicsageError` (whose text is that line), two kinds of
exception are expected rather than bugs: a file or folder the system refuses (``OSError``:
permissions, a read-only mount, a full disk) and a library database that is locked, damaged or
unwritable (``sqlite3.DatabaseError``). The command line prints the line and exits 1
(:mod:`musicsage.cli_errors`); the window's workers show it as the task's error — the same
words, so a damaged database reads the same in a terminal and on the window's page for it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from musicsage.context import AppContext


def context_in(args: Sequence[object]) -> "AppContext | None":
    """The library among a use case's arguments (its first, by convention), so that the line
    can name the library's own files."""
    from musicsage.context import AppContext

    return next((a for a in args if isinstance(a, AppContext)), None)


def failure_line(exc: BaseException, ctx: "AppContext | None") -> tuple[str, str]:
    """``(line, "")`` for a failure a user can act on; ``("Type: message", traceback)`` for a
    bug (a worker's details pane, a crash log). The line is the message's first non-empty
    line: a two-line message showed on the status line as "…model file\\x0a  (see the log…",
    the rest is in the traceback."""
    line = expected_failure(exc, ctx)
    if line is not None:
        return line, ""
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    first = next((part.strip() for part in str(exc).splitlines() if part.strip()), "")
    return (f"{type(exc).__name__}: {first}" if first else type(exc).__name__), trace


def expected_failure(exc: BaseException, ctx: "AppContext | None") -> str | None:
    """The one line for ``exc`` if a user can act on it, or None (a bug)."""
    if isinstance(exc, sqlite3.DatabaseError):
        return database_failure(exc, ctx)
    if isinstance(exc, OSError):
        return system_failure(exc, ctx)
    return None


def database_failure(exc: sqlite3.DatabaseError, ctx: "AppContext | None") -> str | None:
    """The one line for a database error a user can act on, or None for a bug."""
    from musicsage.library.db import BUSY_TIMEOUT_MS
    from musicsage.library.db_problems import (damaged_message, disk_full_error,
                                               full_disk_message, is_damaged_error)
    from musicsage.library.db_locks import locked_message

    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    path = ctx.db_path if ctx is not None else None
    db = path or "the library database"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return locked_message(path, BUSY_TIMEOUT_MS / 1000) if path is not None else text
    if is_damaged_error(exc):
        return damaged_message(path, text)
    if name.startswith("SQLITE_FULL") or (path is not None and disk_full_error(exc, path)):
        return full_disk_message(db, text)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        return f"cannot write the library database {db} ({text})"
    return None


def system_failure(exc: OSError, ctx: "AppContext | None") -> str:
    """The one line for a file or folder the system refused."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = exc.filename
    refused = where is not None and ctx is not None \
        and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
    models = next((d for d in _written_model_dirs(ctx)
                   if _inside(os.fsdecode(where), d)), None) if refused else None
    if models is not None:  # not the temporary of a download, which the user never made
        return f"the models folder {models} is not writable ({what}): make it writable"
    if refused and _inside(os.fsdecode(where), ctx.data_dir):
        unreadable = _unreadable_on_the_way(os.fsdecode(where), ctx.data_dir) \
            if exc.errno != errno.EROFS else None
        if unreadable is not None:
            return (f"cannot read {unreadable} in the library folder {ctx.data_dir} ({what}): "
                    "make it readable by you")
        return f"the library folder {ctx.data_dir} is not writable ({what}: {os.fsdecode(where)})"
    return f"{what}: {os.fsdecode(where)}" if where is not None else what


def _unreadable_on_the_way(path: str, data_dir: Path) -> str | None:
    """The first of the library folder's folders down to ``path``, or ``path`` itself, that
    is there but cannot be read (a folder: listed and entered), or None: a refused read was
    called "the library folder is not writable", and making it writable changed nothing."""
    steps = Path(os.path.abspath(path)).relative_to(data_dir).parts
    here = Path(data_dir)
    for part in ("", *steps):
        here = here / part if part else here
        if not os.path.lexists(here):
            return None
        folder = os.path.isdir(here)
        if not os.access(here, os.R_OK | (os.X_OK if folder else 0)):
            return str(here)
    return None


def _written_model_dirs(ctx: "AppContext") -> list[Path]:
    """The models folders the app writes into: a checkout's ``models/`` that it only reads
    (:attr:`~musicsage.context.AppContext.not_written_models_dir`) is no folder to "make
    writable" — nothing is written there — so a file there refused is named as itself."""
    return [d for d in ctx.model_dirs if d != ctx.not_written_models_dir]


def _inside(path: str, folder: Path) -> bool:
    try:
        return Path(os.path.abspath(path)).is_relative_to(folder)
    except (OSError, ValueError):
        return False

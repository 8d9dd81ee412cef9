"""What the bench scripts share about files: results written whole, an earlier run's results
read back, a user's library opened without ever making one, and a folder written (or deleted)
only when it is missing, empty or the script's own.

One place for each, because the copies drifted apart: one left its temporary file behind when
a write failed, four ways of opening a library named ``--data-dir`` in scripts that have
no such option and tracebacked on a damaged database, and three claim-or-refuse checks and two
marker readers with different words for the same refusal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path


def write_json(path: Path, payload: dict) -> None:
    """Write ``payload`` as JSON through a temporary file and ``os.replace``: a run killed (or
    a disk filled) while it writes leaves the previous file whole, and no temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(payload, indent=2, default=float))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_previous(path: Path) -> dict:
    """The results an earlier run left at ``path`` to add to: {} when there are none, and
    {} with one warning when the file is not a whole JSON object (cut off by a killed run),
    where ``json.loads`` stopped the new run with a traceback after its slow first stage."""
    if not path.is_file():
        return {}
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        old = None
    if not isinstance(old, dict):
        print(f"warning: {path} is not a whole results file (cut off?); starting afresh",
              file=sys.stderr)
        return {}
    return old


def given_path(path: str | os.PathLike, *, option: str) -> Path:
    """``path`` as a Path, refused in one line when empty: ``Path("")`` is ``.``, so an empty
    ``LIB`` (an unset shell variable) silently named the current folder."""
    if not os.fspath(path).strip():
        raise SystemExit(f"{option} is empty: give the folder of an existing library "
                         "(nothing was created)")
    return Path(path)


def open_existing_library(path: str | os.PathLike, *, option: str, need_tracks: bool):
    """The context of the library at ``path`` (its folder or its library.sqlite3), read once.

    Refused with one line (``SystemExit``), nothing created, when ``path`` is empty, there is
    no library there, its database is damaged or not one, or (``need_tracks``) it has no
    tracks: a script then made an empty library at a typo, tracebacked, or waited minutes for
    a map that could not come. ``option`` is how the script's user named the path
    (``--library``, ``LIB``), said in place of the app's ``--data-dir``; the commands it
    advises name the library's folder, since without ``--data-dir`` they fill the default
    library instead."""
    from musicsage.context import DB_FILENAME, AppContext, LibraryUse, start_commands
    from musicsage.errors import MusicsageError
    from musicsage.usecases.library import list_tracks

    given = given_path(path, option=option)
    data_dir = given.parent if given.name == DB_FILENAME else given
    try:
        where = AppContext.create(data_dir, library=LibraryUse.NONE)  # checked, nothing made
        found = where.has_library()
        ctx = AppContext.create(data_dir, library=LibraryUse.EXISTING) if found else None
        tracks = len(list_tracks(ctx)) if ctx else 0
    except (MusicsageError, sqlite3.Error, OSError) as exc:
        raise SystemExit(str(exc).replace("--data-dir", option)) from None
    if ctx is None:
        raise SystemExit(_no_library_line(where.data_dir, option))
    if need_tracks and not tracks:
        commands = start_commands(ctx.data_dir, always_named=True)  # the script has no --data-dir
        raise SystemExit(f"the library in {ctx.data_dir} has no tracks: scan a music folder or "
                         f"import a dataset dir first ({commands})")
    return ctx


def _no_library_line(data_dir: Path, option: str) -> str:
    """The app's own line for a path without a library, naming the script's option."""
    from musicsage.context import no_library_message

    return (no_library_message(data_dir).replace("; --data-dir names", f"; {option} names")
            .replace("give --data-dir", f"give {option}"))


def read_marker(marker: Path) -> dict:
    """What a bench script recorded in a folder it made, or in a results file it wrote (the
    graph benches' one reader too): {} when the file is absent, cut off (a killed run),
    unreadable, or not a JSON object, so that the caller decides from its keys alone."""
    try:
        found = json.loads(marker.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def claim_folder(folder: Path, refusal: str, *, ours: bool = False) -> None:
    """Exit with the one line ``refusal`` unless ``folder`` may be written: missing, an empty
    folder, or ``ours`` (the caller found its own marker there). Anything else (a file, a
    user's folder, an older run's without a marker) is never written into or deleted."""
    if ours or not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return
    sys.exit(refusal)


def occupied_refusal(folder: Path) -> str:
    """The refusal for a dataset dir a script would write that holds another one, or other
    files: one wording for the converters and scale_data, which had a copy each."""
    return f"{folder} holds another dataset dir (or other files); give an empty folder"


def unmarked_refusal(folder: Path, script: str, option: str) -> str:
    """The refusal for a folder a script would make under ``option`` (the folder the user
    named) that lacks the script's marker: made by an older run, before markers, or not the
    script's at all, which it cannot tell apart: "delete it" only once the user is sure, as
    it may be their own dataset dir. ``option``: as the script's usage line spells it."""
    return (f"{folder} has no {script} marker (an older run's, or not ours), so it is left "
            f"alone: delete it if you are sure it is an old run's, or give {option} another "
            "folder")


def results_out(text: str) -> str:
    """An ``--out`` results file, checked before the run (an argparse ``type``: a refusal is
    one line, exit 2): not a folder, not under a file, and not an existing file other than a
    JSON object (an earlier run's results, which the new run replaces). Checked only when
    written, a folder was a traceback after a run of minutes that lost its results, and a
    user's own file named by mistake was silently overwritten."""
    import argparse

    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a file name, e.g. results.json")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a folder: give a file name in it, e.g. "
                                         f"{path / 'results.json'}")
    above = next((p for p in path.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise argparse.ArgumentTypeError(f"{above} is a file, not a folder: give --out a "
                                         "file name in a folder")
    if path.exists() and not _results_like(path):
        raise argparse.ArgumentTypeError(
            f"{path} is not a results file (a JSON object), so it is left alone: give --out "
            "a new file or one this script wrote")
    return text


def _results_like(path: Path) -> bool:
    """Whether ``path`` may be an earlier run's results: empty or a JSON object, whole or cut
    off by a killed run (``write_text`` is not atomic), never another kind of file."""
    try:
        with open(path, "rb") as f:
            start = f.read(4096).lstrip()
    except OSError:
        return False
    return not start or start.startswith(b"{")

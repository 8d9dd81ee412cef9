"""What the bench scripts share about files: results written whole, an earlier run's results
read back, and a user's library opened without ever making one.

One place for each, because the copies drifted apart: one left its temporary file behind when
a write failed, and four ways of opening a library named ``--data-dir`` in scripts that have
no such option and tracebacked on a damaged database.
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


def open_existing_library(path: str | os.PathLike, *, option: str, need_tracks: bool):
    """The context of the library at ``path`` (its folder or its library.sqlite3), read once.

    Refused with one line (``SystemExit``), nothing created, when there is no library there,
    its database is damaged or not one, or (``need_tracks``) it has no tracks: a script then
    made an empty library at a typo, tracebacked, or waited minutes for a map that could not
    come. ``option`` is how the script's user named the path (``--library``, ``LIB``), said
    in place of the app's ``--data-dir``."""
    from musicsage.context import DB_FILENAME, AppContext, LibraryUse
    from musicsage.errors import MusicsageError
    from musicsage.usecases.library import list_tracks

    given = Path(path)
    data_dir = given.parent if given.name == DB_FILENAME else given
    try:
        ctx = AppContext.create(data_dir, library=LibraryUse.EXISTING)
        tracks = len(list_tracks(ctx))
    except (MusicsageError, sqlite3.Error, OSError) as exc:
        raise SystemExit(str(exc).replace("--data-dir", option)) from None
    if need_tracks and not tracks:
        raise SystemExit(f"the library in {ctx.data_dir} has no tracks: import a dataset dir "
                         f"first (musicsage --data-dir {ctx.data_dir} import DATASET_DIR)")
    return ctx

"""A new model folder's marker, or no folder at all; a removed model's folder gone whole, or
a line saying what kept it.

:func:`musicsage.graph.store.new_model_dir` makes the folder, then writes its marker. On a
full disk the ``mkdir`` succeeds and the marker cannot be written: an empty folder (or one
holding a 0-byte marker) stayed for good, since the orphan clean-up deletes only a folder
whose marker says this library made it. The folder was made a moment ago by this process, so
it is this process's to remove.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from musicsage.errors import MusicsageError
from musicsage.graph.models_dir import cannot_save


def write_marker(folder: Path, marker: str, *, library: str) -> None:
    """Write ``folder/marker``, saying this app made the folder for ``library`` (its
    :func:`~musicsage.graph.store.library_identity`), in this process. ``folder``: just made,
    by this process, empty. When the marker cannot be written, remove its remains and the
    folder, and raise one line naming the folder (the caller says what that leaves current)."""
    path = folder / marker
    try:
        path.write_text(json.dumps({"app": "musicsage", "pid": os.getpid(),
                                    "created": time.time(), "library": library}))
    except OSError as exc:
        try:
            path.unlink(missing_ok=True)
            folder.rmdir()  # only if empty: never another's file
        except OSError:
            pass  # still there: it holds at most a marker the clean-up reads as not ours
        raise cannot_save(folder, exc) from None


def delete_model_folder(folder: Path, model_id: int) -> str | None:
    """Delete a removed model's ``folder`` (checked as this app's by the caller), so that the
    model is either whole or gone: the folder is first renamed aside (a hidden name beside it,
    in the same folder as it), which either happens at once or not at all, then deleted.
    ``rmtree`` on the folder itself stopped part-way at a file it could not delete (an
    immutable file, a read-only disk) and left the model listed, damaged. A rename refused
    raises one line: nothing was deleted. Returns None, or, when a file of the renamed folder
    cannot be deleted, a note naming the hidden folder left: the model is gone, but a log
    warning alone let ``models --remove`` print "and its folder X" as if it were deleted."""
    aside = folder.parent / f".{folder.name}.removing-{os.getpid()}-{time.time_ns()}"
    try:
        _move(folder, aside)
    except OSError as exc:
        raise MusicsageError(
            f"graph model {model_id} not removed: its folder {folder} cannot be moved aside to "
            f"be deleted ({exc.strerror or type(exc).__name__}); nothing was deleted: remove "
            "it again once it can be") from None
    try:
        _delete_tree(aside)
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else str(aside)
        inside = os.path.relpath(where, aside) if where.startswith(str(aside)) else where
        return (f"its old folder is left as {aside}: {inside} in it cannot be deleted "
                f"({exc.strerror or type(exc).__name__}); delete it yourself once it can be")
    return None


def _move(folder: Path, aside: Path) -> None:
    """``os.rename``: the one place a test refuses a removed model's move aside."""
    os.rename(folder, aside)


def _delete_tree(folder: Path) -> None:
    """``shutil.rmtree`` of a removed model's renamed folder: the one place a test stops it."""
    shutil.rmtree(folder)

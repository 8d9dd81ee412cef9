"""A new model folder's marker, or no folder at all; a removed model's folder, or a line
saying what stopped its deletion.

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


def delete_model_folder(folder: Path, model_id: int) -> None:
    """Delete a removed model's ``folder`` (checked as this app's by the caller), or raise one
    line when a file in it cannot be deleted (an immutable file, a read-only disk): the bare
    OSError read "Operation not permitted: embeddings.npy", naming neither the model, nor
    that part of the folder may be gone already (the model then lists as damaged), nor what
    to do."""
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else str(folder)
        inside = os.path.relpath(where, folder) if where.startswith(str(folder)) else where
        what = f"its folder {folder}" if inside == "." else f"{inside} in {folder}"
        raise MusicsageError(
            f"graph model {model_id} not removed: {what} cannot be deleted "
            f"({exc.strerror or type(exc).__name__}); the model stays, damaged if some of its "
            "files went: remove it again once that can be deleted") from None

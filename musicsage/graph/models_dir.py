"""Whether ``graph_models`` can take a new model's folder: asked before training, and said
in one line when the folder cannot be made after it.

:func:`check_models_dir` runs before minutes of training; :func:`cannot_save` words a
``mkdir`` that failed all the same (the disk filled meanwhile, the folder was replaced by a
file) as :func:`~musicsage.graph.model_folder.write_marker` words a marker it could not write,
and :func:`model_writes` words the model's files or row that could not be written, so the
user reads one message whichever step found the disk full.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from musicsage.errors import MusicsageError, first_line

#: less free space than this on ``graph_models``' disk cannot hold a model's files (its
#: model.pt alone is about a megabyte): refused before training, not after it
LEAST_FREE = 1 << 20


def check_models_dir(ctx) -> None:
    """Refuse, in one line and before minutes of training, a library whose model folder
    cannot take a new model: ``graph_models`` replaced by a file (the training ran to its
    end, then failed with "Not a directory"), a folder that is not writable, or a disk with
    no room for a model's files."""
    base = Path(ctx.graph_models_dir)
    if base.is_symlink() and not base.exists():  # "move the file aside" named no file
        raise MusicsageError(f"{base} is a link to {os.readlink(base)}, which does not exist "
                             "(a drive not mounted?): a new graph model is kept there (mount "
                             "it, or move the link away); nothing was trained")
    try:
        base.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise MusicsageError(f"{base} is not a folder: a new graph model is kept there (move "
                             "the file aside); nothing was trained") from None
    except OSError as exc:
        raise MusicsageError(f"cannot create {base} ({exc.strerror or exc}); nothing was "
                             "trained") from None
    if not os.access(base, os.W_OK | os.X_OK):
        raise MusicsageError(f"{base} is not writable: a new graph model is kept there (make "
                             "it writable, then train again); nothing was trained")
    try:
        free = shutil.disk_usage(base).free
    except OSError:
        return  # not known: the save says so if it fails
    if free < LEAST_FREE:
        raise MusicsageError(f"cannot save a new graph model in {base} (No space left on "
                             f"device: {free // 1024} KiB free); free some space; nothing "
                             "was trained")


def cannot_save(folder: Path, exc: OSError) -> MusicsageError:
    """"cannot save a new graph model in DATA/graph_models (<why>)": the one line for a model
    ``folder`` that could not be made (``mkdir``) or written (:func:`model_writes`), as
    docs/cli.md gives it. It names ``graph_models``, never ``folder``: a dated folder that was
    never made, or is removed before the user reads the line, is no place to look."""
    return MusicsageError(f"cannot save a new graph model in {folder.parent} "
                          f"({exc.strerror or first_line(exc)})")


class NotSaved(MusicsageError):
    """A new model's files or row that could not be written (:func:`model_writes`): the
    caller, once the folder is gone, adds which model stays current."""


@contextmanager
def model_writes(folder: Path, db_path: str | Path) -> Iterator[None]:
    """Around the writes of a new model (its files in ``folder``, its row in the database at
    ``db_path``): a refused file write (a full disk) or a full database disk becomes
    :class:`NotSaved`, in :func:`cannot_save`'s words. Only these writes: an OSError of
    anything else around them is not a model that could not be saved."""
    from musicsage.library.db_problems import disk_full_error, full_disk_message

    try:
        yield
    except OSError as exc:
        raise NotSaved(str(cannot_save(folder, exc))) from None
    except sqlite3.DatabaseError as exc:  # "database or disk is full" as its row is written
        if not disk_full_error(exc, db_path):
            raise
        raise NotSaved(f"cannot save a new graph model: "
                       f"{full_disk_message(db_path, first_line(exc))}") from None

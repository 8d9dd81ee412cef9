"""The layout version a saved graph model's model.pt gives, read without torch.

Why a module of its own: a model.pt written by a newer musicsage is whole (``models`` lists
it "ok", its archive's checks pass), yet no load of this version reads it, so it places no
new track. ``similar``, the window's lists and ``map`` told the user to run ``embed`` for such
tracks, and the embed placed none. Their note asks this before it advises
(:mod:`~musicsage.usecases.graph_unplaced`): milliseconds, and only the standard library, as
:mod:`~musicsage.graph.checkpoint_archive` — a note of the window must not import torch.
"""

from __future__ import annotations

import io
import os
import pickletools
import zipfile
from functools import lru_cache
from pathlib import Path

from musicsage.graph.checkpoint_archive import FORMAT

READS_UP_TO = 4
"""The newest layout this version loads: :data:`musicsage.graph.checkpoint.VERSION`, which
cannot be imported here without torch (a test holds the two equal)."""

_HEAD = 1 << 16
"""How much of the description is read: musicsage writes ``format`` and ``version`` first."""

_INTEGERS = frozenset({"BININT", "BININT1", "BININT2", "INT", "LONG", "LONG1", "LONG4"})
"""The pickle opcodes that push an integer; the memo's (``BINPUT`` …) carry one too, which is
no value of the payload's."""


def saved_version(path: str | Path) -> int | None:
    """The ``version`` that model.pt at ``path`` gives in its description, or None where it
    gives none read here: a version-1 file (no ``version`` key), torch's format before 1.6, a
    file that is not musicsage's, missing or damaged (what ``models`` says of those is
    :func:`~musicsage.usecases.models.files_problem`'s). Read once per file: the note asks
    it on every ``similar`` and every track the window selects, and a model.pt is written
    whole, once (:func:`_version_of`, keyed by what ``stat`` says of it)."""
    try:
        seen = os.stat(path)
    except (OSError, ValueError):
        return None  # missing, or a path the user may not reach
    return _version_of(os.fspath(path), seen.st_dev, seen.st_ino, seen.st_size,
                       seen.st_mtime_ns)


@lru_cache(maxsize=8)
def _version_of(path: str, _dev: int, _ino: int, _size: int, _mtime_ns: int) -> int | None:
    """:func:`saved_version` of the file at ``path`` as ``stat`` saw it: another file put
    there (a retraining's, a restore, a newer musicsage's) is another key, so read anew."""
    try:
        with zipfile.ZipFile(path) as archive:
            described = [e for e in archive.infolist()
                         if e.filename.rpartition("/")[2] == "data.pkl"]
            if len(described) != 1:
                return None
            with archive.open(described[0]) as part:
                head = part.read(_HEAD)
    except (OSError, EOFError, ValueError, RuntimeError, zipfile.BadZipFile):
        return None  # damage, or a file the user may not read: the listing's check says so
    return _version_in(head)


def _version_in(head: bytes) -> int | None:
    """The integer after the ``"version"`` key that follows musicsage's ``"format"`` in the
    pickle stream ``head``, read opcode by opcode (nothing is built or run), or None."""
    ours, previous = False, None
    try:
        for opcode, arg, _at in pickletools.genops(io.BytesIO(head)):
            if ours and previous == "version" and opcode.name in _INTEGERS:
                return int(arg)
            if isinstance(arg, str):
                ours = ours or (previous == "format" and arg == FORMAT)
                previous = arg
    except Exception:  # noqa: BLE001 - a cut or foreign stream fails in many ways
        return None
    return None

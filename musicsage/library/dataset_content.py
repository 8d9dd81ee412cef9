"""The import's check of a dataset dir's ``content_hash`` cells against the files the library
knows (:func:`check_content`), apart from :mod:`musicsage.library.dataset`: vectors exported
from a file rewritten since are not that file's, and are not imported."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from musicsage.library.hash_backfill import hash_tracks
from musicsage.library.moves import current_hashes, our_hash, record_imported_hashes
from musicsage.text import counted, noun

if TYPE_CHECKING:
    from musicsage.library.dataset import DatasetReport


def check_content(conn, rows: Sequence[dict[str, str]], track_of: dict[str, int],
                  rep: DatasetReport) -> set[int]:
    """The tracks whose file the library knows as another content than the row's
    ``content_hash`` names (rewritten since the export): their vectors are not the file's,
    and not imported. A track no scan has recorded keeps the row's hash for its first scan
    to compare (:func:`~musicsage.library.moves.record_imported_hashes`): reading every file
    here would double the first scan's work. A scanned track without a current hash has its
    file hashed now (two blocks of it). Values not of musicsage's kind are ignored, and
    ``rep`` says how many."""
    named: dict[int, str] = {}
    foreign: list[dict[str, str]] = []
    for r in rows:
        value = r.get("content_hash") or ""
        if r.get("path") and value.strip():
            digest = our_hash(value)
            if digest is None:
                foreign.append(r)
            else:
                named[track_of[r["track_id"]]] = digest
    if foreign:
        rep.notes.append(_foreign_hash_note(foreign))
    if not named:
        return set()
    unscanned = {int(r[0]) for r in conn.execute(
        "SELECT id FROM tracks WHERE size IS NULL OR mtime_ns IS NULL")}
    record_imported_hashes(conn, {t: h for t, h in named.items() if t in unscanned})
    scanned = [t for t in named if t not in unscanned]
    hash_tracks(conn, scanned)  # those without a current hash: else taken unchecked
    known = current_hashes(conn, scanned)
    return {t for t, h in known.items() if h != named[t]}


def _foreign_hash_note(foreign: list[dict[str, str]]) -> str:
    """The note on the rows whose ``content_hash`` is of another kind than musicsage's:
    their vectors are imported unchecked, and the user is told so."""
    n = len(foreign)
    return (f"{counted(n, 'content_hash value')} not of musicsage's kind "
            f"{noun(n, 'was', 'were')} ignored (first: track_id {foreign[0]['track_id']!r}, "
            f"{str(foreign[0]['content_hash'])[:24]!r}): {noun(n, 'its', 'their')} vectors "
            "are taken as the files' own, unchecked")


def other_content_note(n: int) -> str:
    """The note on ``n`` files rewritten since the export (:func:`check_content`): their
    vectors are left out, and ``embed`` gives them new ones."""
    return (f"{counted(n, 'file')} {noun(n, 'is not the one', 'are not the ones')} the "
            f"exported vectors were made from (rewritten since the export): "
            f"{noun(n, 'its', 'their')} vectors were not imported (`musicsage embed` analyses "
            "any track left without one)")

"""Tags an older version misread, read again once by the next scan, the vectors kept.

A scan never opens an unchanged file, so the tag readers' fixes of 1cd73f6 (an MP3's APEv2
tag, ID3 text whose encoding byte misleads, track or year 0, control characters and
byte-order marks, a date's year in any order, AIFF text in Mac OS Roman) reached none of an
existing library's tracks until each file changed: an MP3 tagged by foobar2000 stayed
untagged, and "BjÃ¶rk" stood beside "Björk" as two artists — two contexts of the graph model
where the user has one. The next scan (a folder watch's batch too: it scans through
:func:`~musicsage.library.scan.scan_roots`) reads again, once, the tracks whose stored values
such a fix may change (:data:`_SUSPECTS_SQL`: cheap, by SQL, on the stored values alone),
and stores the tags of those whose values do change. Nothing else is written: the file is the
one the vectors were made from (its stamp is the one stored; tags are no part of the audio),
so its vectors, ``needs_analysis`` and content hashes stay, and it is counted unchanged.

As :mod:`.mp3_recount` does, which tracks are left is kept in ``settings``
(:data:`REREAD_KEY`, no schema change): absent before the first run, then the ids whose file
was out of reach (a drive not mounted: read once it is back), ``[]`` once none is left. A
cancelled run keeps what it wrote and starts over at the next scan (what it wrote then
matches, and is not written again).
"""

from __future__ import annotations

import os
from typing import Callable

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.mp3_recount import recount_old_mp3s
from musicsage.library.scan_report import ScanReport, ShownPath
from musicsage.library.scan_write import TAGS_REREAD_START, track_values
from musicsage.library.tags import AudioInfo, UnreadableAudio, audio_format
from musicsage.library.walk import FoundFile, stored_ns
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

REREAD_KEY = "older_tags_reread"
"""``settings`` key: absent before the first run; then the ids of the tracks whose file it
could not reach (read by the next scan), ``[]`` once none is left."""

STAGE = "scan"
"""The progress stage: reading files, as the scan's own (the window has words for it)."""

BATCH = 200
"""Tracks written per transaction (short ones: the window reads meanwhile)."""

TAG_COLUMNS = ("title", "artist", "album", "albumartist", "genre", "track_number", "year")
"""The columns the tags give: the only ones written."""

_TEXT = ("title", "artist", "album", "albumartist", "genre")
_PATTERNS = {
    "controls": "*[\x01-\x1f\x7f-\x9f\ufeff]*",  # control characters, byte-order marks
    "utf8": "*[\xc2-\xf4][\x80-\xbf]*",  # UTF-8 read as Latin-1: "BjÃ¶rk"
    "a_tilde": "*Ã*", "a_circ": "*Â*", "cp1252": "*â€*",  # the same read as Windows-1252
    "spaces": "*  *",  # runs of spaces, now one
    "wide": "*[\u2000-\U0010ffff]*",  # perhaps UTF-16BE read little-endian (checked after)
    "non_ascii": "*[^ -~]*",
}
"""GLOB patterns (SQLite matches classes by code point) of text a fixed reader changes."""


def _any_text(pattern: str, columns: tuple[str, ...] = _TEXT) -> str:
    """SQL: one of ``columns`` matches the :data:`_PATTERNS` entry named ``pattern``."""
    return "(" + " OR ".join(f"{c} GLOB :{pattern}" for c in columns) + ")"


_SURE_SQL = " OR ".join([
    *(_any_text(p) for p in ("controls", "utf8", "a_tilde", "a_circ", "cp1252", "spaces")),
    " OR ".join(f"length({c}) > 1000" for c in _TEXT),
    "track_number <= 0 OR year < 1000 OR year > 9999",  # 0; '03/01/2019' read as 3
    "(format = 'mp3' AND ((artist IS NULL AND album IS NULL)"  # an APEv2 tag unread
    " OR length(title) = 30 OR length(artist) = 30 OR length(album) = 30"  # ID3v1's width
    " OR instr(title, '??') OR instr(artist, '??') OR instr(album, '??')))",  # its Latin-1
    "(format = 'aiff' AND " + _any_text("non_ascii", ("title", "artist")) + ")",
])
_SUSPECTS_SQL = ("SELECT * FROM (SELECT id, path, size, mtime_ns, format,"
                 f" {', '.join(TAG_COLUMNS)}, ({_SURE_SQL}) AS sure, {_any_text('wide')} AS wide"
                 " FROM tracks WHERE size IS NOT NULL AND mtime_ns IS NOT NULL)"
                 " WHERE sure OR wide ORDER BY id")
"""The tracks whose stored tags a fixed reader may change, ``sure`` 0 for those whose only
sign is text beyond U+2000 (:func:`_looks_byte_swapped` tells which are)."""


def upgrade_unchanged_files(conn, result: ScanReport,
                            prober: Callable[[str, str], AudioInfo], *,
                            cancel: CancelToken | None = None,
                            progress: ProgressFn | None = None) -> None:
    """What an older version stored of files that have not changed since, made what this
    version reads, once: MP3 lengths (:mod:`.mp3_recount`), then tags (this module)."""
    recount_old_mp3s(conn, result, cancel=cancel, progress=progress)
    reread_old_tags(conn, result, prober, cancel=cancel, progress=progress)


def reread_old_tags(conn, result: ScanReport, prober: Callable[[str, str], AudioInfo], *,
                    cancel: CancelToken | None = None,
                    progress: ProgressFn | None = None) -> None:
    """Read again, once, the tags of the tracks an older version may have misread (module
    doc), storing those that now read otherwise and telling them in ``result``."""
    left = q.get_setting(conn, REREAD_KEY)
    if left == []:
        return
    wanted = set(left) if isinstance(left, list) else None
    rows = [r for r in conn.execute(_SUSPECTS_SQL, _PATTERNS)
            if (wanted is None or r[0] in wanted) and (r[-2] or _looks_byte_swapped(r))]
    unreached: list[int] = []
    found: list[tuple[int, str, dict, dict]] = []
    try:
        if rows:  # at once: reading a drive's worth of files before the first report
            report(progress, STAGE, 0, len(rows))
        for done, row in enumerate(rows, start=1):
            check_cancel(cancel)
            reached, tags = _tags_now(row, prober)
            stored = dict(zip(TAG_COLUMNS, row[5:12]))
            if not reached:
                unreached.append(row[0])
            elif tags is not None and tags != stored:
                found.append((row[0], row[1], stored, tags))
            if len(found) >= BATCH:
                _write(conn, found, result)
            if done % 50 == 0 or done == len(rows):
                report(progress, STAGE, done, len(rows), P.display(row[1]))
    finally:  # also on cancel: what was read is kept
        _write(conn, found, result)
    with transaction(conn):
        q.set_setting(conn, REREAD_KEY, unreached)


def _looks_byte_swapped(row) -> bool:
    """Whether a stored text is big-endian UTF-16 read little-endian: Western text so read
    is made of characters U+xx00 alone ("H", 00 48, as U+4800); three in four at least, as
    :mod:`.tag_values` tells them (real CJK text is mostly other characters)."""
    for text in row[5:10]:
        if isinstance(text, str) and len(text) >= 2:
            swapped = sum(1 for c in text if ord(c) & 0xFF == 0 and ord(c) >= 0x2000)
            if swapped * 4 >= len(text) * 3:
                return True
    return False


def _tags_now(row, prober: Callable[[str, str], AudioInfo]) -> tuple[bool, dict | None]:
    """(Whether the track's file could be reached, its tags as this version stores them if
    it is as last scanned — None otherwise: a changed file is read by the scan that finds it,
    and one that no longer reads is left as stored)."""
    _track_id, path, size, mtime_ns, fmt = row[:5]
    if not P.is_file_path(path):
        return True, None
    fs_path = P.to_fs(path)
    try:
        st = os.stat(fs_path)
        if (st.st_size, stored_ns(st.st_mtime_ns)) != (size, mtime_ns):
            return True, None
        with open(fs_path, "rb"):
            pass
    except (OSError, ValueError):  # (ValueError: a stored path the system does not take)
        return False, None
    ext_format = audio_format(os.path.basename(fs_path)) or fmt
    try:
        info = prober(fs_path, ext_format)
    except UnreadableAudio:
        return True, None
    found = FoundFile(fs_path, path, ext_format, size, mtime_ns)
    values = track_values(found, info)
    return True, {c: values[c] for c in TAG_COLUMNS}


def _write(conn, found: list[tuple[int, str, dict, dict]], result: ScanReport) -> None:
    """Store the tags of ``found`` (emptied), nothing else of their tracks, and say so. Not
    ``updated_at`` either: it dates the file's last change, against which an analysis that
    failed counts as failed since (:mod:`.damaged_vectors`, ``stats``) and an ``embed``
    running meanwhile checks its vector (its file did not change: the vector stays valid)."""
    if not found:
        return
    sets = ", ".join(f"{c} = ?" for c in TAG_COLUMNS)
    with transaction(conn):
        for track_id, _path, _stored, tags in found:
            conn.execute(f"UPDATE tracks SET {sets} WHERE id = ?",
                         [tags[c] for c in TAG_COLUMNS] + [track_id])
    for _track_id, path, stored, tags in found:
        result.notes.append((ShownPath.of(path), reread_note(stored, tags)))
    result.tags_read_again += len(found)
    found.clear()


SHOWN_CHANGES = 2
"""The changed fields a note names (the rest counted)."""


def reread_note(stored: dict, now: dict) -> str:
    """What the scan says of a track whose tags it read again: ``tags read again (…): artist
    'BjÃ¶rk' → 'Björk', year 0 → none; its vectors kept``."""
    changed = [c for c in TAG_COLUMNS if stored.get(c) != now.get(c)]
    parts = [f"{c.replace('_', ' ')} {_shown(stored.get(c))} → {_shown(now.get(c))}"
             for c in changed[:SHOWN_CHANGES]]
    more = len(changed) - SHOWN_CHANGES
    if more > 0:
        parts.append(f"{more} more")
    return f"{TAGS_REREAD_START}{', '.join(parts)}; its vectors kept"


def _shown(value) -> str:
    """A stored value in a note: text quoted (cut at 40 characters), a number, or none."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    return str(value)

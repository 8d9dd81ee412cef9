"""Tags an older version misread, read again once by the next scan, the vectors kept.

A scan never opens an unchanged file, so the tag readers' fixes of 1cd73f6 (an MP3's APEv2
tag, ID3 text whose encoding byte misleads, track or year 0, control characters, byte-order
marks and runs of spaces, a date's year in any order, AIFF text in Mac OS Roman, a WavPack's
or TTA's APEv2 ``ALBUMARTIST`` and ``DATE``, a Vorbis comment's first value left empty: an
artist ``["", "Real Artist"]``, a title — the file's name stored for it; a raw AAC's ID3
tag, :func:`~.content_readers.aac_with_id3`: none stored) reached none of an
existing library's tracks until each file changed: an MP3 tagged by foobar2000 stayed
untagged, and "BjÃ¶rk" stood beside "Björk" as two artists — two contexts of the graph model
where the user has one. The next scan (a folder watch's batch too: it scans through
:func:`~.scan.scan_roots`) reads again, once, the tracks whose stored values such a fix may
change (:data:`_SUSPECTS_SQL`: cheap, by SQL, on the stored values alone; an MP3 with an
empty field only when its last bytes hold an APEv2 tag), and of those stores only the
columns whose stored value is what an older reader made of the file's (:func:`misread`): a
title or artist an ``import`` of a dataset dir set is no misreading of the file's tags, and
stays (the library does not record which values an import set on a scanned track: only the
file can tell them apart). Nothing else is written: the file is the one the vectors were
made from (its stamp is the one stored; tags are no part of the audio), so its vectors,
``needs_analysis`` and content hashes stay, and it is counted unchanged.

Two mechanisms read tags again once, and each has its reason. Schema migration 5 moved the
stamp of WAV and AIFF tracks without artist or album back 1 ns, so that the next scan finds
them touched and writes every column from the file: right there, as no tag of theirs had
been read at all. Here most columns were read right and a few misread, and only the file
tells which (:func:`misread` compares each stored value with the file's): a touched file's
rewrite would take an imported title with it, and a migration cannot open files. So this
runs in the scan, its progress in a setting rather than in the schema version.

As :mod:`.mp3_recount` does, what is left is kept in ``settings`` (:data:`REREAD_KEY`, the raw
AAC rule's apart in :data:`AAC_KEY`; no schema change): absent before the first run;
``{"after": id, "unreached": [...]}`` for a run stopped (Stop, a window closed) after the
track ``id`` — the next scan goes on from there, the tracks read already not read again; then
the ids whose file was out of reach (a drive not mounted: read once it is back); ``[]`` once
none is left. Later scans look only at those ids, and of them only at the tracks stored
present or found by the scan's listing: one stored missing (kept for good, a drive unplugged)
is left listed, its file not looked for — each scan and each watch batch stat'ed 10,000 of
them (a stale mount waits on each) and said "Reading again the tags…" for a batch that read
nothing.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Collection, Iterator, NamedTuple

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.in_chunks import in_chunks
from musicsage.library.scan_report import TAGS_REREAD_START, ScanReport, ShownPath
from musicsage.library.riff_tags import reads_better
from musicsage.library.scan_write import track_values
from musicsage.library.tag_values import as_text, big_endian_read_as_little
from musicsage.library.tags import AudioInfo, UnreadableAudio, audio_format
from musicsage.library.unread_tags import tag_unread_in
from musicsage.library.walk import FoundFile, as_last_scanned
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

REREAD_KEY = "older_tags_reread_2"
"""``settings`` key: what is left to read again (module doc). Named anew with each rule added
(an ID3v1 title cut at a space, a title stored as the file's name): a library whose re-read
finished under the older key ("older_tags_reread": ``[]``) reads its suspects once more, only
the columns misread written."""

AAC_KEY = "raw_aac_tags_reread"
"""The same as :data:`REREAD_KEY`, for the raw AAC tracks with no artist and no album alone
(a raw AAC's ID3 tag): a rule of its own, so that a library whose re-read finished looks at
these only, not at every suspect again (400 album-less FLACs read in full, nothing written)."""

_REREADS = ((REREAD_KEY, "sure OR wide OR (ape AND format = 'mp3')"),
            (AAC_KEY, "ape AND format = 'aac'"))
"""The re-reads, in turn: each one's key and which suspects (:data:`_SUSPECTS_SQL`) it reads."""

STAGE = "scan: reading tags again"
"""The re-read's progress stage, its own: the scan's ("scan") counts the files of the scan,
which a folder watch takes for its batch's (the window's words: ``controllers/wording.py``)."""

BATCH = 200
"""Tracks written per transaction (short ones: the window reads meanwhile)."""

TAG_COLUMNS = ("title", "artist", "album", "albumartist", "genre", "track_number", "year")
"""The columns the tags give: the only ones written."""

_TEXT = ("title", "artist", "album", "albumartist", "genre")
_SPACE = " \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PATTERNS = {
    "controls": "*[\x01-\x1f\x7f-\x9f\ufeff]*",  # control characters, byte-order marks
    "utf8": "*[\xc2-\xf4][\x80-\xbf]*",  # UTF-8 read as Latin-1: "BjÃ¶rk"
    "a_tilde": "*Ã*", "a_circ": "*Â*", "cp1252": "*â€*",  # the same read as Windows-1252
    "spaces": f"*[{_SPACE}][{_SPACE}]*",  # runs of spaces (U+3000 too), now one
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
    "(format = 'mp3' AND (length(title) = 30 OR length(artist) = 30 OR length(album) = 30"
    " OR instr(title, '??') OR instr(artist, '??') OR instr(album, '??')))",  # ID3v1's
    "(format = 'aiff' AND " + _any_text("non_ascii", ("title", "artist")) + ")",
    "(format IN ('wv', 'tta') AND (albumartist IS NULL OR year IS NULL))",  # APEv2 keys
    "(format IN ('flac', 'ogg', 'opus') AND (artist IS NULL OR album IS NULL"  # ["", "A"]
    " OR instr(path, '/' || title || '.')))",  # a title ["", "T"]: the file's name stored
])
_APE_SQL = ("(format = 'mp3' AND (" + " OR ".join(f"{c} IS NULL" for c in TAG_COLUMNS) + "))"
            " OR (format = 'aac' AND artist IS NULL AND album IS NULL)")  # its ID3 tag
_SUSPECTS_SQL = ("SELECT * FROM (SELECT id, path, size, mtime_ns, format,"
                 f" {', '.join(TAG_COLUMNS)}, ({_SURE_SQL}) AS sure, {_any_text('wide')} AS wide,"
                 f" ({_APE_SQL}) AS ape, status FROM tracks"
                 " WHERE size IS NOT NULL AND mtime_ns IS NOT NULL AND {which})"
                 " WHERE {kept} ORDER BY id")
"""The tracks whose stored tags a fixed reader may change, ``{which}`` of them, those a
re-read takes (``{kept}``: :data:`_REREADS`): ``sure`` 0 for those whose only sign is text
beyond U+2000 (:func:`_looks_byte_swapped` tells which are), an MP3's empty field or a raw
AAC's (``ape``: :func:`~.unread_tags.tag_unread_in` tells which)."""


class _Suspect(NamedTuple):
    """A row of :data:`_SUSPECTS_SQL`."""
    id: int
    path: str
    size: int
    mtime_ns: int
    format: str | None
    title: str | None
    artist: str | None
    album: str | None
    albumartist: str | None
    genre: str | None
    track_number: int | None
    year: int | None
    sure: int
    wide: int
    ape: int
    status: str


def reread_old_tags(conn, result: ScanReport, prober: Callable[[str, str], AudioInfo], *,
                    found: Collection[str] | None = None, cancel: CancelToken | None = None,
                    progress: ProgressFn | None = None) -> None:
    """Read again, once, the tags of the tracks an older version may have misread (module
    doc), storing the values it misread and telling them in ``result``. ``found``: the paths
    this scan's listing found (a set), among which a track stored missing is back."""
    for key, kept in _REREADS:
        _reread_once(conn, result, prober, key, kept, found, cancel, progress)


def _reread_once(conn, result: ScanReport, prober: Callable[[str, str], AudioInfo], key: str,
                 kept: str, found: Collection[str] | None, cancel: CancelToken | None,
                 progress: ProgressFn | None) -> None:
    """:func:`reread_old_tags` of one re-read: what is left under ``key`` of its suspects."""
    left = q.get_setting(conn, key)
    if left == []:
        return
    after, listed = _left_to_read(left)
    in_reach, away = _listed_in_reach(conn, listed, found)  # away: left listed, untouched
    rows: list[_Suspect] = []
    for row in _suspects(conn, after, in_reach, kept):
        if _out_of_reach(row, found):
            away.append(row.id)
        else:
            rows.append(row)
    unreached: list[int] = []
    misreads: list[tuple[int, str, dict, dict]] = []
    done, started = 0, False
    try:
        for row in rows:
            check_cancel(cancel)
            if not started and P.is_file_path(row.path):  # said as its first file is opened,
                report(progress, STAGE, done, len(rows))  # at once: a drive's worth of them
                started = True  # may be read before the next report
            _read_again(row, prober, unreached, misreads)
            done += 1
            if len(misreads) >= BATCH:
                _write(conn, misreads, result)
            if started and (done % 50 == 0 or done == len(rows)):
                report(progress, STAGE, done, len(rows), P.display(row.path))
    finally:  # also on cancel: what was read is kept, and where it stopped
        _write(conn, misreads, result)
        still = away + unreached + [r.id for r in rows[done:] if r.id in listed]
        _keep_left(conn, key, left, _left_after(still, after, rows, done))


def _left_after(still: list[int], after: int | None, rows: list[_Suspect],
                done: int) -> list[int] | dict:
    """The :data:`REREAD_KEY` setting once ``done`` of ``rows`` are read: ``still`` (the
    ids to look at again), and where a run over the tracks ``after`` an id stopped."""
    if done == len(rows) or after is None:
        return sorted(set(still))
    last = max(after, rows[done - 1].id if done else after)
    return {"after": last, "unreached": sorted({i for i in still if i <= last})}


def _keep_left(conn, key: str, left, still) -> None:
    """Store ``still`` as the ``key`` setting unless it is what is stored (``left``):
    a scan that read nothing writes nothing (each batch of a folder watch)."""
    if still != left:
        with transaction(conn):
            q.set_setting(conn, key, still)


def _listed_in_reach(conn, listed: set[int],
                     found: Collection[str] | None) -> tuple[set[int], list[int]]:
    """(The ``listed`` tracks stored present or whose path this scan's listing ``found``, the
    others: stored missing, their files not looked for); the ids of tracks since forgotten in
    neither. Cheaper than :data:`_SUSPECTS_SQL` on 10,000 tracks of an unplugged drive."""
    in_reach, away = set(), []
    for which, names in _id_in(listed):
        for track_id, path, status in conn.execute(
                f"SELECT id, path, status FROM tracks WHERE {which}", names):
            if status == "present" or (found is not None and path in found):
                in_reach.add(track_id)
            else:
                away.append(track_id)
    return in_reach, away


def _out_of_reach(row: _Suspect, found: Collection[str] | None) -> bool:
    """Whether ``row``'s track is stored missing and this scan's listing did not find its
    path (``found``): its file is not looked for (a stale mount waits on each)."""
    return row.status != "present" and (found is None or row.path not in found)


def _left_to_read(left) -> tuple[int | None, set[int]]:
    """(Read the tracks after this id — None: none but the listed —, the ids listed) of the
    :data:`REREAD_KEY` setting ``left`` (absent: all; anything unknown: all, as absent)."""
    if isinstance(left, list):
        return None, {i for i in left if isinstance(i, int)}
    if isinstance(left, dict) and isinstance(left.get("after"), int):
        listed = left.get("unreached")
        return left["after"], {i for i in listed or [] if isinstance(i, int)}
    return 0, set()


def _suspects(conn, after: int | None, listed: set[int], kept: str) -> list[_Suspect]:
    """The suspect rows (:data:`_SUSPECTS_SQL`) with an id in ``listed`` or above ``after``,
    by id, those the cheap checks keep: a library left with a few tracks out of reach is not
    searched whole again by each scan (each batch of a folder watch)."""
    rows: dict[int, _Suspect] = {}
    for which, names in _id_in(listed):
        rows.update((r[0], _Suspect(*r)) for r in conn.execute(
            _SUSPECTS_SQL.format(which=which, kept=kept), {**_PATTERNS, **names}))
    if after is not None:
        rows.update((r[0], _Suspect(*r)) for r in conn.execute(
            _SUSPECTS_SQL.format(which="id > :after", kept=kept),
            {**_PATTERNS, "after": after}))
    return [r for _id, r in sorted(rows.items())
            if r.sure or r.ape or (r.wide and _looks_byte_swapped(r))]


def _id_in(ids: set[int]) -> Iterator[tuple[str, dict[str, int]]]:
    """SQL ``id IN (…)`` and its parameters, for each chunk of ``ids`` (by id)."""
    for _marks, chunk in in_chunks(sorted(ids)):
        names = {f"id{n}": track_id for n, track_id in enumerate(chunk)}
        yield f"id IN ({', '.join(':' + name for name in names)})", names


def _read_again(row: _Suspect, prober: Callable[[str, str], AudioInfo], unreached: list[int],
                found: list[tuple[int, str, dict, dict]]) -> None:
    """Read ``row``'s file again: its id into ``unreached`` when it cannot be reached, and
    into ``found`` with the columns an older version misread (stored, now), if any."""
    sure = row.sure or (row.wide and _looks_byte_swapped(row))
    if not sure and not tag_unread_in(row.path, row.format):
        return  # an empty field, and no tag an older version skipped: not worth a read
    reached, tags = _tags_now(row, prober)
    if not reached:
        unreached.append(row.id)
        return
    stored = dict(zip(TAG_COLUMNS, row[5:12]))
    untitled = P.display(os.path.splitext(os.path.basename(row.path))[0])  # as older scans kept it
    misread_columns = [c for c in TAG_COLUMNS if tags is not None and tags[c] != stored[c]
                       and misread(c, stored[c], tags[c], row.format, untitled)]
    if misread_columns:
        found.append((row.id, row.path, {c: stored[c] for c in misread_columns},
                      {c: tags[c] for c in misread_columns}))


def _looks_byte_swapped(row: _Suspect) -> bool:
    """Whether a stored text is big-endian UTF-16 read little-endian: the scan's own test
    (:func:`~.tag_values.big_endian_read_as_little`), so that a title the scan reads right
    ("开怀") is not taken for one an older version misread."""
    return any(isinstance(text, str) and big_endian_read_as_little(text) is not None
               for text in row[5:10])


def _tags_now(row, prober: Callable[[str, str], AudioInfo]) -> tuple[bool, dict | None]:
    """(Whether the track's file could be reached, its tags as this version stores them if
    it is as last scanned — None otherwise: a changed file is read by the scan that finds it,
    and one that no longer reads is left as stored)."""
    _track_id, path, size, mtime_ns, fmt = row[:5]
    reached, fs_path = as_last_scanned(path, size, mtime_ns)
    if fs_path is None:
        return reached, None
    ext_format = audio_format(os.path.basename(fs_path)) or fmt
    try:
        info = prober(fs_path, ext_format)
    except UnreadableAudio:
        return True, None
    found = FoundFile(fs_path, path, ext_format, size, mtime_ns)
    values = track_values(found, info)
    return True, {c: values[c] for c in TAG_COLUMNS}


def misread(column: str, stored, now, fmt: str | None, untitled: str | None = None) -> bool:
    """Whether ``stored``, a track's ``column``, is what an older version read of the value
    the file gives ``now`` — the per-column mirror of :data:`_SUSPECTS_SQL`. None stored is
    (a value now read where none was: an unread APEv2 tag, a first value left empty; no
    import empties a column), and so is a title that is the file's name (``untitled``: no
    title read); a number 0 or not a year; text whose repair by a fixed reader
    (:func:`_readings`) reads ``now``, or an ID3v1 field cut from it. Anything else — an
    imported title, a tag edited since in the library — is kept. What keeps a right AIFF
    title is the reader's guess itself (:mod:`.riff_tags`: Mac OS Roman only where it reads
    strictly better, a tie to the Windows-1252 that older versions stored, so ``now`` equals
    such a title); :func:`~.riff_tags.reads_better` only guards a stored value that is not
    that reading (one an in-between build or another reader left)."""
    if stored is None or (column == "title" and stored == untitled):
        return now is not None
    if column in ("track_number", "year"):
        return not isinstance(stored, int) or stored <= 0 or (
            column == "year" and not 1000 <= stored <= 9999)
    if not isinstance(stored, str):
        return False
    if (now or "") in _readings(stored, None):
        return True
    if fmt == "aiff" and isinstance(now, str) and now in _readings(stored, fmt):
        return reads_better(now, stored)  # a tie keeps the Windows-1252 reading stored
    return fmt == "mp3" and isinstance(now, str) and _id3v1_of(stored, now)


_CP1252_CONTROLS = {byte: bytes([byte]).decode("cp1252", errors="ignore") or None
                    for byte in range(0x80, 0xA0)}
_REPAIRS: tuple[Callable[[str], str], ...] = (
    lambda s: s.encode("latin-1").decode("utf-8"),  # UTF-8 in a Latin-1 ID3 frame
    lambda s: s.encode("cp1252").decode("utf-8"),  # the same read as Windows-1252
    lambda s: s.translate(_CP1252_CONTROLS),  # Windows-1252 in a Latin-1 frame: "Don’t"
    lambda s: big_endian_read_as_little(s) or s,  # UTF-16BE read little-endian
)
_AIFF_REPAIRS: tuple[Callable[[str], str], ...] = (
    lambda s: s.encode("cp1252").decode("mac_roman"),  # Mac OS Roman read as Windows-1252
    lambda s: s.encode("latin-1").decode("mac_roman"),  # or as Latin-1
)


def _readings(stored: str, fmt: str | None) -> set[str]:
    """What a stored text reads as once cleaned (control characters, byte-order marks, runs
    of spaces, its length: :func:`~.tag_values.as_text`) after each fixed reader's repair
    that applies to it ("" for nothing left)."""
    texts = {stored}
    for repair in _REPAIRS + (_AIFF_REPAIRS if fmt == "aiff" else ()):
        try:
            texts.add(repair(stored))
        except UnicodeError:
            pass
    return {as_text(text) or "" for text in texts}


_ID3V1_UNKNOWN = r"(?:[^\x00-\xff]|\?)"
"""What a "?" of an ID3v1 field stands for: one character Latin-1 lacks, or a "?"."""


ID3V1_FIELD = 30
"""The bytes of an ID3v1 text field: one a character, "?" for one Latin-1 lacks."""


def _id3v1_of(stored: str, now: str) -> bool:
    """Whether ``stored`` is an ID3v1 field read where an MP3's APEv2 tag gives ``now``: cut
    at its 30 bytes, each character Latin-1 lacks as "?" ("????" of "東京事変"; "What??" is
    no cut of "Whatever Happened"), its spaces then stripped by the ID3v1 reader (a cut just
    after a word, "Everything In Its Right Place " of "… Place (Live)", stored shorter)."""
    cut = len(stored) == ID3V1_FIELD or _cut_at_a_space(stored, now)
    if not cut and "??" not in stored:
        return False
    pattern = "".join(_ID3V1_UNKNOWN if c == "?" else re.escape(c) for c in stored)
    return re.fullmatch(pattern + (".*" if cut else ""), now, re.S) is not None


def _cut_at_a_space(stored: str, now: str) -> bool:
    """Whether ``now``, longer than an ID3v1 field, holds only spaces between where ``stored``
    ends and the field's end: ``stored`` may be its cut, the spaces stripped (a character of
    ``now`` one byte of the field, as :func:`_id3v1_of` reads it)."""
    rest = now[len(stored):ID3V1_FIELD]
    return len(now) > ID3V1_FIELD and len(stored) < ID3V1_FIELD and rest.isspace()


def _write(conn, found: list[tuple[int, str, dict, dict]], result: ScanReport) -> None:
    """Store the misread columns of ``found`` (emptied), nothing else of their tracks, and say
    so. Not ``updated_at`` either: it dates the file's last change, against which an analysis
    that failed counts as failed since (:mod:`.damaged_vectors`, ``stats``) and an ``embed``
    running meanwhile checks its vector (its file did not change: the vector stays valid)."""
    if not found:
        return
    with transaction(conn):
        for track_id, _path, _stored, now in found:
            conn.execute(f"UPDATE tracks SET {', '.join(f'{c} = ?' for c in now)} WHERE id = ?",
                         [*now.values(), track_id])
    for _track_id, path, stored, now in found:
        result.notes.append((ShownPath.of(path), reread_note(stored, now)))
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

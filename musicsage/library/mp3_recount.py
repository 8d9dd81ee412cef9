"""MP3 tracks that scans before frames were counted (:mod:`.mpeg_frames`) stored with their
header's length, recounted once.

A scan skips a file whose stamp it knows, so an existing library's MP3s whose header does not
bound their audio (no Xing/Info header, files joined end to end) kept the short length and the
vectors made from their first part until the file changed (there is no ``--force``). The next
scan after the upgrade counts them once: a track whose count differs from its stored length by
more than :data:`RECOUNT_SLACK_S` takes the counted one and is analysed again, its vectors
dropped, as a changed file is (:func:`~.scan_write.changed_content`). A file touched, retagged
or moved since is read by the scan, which compares the same way (:meth:`.ScanWriter.add`).

Cheap for a library whose MP3s all have their header: :func:`~.mpeg_frames.counted_length`
reads the first frame, and past the end the header states, no more (what the probe reads).
Which tracks are left is kept in ``settings`` (:data:`RECOUNT_KEY`, no schema change): none
recounted yet, the ids whose file was out of reach (a drive not mounted, counted once it is
back), or none left. A cancelled recount keeps what it wrote and starts over at the next
scan (what it wrote then matches).
"""

from __future__ import annotations

from typing import Collection

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.mpeg_frames import counted_length
from musicsage.library.scan_report import ScanReport, ShownPath
from musicsage.library.scan_write import RECOUNT_SLACK_S, changed_content, recounted_note
from musicsage.library.walk import as_last_scanned
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

RECOUNT_KEY = "mp3_lengths_recount"
"""``settings`` key: absent before the first recount; then the ids of the MP3 tracks whose
file it could not reach (recounted by the next scan), ``[]`` once none is left."""

STAGE = "scan: counting MP3 lengths"
"""The recount's progress stage (the window's words for it: ``controllers/wording.py``)."""

BATCH = 200
"""Tracks recounted per write transaction (short ones: the window reads meanwhile)."""

_MP3_TRACKS_SQL = ("SELECT id, path, size, mtime_ns, duration, status FROM tracks"
                   " WHERE format = 'mp3' AND size IS NOT NULL ORDER BY id")


def recount_old_mp3s(conn, result: ScanReport, listed: "Collection[str] | None" = None, *,
                     cancel: CancelToken | None = None,
                     progress: ProgressFn | None = None) -> None:
    """Recount, once, the MP3 tracks of the library whose file is as last scanned (module
    doc), writing those whose length was wrong and telling them in ``result``. ``listed``:
    the paths this scan's listing found; a track stored missing and not among them stays
    left, its file not looked for (an unplugged drive's, a stale mount waiting on each), as
    :mod:`.tag_reread` does."""
    left = q.get_setting(conn, RECOUNT_KEY)
    if left == []:
        return
    wanted = None if not isinstance(left, list) else set(left)
    rows: list[tuple[int, str, int, int | None, float | None]] = []
    unreached: list[int] = []  # ids left listed: stored missing and not listed, not reached
    for track_id, path, size, mtime_ns, stored, status in conn.execute(_MP3_TRACKS_SQL):
        if wanted is not None and track_id not in wanted:
            continue
        if status != "present" and (listed is None or path not in listed):
            unreached.append(track_id)  # stored missing, not listed: not looked for
        else:
            rows.append((track_id, path, size, mtime_ns, stored))
    found: list[tuple[int, str, float | None, float]] = []
    try:
        for done, (track_id, path, size, mtime_ns, stored) in enumerate(rows, start=1):
            check_cancel(cancel)
            if done == 1:  # as the first file is opened, at once: a drive's worth of files
                report(progress, STAGE, 0, len(rows))  # may be counted before the next report
            reached, counted = _counted_seconds(path, size, mtime_ns)
            if not reached:
                unreached.append(track_id)
            elif counted is not None and (stored is None
                                          or abs(counted - stored) > RECOUNT_SLACK_S):
                found.append((track_id, path, stored, counted))
            if len(found) >= BATCH:
                _write(conn, found, result)
            if done % 200 == 0 or done == len(rows):
                report(progress, STAGE, done, len(rows), P.display(path))
    finally:  # also on cancel: what was counted is kept
        _write(conn, found, result)
    if sorted(unreached) != left:  # a batch that counted nothing writes nothing
        with transaction(conn):
            q.set_setting(conn, RECOUNT_KEY, sorted(unreached))


def _counted_seconds(path: str, size: int, mtime_ns: int | None) -> tuple[bool, float | None]:
    """(Whether the track's file could be reached, its counted length if it is as last scanned
    and its header does not bound its audio — None otherwise: a changed file is read again by
    the scan that finds it). A file that cannot be opened is unreached, counted next time:
    :func:`~.mpeg_frames.counted_length` gives None on a read error too, which would read as
    a header that bounds the audio, and the track would never be counted."""
    reached, fs_path = as_last_scanned(path, size, mtime_ns)
    if fs_path is None:
        return reached, None
    counted = counted_length(fs_path)
    return True, (counted[0] / counted[1] if counted else None)


def _write(conn, found: list[tuple[int, str, float | None, float]], result: ScanReport) -> None:
    """Store the counted lengths of ``found`` (emptied), their vectors dropped, and say so."""
    if not found:
        return
    with transaction(conn):
        for track_id, _path, _stored, counted in found:
            changed_content(conn, track_id, duration=counted)
    for _track_id, path, stored, counted in found:  # (counted unchanged: its file is)
        result.notes.append((ShownPath.of(path), recounted_note(stored, counted)))
    found.clear()

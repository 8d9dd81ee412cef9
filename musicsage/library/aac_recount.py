"""Raw AAC tracks that scans before ADTS frames were counted (:mod:`.adts_frames`) stored with
a length guessed from their bit rate, counted once: :func:`recount_old_aacs`.

A scan skips a file whose stamp it knows, so an existing library's VBR ``.aac`` files kept the
length mutagen guessed (17:41 for a 1:00 track with a quiet intro) until each file changed:
the window's list, the player's queue and ``playlists`` showed it. The next scan after the
upgrade counts them once and stores the counted length of each more than
:data:`~.scan_write.RECOUNT_SLACK_S` off. Only the length is written: unlike an MP3's
(:mod:`.mp3_recount`), a raw AAC's vectors were never made from the stored length (the
decoder reads the file itself), so they stay, and the track counts unchanged. A file touched,
retagged or moved since is read by the scan, which stores the counted length.

Which tracks are left is kept in ``settings`` (:data:`RECOUNT_KEY`, no schema change), as
:mod:`.mp3_recount` keeps its own: absent before the first run; the ids whose file was out of
reach (a drive not mounted: counted once it is back); ``[]`` once none is left. Raw AAC files
are few in a library and their frame headers are read without decoding, so the count reports
no progress of its own; a cancel is heeded between two files, what was counted kept.
"""

from __future__ import annotations

from typing import Collection

from musicsage.library import queries as q
from musicsage.library.adts_frames import adts_length
from musicsage.library.db import transaction
from musicsage.library.scan_report import ScanReport, ShownPath
from musicsage.library.scan_write import RECOUNT_SLACK_S
from musicsage.library.walk import as_last_scanned
from musicsage.progress import CancelToken, check_cancel
from musicsage.text import format_time

RECOUNT_KEY = "aac_lengths_recount"
"""``settings`` key: absent before the first count; then the ids of the raw AAC tracks whose
file it could not reach, ``[]`` once none is left."""

_AAC_TRACKS_SQL = ("SELECT id, path, size, mtime_ns, duration, status FROM tracks"
                   " WHERE format = 'aac' AND size IS NOT NULL ORDER BY id")


def recount_old_aacs(conn, result: ScanReport, listed: "Collection[str] | None" = None, *,
                     cancel: CancelToken | None = None) -> None:
    """Count, once, the raw AAC tracks of the library whose file is as last scanned (module
    doc), storing the lengths that were wrong and telling them in ``result``. ``listed``: the
    paths this scan's listing found; a track stored missing and not among them stays left,
    its file not looked for (as :mod:`.mp3_recount` does)."""
    left = q.get_setting(conn, RECOUNT_KEY)
    if left == []:
        return
    wanted = None if not isinstance(left, list) else set(left)
    unreached: list[int] = []
    found: list[tuple[int, str, float | None, float]] = []
    try:
        for track_id, path, size, mtime_ns, stored, status in conn.execute(
                _AAC_TRACKS_SQL).fetchall():
            if wanted is not None and track_id not in wanted:
                continue
            check_cancel(cancel)
            reached, fs_path = (False, None) if status != "present" and (
                listed is None or path not in listed) else as_last_scanned(path, size, mtime_ns)
            if not reached:
                unreached.append(track_id)  # out of reach: counted when it is back
            elif fs_path is not None and (counted := adts_length(fs_path)) is not None \
                    and (stored is None or abs(counted - stored) > RECOUNT_SLACK_S):
                found.append((track_id, path, stored, counted))
    finally:  # also on cancel: what was counted is kept (the rest is counted next time)
        _write(conn, found, result)
    if sorted(unreached) != left:
        with transaction(conn):
            q.set_setting(conn, RECOUNT_KEY, sorted(unreached))


def _write(conn, found: list[tuple[int, str, float | None, float]], result: ScanReport) -> None:
    """Store the counted lengths of ``found`` (their vectors kept: module doc), and say so."""
    if not found:
        return
    with transaction(conn):
        conn.executemany("UPDATE tracks SET duration = ? WHERE id = ?",
                         [(counted, track_id) for track_id, _p, _s, counted in found])
    for _track_id, path, stored, counted in found:
        was = format_time(stored) if stored is not None else "none"
        result.notes.append((ShownPath.of(path), f"its length counted from its frames is "
                             f"{format_time(counted)} (stored: {was}, a guess from its bit "
                             "rate): stored; its vectors kept"))

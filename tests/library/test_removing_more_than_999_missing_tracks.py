"""File › Remove missing tracks… after a large album folder was deleted: more than 999 missing
tracks asked about, found again, removed, their playlist entries counted — each an ``IN (…)``
query over their ids. SQLite builds allowing 999 host parameters (before 3.32; python.org's)
fail one naming them all with "too many SQL variables": the removal runs under that limit
here, and takes them all."""

from __future__ import annotations

import sqlite3

from library_audio import write_audio

from musicsage.library.forget import forget_missing, missing_to_remove
from musicsage.library.in_chunks import PARAMS_PER_QUERY, in_chunks
from musicsage.library.scan import resolve_roots, scan_roots

OLD_SQLITE_LIMIT = 999
"""Host parameters a statement may have in SQLite builds older than 3.32."""
GONE = OLD_SQLITE_LIMIT + 2


def test_more_than_999_missing_tracks_asked_about_are_all_removed(conn, music):
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, OLD_SQLITE_LIMIT)
    files = [write_audio(music / "album" / f"s{i:04d}.wav", seconds=0.01, freq=100.0 + 3 * i)
             for i in range(GONE)]
    write_audio(music / "stays.wav", seconds=0.01, freq=50.0)  # the music folder is not empty
    roots = resolve_roots([music])
    scan_roots(conn, roots)
    for f in files:
        f.unlink()
    scan_roots(conn, roots)
    asked = missing_to_remove(conn)
    assert asked.tracks == GONE

    report = forget_missing(conn, asked=asked)

    assert (report.tracks, report.returned, report.unasked, report.copy_gone) == (GONE, 0, 0, 0)
    assert [p for (p,) in conn.execute("SELECT path FROM tracks")] == [str(music / "stays.wav")]


def test_chunks_stay_under_the_old_limit_and_keep_every_value_in_order():
    values = list(range(2 * PARAMS_PER_QUERY + 1))
    chunks = list(in_chunks(values))
    assert [len(c) for _marks, c in chunks] == [PARAMS_PER_QUERY, PARAMS_PER_QUERY, 1]
    assert all(marks.count("?") == len(c) <= OLD_SQLITE_LIMIT for marks, c in chunks)
    assert [v for _marks, c in chunks for v in c] == values
    assert list(in_chunks([])) == [], "no query for no values: IN () is no SQL"

"""A large album folder copied to another folder of the library, then deleted (its folder
kept, so no drive looks unplugged): the next scan folds each missing track into its copy.
Past 999 of them the scan failed with "too many SQL variables" on SQLite builds allowing
999 host parameters (before 3.32; python.org's), asking the moved tracks' old paths in one
query: the scan runs under that limit here, and folds them all."""

from __future__ import annotations

import shutil
import sqlite3

from library_audio import write_audio

from musicsage.library.scan import resolve_roots, scan_roots

OLD_SQLITE_LIMIT = 999
"""Host parameters a statement may have in SQLite builds older than 3.32."""
MOVED = OLD_SQLITE_LIMIT + 1


def test_a_scan_folding_more_than_999_copies_finishes(conn, music):
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, OLD_SQLITE_LIMIT)
    for i in range(MOVED):
        write_audio(music / "a" / f"s{i:04d}.wav", seconds=0.01, freq=100.0 + 3 * i)
    write_audio(music / "a" / "stays.wav", seconds=0.01, freq=50.0)  # a/ is not left empty
    roots = resolve_roots([music])
    scan_roots(conn, roots)
    ids = dict(conn.execute("SELECT path, id FROM tracks"))
    shutil.copytree(music / "a", music / "b", copy_function=shutil.copy2)
    scan_roots(conn, roots)  # the copies seen, their originals still there
    for i in range(MOVED):
        (music / "a" / f"s{i:04d}.wav").unlink()

    report = scan_roots(conn, roots)

    assert (report.moved, report.missing) == (MOVED, 0)
    now = dict(conn.execute("SELECT path, id FROM tracks WHERE status = 'present'"))
    assert all(now[str(music / "b" / f"s{i:04d}.wav")] == ids[str(music / "a" / f"s{i:04d}.wav")]
               for i in range(MOVED)), "each track kept its id at its copy's path"
    assert len(now) == MOVED + 2, "a/stays.wav and its copy b/stays.wav; no copy row left"

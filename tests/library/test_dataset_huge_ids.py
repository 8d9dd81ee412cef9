"""A dataset dir whose track or playlist id was 9223372036854775807 (SQLite's largest integer)
broke the library for good: the import kept the id, and every later new id — "the largest
plus one" — overflowed, so every import and scan after it crashed. Ids from 2**62 up now get
a new id (with the usual note), new ids go on from the largest one below 2**62, and a library
that already holds such an id scans and imports again."""

from __future__ import annotations

import sqlite3

import pytest
from library_audio import write_audio

from musicsage.errors import MusicsageError
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.track_ids import FLOOR_KEY, next_track_id
from musicsage.usecases.library import import_dataset, scan_library

HUGE = 2**63 - 1


def dataset(tmp_path, name: str, tracks: str, memberships: str = ""):
    d = tmp_path / name
    d.mkdir()
    (d / "tracks.csv").write_text(tracks)
    if memberships:
        (d / "memberships.csv").write_text(memberships)
    return d


def test_a_huge_id_gets_a_new_one_and_later_imports_and_scans_work(ctx, tmp_path):
    rep = import_dataset(ctx, dataset(tmp_path, "max1", f"track_id,title\n{HUGE},Big\n",
                                      f"playlist_id,track_id\n{HUGE},{HUGE}\n"))
    assert any(f"track_id '{HUGE}', now #1" in n for n in rep.notes)
    assert any(f"playlist_id '{HUGE}', now #1" in n for n in rep.notes)
    import_dataset(ctx, dataset(tmp_path, "max2", "track_id,title\nx1,Other\n"))
    write_audio(tmp_path / "music" / "a.wav")
    scan_library(ctx, [str(tmp_path / "music")])
    assert sorted(t["id"] for t in q.all_tracks(connect(ctx))) == [1, 2, 3]


def test_2_to_the_62_is_not_kept_but_the_id_below_it_is(ctx, tmp_path):
    import_dataset(ctx, dataset(tmp_path, "d", f"track_id,title\n{2**62},A\n{2**62 - 1},B\n"))
    assert {t["title"]: t["id"] for t in q.all_tracks(connect(ctx))} == {
        "A": 2**62, "B": 2**62 - 1}  # A: the id after every kept one


def test_a_library_that_already_holds_a_huge_id_scans_and_imports_again(ctx, tmp_path):
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(id, path, title, status) VALUES (?, 'dataset:/x#big',"
                 " 'Big', 'present')", (HUGE,))
    conn.execute("INSERT INTO playlists(id, path, name, format) VALUES (?, 'dataset:/x#p',"
                 " 'p', 'dataset')", (HUGE,))
    conn.commit()
    write_audio(tmp_path / "music" / "a.wav")
    scan_library(ctx, [str(tmp_path / "music")])
    import_dataset(ctx, dataset(tmp_path, "d", "track_id,title\nx,X\n",
                                "playlist_id,track_id\nmix,x\n"))
    ids = {t["title"]: t["id"] for t in q.all_tracks(connect(ctx))}
    assert ids == {"Big": HUGE, "a": 1, "X": 2}
    assert sorted(p["id"] for p in q.playlist_rows(connect(ctx))) == [1, HUGE]


def test_no_id_left_is_one_line_not_an_overflow(ctx):
    conn = connect(ctx)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (FLOOR_KEY, str(HUGE)))
    conn.execute("INSERT INTO tracks(id, path, status) VALUES (?, 'x', 'present')", (2**62 - 1,))
    with pytest.raises(MusicsageError, match="no new tracks id is left"):
        next_track_id(conn)
    assert isinstance(conn, sqlite3.Connection)

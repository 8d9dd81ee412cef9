"""Path storage: non-UTF-8 names round-trip through the DB text form."""

from __future__ import annotations

import os

from musicsage.library import paths


def test_utf8_paths_are_stored_verbatim():
    for p in ["/music/a b.flac", "/music/Beyoncé/Ünïcode – 曲.mp3", "/m/e\u0301.wav"]:
        assert paths.from_fs(p) == p
        assert paths.to_fs(p) == p
        assert paths.to_fs_bytes(p) == p.encode()


def test_non_utf8_bytes_round_trip_and_fit_in_sqlite(ctx):
    raw = b"/music/caf\xe9 \xff\x80.wav"
    stored = paths.from_fs(raw)
    stored.encode("utf-8")  # valid text for SQLite
    assert paths.to_fs_bytes(stored) == raw
    assert paths.to_fs(stored) == os.fsdecode(raw)
    assert paths.from_fs(os.fsdecode(raw)) == stored
    assert "\ufffd" in paths.display(stored)
    from musicsage.library.db import connect
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(path) VALUES (?)", (stored,))
    assert conn.execute("SELECT path FROM tracks").fetchone()[0] == stored


def test_match_key_ignores_case_and_normalisation():
    assert paths.match_key("/M/Cafe\u0301.MP3") == paths.match_key("/m/caf\u00e9.mp3")

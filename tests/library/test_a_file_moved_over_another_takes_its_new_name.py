"""A file moved over another track's file takes the title its new name gives, as a plain
rename does: an untagged ``a.wav`` moved onto ``b.wav`` (b in a playlist) was listed as "a"
at b.wav — a re-encode written as ``b.tmp.wav``, then renamed over ``b.wav``, showed the song
as "b.tmp" for good."""

from __future__ import annotations

import os

from test_a_file_moved_over_another_tracks_file import _two_tracks

from musicsage.usecases.library import scan_library


def _title_at(conn, path) -> str:
    return conn.execute("SELECT title FROM tracks WHERE path = ?", (str(path),)).fetchone()[0]


def test_moved_over_another_it_is_titled_by_its_new_name(ctx, conn, tmp_path, make_audio):
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="b")
    renamed_alone = _title_at(conn, music / "a.wav")
    assert renamed_alone == "a", "untagged: titled by its file's name"
    os.replace(music / "a.wav", music / "b.wav")

    report = scan_library(ctx)

    assert report.moved == 1
    assert _title_at(conn, music / "b.wav") == "b"

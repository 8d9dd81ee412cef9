"""A chain of renames, ``mv b.wav c.wav; mv a.wav b.wav``, seen by one scan or one batch of
the folder watch: c.wav was taken for a copy of b's song (b.wav was still there), b.wav for
b's file changed, then for a's file moved over it. The scan said "1 new, 1 moved" and noted
that b's track "left the library (its audio was overwritten)": b's song, at c.wav, lost its
id, its vectors (analysed again) and its playlist place, which played a's song instead. Each
track now follows its song: b's to c.wav, a's to b.wav, two moves."""

from __future__ import annotations

import os

from test_a_file_moved_over_another_tracks_file import _rows, _two_tracks
from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _each_song_kept(conn, music, ids, new_name: str) -> None:
    tracks, vectors, entries = _rows(conn)
    assert sorted(tracks) == [(ids["a"], str(music / "b.wav"), "present"),
                              (ids["b"], str(music / new_name), "present")]
    assert sorted(vectors) == [ids["a"], ids["b"]], "no song to analyse again"
    assert entries == [ids["a"], ids["b"]], "the playlist plays a's song, then b's"


def test_a_chain_of_renames_is_two_moves(ctx, conn, tmp_path, make_audio):
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="ab")
    os.replace(music / "b.wav", music / "c.wav")
    os.replace(music / "a.wav", music / "b.wav")

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 2, 0)
    assert report.notes == [], "no track's audio was overwritten"
    _each_song_kept(conn, music, ids, "c.wav")
    again = scan_library(ctx)
    assert (again.added, again.updated, again.moved, again.unchanged) == (0, 0, 0, 2)


def test_the_new_name_read_first_is_the_same(ctx, conn, tmp_path, make_audio):
    """0.wav is read before b.wav: b's song is found moved before its old path is read."""
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="ab")
    os.replace(music / "b.wav", music / "0.wav")
    os.replace(music / "a.wav", music / "b.wav")

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 2, 0)
    _each_song_kept(conn, music, ids, "0.wav")


def test_a_chain_of_renames_in_one_batch_of_the_watch(ctx, tmp_path, make_audio):
    conn = connect(ctx)
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="ab")
    watch = Watching(ctx, embed=False)
    try:
        os.replace(music / "b.wav", music / "c.wav")
        os.replace(music / "a.wav", music / "b.wav")
        wait_until(lambda: any(r.scan.moved for r in watch.reports), "the renames' batch")
    finally:
        watch.stop()
    assert [r.summary() for r in watch.reports if not r.empty] \
        == ["2 moved ('c.wav' and 'b.wav')"]
    _each_song_kept(connect(ctx), music, ids, "c.wav")


def test_a_file_moved_over_another_still_overwrites_it(ctx, conn, tmp_path, make_audio):
    """A guard: with no chain (b's song is nowhere else), a's file moved over b's is a move
    over another's file, as before (tests/library/test_a_file_moved_over_another_tracks_file.py)."""
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="ab")
    os.replace(music / "a.wav", music / "b.wav")

    report = scan_library(ctx)

    assert (report.added, report.moved, report.missing) == (0, 1, 0)
    assert "its audio was overwritten" in report.notes[0][1]
    assert _rows(conn)[0] == [(ids["a"], str(music / "b.wav"), "present")]


def test_a_backup_copy_beside_an_unchanged_original_stays_a_copy(ctx, conn, tmp_path,
                                                                make_audio):
    """A guard: b's song copied (c.wav) while b.wav still holds it is a second track."""
    music, ids = _two_tracks(ctx, conn, tmp_path, make_audio, listed="ab")
    (music / "c.wav").write_bytes((music / "b.wav").read_bytes())
    os.replace(music / "a.wav", music / "a2.wav")

    report = scan_library(ctx)

    assert (report.added, report.moved, report.missing) == (1, 1, 0)
    tracks = _rows(conn)[0]
    assert (ids["b"], str(music / "b.wav"), "present") in tracks
    assert len(tracks) == 3

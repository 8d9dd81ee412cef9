"""A chain of three renames whose last song had a copy the user deleted first: a.wav, b.wav,
c.wav and x/c.wav (c's audio again), then ``rm x/c.wav; mv c.wav d.wav; mv b.wav c.wav;
mv a.wav b.wav``. d.wav went to the deleted copy's track (its file gone, it came before c's
track, whose c.wav was still a file), so c.wav was read as c's file changed (its vector
dropped) and b.wav as a's file moved over b's: b's track left the library with its vector,
and its playlist place played a's song. Each track now follows its song: a to b.wav, b to
c.wav, c to d.wav, three moves; the deleted copy's track is missing, its vector kept."""

from __future__ import annotations

import os
import shutil

from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _library(ctx, conn, tmp_path, make_audio):
    """a, b, c (three songs) and x/c (c's copy), each with a vector and a playlist place."""
    music = tmp_path / "music"
    for i, name in enumerate("abc"):
        make_audio(music / f"{name}.wav", freq=220.0 + 110 * i)
    (music / "x").mkdir()
    shutil.copy2(music / "c.wav", music / "x" / "c.wav")
    names = ["a.wav", "b.wav", "c.wav", "x/c.wav"]
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{music / n}\n" for n in names), encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    ids = {n: conn.execute("SELECT id FROM tracks WHERE path = ?",
                           (str(music / n),)).fetchone()[0] for n in names}
    with conn:
        for tid in ids.values():
            conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                         " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (tid,))
    return music, ids


def _renumber(music, last: str = "d.wav") -> None:
    os.remove(music / "x" / "c.wav")
    os.replace(music / "c.wav", music / last)
    os.replace(music / "b.wav", music / "c.wav")
    os.replace(music / "a.wav", music / "b.wav")


def _each_song_followed(conn, music, ids, last: str = "d.wav") -> None:
    tracks = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, path, status FROM tracks")}
    assert tracks == {ids["a.wav"]: (str(music / "b.wav"), "present"),
                      ids["b.wav"]: (str(music / "c.wav"), "present"),
                      ids["c.wav"]: (str(music / last), "present"),
                      ids["x/c.wav"]: (str(music / "x" / "c.wav"), "missing")}
    assert sorted(r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")) \
        == sorted(ids.values()), "every vector kept: nothing to analyse again"
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries"
                                       " ORDER BY position")] \
        == [ids[n] for n in ("a.wav", "b.wav", "c.wav", "x/c.wav")], "each place, its song"


def test_the_scan_moves_each_track_along_the_chain(ctx, conn, tmp_path, make_audio):
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    _renumber(music)

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 3, 1)
    assert not any("overwritten" in note for _path, note in report.notes)
    _each_song_followed(conn, music, ids)
    again = scan_library(ctx)
    assert (again.added, again.updated, again.moved, again.unchanged) == (0, 0, 0, 3)


def test_the_chain_is_the_same_when_its_new_name_is_read_first(ctx, conn, tmp_path,
                                                               make_audio):
    """0.wav is read before c.wav: c's song is found moved before its old path is read."""
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    _renumber(music, last="0.wav")

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 3, 1)
    _each_song_followed(conn, music, ids, last="0.wav")


def test_the_chain_in_one_batch_of_the_watch(ctx, tmp_path, make_audio):
    conn = connect(ctx)
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    watch = Watching(ctx, embed=False)
    try:
        _renumber(music)
        wait_until(lambda: any(r.scan.moved for r in watch.reports), "the renames' batch")
    finally:
        watch.stop()
    moved = [r.scan for r in watch.reports if r.scan.moved]
    assert [(s.added, s.updated, s.moved) for s in moved] == [(0, 0, 3)]
    _each_song_followed(connect(ctx), music, ids)

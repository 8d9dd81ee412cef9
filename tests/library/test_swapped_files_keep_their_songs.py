"""Two files swapped (``mv a.wav t.wav; mv b.wav a.wav; mv t.wav b.wav``), or three turned
round, then one scan or one batch of the folder watch: every path was still a file, so each
was read as its track's file changed — both vectors dropped and analysed again, and each
playlist place played the other song. Now the tracks swap paths, each following its song
with its id, vectors and playlist places: two moves (three for three). A file edited in
place is still changed, and two files of the same audio swapped are no change at all."""

from __future__ import annotations

import os
import shutil

from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _library(ctx, conn, tmp_path, make_audio, names: str = "ab"):
    """One song a file (``a.wav``…), each with a vector and a place in a playlist file."""
    music = tmp_path / "music"
    for i, n in enumerate(names):
        make_audio(music / f"{n}.wav", freq=220.0 + 110 * i)
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{music / n}.wav\n" for n in names), encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    ids = {n: conn.execute("SELECT id FROM tracks WHERE path = ?",
                           (str(music / f"{n}.wav"),)).fetchone()[0] for n in names}
    with conn:
        for tid in ids.values():
            conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                         " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (tid,))
    return music, ids


def _turn(music, names: str) -> None:
    """The files' contents go round: ``names[0]``'s to ``names[1]``'s path, and so on."""
    os.replace(music / f"{names[-1]}.wav", music / "t.wav")
    for src, dst in zip(names[-2::-1], names[:0:-1]):
        os.replace(music / f"{src}.wav", music / f"{dst}.wav")
    os.replace(music / "t.wav", music / f"{names[0]}.wav")


def _paths(conn, music, ids) -> dict[str, str]:
    name = {v: k for k, v in ids.items()}
    return {name[r[0]]: os.path.relpath(r[1], music) for r in conn.execute(
        "SELECT id, path FROM tracks")}


def _songs_followed(conn, ids, names: str) -> None:
    assert sorted(r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")) \
        == sorted(ids.values()), "every vector kept: nothing to analyse again"
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries"
                                       " ORDER BY position")] == [ids[n] for n in names], \
        "each playlist place plays its song still"


def test_two_files_swapped_swap_their_tracks(ctx, conn, tmp_path, make_audio):
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    _turn(music, "ab")

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 2, 0)
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "a.wav"}
    _songs_followed(conn, ids, "ab")
    again = scan_library(ctx)
    assert (again.added, again.updated, again.moved, again.unchanged) == (0, 0, 0, 2)


def test_three_files_turned_round_follow_their_songs(ctx, conn, tmp_path, make_audio):
    music, ids = _library(ctx, conn, tmp_path, make_audio, "abc")
    _turn(music, "abc")  # a's song to b.wav, b's to c.wav, c's to a.wav

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 3, 0)
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "c.wav", "c": "a.wav"}
    _songs_followed(conn, ids, "abc")


def test_a_swap_in_one_batch_of_the_watch(ctx, tmp_path, make_audio):
    conn = connect(ctx)
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    watch = Watching(ctx, embed=False)
    try:
        _turn(music, "ab")
        wait_until(lambda: any(r.scan.moved or r.scan.updated for r in watch.reports),
                   "the swap's batch")
    finally:
        watch.stop()
    assert [(r.scan.updated, r.scan.moved) for r in watch.reports if not r.empty] == [(0, 2)]
    conn = connect(ctx)
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "a.wav"}
    _songs_followed(conn, ids, "ab")


def test_a_file_edited_in_place_beside_a_swap_is_changed(ctx, conn, tmp_path, make_audio):
    """A guard: c.wav's new content is no other track's old content: its track's, changed."""
    music, ids = _library(ctx, conn, tmp_path, make_audio, "abc")
    _turn(music, "ab")
    make_audio(music / "c.wav", freq=990.0)

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved) == (0, 1, 2)
    assert report.examples["changed"] == [str(music / "c.wav")]
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "a.wav", "c": "c.wav"}
    assert sorted(r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")) \
        == sorted([ids["a"], ids["b"]]), "only the edited file's vector dropped"


def test_two_files_of_the_same_audio_swapped_are_no_change(ctx, conn, tmp_path, make_audio):
    """A guard: a.wav and b.wav hold the same audio (a copy): swapped, nothing changed.
    Their times differ, so that the scan reads them (at the stamps stored it opens none)."""
    music = tmp_path / "music"
    make_audio(music / "a.wav", freq=440.0)
    shutil.copy2(music / "a.wav", music / "b.wav")
    then = os.stat(music / "b.wav").st_mtime_ns - 60 * 10**9
    os.utime(music / "b.wav", ns=(then, then))
    scan_library(ctx, [str(music)])
    before = sorted(tuple(r) for r in conn.execute("SELECT id, path FROM tracks"))
    _turn(music, "ab")

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 0, 0)
    assert sorted(tuple(r) for r in conn.execute("SELECT id, path FROM tracks")) == before
    assert {r[0]: r[1] for r in conn.execute("SELECT path, mtime_ns FROM tracks")} == {
        str(music / n): os.stat(music / n).st_mtime_ns for n in ("a.wav", "b.wav")}, \
        "both files read: each track has its file's new time"

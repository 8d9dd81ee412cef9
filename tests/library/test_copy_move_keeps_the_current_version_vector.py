"""A move across drives seen as a copy, then a delete: the missing track takes its copy's
place, and of their two vectors of one audio model it keeps the one of the version the
library searches. A re-analysis (new analysis settings: another model version) that reached
the track but not yet its copy left the copy's vector the out-of-date one; the track's
current vector was dropped for it, and the track fell out of the audio space until the next
``embed``."""

from __future__ import annotations

import shutil

from musicsage.usecases.library import scan_library


def _vector(conn, track_id: int, version: str, blob: bytes) -> None:
    with conn:
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) VALUES (?, 'spectral', ?, 1, ?)", (track_id, version, blob))


def _id(conn, name: str) -> int:
    return conn.execute("SELECT id FROM tracks WHERE path LIKE ?", (f"%/{name}",)).fetchone()[0]


def test_the_tracks_current_vector_stays_over_its_copys_older_one(ctx, conn, tmp_path,
                                                                   make_audio):
    music = tmp_path / "music"
    make_audio(music / "a" / "song.wav", freq=330.0)
    make_audio(music / "a" / "other.wav", freq=550.0)
    make_audio(music / "a" / "third.wav", freq=660.0)
    scan_library(ctx, [str(music)])
    (music / "b").mkdir()
    shutil.copy2(music / "a" / "song.wav", music / "b" / "song.wav")
    scan_library(ctx)
    tid, copy_id = _id(conn, "a/song.wav"), _id(conn, "b/song.wav")
    _vector(conn, copy_id, "v1", b"\x00\x00\x80\x3f")  # made before the re-analysis
    for track_id in (tid, _id(conn, "other.wav"), _id(conn, "third.wav")):
        _vector(conn, track_id, "v2", b"\x00\x00\x00\x40")  # the re-analysis' version
    (music / "a" / "song.wav").unlink()

    assert scan_library(ctx).moved == 1

    assert conn.execute("SELECT path FROM tracks WHERE id = ?", (tid,)).fetchone()[0] \
        == str(music / "b" / "song.wav")
    assert [tuple(r) for r in conn.execute(
        "SELECT model_version, vector FROM audio_embeddings WHERE track_id = ?", (tid,))] \
        == [("v2", b"\x00\x00\x00\x40")], "the version the library searches is kept"

"""Only a real link of a chain of renames waits for the end of a scan: a known track's file
that now holds ANOTHER known track's song. Every changed file was held, and a file holding
audio no track has counted as one whose song had left:

- ``cp song.wav backup/; edit song.wav in place``: the backup took song's track (its id,
  vector and playlist place, so the playlist played the unedited backup) and the edited file
  became a new track. The backup is a copy: a new track beside song's, changed.
- a cancelled scan kept none of the changed files it had read (a re-encoded library, Cancel
  at 90%: all read again). It keeps them, as before.

And with the retagged-copy fallback taken out (:mod:`~musicsage.library.copy_moves`, by
audio hash), one recording in an album's folder and a compilation's, its album file deleted
later, stays two tracks however far apart in time they were added in one scan."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile as sf
from library_audio import write_audio

from musicsage.errors import Cancelled
from musicsage.progress import CancelToken
from musicsage.usecases.library import scan_library


def _with_vectors(conn) -> None:
    with conn:
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) SELECT id, 'spectral', 'v', 1, x'0000803f' FROM tracks")


def test_a_backup_then_an_edit_in_place_keeps_the_track_on_the_edited_file(ctx, conn,
                                                                           tmp_path):
    music = tmp_path / "music"
    write_audio(music / "song.wav", seconds=0.3, freq=330.0)
    write_audio(music / "other.wav", seconds=0.3, freq=550.0)
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'song.wav'}\n", encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    (song,) = conn.execute("SELECT id FROM tracks WHERE path LIKE '%/song.wav'").fetchone()
    (music / "backup").mkdir()
    shutil.copy2(music / "song.wav", music / "backup" / "song.wav")
    x, sr = sf.read(music / "song.wav")
    sf.write(music / "song.wav", x * 0.5, sr, subtype="PCM_16")  # a gain change, in place

    report = scan_library(ctx)

    assert (report.added, report.updated, report.moved) == (1, 1, 0)
    assert conn.execute("SELECT path FROM tracks WHERE id = ?", (song,)).fetchone()[0] \
        == str(music / "song.wav"), "the edited file keeps its track"
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries")] == [song]
    assert conn.execute("SELECT COUNT(*) FROM tracks WHERE path = ?",
                        (str(music / "backup" / "song.wav"),)).fetchone()[0] == 1


def test_a_cancelled_scan_keeps_the_changed_files_it_read(ctx, conn, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    count = 60

    def tone(i: int, salt: float) -> None:
        t = np.arange(400) / 8000
        sf.write(music / f"t{i:03d}.wav", 0.3 * np.sin(2 * np.pi * (100 + i + salt) * t),
                 8000, subtype="PCM_16")

    for i in range(count):
        tone(i, 0.0)
    scan_library(ctx, [str(music)])
    _with_vectors(conn)
    for i in range(count):
        tone(i, 0.5)  # every file re-encoded: other audio
    token = CancelToken()

    def progress(p) -> None:
        if p.stage == "scan" and p.total and p.done >= 50:
            token.cancel()

    with pytest.raises(Cancelled):
        scan_library(ctx, progress=progress, cancel=token)

    kept = conn.execute("SELECT COUNT(*) FROM tracks WHERE id NOT IN"
                        " (SELECT track_id FROM audio_embeddings)").fetchone()[0]
    assert kept == 50, "the 50 changed files read before Cancel are stored"
    again = scan_library(ctx)
    assert (again.updated, again.unchanged) == (10, 50)


def test_one_recording_in_two_folders_added_apart_stays_two_tracks(ctx, conn, tmp_path):
    """Files of one scan are written in batches (100 files or 2 s): their added_at differ."""
    music = tmp_path / "music"
    write_audio(music / "album" / "song.flac", seconds=0.5, tags={"album": "Album"})
    write_audio(music / "album" / "other.flac", seconds=0.5, freq=550.0)
    write_audio(music / "zz best of" / "song.flac", seconds=0.5, tags={"album": "Best of"})
    scan_library(ctx, [str(music)])
    with conn:  # the compilation's file in a later batch of the same scan
        conn.execute("UPDATE tracks SET added_at = strftime('%Y-%m-%dT%H:%M:%fZ', added_at,"
                     " '+1 second') WHERE path LIKE '%zz best of%'")
    rows = {r[1]: r[0] for r in conn.execute("SELECT id, path FROM tracks")}
    (music / "album" / "song.flac").unlink()

    report = scan_library(ctx)

    assert (report.moved, report.missing) == (0, 1)
    best = str(music / "zz best of" / "song.flac")
    assert tuple(conn.execute("SELECT id, album FROM tracks WHERE path = ?", (best,)
                              ).fetchone()) == (rows[best], "Best of"), "still its own track"

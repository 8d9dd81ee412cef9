"""A move across drives by a tag editor (or a copy whose tags were fixed before the original
was deleted), seen apart by scans or by the folder watch's batches: a copy with other tags,
then a delete. The copy's content is not the original's, so the delete left the original
missing beside it — its playlist places and vectors for ``forget --missing`` to take — where
one scan after both saw a move (the same audio, :mod:`musicsage.library.audio_hash`). The
original now takes its copy's place, with the copy's tags, as a copy of the same content
does (:func:`~musicsage.library.copy_moves.adopt_copies`)."""

from __future__ import annotations

import os
import shutil

from library_audio import write_audio, write_tags
from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _library(ctx, tmp_path):
    """a/song.flac (artist "Wrong", in a playlist, with a vector) beside a/other.flac."""
    music = tmp_path / "music"
    write_audio(music / "a" / "song.flac", seconds=3.0, tags={"title": "A", "artist": "Wrong"})
    write_audio(music / "a" / "other.flac", seconds=2.0, freq=550.0)
    (music / "b").mkdir()
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'a' / 'song.flac'}\n", encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    conn = connect(ctx)
    (tid,) = conn.execute("SELECT id FROM tracks WHERE path LIKE '%/song.flac'").fetchone()
    with conn:
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (tid,))
    return music, tid


def _copy_retagged(music, name="song.flac", artist="Right"):
    shutil.copy2(music / "a" / "song.flac", music / "b" / name)
    write_tags(os.fsencode(music / "b" / name), "flac", {"artist": artist})


def _song(ctx, tid):
    conn = connect(ctx)
    return (tuple(conn.execute("SELECT path, status, artist FROM tracks WHERE id = ?",
                               (tid,)).fetchone()),
            conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0],
            [r[0] for r in conn.execute("SELECT track_id FROM audio_embeddings")],
            [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries")])


def test_a_retagged_copy_scanned_before_the_delete_takes_the_track(ctx, tmp_path):
    music, tid = _library(ctx, tmp_path)
    _copy_retagged(music)
    assert scan_library(ctx).added == 1  # the original still there: a copy
    (music / "a" / "song.flac").unlink()

    report = scan_library(ctx)

    assert (report.moved, report.missing) == (1, 0)
    assert _song(ctx, tid) == ((str(music / "b" / "song.flac"), "present", "Right"), 2,
                               [tid], [tid])
    again = scan_library(ctx)
    assert (again.added, again.updated, again.moved, again.missing) == (0, 0, 0, 0)
    (music / "b" / "song.flac").rename(music / "b" / "moved.flac")  # found by its new hash
    assert scan_library(ctx).moved == 1
    assert _song(ctx, tid)[0][0] == str(music / "b" / "moved.flac")


def test_the_watch_seeing_a_retagged_copy_then_a_delete_moves_the_track(ctx, tmp_path):
    music, tid = _library(ctx, tmp_path)
    watch = Watching(ctx, embed=False)
    try:
        _copy_retagged(music)
        wait_until(lambda: any(r.scan.added for r in watch.reports), "the copy's batch")
        copied = len(watch.reports)
        (music / "a" / "song.flac").unlink()
        wait_until(lambda: len(watch.reports) > copied, "the delete's batch")
    finally:
        watch.stop()

    assert watch.reports[-1].summary() == "1 moved ('song.flac')"
    assert _song(ctx, tid) == ((str(music / "b" / "song.flac"), "present", "Right"), 2,
                               [tid], [tid])


def test_two_retagged_copies_tell_none(ctx, tmp_path):
    """A guard: of two copies with the same audio, neither is told the moved one."""
    music, tid = _library(ctx, tmp_path)
    _copy_retagged(music)
    _copy_retagged(music, "again.flac", artist="Other")
    scan_library(ctx)
    (music / "a" / "song.flac").unlink()

    report = scan_library(ctx)

    assert (report.moved, report.missing) == (0, 1)
    assert _song(ctx, tid)[0] == (str(music / "a" / "song.flac"), "missing", "Wrong")


def test_a_retagged_copy_in_a_playlist_of_its_own_stays_its_own(ctx, tmp_path):
    """A guard: a copy the user put in a playlist is a track of the user's, as a copy of the
    same content is (tests/library/test_copy_then_delete_is_a_move.py)."""
    music, tid = _library(ctx, tmp_path)
    _copy_retagged(music)
    scan_library(ctx)
    mine = tmp_path / "mine.m3u"
    mine.write_text(f"{music / 'b' / 'song.flac'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(mine)])
    (music / "a" / "song.flac").unlink()

    assert scan_library(ctx).missing == 1
    assert _song(ctx, tid)[0][1] == "missing"


def test_a_copy_of_other_audio_is_no_move(ctx, tmp_path):
    """A guard: new audio under the song's name (another take) is no copy of it."""
    music, tid = _library(ctx, tmp_path)
    write_audio(music / "b" / "song.flac", seconds=3.0, freq=660.0,
                tags={"title": "A", "artist": "Wrong"})
    scan_library(ctx)
    (music / "a" / "song.flac").unlink()

    assert scan_library(ctx).missing == 1
    assert _song(ctx, tid)[1] == 3


def test_one_audio_in_two_folders_scanned_together_stays_two_tracks(ctx, tmp_path):
    """A guard of the fix's bounds: an album's and a compilation's file of one recording,
    scanned together, are no copy and its original; one deleted is missing, as before."""
    music = tmp_path / "music"
    write_audio(music / "album" / "song.flac", seconds=3.0, tags={"album": "Album"})
    write_audio(music / "album" / "other.flac", seconds=2.0, freq=550.0)
    write_audio(music / "best of" / "song.flac", seconds=3.0, tags={"album": "Best of"})
    scan_library(ctx, [str(music)])
    (music / "album" / "song.flac").unlink()

    report = scan_library(ctx)

    assert (report.moved, report.missing) == (0, 1)
    assert connect(ctx).execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 3

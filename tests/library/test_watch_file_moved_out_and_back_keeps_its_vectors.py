"""A track's file moved out of the music folder while ``scan --watch`` ran, then moved back
(a file taken to another disk and brought back, an undo in the file manager): the batch that
marked it missing also kept a scan *error* for it ("not found"), so ``stats`` counted an error
for a file the user had moved, and, once it was back, the error made the next batch read it
as a file that had failed: it was said "1 changed, 1 back", its vectors were dropped and the
whole audio analysis ran again. It is back, as the scan of its folder says, with its vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from library_audio import write_audio

from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import library_stats, scan_library


def embedded(ctx, name: str) -> int:
    """Give the track of file ``name`` a vector (as ``embed`` stores one); its id."""
    conn = connect(ctx)
    (tid,) = conn.execute("SELECT id FROM tracks WHERE path LIKE ?", (f"%/{name}",)).fetchone()
    q.store_embedding(conn, tid, "spectral", "1", np.ones(8, dtype=np.float32))
    conn.commit()
    return tid


def vectors(ctx, tid: int) -> int:
    return connect(ctx).execute("SELECT COUNT(*) FROM audio_embeddings WHERE track_id = ?",
                                (tid,)).fetchone()[0]


def test_a_file_moved_out_and_back_is_back_not_changed(ctx, tmp_path: Path):
    music = tmp_path / "music"
    write_audio(music / "x.wav", seconds=0.1)
    write_audio(music / "y.wav", seconds=0.2)
    scan_library(ctx, [music], [])
    tid = embedded(ctx, "x.wav")
    plan = WatchPlan(roots=[str(music)])
    (music / "x.wav").rename(tmp_path / "x.wav")
    gone = apply_changes(connect(ctx), plan, Batch(paths={str(music / "x.wav"): False}))
    assert gone.summary() == "1 now missing ('x.wav')"
    errors = connect(ctx).execute("SELECT path, message FROM errors").fetchall()
    assert [tuple(e) for e in errors] == []  # a file moved away is no scan error
    (tmp_path / "x.wav").rename(music / "x.wav")
    back = apply_changes(connect(ctx), plan, Batch(paths={str(music / "x.wav"): False}))
    assert back.summary() == "1 back ('x.wav')"
    assert not back.needs_embedding  # its vectors kept: nothing to analyse again
    assert vectors(ctx, tid) == 1


def test_a_rename_another_watch_stored_first_is_no_error(ctx, tmp_path: Path):
    """Two watches of one library (a terminal's and the window's): the one that applies a
    rename second finds the old name gone with no track at it; ``stats`` then counted an
    error "not found (no track of the library is in it: forget this folder …)"."""
    music = tmp_path / "music"
    write_audio(music / "x.wav", seconds=0.1)
    scan_library(ctx, [music], [])
    (music / "x.wav").rename(music / "renamed.wav")
    heard = {str(music / "x.wav"): False, str(music / "renamed.wav"): False}
    first = apply_changes(connect(ctx), WatchPlan(roots=[str(music)]), Batch(paths=heard))
    assert first.summary() == "1 moved ('renamed.wav')"
    second = apply_changes(connect(ctx), WatchPlan(roots=[str(music)]), Batch(paths=heard))
    assert second.empty, second.summary()
    assert connect(ctx).execute("SELECT path, message FROM errors").fetchall() == []


def test_a_music_folder_that_is_one_file_gone_is_an_error_stats_counts(ctx, tmp_path: Path):
    """``scan song.wav`` makes the file a music folder: a scan that does not find it says 1
    error, and ``stats`` counted 0 (the error was kept for folders only). Found again, it is
    back with its vectors — not read as a file that had failed (its vectors dropped) — and
    the error is gone."""
    single = write_audio(tmp_path / "lone" / "song.wav", seconds=0.1)
    scan_library(ctx, [single], [])
    tid = embedded(ctx, "song.wav")
    single.rename(tmp_path / "song.wav")
    gone = scan_library(ctx)
    assert len(gone.errors) == 1 and gone.errors[0][1].startswith("not found (")
    assert library_stats(ctx).errors == 1
    (tmp_path / "song.wav").rename(single)
    back = scan_library(ctx)
    assert (back.updated, back.reappeared, back.errors) == (0, 1, [])
    assert library_stats(ctx).errors == 0
    assert vectors(ctx, tid) == 1


def test_a_not_found_error_an_older_watch_kept_does_not_drop_the_vectors(ctx, tmp_path: Path):
    """An older version's watch kept "not found" as the scan error of a file it heard go: once
    the file was back, the error made it read as a file that had failed ("1 changed, 1 back"),
    its vectors dropped."""
    music = tmp_path / "music"
    write_audio(music / "x.wav", seconds=0.1)
    write_audio(music / "y.wav", seconds=0.2)
    scan_library(ctx, [music], [])
    tid = embedded(ctx, "x.wav")
    conn = connect(ctx)  # what the older watch left: the track missing, the error kept
    conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (tid,))
    q.record_error(conn, str(music / "x.wav"), "scan", "not found (its 1 track is marked missing)")
    conn.commit()
    plan = WatchPlan(roots=[str(music)])
    back = apply_changes(connect(ctx), plan, Batch(paths={str(music / "x.wav"): False}))
    assert back.summary() == "1 back ('x.wav')"
    assert vectors(ctx, tid) == 1
    assert connect(ctx).execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0

"""A track's file moved out of the music folder while ``scan --watch`` ran, then moved back
(a file taken to another disk and brought back, an undo in the file manager): the batch that
marked it missing also kept a scan *error* for it ("not found"), so ``stats`` counted an error
for a file the user had moved, and, once it was back, the error made the next batch read it
as a file that had failed: it was said "1 changed, 1 back", its vectors were dropped and the
whole audio analysis ran again. It is back, as the scan of its folder says, with its vectors."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.library.watch import Batch
from musicsage.library.watch_apply import WatchPlan, apply_changes
from musicsage.usecases.library import scan_library


def test_a_file_moved_out_and_back_is_back_not_changed(ctx, tmp_path: Path):
    music = tmp_path / "music"
    write_audio(music / "x.wav", seconds=0.1)
    write_audio(music / "y.wav", seconds=0.2)
    scan_library(ctx, [music], [])
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

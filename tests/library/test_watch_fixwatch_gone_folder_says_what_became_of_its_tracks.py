"""A watched music folder gone as a whole, none of whose tracks the watch marked missing: the
line said "none of its tracks is missing" of a folder that held no track, and of one whose
tracks had all been marked missing long before. It now says which: none was in it, they were
found moved (the folder moved into another music folder), or marked missing before."""

from __future__ import annotations

import os

from library_audio import write_audio
from test_watch_folder import Watching, wait_until

from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.watch import plan_watch
from musicsage.library.watch_apply import apply_changes
from musicsage.library.watch_events import Batch
from musicsage.usecases.library import scan_library

GONE = "is gone (unplugged, renamed or deleted?)"


def _gone_line(ctx, tmp_path, music) -> str:
    """What the watch says once the drive holding ``music`` (``tmp_path/usb``) goes."""
    watch = Watching(ctx)
    try:
        (tmp_path / "usb").rename(tmp_path / "usb-away")
        gone = wait_until(lambda: [r for r in watch.reports if r.gone_roots], "the folder gone")
        return gone[0].summary()
    finally:
        watch.stop()


def test_a_folder_that_held_no_track_is_not_said_to_miss_none(ctx, tmp_path):
    music = tmp_path / "usb/Music"
    music.mkdir(parents=True)
    (music / "cover.jpg").write_bytes(b"x")
    scan_library(ctx, [str(music)])
    assert _gone_line(ctx, tmp_path, music) == (
        f"{music} {GONE}: no track of the library is left in it")


def test_a_folder_whose_tracks_were_missing_before_says_so(ctx, tmp_path):
    music = tmp_path / "usb/Music"
    for i in range(3):
        write_audio(music / f"t{i}.wav", seconds=0.2, freq=300.0 + 100 * i)
    scan_library(ctx, [str(music)])
    for i in range(3):
        os.unlink(music / f"t{i}.wav")
    scan_library(ctx, [str(music)])  # all 3 marked missing long before the drive goes
    assert _gone_line(ctx, tmp_path, music) == (
        f"{music} {GONE}: its 3 tracks were marked missing before")


def test_a_folder_moved_into_another_says_its_tracks_were_found_moved(ctx, tmp_path):
    """One batch reads both ends (the watch may also read them apart: then the batch of the
    new place says "3 moved" and no track of the library is left in the folder that went:
    test_watch_music_folder_moved_into_another.py)."""
    music, other = tmp_path / "Music", tmp_path / "Other"
    for i in range(3):
        write_audio(music / f"Album/t{i}.wav", seconds=0.2, freq=300.0 + 50 * i)
    write_audio(other / "o.wav", seconds=0.2, freq=900.0)
    conn = connect(ctx)
    scan_roots(conn, resolve_roots([str(music), str(other)]))
    os.rename(music, other / "Music")
    rep = apply_changes(conn, plan_watch(conn), Batch(paths={str(music): True,
                                                             str(other / "Music"): True}))
    assert rep.summary() == f"{music} {GONE}: its 3 tracks were found moved, 3 moved " \
                            "('t0.wav' and 2 more)"

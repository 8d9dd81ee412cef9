"""The folder watch follows the library's music folders as they change while it runs: one
scanned in another window or terminal, one folded into a folder around it, one removed
(``forget``) — whose tracks never come back through the watch."""

from __future__ import annotations

import time

from library_audio import write_audio
from test_watch_folder import QUIET, Watching, present, track_id, wait_until

from musicsage.library.db import connect
from musicsage.usecases.library import forget_folder, scan_library


def watched(watch: Watching, folder) -> bool:
    """The running watch observes ``folder`` with its sub-folders (it has seen the change)."""
    return (str(folder), True) in watch.watch.watched


def test_a_folder_scanned_while_the_watch_runs_is_followed(ctx, tmp_path):
    music, other = tmp_path / "music", tmp_path / "other"
    write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    write_audio(other / "first.wav", seconds=0.2, freq=400.0)
    scan_library(ctx, [str(music)])
    watch = Watching(ctx)
    try:
        scan_library(ctx, [str(other)])  # the window's "Add music folder", or another terminal
        wait_until(lambda: watched(watch, other), "the new folder watched")
        write_audio(other / "later.wav", seconds=0.2, freq=500.0)
        wait_until(lambda: present(connect(ctx), other / "later.wav"), "the new folder's file")
    finally:
        watch.stop()


def test_a_folder_folded_into_one_around_it_gives_way_to_it(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "a/one.wav", seconds=0.2, freq=300.0)
    write_audio(music / "b/two.wav", seconds=0.2, freq=400.0)
    scan_library(ctx, [str(music / "a")])
    watch = Watching(ctx)
    try:
        scan_library(ctx, [str(music)])  # folds a/ into music/
        wait_until(lambda: watched(watch, music) and not watched(watch, music / "a"),
                   "music/ watched instead of music/a")
        write_audio(music / "b/later.wav", seconds=0.2, freq=500.0)
        write_audio(music / "a/later.wav", seconds=0.2, freq=600.0)
        conn = connect(ctx)
        wait_until(lambda: present(conn, music / "b/later.wav")
                   and present(conn, music / "a/later.wav"), "both new files")
    finally:
        watch.stop()


def test_a_named_folder_inside_a_removed_one_brings_nothing_back(ctx, tmp_path):
    """``scan ~/Music/a --watch`` (a part of ~/Music), then ``forget ~/Music`` elsewhere."""
    music = tmp_path / "music"
    write_audio(music / "a/one.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(music)])
    watch = Watching(ctx, paths=[str(music / "a")])
    try:
        forget_folder(ctx, str(music))
        wait_until(lambda: not watched(watch, music / "a"), "music/a no longer watched")
        write_audio(music / "a/later.wav", seconds=0.2, freq=500.0)
        time.sleep(3 * QUIET)
    finally:
        watch.stop()
    conn = connect(ctx)
    assert track_id(conn, music / "a/later.wav") is None
    assert track_id(conn, music / "a/one.wav") is None

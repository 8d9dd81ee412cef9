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
    told = []  # what the window lists as watched follows without a restart
    watch = Watching(ctx, on_folders=lambda w: told.append([f for f, _r in w.plan.folders()]))
    try:
        scan_library(ctx, [str(other)])  # the window's "Add music folder", or another terminal
        wait_until(lambda: watched(watch, other), "the new folder watched")
        assert wait_until(lambda: told, "the folders told")[-1] == [str(music), str(other)]
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


def _missing(conn, folder) -> int:
    return conn.execute("SELECT COUNT(*) FROM tracks WHERE status = 'missing' AND path LIKE ?",
                        (f"{folder}/%",)).fetchone()[0]


def test_a_folder_gone_as_a_whole_is_said_and_its_tracks_come_back_with_it(ctx, tmp_path):
    """A drive unplugged or a folder renamed: the watch says the folder is gone (not "N now
    missing"), keeps its tracks (marked missing, same ids) and brings them back with it."""
    music, other = tmp_path / "usb/Music", tmp_path / "other"
    write_audio(music / "a/one.wav", seconds=0.2, freq=300.0)
    write_audio(music / "two.wav", seconds=0.2, freq=400.0)
    write_audio(other / "three.wav", seconds=0.2, freq=500.0)
    scan_library(ctx, [str(music)])
    scan_library(ctx, [str(other)])
    conn = connect(ctx)
    ids = {track_id(conn, music / "a/one.wav"), track_id(conn, music / "two.wav")}
    watch = Watching(ctx)
    try:
        (tmp_path / "usb").rename(tmp_path / "usb-away")  # no event of its own reaches the watch
        gone = wait_until(lambda: [r for r in watch.reports if r.gone_roots], "the folder gone")
        rep = gone[0]
        assert rep.gone_roots == [(str(music), 2)]
        assert f"{music} is gone (unplugged, renamed or deleted?): its 2 tracks are kept" \
               in rep.summary()
        assert "now missing" not in rep.summary()
        assert rep.to_dict()["gone_roots"] == [{"folder": str(music), "missing_tracks": 2}]
        assert _missing(conn, music) == 2  # kept, marked missing
        (tmp_path / "usb-away").rename(tmp_path / "usb")
        back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
        assert back[0].back_roots == [str(music)] and back[0].scan.reappeared == 2
        assert f"{music} is back" in back[0].summary()
        assert {track_id(conn, music / "a/one.wav"), track_id(conn, music / "two.wav")} == ids
        assert _missing(conn, music) == 0
        write_audio(music / "later.wav", seconds=0.2, freq=600.0)  # observed again
        wait_until(lambda: present(conn, music / "later.wav"), "a new file in the folder back")
    finally:
        watch.stop()


def test_a_folder_deleted_as_a_whole_is_said_as_gone(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "a/one.wav", seconds=0.2, freq=300.0)
    write_audio(music / "two.wav", seconds=0.2, freq=400.0)
    scan_library(ctx, [str(music)])
    watch = Watching(ctx)
    try:
        import shutil
        shutil.rmtree(music)
        gone = wait_until(lambda: [r for r in watch.reports if r.gone_roots], "the folder gone")
        assert gone[0].gone_roots == [(str(music), 2)]
        assert not [r for r in watch.reports if "now missing" in r.summary()]
        assert _missing(connect(ctx), music) == 2
    finally:
        watch.stop()


def test_a_folder_not_there_when_the_watch_starts_is_watched_once_it_is_back(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(music)])
    music.rename(tmp_path / "away")
    scan_library(ctx, [])  # the rescan marks its track missing
    watch = Watching(ctx)
    try:
        assert [w for f, w in watch.watch.not_watched if f == str(music)] == [
            "not found (unplugged or renamed?): watched again once it is back"]
        (tmp_path / "away").rename(music)
        back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
        assert back[0].scan.reappeared == 1
        assert present(connect(ctx), music / "one.wav")
    finally:
        watch.stop()

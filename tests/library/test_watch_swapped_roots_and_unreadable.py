"""The folder watch as a reviewer met it again: a music folder swapped for another of its name
(what a drive unmounted and mounted again does to the watch) went unwatched without a word; a
folder gone counted tracks missing long before; a renamed playlist was "imported" too; and a
file that cannot be read was never said, though a plain scan says it."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from test_watch_folder import Watching, present, track_id, wait_until

from musicsage.library import watch_events
from musicsage.library.db import connect
from musicsage.library.scan_report import ShownPath
from musicsage.library.watch_events import Unreadable
from musicsage.usecases.library import scan_library


def test_a_music_folder_swapped_for_another_of_its_name_is_rescanned_and_watched(ctx, tmp_path):
    """``mv music music_old; mv music_new music``: the observer followed music_old, so new
    files were never added and the old ones stayed present."""
    music = tmp_path / "music"
    write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    write_audio(tmp_path / "music_new/two.wav", seconds=0.2, freq=400.0)
    scan_library(ctx, [str(music)])
    conn = connect(ctx)
    watch = Watching(ctx)
    try:
        music.rename(tmp_path / "music_old")
        (tmp_path / "music_new").rename(music)
        back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
        assert back[0].back_roots == [str(music)]
        assert back[0].summary() == (f"{music} is back, 1 new ('two.wav'), "
                                     "1 now missing ('one.wav')")
        assert present(conn, music / "two.wav") and not present(conn, music / "one.wav")
        write_audio(music / "later.wav", seconds=0.2, freq=500.0)  # observed again
        wait_until(lambda: present(conn, music / "later.wav"), "a new file in the new folder")
    finally:
        watch.stop()


def test_a_folder_gone_counts_only_the_tracks_it_took_with_it(ctx, tmp_path):
    music = tmp_path / "usb/Music"
    for i in range(3):
        write_audio(music / f"t{i}.wav", seconds=0.2, freq=300.0 + 100 * i)
    scan_library(ctx, [str(music)])
    os.unlink(music / "t0.wav")
    scan_library(ctx, [str(music)])  # one track missing long before the drive goes
    watch = Watching(ctx)
    try:
        (tmp_path / "usb").rename(tmp_path / "usb-away")
        gone = wait_until(lambda: [r for r in watch.reports if r.gone_roots], "the folder gone")
        assert gone[0].gone_roots == [(str(music), 2)]
        assert "its 2 tracks are kept" in gone[0].summary()
        (tmp_path / "usb-away").rename(tmp_path / "usb")
        back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
        assert back[0].summary() == f"{music} is back (2 tracks)"
    finally:
        watch.stop()


def test_a_renamed_playlist_file_is_said_renamed_not_imported(ctx, tmp_path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    one = write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    lists.mkdir()
    (lists / "mix.m3u8").write_text(f"{one}\n{music}/nowhere.wav\n")
    scan_library(ctx, [str(music)], [str(lists)])
    conn = connect(ctx)
    before = conn.execute("SELECT id FROM playlists").fetchone()[0]
    watch = Watching(ctx, playlists=[str(lists)])
    try:
        os.rename(lists / "mix.m3u8", lists / "road trip.m3u8")
        rep = wait_until(lambda: [r for r in watch.reports if r.renamed_playlists], "renamed")
        assert rep[0].summary() == "1 playlist renamed"
        assert [tuple(r) for r in conn.execute("SELECT id, name FROM playlists")] == [
            (before, "road trip")]
    finally:
        watch.stop()


def test_an_unreadable_new_file_is_said_once(ctx, tmp_path):
    """``touch x.flac``: "1 unreadable ('x.flac')" once it stayed so, then never again."""
    music = tmp_path / "music"
    write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(music)])
    watch = Watching(ctx)
    try:
        (music / "x.flac").touch()
        said = wait_until(lambda: [r for r in watch.reports if not r.empty], "a line")
        assert said[0].summary() == "1 unreadable ('x.flac')"
        assert said[0].scan.errors == [(str(music / "x.flac"), "empty file")]
        time.sleep(2 * watch_events.SETTLE_SECONDS)  # it is not said again while it stays so
        write_audio(music / "two.wav", seconds=0.2, freq=400.0)
        wait_until(lambda: track_id(connect(ctx), music / "two.wav"), "a later file")
    finally:
        watch.stop()
    assert [r.summary() for r in watch.reports if not r.empty] == [
        "1 unreadable ('x.flac')", "1 new ('two.wav')"]


def test_a_file_that_fails_while_it_grows_is_said_only_once_it_stays_as_it_is(tmp_path,
                                                                              monkeypatch):
    """A slow copy cannot be read until it is done: each batch found it grown, and says
    nothing; a file that failed twice as it was (size and time) is said, once."""
    monkeypatch.setattr(watch_events, "SETTLE_SECONDS", 0.0)
    part = tmp_path / "copy.flac"
    part.write_bytes(b"fLaC")
    error = [(ShownPath(str(part)), "not a FLAC file")]
    seen = Unreadable()
    assert seen.sift(error, [str(tmp_path)]) == ([], {str(part): False})
    with part.open("ab") as fh:
        fh.write(b"more")  # still being copied
    assert seen.sift(error, [str(tmp_path)]) == ([], {str(part): False})
    assert seen.sift(error, [str(tmp_path)]) == (error, {})  # stayed so: said
    assert seen.sift(error, [str(tmp_path)]) == ([], {})  # once
    assert seen.sift([], [str(tmp_path)]) == ([], {})  # it reads now: forgotten
    assert seen.sift(error, [str(tmp_path)]) == ([], {str(part): False})  # news again

"""A music folder named by a link and by its own path, or a single file in a folder that is a
link, stays watched as the library changes around it (real inotify):

- `scan --watch Music /mnt/disk/Music`, then `forget Music` in another terminal: the folder
  still named, /mnt/disk/Music, was left with no observer (its watch was skipped as the one
  Music's observed, which then went), and nothing said so.
  So was a playlist folder named by the other spelling (`--playlists /mnt/disk/Music`): a
  playlist saved into it later was never imported.
- `scan ~/Music/song.wav --watch`, then `ln -sfn /mnt/other ~/Music`: the watch stayed on the
  old folder, the song now at the path never heard when it changed, the old one heard instead."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import TIMEOUT, watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan
from musicsage.usecases.library import forget_folder, scan_library


def wait_until(predicate) -> bool:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)
    return predicate()


def test_a_folder_still_named_when_its_link_is_forgotten_is_heard(tmp_path):
    real, link = tmp_path / "disk/Music", tmp_path / "Music"
    real.mkdir(parents=True)
    os.symlink(real, link)
    with FolderWatch(WatchPlan(roots=[str(link), str(real)])) as watch:
        watch.plan.roots = [str(real)]  # what following the library does after `forget Music`
        watch.refollow()
        assert watch.watched == [(str(real), True)] and watch.not_watched == []
        write_audio(real / "top.wav", seconds=0.2, freq=300.0)
        batch = watch.pending.take(quiet=0.3, max_wait=5.0, timeout=10.0)
    assert batch is not None and str(real / "top.wav") in batch.paths


def test_a_playlist_folder_still_named_when_the_music_folder_is_forgotten_is_heard(ctx,
                                                                                 tmp_path):
    real, link = tmp_path / "disk/Music", tmp_path / "Music"
    write_audio(real / "Album/seed.wav", seconds=0.2, freq=200.0)
    os.symlink(real, link)
    scan_library(ctx, [str(link)])
    reports = []
    with watch_running(ctx, paths=[str(link)], playlists=[str(real)], on_batch=reports.append):
        forget_folder(ctx, str(link))
        time.sleep(2.0)  # the watch follows the library within a cycle
        (real / "mix.m3u").write_text("Album/seed.wav\n")
        assert wait_until(lambda: [r.summary() for r in reports if not r.empty]
                          == ["1 playlist imported"])
    names = [r[0] for r in connect(ctx).execute("SELECT name FROM playlists")]
    assert names == ["mix"]


def test_a_single_file_is_heard_where_its_linked_folder_leads_now(ctx, tmp_path):
    real, other, link = tmp_path / "disk/Music", tmp_path / "other", tmp_path / "Music"
    write_audio(real / "song.wav", seconds=0.2, freq=200.0)
    write_audio(other / "song.wav", seconds=0.3, freq=250.0)
    os.symlink(real, link)
    scan_library(ctx, [str(link / "song.wav")])
    song = P.from_fs(str(link / "song.wav"))
    conn = connect(ctx)

    def stored_size() -> int:
        return conn.execute("SELECT size FROM tracks WHERE path = ?", (song,)).fetchone()[0]

    with watch_running(ctx, paths=[str(link / "song.wav")]):
        os.symlink(other, tmp_path / "Music.new")  # pointed elsewhere at once (`mv -T`): no
        os.replace(tmp_path / "Music.new", link)  # look finds the song gone in between
        # the song at its path is another file now: read again
        assert wait_until(lambda: stored_size() == os.path.getsize(other / "song.wav"))
        write_audio(other / "song.wav", seconds=0.4, freq=260.0)
        assert wait_until(lambda: stored_size() == os.path.getsize(other / "song.wav"))
        write_audio(real / "song.wav", seconds=0.6, freq=270.0)  # no longer the track's file
        time.sleep(2.0)
    assert stored_size() == os.path.getsize(other / "song.wav")
    assert [r[0] for r in conn.execute("SELECT path FROM tracks")] == [song]

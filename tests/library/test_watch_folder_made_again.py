"""A watched folder deleted and made again before the watch's next look: ext4 gives the new
folder the inode number of the one deleted, so it has the identity the watch saw last. The
observer of the old one had stopped (watchdog stops observing a deleted folder): a playlist
saved into the new folder was never imported, a song added to the music folder never added."""

from __future__ import annotations

import shutil
import time

from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan

WAIT_S = 30.0


def _looked_again(watch: FolderWatch) -> None:
    """Look until a look finds the folder back (the observer stops once it has read the
    deletion, which its thread does when it will)."""
    deadline = time.monotonic() + WAIT_S
    while not watch.look_at_roots():
        assert time.monotonic() < deadline, "the folder made again was never looked at again"
        time.sleep(0.05)


def _seen(watch: FolderWatch, path) -> None:
    """Take batches until one holds ``path``: the observer follows the folder again."""
    deadline = time.monotonic() + WAIT_S
    while True:
        batch = watch.pending.take(quiet=0.0, max_wait=0.0, timeout=1.0)
        if batch is not None and str(path) in batch.paths:
            return
        assert time.monotonic() < deadline, f"no event for {path}: the folder is not observed"


def test_a_playlist_folder_made_again_at_once_is_observed_again(tmp_path):
    music, lists = tmp_path / "music", tmp_path / "Lists"
    music.mkdir()
    lists.mkdir()
    (lists / "mine.m3u8").write_text("a.flac\n")
    plan = WatchPlan(roots=[str(music)])
    plan.playlist_trees.add(str(lists))
    with FolderWatch(plan) as watch:
        assert watch.look_at_roots() is False
        shutil.rmtree(lists)
        lists.mkdir()  # before the next look
        _looked_again(watch)
        (lists / "new.m3u8").write_text("b.flac\n")
        _seen(watch, lists / "new.m3u8")


def test_a_music_folder_made_again_at_once_is_observed_again(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    (music / "a.flac").write_bytes(b"fLaC")
    with FolderWatch(WatchPlan(roots=[str(music)])) as watch:
        assert watch.look_at_roots() is False
        shutil.rmtree(music)
        music.mkdir()
        _looked_again(watch)
        assert str(music) in watch.plan.replaced  # its files are read again
        (music / "b.flac").write_bytes(b"fLaC")
        _seen(watch, music / "b.flac")

"""A watched music folder replaced by a file of its name (``mv Music Music.old; touch Music``):
the watch said nothing, and the window went on listing its tracks as present though none of
their files could be reached; put back, it said nothing either. A cycle of the watch may fall
between the rename and the write: the file then appears once the folder was said gone, and was
taken for the folder back ("music is back") while its tracks stayed missing. And the watch
went on observing the renamed folder (inotify follows it), storing errors for its new files
under the old name ("music/extra.wav: cannot open: Not a directory").

What must not happen is checked once a later cycle's report is in (a file added to a second
music folder, written after the change), not after a sleep: on a slow machine the watch had
not looked yet when the sleep ended, and the check passed whatever the watch would do."""

from __future__ import annotations

import threading

from library_audio import write_audio
from test_watch_folder import TIMEOUT, Watching, present, wait_until

from musicsage.library.db import connect
from musicsage.library.watch_events import PendingChanges
from musicsage.usecases.library import scan_library


def _library(ctx, tmp_path):
    music = tmp_path / "music"
    for i in range(2):
        write_audio(music / f"t{i}.wav", seconds=0.2, freq=300.0 + 100 * i)
    write_audio(tmp_path / "other" / "o.wav", seconds=0.2, freq=250.0)
    scan_library(ctx, [str(music), str(tmp_path / "other")])
    return music, connect(ctx)


def _a_later_cycle(watch, conn, tmp_path, name: str) -> None:
    """Wait for the report of a file added to the other music folder after what came before:
    the watch has seen what came before it (in that batch or an earlier one)."""
    before = len(watch.reports)
    write_audio(tmp_path / "other" / name, seconds=0.2, freq=800.0)
    wait_until(lambda: any(r.scan.added for r in watch.reports[before:])
               and present(conn, tmp_path / "other" / name), f"the report of other/{name}")


def _said_gone(watch, conn, music):
    gone = wait_until(lambda: [r for r in watch.reports if r.gone_roots], "the folder gone")
    assert gone[0].gone_roots == [(str(music), 2)]
    assert "its 2 tracks are kept" in gone[0].summary()
    assert not present(conn, music / "t0.wav")
    assert conn.execute("SELECT COUNT(*) FROM tracks WHERE path LIKE ?",
                        (f"{music}/%",)).fetchone()[0] == 2  # kept


def _put_back_is_said(watch, conn, music, tmp_path):
    music.unlink()
    (tmp_path / "music.old").rename(music)
    back = wait_until(lambda: [r for r in watch.reports if r.back_roots], "the folder back")
    assert back[0].summary().startswith(f"{music} is back (2 tracks)")
    assert present(conn, music / "t0.wav") and present(conn, music / "t1.wav")


def _no_watch_follows_the_renamed_folder(watch, conn, music, tmp_path):
    """New files in the renamed folder are no files of the music folder (a file now)."""
    wait_until(lambda: (str(music), True) not in watch.watch.watched, "the old observer gone")
    write_audio(tmp_path / "music.old" / "extra.wav", seconds=0.2, freq=700.0)
    _a_later_cycle(watch, conn, tmp_path, "after_extra.wav")
    assert conn.execute("SELECT path, message FROM errors WHERE path LIKE ?",
                        (f"{music}/%",)).fetchall() == []


def test_a_music_folder_replaced_by_a_file_is_said_gone_and_back_when_put_back(ctx, tmp_path):
    music, conn = _library(ctx, tmp_path)
    watch = Watching(ctx)
    try:
        music.rename(tmp_path / "music.old")
        music.write_text("not music\n")  # a cycle may fall before or after this
        _said_gone(watch, conn, music)
        _no_watch_follows_the_renamed_folder(watch, conn, music, tmp_path)
        assert not [r for r in watch.reports if r.back_roots]  # a file is no return
        _put_back_is_said(watch, conn, music, tmp_path)
    finally:
        watch.stop()


def test_a_file_put_where_a_gone_folder_was_is_not_the_folder_back(ctx, tmp_path):
    music, conn = _library(ctx, tmp_path)
    watch = Watching(ctx)
    try:
        music.rename(tmp_path / "music.old")
        _said_gone(watch, conn, music)  # a cycle saw it gone before the file came
        music.write_text("not music\n")
        _a_later_cycle(watch, conn, tmp_path, "after_file.wav")
        assert not [r for r in watch.reports if r.back_roots]
        assert not present(conn, music / "t0.wav")
        _put_back_is_said(watch, conn, music, tmp_path)
    finally:
        watch.stop()


class HeldOnceGone(PendingChanges):
    """The batch of a music folder a cycle saw gone is held until ``release`` is set: the
    file of its name is written between that look and the batch reading it."""

    def __init__(self, folder) -> None:
        super().__init__()
        self.folder, self.seen, self.release = str(folder), threading.Event(), threading.Event()

    def add(self, path: str, is_dir: bool, dest: str | None = None, **kw) -> None:
        super().add(path, is_dir, dest, **kw)
        if path == self.folder:
            self.seen.set()

    def take(self, *, quiet: float, max_wait: float, timeout: float):
        if self.seen.is_set() and not self.release.wait(TIMEOUT):
            return None
        return super().take(quiet=quiet, max_wait=max_wait, timeout=timeout)


def test_a_file_written_after_the_folder_was_seen_gone_but_before_its_batch(ctx, tmp_path):
    music, conn = _library(ctx, tmp_path)
    pending = HeldOnceGone(tmp_path / "music")
    watch = Watching(ctx, pending=pending)
    try:
        music.rename(tmp_path / "music.old")
        assert pending.seen.wait(TIMEOUT), "the watch never saw the folder gone"
        music.write_text("not music\n")
        pending.release.set()
        _said_gone(watch, conn, music)
        _no_watch_follows_the_renamed_folder(watch, conn, music, tmp_path)
        assert not [r for r in watch.reports if r.back_roots]
        _put_back_is_said(watch, conn, music, tmp_path)
    finally:
        watch.stop()

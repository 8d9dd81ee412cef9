"""The folder watch under a burst: many files copied into one folder at once, and events the
kernel dropped (inotify's queue overflowed). Either way the library must end as the disk is.

A batch of 1,000 files copied into one music folder was refused by SQLite at every retry
("Expression tree is too large"), so none of them ever entered the library; events watchdog
reported lost were ignored, so the files they named waited for the next manual rescan.
"""

from __future__ import annotations

import shutil
import time

from library_audio import write_audio
from test_watch_folder import Watching as WatchingInThread
from watch_support import TIMEOUT, refuse_watches_of, watch_running

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.watch_targets import MAX_TARGETS, fold_into_folders
from musicsage.usecases.library import scan_library


def wait_until(predicate, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Watching(WatchingInThread):
    """watch_library on a thread until stop(); ``watch`` is its FolderWatch once ready."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx, quiet=0.3, embed=False)

    def stop(self) -> None:
        """As the parent's, but a watch that failed is an assertion naming its error (the
        parent raises the error itself)."""
        self.cancel.cancel()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive() and self.error is None, self.error


def present_under(conn, folder) -> int:
    where, params = q.under_sql("path", [P.from_fs(str(folder))])
    return conn.execute(f"SELECT COUNT(*) FROM tracks WHERE {where} AND status = 'present'",
                        params).fetchone()[0]


def test_a_thousand_files_copied_into_one_folder_all_join_the_library(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(music)])
    source = write_audio(tmp_path / "elsewhere/tone.wav", seconds=0.2, freq=300.0)
    conn = connect(ctx)
    watching = Watching(ctx)
    try:
        for i in range(1000):  # straight into the music folder: 1,000 paths in one batch
            shutil.copyfile(source, music / f"copy {i:04d}.wav")
        wait_until(lambda: present_under(conn, music) == 1001, "the 1,000 copies")
    finally:
        watching.stop()
    assert not [r.error for r in watching.reports if r.error]
    assert sum(r.scan.added for r in watching.reports) == 1000


def test_a_batch_is_folded_into_few_folders_never_above_its_music_folder():
    roots = ["/m/a", "/m/b"]
    files = [f"/m/a/x/{i}.wav" for i in range(150)] + [f"/m/b/{i}.wav" for i in range(150)]
    folded = fold_into_folders(files + ["/m/a/y.wav"], roots, limit=MAX_TARGETS)
    assert folded == ["/m/a", "/m/b"]  # /m/a/x and /m/a/y.wav, then /m/a: few enough
    assert fold_into_folders(["/m/a/1.wav", "/m/b"], roots) == ["/m/a/1.wav", "/m/b"]


def _lose_events(watching: Watching, folder) -> None:
    """What watchdog does when inotify's queue overflowed: one EventsLostEvent for the watched
    folder, through its emitter (and so its event filter), instead of the files' events.
    Private parts (``_watches``, ``_observer.emitters``): no public way makes the kernel's
    queue overflow at will, and this goes through the same emitter a real overflow does."""
    from watchdog.events import EventsLostEvent

    watch = watching.watch
    observed = next(w for (f, _rec), w in watch._watches.items() if f == str(folder))
    emitter = next(e for e in watch._observer.emitters if e.watch is observed)
    emitter.queue_event(EventsLostEvent(str(folder), is_directory=True))


def test_events_the_kernel_dropped_are_caught_up_by_scanning_the_folder(ctx, tmp_path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    kept = write_audio(music / "Album/kept.wav", seconds=0.2, freq=200.0)
    gone = write_audio(music / "Album/gone.wav", seconds=0.2, freq=250.0)
    lists.mkdir()
    (lists / "mix.m3u").write_text(f"{kept}\n")
    scan_library(ctx, [str(music)], [str(lists)])
    # changed with no event the watch will see (as if the kernel dropped them)
    new = write_audio(music / "Album/new.wav", seconds=0.2, freq=300.0)
    gone.unlink()
    (lists / "road.m3u").write_text(f"{new}\n")
    conn = connect(ctx)
    watching = Watching(ctx)
    try:
        time.sleep(1.0)
        assert q.track_by_path(conn, P.from_fs(str(new))) is None  # nothing told it yet
        _lose_events(watching, music)
        _lose_events(watching, lists)
        wait_until(lambda: q.track_by_path(conn, P.from_fs(str(new))) is not None
                   and q.track_by_path(conn, P.from_fs(str(gone)))["status"] == "missing"
                   and {r["name"] for r in q.playlist_rows(conn)} == {"mix", "road"},
                   "the lost changes")
    finally:
        watching.stop()


def test_events_lost_in_the_folder_of_a_single_file_scanned_read_that_file(ctx, tmp_path):
    """`scan m/song.wav` watches ``m`` alone; the scan of ``m`` itself adds nothing (it is
    no music folder), so the file is what is read again."""
    song = write_audio(tmp_path / "m/song.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(song)])
    conn = connect(ctx)
    before = q.track_by_path(conn, P.from_fs(str(song)))["duration"]
    time.sleep(0.05)
    write_audio(song, seconds=0.6, freq=250.0)  # changed with no event the watch will see
    watching = Watching(ctx)
    try:
        _lose_events(watching, tmp_path / "m")
        wait_until(lambda: q.track_by_path(conn, P.from_fs(str(song)))["duration"] != before,
                   "the song read again")
    finally:
        watching.stop()


def test_a_folder_made_past_the_inotify_limit_is_said_not_watched(ctx, tmp_path, monkeypatch):
    """The kernel refuses a watch for a folder made while the watch runs (as it does past
    ``fs.inotify.max_user_watches``): watchdog goes on without it, and the watch says so."""
    music = tmp_path / "music"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(music)])
    refuse_watches_of(monkeypatch, b"Full Album")
    said = []
    with watch_running(ctx, on_folders=lambda w: said.extend(w.not_watched)):
        (music / "Full Album").mkdir()
        wait_until(lambda: said, "the folder said not watched")
    (folder, why), = said
    assert folder == str(music / "Full Album")
    assert "fs.inotify.max_user_watches" in why and "sysctl" in why
    assert why.endswith("then restart the watch")  # watchdog never tries it again

"""The folder watch: files created, edited, moved and deleted in a temp library while it runs.

The library must end as a re-scan would leave it (same track ids, rows and embeddings), its
present tracks as a fresh scan of the final folder, and moved files keep their memberships and
embeddings. Waits poll the DB with a timeout; the debounce is shortened to keep tests fast.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from library_audio import write_audio
from player_files import write_rhythmbox

from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library
from musicsage.context import AppContext
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.watch_events import PendingChanges
from musicsage.progress import CancelToken
from musicsage.usecases.watch import watch_library

QUIET = 0.2
TIMEOUT = 60.0  # waits on a condition: only a real failure takes this long (a loaded CI machine)
REPO = Path(__file__).resolve().parents[2]


def wait_until(predicate, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Watching:
    """watch_library in a thread, as the window will run it; stop() joins it."""

    def __init__(self, ctx, quiet: float = QUIET, **kw):
        self.cancel = CancelToken()
        self.reports = []
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.watch = None  # the FolderWatch, once ready

        def ready(watch):
            self.watch = watch
            self.ready.set()

        def run():
            try:
                watch_library(ctx, on_batch=self.reports.append, on_ready=ready,
                              cancel=self.cancel, quiet=quiet, **kw)
            except BaseException as exc:  # surfaced by stop()
                self.error = exc
                self.ready.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.ready.wait(TIMEOUT), "the watch did not start"

    def stop(self):
        self.cancel.cancel()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the watch did not stop"
        if self.error is not None:
            raise self.error


class HeldUntil(PendingChanges):
    """Events that no batch takes before ``marker``'s event is in: the files written before
    it are one batch, however slowly a loaded machine writes them (the watch's quiet time
    passed between two) or its observer thread delivers their events (in inotify's order)."""

    def __init__(self, marker) -> None:
        super().__init__()
        self.marker, self.complete = str(marker), threading.Event()

    def add(self, path: str, is_dir: bool, dest: str | None = None) -> None:
        super().add(path, is_dir, dest)
        if self.marker in (path, dest):
            self.complete.set()

    def take(self, *, quiet: float, max_wait: float, timeout: float):
        if not self.complete.wait(timeout):
            return None
        return super().take(quiet=quiet, max_wait=max_wait, timeout=timeout)


def track_id(conn, path):
    row = q.track_by_path(conn, P.from_fs(str(path)))
    return None if row is None else row["id"]


def present(conn, path) -> bool:
    row = q.track_by_path(conn, P.from_fs(str(path)))
    return row is not None and row["status"] == "present"


TRACK_COLUMNS = "id, path, size, mtime_ns, status, title, artist, album, format, duration"


def snapshot(conn):
    tracks = [tuple(r) for r in conn.execute(f"SELECT {TRACK_COLUMNS} FROM tracks ORDER BY id")]
    embedded = [tuple(r) for r in conn.execute(
        "SELECT track_id, model_id, vector FROM audio_embeddings ORDER BY track_id")]
    entries = [tuple(r) for r in conn.execute(
        "SELECT p.path, e.position, e.raw, e.track_id FROM playlist_entries e"
        " JOIN playlists p ON p.id = e.playlist_id ORDER BY p.path, e.position")]
    return tracks, embedded, entries


@pytest.fixture
def library(tmp_path, ctx):
    """A scanned, embedded library with a playlist; and a copy of its DB made before the watch."""
    music = tmp_path / "music"
    files = {name: write_audio(music / rel, seconds=0.4, freq=freq, tags={"title": name})
             for name, rel, freq in [("one", "Inbox/one.wav", 220.0), ("two", "Inbox/two.flac", 330.0),
                                     ("three", "Album/three.wav", 440.0),
                                     ("four", "Album/Disc 2/four.wav", 550.0)]}
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "mix.m3u8").write_text(  # with an entry that never resolves: re-read on growth
        f"{files['one']}\n{files['three']}\n{files['four']}\n{music}/nowhere.wav\n")
    scan_library(ctx, [str(music)], [str(lists)])
    embed_library(ctx, "spectral")
    reference = AppContext.create(tmp_path / "reference")
    with sqlite3.connect(reference.db_path) as dst:
        connect(ctx).backup(dst)
    return music, lists, files, reference


def test_the_library_ends_as_a_rescan_would_make_it(ctx, library, tmp_path):
    music, lists, files, reference = library
    conn = connect(ctx)
    ids = {k: track_id(conn, f) for k, f in files.items()}
    vector = conn.execute("SELECT vector FROM audio_embeddings WHERE track_id = ?",
                          (ids["one"],)).fetchone()[0]
    watch = Watching(ctx)
    try:
        new = write_audio(music / "New Folder/five.ogg", seconds=0.4, freq=660.0, tags={"title": "five"})
        write_audio(files["two"], seconds=0.6, freq=770.0, tags={"title": "two v2"})  # edited
        moved = music / "Sorted/one-renamed.wav"
        moved.parent.mkdir()
        os.rename(files["one"], moved)
        os.rename(music / "Album", music / "Album (2001)")  # a folder moved, sub-folder and all
        os.unlink(music / "Album (2001)/Disc 2/four.wav")
        wait_until(lambda: present(conn, new) and present(conn, moved)
                   and q.get_track(conn, ids["two"])["title"] == "two v2"
                   and q.get_track(conn, ids["four"])["status"] == "missing"
                   and present(conn, music / "Album (2001)/three.wav")
                   and conn.execute("SELECT COUNT(*) FROM tracks t WHERE t.status = 'present' AND"
                                    " NOT EXISTS (SELECT 1 FROM audio_embeddings e WHERE"
                                    " e.track_id = t.id)").fetchone()[0] == 0,
                   "the watch to apply every change and embed the new tracks")
        wait_until(lambda: sum(r.scan.moved for r in watch.reports) == 2, "the batches' reports")
    finally:
        watch.stop()
    assert track_id(conn, moved) == ids["one"]
    assert track_id(conn, music / "Album (2001)/three.wav") == ids["three"]
    assert conn.execute("SELECT vector FROM audio_embeddings WHERE track_id = ?",
                        (ids["one"],)).fetchone()[0] == vector
    mix = conn.execute("SELECT id FROM playlists").fetchone()[0]
    assert [r["track_id"] for r in q.playlist_entries(conn, mix)] == [
        ids["one"], ids["three"], ids["four"], None]
    # the same changes applied by a re-scan of the copy made before the watch
    scan_library(reference)
    embed_library(reference, "spectral")
    assert snapshot(conn) == snapshot(connect(reference))
    # and the present tracks are those a fresh scan of the final folder finds
    fresh = AppContext.create(tmp_path / "fresh")
    scan_library(fresh, [str(music)])
    cols = "path, size, mtime_ns, title, format"
    watched = conn.execute(f"SELECT {cols} FROM tracks WHERE status = 'present'")
    assert sorted(map(tuple, watched)) == sorted(map(tuple, connect(fresh).execute(
        f"SELECT {cols} FROM tracks")))


def test_playlist_files_follow(ctx, library):
    music, lists, files, _ = library
    conn = connect(ctx)
    mix = conn.execute("SELECT id FROM playlists").fetchone()[0]
    watch = Watching(ctx)
    try:
        os.rename(lists / "mix.m3u8", lists / "road trip.m3u8")  # renamed: the same playlist
        (lists / "new.m3u").write_text(f"{files['two']}\n")        # new in a playlist folder
        (music / "Album/album.m3u").write_text(f"{files['three']}\n")  # an album's list: not asked for
        wait_until(lambda: {r["name"] for r in q.playlist_rows(conn)} == {"road trip", "new"},
                   "the renamed and the new playlist")
        (lists / "new.m3u").write_text(f"{files['two']}\n{files['one']}\n")  # edited
        wait_until(lambda: len(q.playlist_entries(conn, _playlist(conn, "new"))) == 2,
                   "the edited playlist")
    finally:
        watch.stop()
    assert _playlist(conn, "road trip") == mix and len(q.playlist_rows(conn)) == 2


def _playlist(conn, name):
    return conn.execute("SELECT id FROM playlists WHERE name = ?", (name,)).fetchone()[0]


def test_a_players_library_is_reread_when_the_player_saves(ctx, library, tmp_path):
    music, _, files, _ = library
    rb = tmp_path / "rhythmbox" / "playlists.xml"
    rb.parent.mkdir()
    write_rhythmbox(rb, [("Evening", [files["three"]])])
    scan_library(ctx, playlists=[str(rb)])
    conn = connect(ctx)
    watch = Watching(ctx)
    try:  # GLib saves by writing a temporary file and renaming it over the old one
        tmp = rb.parent / ".goutputstream-ABC123"
        write_rhythmbox(tmp, [("Evening", [files["three"], files["two"]]), ("Morning", [files["one"]])])
        os.rename(tmp, rb)
        wait_until(lambda: {r["name"] for r in q.playlist_rows(conn)} >= {"Evening", "Morning"},
                   "Rhythmbox's playlists to be re-read")
    finally:
        watch.stop()


def test_reading_files_and_hidden_folders_change_nothing(ctx, library):
    music, _, files, _ = library
    marker = music / "Inbox/all written"
    watch = Watching(ctx, pending=HeldUntil(marker))
    try:
        for f in files.values():
            Path(f).read_bytes()  # a player (or our own scan) reading the files
        write_audio(music / ".hidden/secret.wav", seconds=0.2)
        write_audio(music / "Inbox/._resource.wav", seconds=0.2)
        write_audio(music / "Inbox/real.wav", seconds=0.2)  # a change after the noise
        marker.mkdir()  # an empty folder: nothing to add
        wait_until(lambda: watch.reports, "the batch with the real change")
        time.sleep(3 * QUIET)
    finally:
        watch.stop()
    assert [r.scan.added for r in watch.reports] == [1]
    assert track_id(connect(ctx), music / ".hidden/secret.wav") is None


def test_a_folder_removed_from_the_library_is_no_longer_followed(ctx, library, tmp_path):
    """Removed while the watch runs (by the window, or ``forget`` in another terminal): new
    files there stay out; the other folders are followed as before."""
    from musicsage.usecases.library import forget_folder

    music, _, _, _ = library
    other = tmp_path / "other"
    write_audio(other / "first.wav", seconds=0.2, freq=700.0)
    scan_library(ctx, [str(other)])
    watch = Watching(ctx)
    try:
        forget_folder(ctx, str(other))
        write_audio(other / "later.wav", seconds=0.2, freq=800.0)
        write_audio(music / "Inbox/new.wav", seconds=0.2, freq=900.0)
        wait_until(lambda: present(connect(ctx), music / "Inbox/new.wav"), "the music folder's file")
        time.sleep(3 * QUIET)
    finally:
        watch.stop()
    conn = connect(ctx)
    assert track_id(conn, other / "later.wav") is None and track_id(conn, other / "first.wav") is None


def test_a_file_written_in_many_pieces_is_read_once(ctx, library):
    music, _, files, _ = library
    quiet = 1.0
    watch = Watching(ctx, quiet=quiet)
    try:
        data = Path(files["three"]).read_bytes()
        target = music / "Inbox/slow copy.wav"
        with open(target, "wb") as fh:
            for i in range(0, len(data), 2048):
                fh.write(data[i:i + 2048])
                fh.flush()
                time.sleep(quiet / 50)
        wait_until(lambda: present(connect(ctx), target) and watch.reports, "the copied file")
        time.sleep(2 * quiet)  # no second batch comes
    finally:
        watch.stop()
    assert len(watch.reports) == 1 and watch.reports[0].scan.errors == []


def test_watch_limit_message_says_how_to_raise_it():
    from musicsage.library.watch_refusals import watch_error

    message = watch_error(OSError(errno.ENOSPC, "inotify watch limit reached"))
    assert "fs.inotify.max_user_watches" in message and "sysctl" in message and "\n" not in message


def test_scan_watch_command_runs_until_ctrl_c(tmp_path, data_dir):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=0.2)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "musicsage", "scan", str(music), "--watch",
                             "--data-dir", str(data_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=REPO)
    out, err = Output(proc.stdout), Output(proc.stderr)
    try:
        wait_until(lambda: "watching" in err.text, "the watch to start", timeout=60)
        assert "watching 1 music folder; Ctrl-C stops" in err.text  # not "1 folders"
        write_audio(music / "b.wav", seconds=0.2)
        wait_until(lambda: re.search(r"^\d\d:\d\d:\d\d 1 new \('b.wav'\)$", out.text, re.M),
                   "the watch's line for the new file, named")
        music.rename(tmp_path / "unplugged")  # the folder as a whole: said so, tracks kept
        wait_until(lambda: re.search(
            rf"^\d\d:\d\d:\d\d {re.escape(str(music))} is gone \(unplugged, renamed or "
            r"deleted\?\): its 2 tracks are kept, marked missing until it is back$",
            out.text, re.M), "the watch's line for the folder gone")
        (tmp_path / "unplugged").rename(music)
        wait_until(lambda: re.search(rf"^\d\d:\d\d:\d\d {re.escape(str(music))} is back "
                                     r"\(2 tracks\)$", out.text, re.M),
                   "the watch's line for the folder back")
        proc.send_signal(signal.SIGINT)
        proc.wait(TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    wait_until(lambda: "stopped watching" in err.text, "the goodbye line")
    assert proc.returncode == 0, err.text
    assert "stopped watching after 3 updates\n" in err.text and "Traceback" not in err.text


def test_scan_watch_json_prints_one_object_per_line(tmp_path, data_dir):
    """A script reads `scan --watch --json` line by line: the first scan's report is a line too."""
    import json

    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=0.2)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "musicsage", "scan", str(music), "--watch",
                             "--json", "--data-dir", str(data_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=REPO)
    out, err = Output(proc.stdout), Output(proc.stderr)
    try:
        wait_until(lambda: "watching" in err.text, "the watch to start", timeout=60)
        write_audio(music / "b.wav", seconds=0.2)
        wait_until(lambda: out.text.count("\n") >= 2, "the batch's line")
        proc.send_signal(signal.SIGINT)
        proc.wait(TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines = out.text.splitlines()
    assert len(lines) == 2, out.text
    first, batch = (json.loads(line) for line in lines)
    assert first["added"] == 1 and batch["scan"]["added"] == 1


class Output:
    """Collects a pipe's bytes in a thread (progress bars write no newlines: never readline)."""

    def __init__(self, stream):
        self._chunks: list[bytes] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for chunk in iter(lambda: os.read(stream.fileno(), 4096), b""):
            self._chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")


def test_a_batch_that_fails_is_reported_and_tried_again(ctx, library, monkeypatch):
    from musicsage.library import watch as watch_mod

    music, _, _, _ = library
    real = watch_mod.apply_changes
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(watch_mod, "apply_changes", flaky)
    monkeypatch.setattr(watch_mod, "RETRY_SECONDS", 0.3)
    marker = music / "Inbox/all written"
    watch = Watching(ctx, pending=HeldUntil(marker))
    try:
        new = write_audio(music / "Inbox/late.wav", seconds=0.2)
        marker.mkdir()  # an empty folder: nothing to add
        wait_until(lambda: len(watch.reports) == 2, "the failed and the retried batch")
    finally:
        watch.stop()
    assert present(connect(ctx), new)
    assert [bool(r.error) for r in watch.reports] == [True, False]
    assert "database is locked" in watch.reports[0].summary() and watch.reports[1].scan.added == 1


def test_the_apps_own_write_to_a_playlist_is_not_imported_twice(ctx, library):
    """Add to playlist writes the file and re-imports it; the watch hears the write and must
    not import it again (its 'Folder watch: 1 playlists imported' replaced the window's
    'Added 2 tracks to …' a second later). A real edit of the file is still followed."""
    from musicsage.usecases.suggest import add_to_playlist

    music, lists, files, _ = library
    conn = connect(ctx)
    mix = conn.execute("SELECT id FROM playlists").fetchone()[0]
    two = track_id(conn, files["two"])
    watch = Watching(ctx)
    try:
        assert add_to_playlist(ctx, mix, [two]).added == [two]
        write_audio(music / "Inbox/one.wav", seconds=0.5, freq=230.0, tags={"title": "one"})
        wait_until(lambda: any(r.scan.updated for r in watch.reports), "the edited track")
        time.sleep(3 * QUIET)
        assert not any(r.playlists for r in watch.reports)
        with open(lists / "mix.m3u8", "a", encoding="utf-8") as f:  # the user's own edit
            f.write(f"{files['two']}\n")
        wait_until(lambda: any(r.playlists for r in watch.reports), "the edited playlist")
    finally:
        watch.stop()
    assert [r["track_id"] for r in q.playlist_entries(conn, mix)].count(two) == 2

"""The folder watch follows the folders a scan reads: an album or artist whose name begins with
dots and a word, or a dot and a digit (``...And Justice for All``, ``.38 Special``), is no
hidden folder, and files copied into it while the watch runs become tracks; a hidden folder
(``.Trash-1000``) and macOS ``._*`` files stay out, as they do of a scan
(library/watch_targets.py, library/walk.py)."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import watch_running

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.watch_apply import WatchPlan
from musicsage.library.watch_events import PendingChanges
from musicsage.library.watch_targets import add_lost_folder, relevant
from musicsage.usecases.library import scan_library

TIMEOUT = 60.0


def track_of(conn, path):
    return q.track_by_path(conn, P.from_fs(str(path)))


def test_files_copied_into_a_dotted_album_folder_become_tracks(ctx, music):
    write_audio(music / "Metallica/Kill 'Em All/01 Hit the Lights.wav", seconds=0.2)
    (music / "Queens").mkdir()  # the new albums go into folders the watch already knows
    scan_library(ctx, [str(music)])
    conn = connect(ctx)
    hidden = music / ".Trash-1000/files/deleted.wav"
    wanted = [music / "Metallica/...And Justice for All/01 Blackened.wav",
              music / ".38 Special/Wild-Eyed Southern Boys/01 Hold On Loosely.wav",
              music / "Queens/...Like Clockwork/.hidden take.wav"]
    with watch_running(ctx):
        write_audio(hidden, seconds=0.2, freq=200.0)
        write_audio(music / "Metallica/...And Justice for All/._01 Blackened.wav", seconds=0.2)
        for i, path in enumerate(wanted):
            write_audio(path, seconds=0.2, freq=300.0 + 100 * i)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and not all(track_of(conn, p) for p in wanted):
            time.sleep(0.05)
    assert [p.name for p in wanted if track_of(conn, p) is None] == []
    assert track_of(conn, hidden) is None
    assert conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 1 + len(wanted)


def test_the_watch_keeps_what_the_walk_reads_and_drops_what_it_skips(music):
    plan = WatchPlan(roots=[str(music)])
    kept = {"...And Justice for All": True, "...And Justice for All/01.flac": False,
            ".5 The Gray Chapter/01.mp3": False, "Album/.hidden.mp3": False,
            "Album/.list.m3u": False, ".38 Special": True}
    dropped = {".git": True, ".Trash-1000/files/x.flac": False, "Album/._01.flac": False,
               "Album/.cache/x.mp3": False, ".config/...And Justice for All/01.flac": False,
               "Album/cover.jpg": False}
    assert [p for p, d in kept.items() if not relevant(plan, str(music / p), d)] == []
    assert [p for p, d in dropped.items() if relevant(plan, str(music / p), d)] == []


def test_a_folder_whose_events_were_lost_reads_no_macos_resource_forks(tmp_path):
    """Its playlist files are read again, not the ``._mix.m3u`` beside each (a Mac's copy onto
    a USB drive), each of which was said as "not a playlist: binary data"."""
    lists = tmp_path / "lists"
    (lists / "Road").mkdir(parents=True)
    for name in ("mix.m3u", "Road/trip.m3u8"):
        (lists / name).write_text("/m/a.flac\n")
        (lists / name).with_name("._" + (lists / name).name).write_bytes(b"\0\5\26\7Mac OS X")
    pending = PendingChanges()
    add_lost_folder(WatchPlan(playlist_trees={str(lists)}), pending, str(lists))
    add_lost_folder(WatchPlan(playlist_dirs={str(lists / "Road")}), pending, str(lists / "Road"))
    batch = pending.take(quiet=0.0, max_wait=0.0, timeout=0.0)
    files = sorted(os.path.relpath(p, lists) for p, is_dir in batch.paths.items() if not is_dir)
    assert files == ["Road/trip.m3u8", "mix.m3u"]

"""A watched music folder moved into another watched music folder: its tracks are found moved
(same ids), and the line that says the folder is gone said "it held no tracks, 3 moved" of
the folder that held those 3 tracks."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import watch_running

from musicsage.library.db import connect
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.watch import plan_watch
from musicsage.library.watch_apply import apply_changes
from musicsage.library.watch_events import Batch

WAIT_S = 20.0


def _not_false(line: str) -> bool:
    """The gone folder's line says nothing false of its tracks: it held them (they moved)."""
    return "held no tracks" not in line and "no track of the library was in it" not in line


def test_the_folder_gone_is_not_said_to_have_held_no_tracks(ctx, tmp_path):
    music, other = tmp_path / "Music", tmp_path / "Other"
    for i in range(3):
        write_audio(music / f"Album/t{i}.wav", seconds=0.3, freq=300.0 + 50 * i)
    write_audio(other / "o.wav", seconds=0.3, freq=900.0)
    conn = connect(ctx)
    scan_roots(conn, resolve_roots([str(music), str(other)]))
    ids = {r[0] for r in conn.execute("SELECT id FROM tracks WHERE path LIKE '%/Album/%'")}
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.rename(music, other / "Music")
        deadline = time.monotonic() + WAIT_S
        while not any(r.gone_roots for r in reports):
            assert time.monotonic() < deadline, "the folder was never said gone"
            time.sleep(0.1)
    moved = conn.execute("SELECT id, status FROM tracks WHERE path LIKE ?",
                         (f"{other}/Music/%",)).fetchall()
    assert {r[0] for r in moved} == ids and {r[1] for r in moved} == {"present"}
    said = [r.summary() for r in reports if r.gone_roots]
    assert said and all(_not_false(line) for line in said), said
    assert sum(r.scan.moved for r in reports) == 3  # in that batch, or one before it


def test_the_move_read_in_two_batches_does_not_say_the_folder_held_no_track(ctx, tmp_path):
    """The watch read the new place first (its batch found the 3 tracks moved), then the
    folder gone: that line said "no track of the library was in it" of the folder that held
    them."""
    music, other = tmp_path / "Music", tmp_path / "Other"
    for i in range(3):
        write_audio(music / f"Album/t{i}.wav", seconds=0.3, freq=300.0 + 50 * i)
    write_audio(other / "o.wav", seconds=0.3, freq=900.0)
    conn = connect(ctx)
    scan_roots(conn, resolve_roots([str(music), str(other)]))
    os.rename(music, other / "Music")
    first = apply_changes(conn, plan_watch(conn), Batch(paths={str(other / "Music"): True}))
    assert first.scan.moved == 3
    line = apply_changes(conn, plan_watch(conn), Batch(paths={str(music): True})).summary()
    assert line.startswith(f"{music} is gone") and _not_false(line), line
    assert line.endswith("no track of the library is left in it"), line

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

WAIT_S = 20.0


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
    assert said and all("held no tracks" not in line for line in said), said
    assert sum(r.scan.moved for r in reports) == 3  # in that batch, or one before it

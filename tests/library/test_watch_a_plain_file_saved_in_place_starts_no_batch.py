"""A plain file saved in place in a music folder (vim renames notes.txt away and writes a new
one; a new cover.jpg put where the old one was renamed from) changes nothing: its name, gone
for a moment, was kept as "maybe a link to a folder" because something was there again, and
each such save started a batch ("Updating the library", a ``scan --watch --json`` line)."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import TIMEOUT, watch_running

from musicsage.usecases.library import scan_library


def test_a_file_saved_in_place_is_no_batch_and_a_new_track_still_is(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    (music / "notes.txt").write_text("x")
    (music / "cover.jpg").write_text("x")
    scan_library(ctx, [str(music)])
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.rename(music / "notes.txt", music / "notes.txt~")  # vim's save
        (music / "notes.txt").write_text("y")
        os.unlink(music / "notes.txt~")
        os.rename(music / "cover.jpg", music / "cover.old")  # a new cover in the old's place
        (music / "cover.jpg").write_text("new")
        time.sleep(2.0)  # past the debounce: no batch comes
        assert reports == []
        write_audio(music / "new.wav", seconds=0.2, freq=300.0)  # the watch still watches
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and not reports:
            time.sleep(0.1)
    assert [r.scan.added for r in reports] == [1]

"""A plain file without an audio or playlist extension removed or renamed in a music folder
(cover.jpg, README, vim's ``4913`` probe) changes nothing: it started a batch all the same,
since such a "file" gone may have been a link to a folder (``scan --watch --json`` printed a
line for `rm music/README`, the window flashed "Updating the library"). A link to a folder
removed still takes its tracks out."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import TIMEOUT, watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def test_plain_files_removed_or_renamed_are_no_batch_but_a_link_removed_is(ctx, tmp_path):
    music, jazz = tmp_path / "music", tmp_path / "data/jazz"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(jazz / "Album/take five.wav", seconds=0.2, freq=300.0)
    for name in ("README", "cover.jpg", "4913", "album.nfo"):
        (music / name).write_text("x")
    os.symlink(jazz, music / "Jazz")
    scan_library(ctx, [str(music)])
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.unlink(music / "README")
        os.rename(music / "cover.jpg", music / "folder.jpg")
        os.unlink(music / "4913")
        os.unlink(music / "album.nfo")
        time.sleep(2.0)  # past the debounce: no batch comes
        assert reports == []
        os.unlink(music / "Jazz")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and not reports:
            time.sleep(0.1)
    status = connect(ctx).execute("SELECT status FROM tracks WHERE path = ?", (P.from_fs(
        str(music / "Jazz/Album/take five.wav")),)).fetchone()[0]
    assert status == "missing" and len(reports) == 1

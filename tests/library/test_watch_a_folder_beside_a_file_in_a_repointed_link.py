"""`scan --watch Music/Album Music/song.wav` (Music a link), then `ln -sfn disk/B Music`: the
music folder's rescan, queued by its own check, was queued again as a single file by the look
for links led elsewhere (it is in the linked folder too), and the batch dropped it — the old
album's tracks stayed present, the new one's never came (a second review). Real inotify."""

from __future__ import annotations

import os

from library_audio import write_audio
from test_watch_a_linked_folder_forgotten_or_pointed_elsewhere import wait_until
from watch_support import watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def test_a_folder_beside_a_single_file_in_a_repointed_link_is_rescanned(ctx, tmp_path):
    a, b, link = tmp_path / "disk/A", tmp_path / "disk/B", tmp_path / "Music"
    write_audio(a / "Album/a1.wav", seconds=0.2, freq=190.0)
    write_audio(a / "song.wav", seconds=0.2, freq=200.0)
    write_audio(b / "Album/b1.wav", seconds=0.2, freq=230.0)
    write_audio(b / "song.wav", seconds=0.3, freq=250.0)
    os.symlink(a, link)
    roots = [str(link / "Album"), str(link / "song.wav")]
    scan_library(ctx, roots)
    conn = connect(ctx)

    def status(name: str) -> str | None:
        row = conn.execute("SELECT status FROM tracks WHERE path = ?",
                           (P.from_fs(str(link / "Album" / name)),)).fetchone()
        return row[0] if row else None

    with watch_running(ctx, paths=roots):
        os.symlink(b, tmp_path / "Music.new")
        os.replace(tmp_path / "Music.new", link)
        assert wait_until(lambda: status("b1.wav") == "present"), "the new album never came"
        assert wait_until(lambda: status("a1.wav") == "missing")

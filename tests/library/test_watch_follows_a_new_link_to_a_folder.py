"""A symbolic link to a folder made in a watched music folder (`ln -s /data/jazz ~/Music/Jazz`)
brings that folder's music in, as a scan does (it sees through links in a music folder). The
watch dropped the event: inotify calls a link "a file", and its name has no audio extension.
A link that leads back into the music folder (a loop) adds nothing."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import TIMEOUT, watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def test_a_new_link_to_a_folder_brings_its_music_in_and_a_loop_adds_nothing(ctx, tmp_path):
    music, jazz = tmp_path / "music", tmp_path / "data/jazz"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(jazz / "Album/take five.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(music)])
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.symlink(music, music / "again")  # a loop: every file is there already
        os.symlink(jazz, music / "Jazz")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and not any(r.scan.added for r in reports):
            time.sleep(0.1)
        time.sleep(1.0)  # nothing more comes
    rows = connect(ctx).execute("SELECT path, status FROM tracks ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        (P.from_fs(str(music / "seed.wav")), "present"),
        (P.from_fs(str(music / "Jazz/Album/take five.wav")), "present")]
    assert [r.summary() for r in reports if not r.empty] == ["1 new ('take five.wav')"]


def test_a_link_removed_takes_its_music_out_and_one_renamed_brings_it_back(ctx, tmp_path):
    """`rm Music/Jazz` (a link): inotify says "a file" went, with no audio extension. Its
    tracks stayed present; a rename of the link was dropped too."""
    music, jazz = tmp_path / "music", tmp_path / "data/jazz"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    write_audio(jazz / "Album/take five.wav", seconds=0.2, freq=300.0)
    os.symlink(jazz, music / "Jazz")
    scan_library(ctx, [str(music)])
    conn = connect(ctx)

    def status(path) -> str | None:
        row = conn.execute("SELECT status FROM tracks WHERE path = ?",
                           (P.from_fs(str(path)),)).fetchone()
        return row[0] if row else None

    old, new = music / "Jazz/Album/take five.wav", music / "Jazz 2/Album/take five.wav"
    with watch_running(ctx):
        os.rename(music / "Jazz", music / "Jazz 2")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and (status(old), status(new)) != (None, "present"):
            time.sleep(0.1)  # a moved file keeps its track, under its new path
        assert (status(old), status(new)) == (None, "present")
        os.unlink(music / "Jazz 2")
        while time.monotonic() < deadline and status(new) != "missing":
            time.sleep(0.1)
    assert status(new) == "missing" and status(music / "seed.wav") == "present"

"""``scan --playlists MUSIC`` refused ("no playlist files in MUSIC; nothing was scanned") reads
the library's music folders for its hint (is MUSIC music outside them?). That read went through
the thread's cached connection, which nothing closed: the library's database stayed open in a
process that had only refused, where a long-lived caller (the window, tests, a script calling
``musicsage.cli.main``) holds it for good."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from musicsage.cli import main
from musicsage.library.db import close_thread_connections
from music_support import make_music

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def open_files_under(folder: Path) -> list[str]:
    """The files this process holds open inside ``folder``."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{folder}{os.sep}"):
            held.append(target)
    return held


def test_the_hint_of_a_refused_scan_leaves_no_library_file_open(tmp_path, capsys):
    music, _playlists, _paths = make_music(tmp_path / "a", n_tracks=2, seconds=0.5)
    other, _lists, _other_paths = make_music(tmp_path / "b", n_tracks=2, seconds=0.5)
    data = (tmp_path / "lib").resolve()
    assert main(["--data-dir", str(data), "scan", str(music)]) == 0
    close_thread_connections()  # what the scan left open is not this test's business
    capsys.readouterr()

    code = main(["--data-dir", str(data), "scan", "--playlists", str(other)])

    err = capsys.readouterr().err
    assert code == 1 and "holds music, which --playlists does not scan" in err
    assert open_files_under(data) == []

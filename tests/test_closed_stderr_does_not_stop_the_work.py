"""``musicsage scan MUSIC 2>&1 | head -1``: the reader of stderr went away, and the progress
bar's next write raised BrokenPipeError inside the scan. The scan stopped there (50 of 60
files) and the command exited 0 as if all was done. A reader that goes away ends the bars,
not the work: every file is scanned (and ``embed`` embeds every track)."""

from __future__ import annotations

import io
import subprocess
import sys

from musicsage.cli import main
from music_support import make_music


class GoneReader(io.StringIO):
    """stderr whose reader went away: every write fails as a closed pipe's does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_scan_whose_stderr_reader_left_scans_every_file(tmp_path, monkeypatch, capsys):
    music, _playlists, _paths = make_music(tmp_path, n_tracks=8, seconds=0.3)
    data = ["--data-dir", str(tmp_path / "lib")]
    monkeypatch.setattr(sys, "stderr", GoneReader())

    assert main([*data, "scan", str(music)]) == 0

    monkeypatch.undo()
    capsys.readouterr()
    assert main([*data, "stats", "--json"]) == 0
    assert '"present": 8' in capsys.readouterr().out


def test_a_pipe_closed_by_its_reader_leaves_the_scan_whole(tmp_path):
    """The same through a real pipe, stdout and stderr into it, closed after its first bytes.
    60 files: more than the scan's batch of 50, which the old code kept before it stopped."""
    music, _playlists, _paths = make_music(tmp_path, n_tracks=60, seconds=0.2)
    data = ["--data-dir", str(tmp_path / "lib")]
    run = subprocess.Popen([sys.executable, "-m", "musicsage", *data, "scan", str(music)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert run.stdout.read(5)
    run.stdout.close()  # `| head -c 5`

    assert run.wait(timeout=120) == 0
    stats = subprocess.run([sys.executable, "-m", "musicsage", *data, "stats", "--json"],
                           capture_output=True, text=True, timeout=120)
    assert '"present": 60' in stats.stdout

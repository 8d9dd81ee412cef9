"""The window's scan line called the tracks a scan found for the first time "added", while
``scan``'s line, and the docs and scripts that quote it, call them "new": one count, two
names. The window's line now says "new" too."""

from __future__ import annotations

import re

from musicsage import cli
from musicsage.controllers.summaries import describe_scan
from musicsage.library.scan import ScanReport
from music_support import make_music


def test_the_window_and_the_cli_name_new_tracks_alike(tmp_path, capsys):
    music, _playlists, _paths = make_music(tmp_path / "music", n_tracks=3)
    assert cli.main(["--data-dir", str(tmp_path / "data"), "scan", str(music)]) == 0
    (cli_count,) = re.findall(r": (\d+) (\w+), \d+ changed", capsys.readouterr().out)
    window = describe_scan(ScanReport(files=3, added=3))
    assert cli_count == ("3", "new")
    assert window == "Scan finished: 3 new"
    assert "added" not in describe_scan(ScanReport(files=5, added=2, missing=1, reappeared=1))

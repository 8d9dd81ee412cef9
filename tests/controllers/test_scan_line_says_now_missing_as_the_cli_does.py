"""The window's scan line said "2 missing" of the tracks whose files a scan no longer found,
while ``scan``'s line (and docs/cli.md, which quotes it) says "2 now missing": one count, two
names. The window's line now says "now missing" too."""

from __future__ import annotations

import re

from musicsage import cli
from musicsage.controllers.summaries import describe_scan
from musicsage.library.scan import ScanReport
from music_support import make_music


def test_the_window_and_the_cli_name_missing_tracks_alike(tmp_path, capsys):
    music, _playlists, paths = make_music(tmp_path / "music", n_tracks=3)
    data = str(tmp_path / "data")
    assert cli.main(["--data-dir", data, "scan", str(music)]) == 0
    for path in paths[:2]:
        path.unlink()
    capsys.readouterr()
    assert cli.main(["--data-dir", data, "scan"]) == 0
    (cli_words,) = re.findall(r", (\d+ now missing), ", capsys.readouterr().out)
    window = describe_scan(ScanReport(files=1, missing=2))
    assert cli_words == "2 now missing"
    assert window == "Scan finished: 2 now missing"

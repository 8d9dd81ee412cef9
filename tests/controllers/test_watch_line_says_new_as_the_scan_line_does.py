"""The window's scan line says "3 new" (as the CLI's scan and watch lines do), and its
folder-watch line said "3 added", its tooltip "Added (3):" — one count named two ways in one
status bar. The watch line and its tooltip say "new" too."""

from __future__ import annotations

from musicsage.controllers.summaries import describe_scan, describe_watch, watch_details
from musicsage.library.scan import ScanReport
from musicsage.library.watch_apply import WatchReport


def test_the_watch_line_and_its_tooltip_say_new():
    scan = ScanReport(added=3, examples={"added": ["/m/Song.flac", "/m/b.mp3", "/m/c.mp3"]})
    report = WatchReport(scan=scan)

    assert describe_watch(report) == ("Folder watch: 3 new ('Song.flac' and 2 more)", "info")
    assert watch_details(report).splitlines()[0] == "New (3):"
    assert "3 new" in report.summary()  # the CLI's watch line
    assert describe_scan(ScanReport(files=3, added=3)).startswith("Scan finished: 3 new")

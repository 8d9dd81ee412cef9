"""The window's lines tell of the playlists a scan or the folder watch removed because their
files are gone, in the words ``scan`` prints (``ScanReport.playlists_gone_text``): the window
said nothing, and a playlist left the list without a word."""

from __future__ import annotations

from musicsage.controllers.summaries import describe_scan, describe_watch, watch_details
from musicsage.library.scan_report import EXAMPLES, ScanReport
from musicsage.library.watch_apply import WatchReport


def test_the_scan_line_names_the_playlists_gone():
    alone = ScanReport(playlists_gone=["Mix"])
    assert describe_scan(alone) == "Scan finished: 1 playlist gone (its file was removed): 'Mix'"
    two = ScanReport(added=1, playlists_gone=["a", "b"])
    assert describe_scan(two) == ("Scan finished: 1 new, 2 playlists gone (their files were "
                                  "removed): 'a', 'b'")
    assert describe_scan(ScanReport()) == "Scan finished: nothing changed"


def test_the_watch_line_and_its_tooltip_name_them():
    report = WatchReport(scan=ScanReport(playlists_gone=["Mix"]))
    assert describe_watch(report) == (
        "Folder watch: 1 playlist gone (its file was removed): 'Mix'", "info")
    assert report.scan.playlists_gone_text() in report.summary()  # the words the CLI prints
    assert watch_details(report) == "Playlists gone, their files removed (1):\n  'Mix'"
    many = [f"p{i}" for i in range(EXAMPLES + 3)]
    details = watch_details(WatchReport(scan=ScanReport(playlists_gone=many))).splitlines()
    assert details[1:3] == ["  'p0'", "  'p1'"] and details[-1] == "  … and 3 more"
    assert describe_watch(WatchReport(scan=ScanReport(playlists_gone=many)))[0].endswith(
        "'p4' and 18 more")

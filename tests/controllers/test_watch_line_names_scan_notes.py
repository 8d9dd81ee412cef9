"""The window's folder-watch line said nothing of the scan's notes — a known Ogg track cut
short since its scan (a sync or copy broken off) was read as its whole pages and embedded
again without a word, while ``scan --watch`` named it."""

from __future__ import annotations

from musicsage.controllers.summaries import describe_watch
from musicsage.library.scan import ScanReport
from musicsage.library.scan_write import CUT_SINCE_SCANNED_NOTE
from musicsage.library.watch_apply import WatchReport


def test_the_watch_line_names_the_first_note_and_counts_the_rest():
    one = WatchReport(scan=ScanReport(updated=1, notes=[("/m/song.ogg", CUT_SINCE_SCANNED_NOTE)]))
    line, _level = describe_watch(one)
    assert line.startswith("Folder watch: 1 changed")
    assert line.endswith(f", 1 note (song.ogg: {CUT_SINCE_SCANNED_NOTE})"), line
    two = WatchReport(scan=ScanReport(updated=2, notes=[("/m/a.ogg", CUT_SINCE_SCANNED_NOTE),
                                                        ("/m/b.ogg", CUT_SINCE_SCANNED_NOTE)]))
    assert "2 notes (a.ogg: " in describe_watch(two)[0]
    assert describe_watch(two)[0].endswith("; 1 more)")


def test_a_batch_without_notes_says_none():
    assert "note" not in describe_watch(WatchReport(scan=ScanReport(added=2)))[0]

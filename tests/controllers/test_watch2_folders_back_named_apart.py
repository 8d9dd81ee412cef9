"""Two watched music folders back in one batch (a drive holding both plugged in again, two
drives mounted again inside a music folder): the window's line ran their paths together,
"Folder watch: /media/me/My Music /media/me/USB Drive are back (5 tracks)", which reads as
one folder's path — or as three folders. Each is named apart, as ``musicsage watch`` does."""

from __future__ import annotations

from musicsage.controllers.summaries import describe_watch
from musicsage.library.watch_apply import WatchReport


def _back(*folders: str, tracks: int = 5) -> WatchReport:
    report = WatchReport(back_roots=list(folders))
    report.scan.reappeared = tracks
    return report


def test_folders_back_together_are_named_apart():
    assert describe_watch(_back("/media/me/My Music", "/media/me/USB Drive")) == (
        "Folder watch: /media/me/My Music and /media/me/USB Drive are back (5 tracks)", "info")
    assert describe_watch(_back("/a", "/b c", "/d"))[0] == (
        "Folder watch: /a, /b c and /d are back (5 tracks)")


def test_one_folder_back_reads_as_before():
    assert describe_watch(_back("/media/me/My Music", tracks=1)) == (
        "Folder watch: /media/me/My Music is back (1 track)", "info")
    assert describe_watch(_back("/m/two\nlines", tracks=0))[0] == (
        "Folder watch: /m/two lines is back")  # the status bar is one line

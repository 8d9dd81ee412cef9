"""The window's line for a folder-watch batch that could not read a playlist (overwritten with
something that is no playlist): it said "1 playlist imported", at info level, as if the edit
had been taken, though the library kept the old entries. Driven through the window's watch
(:class:`~musicsage.controllers.watch.WatchController`), as the watch's own tests drive it."""

from __future__ import annotations

from test_watch_controller import batch, ready, say, watching

from musicsage.library.playlists.store import PlaylistReport
from musicsage.library.scan_report import ShownPath
from musicsage.library.watch_apply import WatchReport

WHY = "not a playlist: binary data (NUL bytes), not text"


def test_the_window_warns_of_a_playlist_the_batch_could_not_read(library, make_app):
    app, _runner, task = watching(make_app, library)
    say(task, ready(["/music"]))
    unread = PlaylistReport(path=ShownPath.of("/lists/a.m3u8"), name="a", error=WHY)
    say(task, batch(WatchReport(paths=1, playlists=[unread])))
    assert app.notifications[-1] == (
        "warning", f"Folder watch: 1 playlist not read (a.m3u8: {WHY})")

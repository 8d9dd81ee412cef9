""""Remove from playlist" while a scan of the library runs (it holds the write's lock) hears
the status line's Cancel, as "Add to playlist" does: the removal was not shown on the status
line and did not pass its cancel token to the lock's wait, so the user waited with a Cancel
that did nothing visible, and the tracks went from their playlist file once the scan ended."""

from __future__ import annotations

from pathlib import Path

import pytest
from playlist_write_support import scan_running  # noqa: F401 - a fixture

import musicsage.library.lock as lock
from musicsage.library.db import connect
from musicsage.progress import CancelToken
from musicsage.usecases.library import playlist_track_ids
from musicsage.usecases.suggest import remove_from_playlist

def _a_playlist(library):
    """The first playlist with two tracks or more, and its members."""
    from musicsage.usecases.library import list_playlists

    for playlist in list_playlists(library):
        members = playlist_track_ids(library, playlist.id)
        if len(set(members)) >= 2:
            return playlist, members
    pytest.skip("no playlist of two tracks in the test library")


def _shown(library, make_app):
    """A new window showing that playlist in its Playlist tab, the library read."""
    playlist, members = _a_playlist(library)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.playlist_tracks.show(playlist.id)
    return playlist, members, app, runner


def test_the_windows_cancel_while_the_removal_waits_for_a_scan_writes_nothing(
        library, make_app, scan_running):
    playlist, members, app, runner = _shown(library, make_app)
    before = Path(playlist.path).read_bytes()
    chosen = list(dict.fromkeys(members))[:2]
    task = app.playlist_tracks.remove(chosen)
    assert app.tasks.current is task, "shown on the status line, with its Cancel"
    scan_running.append(app.tasks.cancel)  # the status line's Cancel, once the wait is said
    runner.drain()

    assert task.state == "cancelled"
    assert Path(playlist.path).read_bytes() == before
    assert playlist_track_ids(library, playlist.id) == members
    assert not any(text.startswith("Removed") for _level, text in app.notifications)
    name = app.playlist_tracks.view.name
    assert [(level, text) for level, text in app.notifications if "cancelled" in text] == [
        ("warning", f"Not removed: 2 tracks chosen from {name!r} "
                    "(cancelled; nothing was written)")]
    assert not app.playlist_tracks.busy, "the button is back"
    assert not list((Path(library.data_dir) / "playlist-backups").rglob("*")), "no backup"


def test_the_removal_is_on_the_status_line_while_it_waits(library, make_app, scan_running):
    """Its label, and so its Cancel, over the scan's: the Cancel the user sees is the
    removal's, and pressed while it waits it stops it (it accepted the removal going on
    "too late" once the scan ended, passing with the bug it guards)."""
    playlist, members, app, runner = _shown(library, make_app)
    before = Path(playlist.path).read_bytes()
    task = app.playlist_tracks.remove(members[:1])
    assert app.tasks.current is task
    said = []
    app.tasks.relabelled.connect(said.append)
    scan_running.append(app.tasks.cancel)
    runner.drain()
    assert said[:1] == ["Cancelling…"]
    assert task.state == "cancelled"
    assert Path(playlist.path).read_bytes() == before
    assert not any("too late" in text for _level, text in app.notifications)
    assert not app.playlist_tracks.busy


def test_a_cancel_once_the_lock_is_taken_is_said_to_come_too_late(library, make_app,
                                                                   monkeypatch):
    """Cancel pressed once the removal holds the lock (no scan to wait for): the write goes
    on — never half done — and its line says the Cancel came too late, not ignoring it."""
    from contextlib import contextmanager

    playlist, members, app, runner = _shown(library, make_app)
    real = lock.scan_lock

    @contextmanager
    def taken_then_cancelled(*args, **kwargs):
        with real(*args, **kwargs):
            app.tasks.cancel()  # the user's Cancel, the lock just taken
            yield

    monkeypatch.setattr(lock, "scan_lock", taken_then_cancelled)
    task = app.playlist_tracks.remove(members[:1])
    runner.drain()
    assert task.state == "succeeded"
    assert members[0] not in playlist_track_ids(library, playlist.id)
    removed = [text for _level, text in app.notifications if text.startswith("Removed")]
    assert len(removed) == 1 and removed[0].endswith("; the Cancel came too late to stop it")
    assert not app.playlist_tracks.busy


def test_the_library_removals_cancel_is_heard_while_it_waits(library, scan_running):
    """The library's removal takes the scan lock as the add does, with its token."""
    from musicsage.errors import Cancelled
    from musicsage.library.playlists.remove import remove_from_playlist as remove

    playlist, members = _a_playlist(library)
    before = Path(playlist.path).read_bytes()
    token = CancelToken()
    scan_running.append(token.cancel)
    with pytest.raises(Cancelled):
        remove(connect(library), library.data_dir, playlist.id, members[:1], cancel=token)
    assert Path(playlist.path).read_bytes() == before
    assert playlist_track_ids(library, playlist.id) == members
    assert not list((Path(library.data_dir) / "playlist-backups").rglob("*")), "no backup"


def test_the_use_cases_cancel_is_heard_while_it_waits(library, scan_running):
    """``suggest --remove`` and the window call the same use case: its token, set while it
    waits, stops it before anything is written."""
    from musicsage.errors import Cancelled

    playlist, members = _a_playlist(library)
    before = Path(playlist.path).read_bytes()
    token = CancelToken()
    scan_running.append(token.cancel)
    with pytest.raises(Cancelled):
        remove_from_playlist(library, playlist.id, members[:1], cancel=token)
    assert Path(playlist.path).read_bytes() == before
    assert playlist_track_ids(library, playlist.id) == members


def test_without_a_cancel_the_removal_writes_once_the_scan_ends(library, scan_running):
    playlist, members = _a_playlist(library)
    said = []
    report = remove_from_playlist(library, playlist.id, members[:1], progress=said.append)
    assert [r["track_id"] for r in report.removed] == members[:1]
    assert members[0] not in playlist_track_ids(library, playlist.id)
    assert any(p.message.startswith("another scan of this library is running") for p in said)

"""An "Add to playlist" that waits for a scan of the library (which holds the write's lock)
hears Cancel: the add did not pass its cancel token to the lock's wait, so a Cancel pressed
while it waited went unheard and the add wrote once the scan ended — the tracks the user had
cancelled were in their playlist file."""

from __future__ import annotations

from pathlib import Path

import pytest
from playlist_write_support import loaded_suggestions, scan_running  # noqa: F401 - a fixture

from musicsage.progress import CancelToken
from musicsage.usecases.library import playlist_track_ids

def _one_to_add(library):
    """The first playlist, its members, and one track of the library not among them."""
    from musicsage.usecases.library import list_playlists, list_tracks

    playlist = list_playlists(library)[0]
    members = playlist_track_ids(library, playlist.id)
    others = [t.id for t in list_tracks(library, present_only=True) if t.id not in members]
    return playlist, members, others[:1]


def test_the_windows_cancel_while_the_add_waits_for_a_scan_writes_nothing(library, make_app,
                                                                         scan_running):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    before = Path(playlist.path).read_bytes()
    task = app.suggestions.add(ids[:2])
    scan_running.append(app.tasks.cancel)  # the status line's Cancel, once the wait is said
    runner.drain()

    assert task.state == "cancelled"
    assert Path(playlist.path).read_bytes() == before
    assert not set(ids[:2]) & set(playlist_track_ids(library, playlist.id))
    assert not any(text.startswith("Added") for _level, text in app.notifications)
    name = app.suggestions.result.playlist["name"]
    assert [(level, text) for level, text in app.notifications if "cancelled" in text] == [
        ("warning", f"Not added: 2 tracks chosen for {name!r} (cancelled; nothing was written)")]
    assert not list((Path(library.data_dir) / "playlist-backups").rglob("*")), "no backup"


def test_the_use_cases_cancel_is_heard_while_it_waits(library, scan_running):
    """``suggest --add`` and the window call the same use case: its token, set while it
    waits, stops it before anything is written."""
    from musicsage.errors import Cancelled
    from musicsage.usecases.suggest import add_to_playlist

    playlist, members, others = _one_to_add(library)
    before = Path(playlist.path).read_bytes()
    token = CancelToken()
    scan_running.append(token.cancel)
    with pytest.raises(Cancelled):
        add_to_playlist(library, playlist.id, others, cancel=token)
    assert Path(playlist.path).read_bytes() == before
    assert playlist_track_ids(library, playlist.id) == members


def test_without_a_cancel_the_add_writes_once_the_scan_ends(library, scan_running):
    from musicsage.usecases.suggest import add_to_playlist

    playlist, members, others = _one_to_add(library)
    said = []
    report = add_to_playlist(library, playlist.id, others, cancel=CancelToken(),
                             progress=said.append)
    assert report.added == others and playlist_track_ids(library, playlist.id)[-1] == others[0]
    assert any(p.message.startswith("another scan of this library is running") for p in said)

"""A Cancel while "Add to playlist" compares a chosen track's file whole with a member's (two
large identical copies take a while) stops the add before anything is written: the add
declared no cancel, so the window's token never reached the compare and the add went on
(and the window's close waited for it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from musicsage.errors import Cancelled
from musicsage.progress import CancelToken
from musicsage.usecases.execution import execution_of
from musicsage.usecases.library import list_playlists, list_tracks, playlist_track_ids
from musicsage.usecases.suggest import add_to_playlist


def _copy_of_a_member(ctx) -> tuple[object, int]:
    """A playlist, and the id of a new track that is a byte copy of one of its members'
    files (scanned: the library holds it, with the member's content hash)."""
    from musicsage.usecases.library import scan_library

    playlist = list_playlists(ctx)[0]
    member = next(t for t in list_tracks(ctx) if t.id in playlist_track_ids(ctx, playlist.id))
    copy = Path(member.path).with_name("copy of " + Path(member.path).name)
    shutil.copyfile(member.path, copy)
    scan_library(ctx, [str(Path(member.path).parent.parent)])
    copy_id = next(t.id for t in list_tracks(ctx) if Path(t.path) == copy)
    return playlist, copy_id


def _cancel_while_compared(monkeypatch, cancel) -> list[bool]:
    """Make the whole compare call ``cancel()`` (the user's click) once it started reading;
    returns the list of the compare's calls (True each)."""
    from musicsage.search import same_file

    monkeypatch.setattr(same_file, "_verdicts", type(same_file._verdicts)())
    compared = []
    real = same_file._compare

    def compare(*args):
        compared.append(True)
        cancel()
        return real(*args)

    monkeypatch.setattr(same_file, "_compare", compare)
    return compared


def test_the_add_declares_its_cancel():
    assert execution_of(add_to_playlist).cancel


def test_a_cancel_during_the_compare_stops_the_add_before_any_write(library, monkeypatch):
    playlist, copy_id = _copy_of_a_member(library)
    before = Path(playlist.path).read_bytes()
    token = CancelToken()
    compared = _cancel_while_compared(monkeypatch, token.cancel)

    with pytest.raises(Cancelled):
        add_to_playlist(library, playlist.id, [copy_id], cancel=token)

    assert compared
    assert Path(playlist.path).read_bytes() == before
    assert copy_id not in playlist_track_ids(library, playlist.id)


def test_the_windows_cancel_reaches_the_compare(library, make_app, monkeypatch):
    """The window's Cancel is the task's: ``task.cancel()`` while the compare reads."""
    playlist, copy_id = _copy_of_a_member(library)
    before = Path(playlist.path).read_bytes()
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.suggestions.show(playlist.id)
    runner.drain()
    task = app.suggestions.add([copy_id])
    compared = _cancel_while_compared(monkeypatch, task.cancel)
    runner.drain()

    assert compared
    assert task.state == "cancelled"
    assert Path(playlist.path).read_bytes() == before, "nothing is written after a cancel"
    assert copy_id not in playlist_track_ids(library, playlist.id)
    assert not any(text.startswith("Added") for _level, text in app.notifications)

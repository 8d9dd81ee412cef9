"""A music folder the queue finds refused to the user (its permissions), told in one look.

- The queue's line asked the disk a second time whether the folder was locked, after the look
  that found it gone: the window waited twice the bounded look (0.8 s on a slow drive), for a
  plain unplugged drive too. The look that finds it gone now notes the refusal; the line reads it.
- A folder listed but not entered (``chmod -R 644 ~/Music``) was neither gone nor locked: every
  track of it was tried and failed, one warning each. It stops the queue as a locked one does.
- A folder refused above the music folder (``/media/bob`` 0750, the drive mounted for bob):
  the line named the music folder, where the player's own line names the folder refused.

As root every folder opens, so the refusal is made where the system makes it: listing a
folder, and ``stat``/``lstat`` of a name inside one the user may not enter, fail with EACCES."""

from __future__ import annotations

import errno
import os

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.playback.not_a_file import is_a_file


def _music_folder(library) -> str:
    (root,) = [r for (r,) in connect(library).execute("SELECT path FROM library_roots")]
    return root


def _refuse(monkeypatch, entered: str, listed: str | None = None,
            error: type[OSError] = PermissionError) -> list[str]:
    """The system's answers where the folder ``entered`` may not be entered (a name inside it
    cannot be looked at), nor, when given, ``listed`` listed (``error``: FileNotFoundError for
    a folder gone); the folders scandir was asked for, in order, come back."""
    code = errno.EACCES if error is PermissionError else errno.ENOENT
    real_lstat, real_stat, real_scandir = os.lstat, os.stat, os.scandir
    listings: list[str] = []

    def refusing(real):
        def look(path, *args, **kwargs):
            if not isinstance(path, int) and os.fsdecode(path).startswith(entered + os.sep):
                raise error(code, os.strerror(code), os.fsdecode(path))
            return real(path, *args, **kwargs)
        return look

    def scandir(path="."):
        name = os.fsdecode(path).rstrip(os.sep)
        listings.append(name)
        if listed is not None and (name == listed or name.startswith(entered + os.sep)):
            raise error(code, os.strerror(code), name)
        return real_scandir(path)

    monkeypatch.setattr(os, "lstat", refusing(real_lstat))
    monkeypatch.setattr(os, "stat", refusing(real_stat))
    monkeypatch.setattr(os, "scandir", scandir)
    return listings


def _queue_of(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:4]]
    play = recorder(app.selection.play)
    app.queue.play_list(ids, "Region")
    return app, ids, play


@pytest.mark.parametrize("how", ["locked", "gone"])
def test_the_queue_looks_at_a_stopped_folder_once_per_answer(library, make_app, recorder,
                                                             monkeypatch, how):
    app, _ids, _play = _queue_of(library, make_app, recorder)
    folder = _music_folder(library)
    listings = _refuse(monkeypatch, folder, listed=folder,  # gone: a drive unplugged
                       error=PermissionError if how == "locked" else FileNotFoundError)
    app.queue.play_failed("file", "cannot play a.wav: x")
    assert listings.count(folder) == 1, listings
    line = app.notifications[-1][1]
    assert "queue stopped" in line
    assert ("cannot be opened" in line) == (how == "locked")
    assert ("cannot be found" in line) == (how == "gone")
    app.queue.play_at(2)  # a row chosen there: one look again, not two
    assert listings.count(folder) == 2, listings
    row = app.notifications[-1][1]
    assert row.startswith("Cannot play '") and ("cannot be opened" in row) == (how == "locked")


def test_a_music_folder_listed_but_not_entered_stops_the_queue_once(library, make_app,
                                                                    recorder, monkeypatch):
    app, _ids, play = _queue_of(library, make_app, recorder)
    folder = _music_folder(library)
    _refuse(monkeypatch, folder)  # chmod -R 644: its names listed, none looked at
    for _ in range(4):
        if not app.queue.active:
            break
        app.queue.play_failed("file", f"cannot play x.wav: permission denied (the folder "
                              f"{folder} cannot be opened; give your user access to it, or "
                              "move the music out of it)")
    assert len(play) == 1, "no other track of that folder was tried"
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert len(warnings) == 1 and "queue stopped" in warnings[0], warnings
    assert f"Music folder {folder} cannot be opened (permission denied)" in warnings[0]


def test_a_folder_refused_above_the_music_folder_is_the_one_named(library, make_app, recorder,
                                                                  monkeypatch):
    app, _ids, play = _queue_of(library, make_app, recorder)
    folder = _music_folder(library)
    above = os.path.dirname(folder)  # /media/bob, the drive below it mounted for bob
    track = app.library.snapshot.by_id[app.queue.tracks[0]].fs_path
    _refuse(monkeypatch, above, listed=above)
    with pytest.raises(MusicsageError) as player:
        is_a_file(track)
    assert f"(the folder {above} cannot be opened" in str(player.value)
    app.queue.play_failed("file", str(player.value))
    assert len(play) == 1
    line = app.notifications[-1][1]
    assert f"Music folder {folder} cannot be opened (permission denied on {above})" in line
    assert f"give your user access to {above}," in line
    app.queue.play_at(2)
    row = app.notifications[-1][1]
    assert f"(permission denied on {above}); give your user access to {above}," in row

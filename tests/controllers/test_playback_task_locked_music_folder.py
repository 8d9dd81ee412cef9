"""A music folder the user cannot open (``chmod 000``, a drive mounted for another user) is
not said to be gone: the queue stopped with "Music folder … cannot be found (a drive not
mounted?)", sending the user to look for a drive that is plugged in, and the player's own line
(permission denied) was never shown.

As root every folder opens, so the refusal is made where the system makes it: listing the
folder, and ``lstat`` of a name inside it, fail with EACCES."""

from __future__ import annotations

import errno
import os

from musicsage.library.db import connect


def _music_folder(library) -> str:
    (root,) = [r for (r,) in connect(library).execute("SELECT path FROM library_roots")]
    return root


def _lock(monkeypatch, folder: str) -> None:
    """The system's answers for a folder without permissions: there (``stat`` of it works),
    but neither listed nor looked into."""
    real_lstat, real_scandir = os.lstat, os.scandir

    def refused(path) -> bool:
        name = "" if isinstance(path, int) else os.fsdecode(path)
        return name.startswith(folder + os.sep)

    def lstat(path, *args, **kwargs):
        if refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_lstat(path, *args, **kwargs)

    def scandir(path="."):
        if os.fsdecode(path).rstrip(os.sep) == folder or refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(os, "scandir", scandir)


def test_a_locked_music_folder_stops_the_queue_saying_it_cannot_be_opened(
        library, make_app, recorder, monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:4]]
    folder = _music_folder(library)
    q = app.queue
    play = recorder(app.selection.play)
    q.play_list(ids, "Region")
    _lock(monkeypatch, folder)
    app.queue.play_failed("file", "cannot play a.wav: permission denied (the folder "
                          f"{folder} cannot be opened; give your user access to it, or move "
                          "the music out of it)")
    assert len(play) == 1, "no other track of the locked folder was tried"
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert len(warnings) == 1 and "\n" not in warnings[0], warnings
    assert folder in warnings[0] and "queue stopped" in warnings[0]
    assert "cannot be found" not in warnings[0] and "not mounted" not in warnings[0]
    assert "cannot be opened" in warnings[0] and "permission" in warnings[0]
    q.play_at(2)  # a row chosen in it: refused in the same words, naming the track
    assert len(play) == 1
    row = app.notifications[-1][1]
    assert "cannot be opened" in row and "cannot be found" not in row
    monkeypatch.undo()  # access given back: it plays again
    q.play_at(2)
    assert play.last[0] == ids[2] and q.active

"""A queued album whose folder, inside a music folder that opens, cannot be opened (``chmod
000`` on it, or on its artist's folder): the queue tried its tracks one by one, each failing
alike, one warning each (twelve lines for an album). The first failure's line names the folder
that cannot be opened; the album's other entries after it are skipped untried, and the queue
goes on with the next entry outside that folder.

As root every folder opens, so the refusal is made where the system makes it: ``stat`` and
``lstat`` of a name inside the locked folder fail with EACCES."""

from __future__ import annotations

import errno
import os


def _lock(monkeypatch, folder: str) -> None:
    """The system's answers for a folder without permissions: there, not looked into."""
    real_lstat, real_stat = os.lstat, os.stat

    def refusing(real):
        def look(path, *args, **kwargs):
            name = "" if isinstance(path, int) else os.fsdecode(path)
            if name.startswith(folder + os.sep):
                raise PermissionError(errno.EACCES, "Permission denied", name)
            return real(path, *args, **kwargs)
        return look

    monkeypatch.setattr(os, "lstat", refusing(real_lstat))
    monkeypatch.setattr(os, "stat", refusing(real_stat))


def _album_then_others(app) -> tuple[str, list[int], list[int]]:
    """One artist folder's tracks, then two tracks of other folders."""
    tracks = app.library.snapshot.tracks
    folder = os.path.dirname(tracks[0].fs_path)
    album = [t.id for t in tracks if os.path.dirname(t.fs_path) == folder]
    others = [t.id for t in tracks if os.path.dirname(t.fs_path) != folder][:2]
    assert len(album) >= 3 and len(others) == 2
    return folder, album, others


def test_a_locked_album_folder_is_said_once_and_its_other_tracks_skipped(
        library, make_app, recorder, monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list(album + others, "Region")
    assert play.last[0] == album[0]
    _lock(monkeypatch, folder)
    app.queue.play_failed("file", "cannot play a.flac: permission denied (the folder "
                          f"{folder} cannot be opened; give your user access to it, or move "
                          "the music out of it)")
    assert play.last[0] == others[0], "the album's next track was tried"
    assert len(play) == 2 and app.queue.active
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert len(warnings) == 1 and folder in warnings[0] and "cannot be opened" in warnings[0]
    monkeypatch.undo()  # access given back: a track of it chosen plays
    app.queue.play_at(1)
    assert play.last[0] == album[1]


def test_a_file_merely_missing_from_an_album_skips_only_itself(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    _folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list(album + others, "Region")
    first = app.library.snapshot.by_id[album[0]].fs_path
    os.rename(first, first + ".moved")
    app.queue.play_failed("file", "file not found: a.flac")
    assert play.last[0] == album[1]

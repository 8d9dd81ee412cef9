"""A queued album whose folder cannot be opened (``chmod 000``), its entries spread through the
queue: once its first entry failed, its entries further on are skipped untried while the
system still refuses the folder. Two things went wrong with that:

- with only that album's entries left, Next (still lit) ended the queue without a word, ▶ on
  an entry of it that never played; now the queue stops, ▶ off, and says why once;
- each entry skipped took a look of its own at the folder, the window waiting up to 0.5 s an
  entry on a slow share; now the folder is looked at once per pass over the queue.

As root every folder opens, so the refusal is made where the system makes it: ``stat`` and
``lstat`` of a name inside the locked folder fail with EACCES."""

from __future__ import annotations

import os

from test_playback_queue_album_folder_locked import _album_then_others, _lock


def _failed_in(app, folder: str) -> None:
    app.queue.play_failed("file", "cannot play a.flac: permission denied (the folder "
                          f"{folder} cannot be opened; give your user access to it, or move "
                          "the music out of it)")


def _started(library, make_app, recorder, monkeypatch, then_other: bool = False):
    """The album's first entry (it fails, locked), another folder's (it plays), the album's
    other entries, then (``then_other``) a second other folder's."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    folder, album, others = _album_then_others(app)
    play = recorder(app.selection.play)
    app.queue.play_list([album[0], others[0]] + album[1:] + others[1:] * then_other, "Mix")
    _lock(monkeypatch, folder)
    _failed_in(app, folder)
    assert play.last[0] == others[0]
    return app, folder, album, others, play


def _warnings(app) -> list[str]:
    return [text for level, text in app.notifications if level == "warning"]


def test_next_with_only_a_locked_albums_entries_left_stops_and_says_why(
        library, make_app, recorder, monkeypatch):
    app, folder, album, others, play = _started(library, make_app, recorder, monkeypatch)
    said = len(_warnings(app))
    app.queue.next()
    assert [p[0] for p in play.calls] == [album[0], others[0]], "the album was tried again"
    assert not app.queue.active and app.queue.marked == -1, "▶ on an entry that never played"
    assert app.queue.tracks[app.queue.current] == others[0]
    new = _warnings(app)[said:]
    assert len(new) == 1, new
    assert folder in new[0] and "cannot be opened" in new[0] and "queue stopped" in new[0]


def test_the_last_track_ending_before_a_locked_albums_entries_says_so_too(
        library, make_app, recorder, monkeypatch):
    app, folder, album, others, play = _started(library, make_app, recorder, monkeypatch)
    app.queue.track_ended()
    assert not app.queue.active and app.queue.marked == -1
    assert len(_warnings(app)) == 2 and folder in _warnings(app)[-1]
    monkeypatch.undo()  # access given back: Next plays the album's entry
    app.queue.next()
    assert play.last[0] == album[1] and app.queue.active


def test_a_locked_album_is_looked_at_once_however_many_of_its_entries_are_skipped(
        library, make_app, recorder, monkeypatch):
    app, folder, album, others, play = _started(library, make_app, recorder, monkeypatch,
                                                then_other=True)
    assert len(album[1:]) >= 2
    looks, refusing = [], os.lstat

    def counted(path, *args, **kwargs):
        name = "" if isinstance(path, int) else os.fsdecode(path)
        if name.startswith(folder + os.sep):
            looks.append(name)  # on a slow share, each of these held the window 0.5 s
        return refusing(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", counted)
    app.queue.track_ended()
    assert play.last[0] == others[1], "the album's entries were not skipped"
    assert len(looks) == 1, looks

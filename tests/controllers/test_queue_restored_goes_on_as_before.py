"""A queue kept over a restart goes on as it would have without the restart: Play (nothing in
the player: :meth:`QueueController.start`) plays the entry it would have played — an entry
added by "Play next" / "Add to queue" and not yet played, the entry after a current track now
gone — a radio never brings back a track the user took out of it, a queue kept for another
library (its database built anew in the same folder) does not come back as unrelated tracks,
and the restore itself writes nothing. No window, no Qt: a restart is ``app.close()`` and a
new controller on the same data dir."""

from __future__ import annotations

import errno
import os
import signal
import stat

import pytest

from musicsage.usecases.queue_file import QUEUE_FILE, SavedQueue, encode, write_saved_queue


def _opened(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def _restarted(app, make_app, ctx):
    app.close()
    return _opened(make_app, ctx)


def _play(app, recorder) -> list[int]:
    """Press Play with nothing in the player: the track ids it played."""
    played = recorder(app.selection.play)
    assert app.queue.can_start(), "Play is greyed"
    app.queue.start()
    return [call[0] for call in played.calls]


def _paths(app, ids) -> dict[int, str]:
    return {t: app.library.snapshot.by_id[t].path for t in ids}


def test_a_plain_queue_never_played_plays_its_first_entry(library, make_app, recorder):
    app, _ = _opened(make_app, library)
    a, b = (t.id for t in app.library.snapshot.tracks[:2])
    app.queue.add_to_queue(a)
    app.queue.play_next(b)
    app, _ = _restarted(app, make_app, library)
    assert app.queue.tracks == [b, a]
    assert _play(app, recorder) == [b]
    assert app.queue.current == 0 and app.queue.active


def test_an_ended_queue_with_a_track_added_plays_that_track(library, make_app, recorder):
    app, _ = _opened(make_app, library)
    a, b, c = (t.id for t in app.library.snapshot.tracks[:3])
    app.queue.play_list([a, b], "Map region (2 tracks)")
    app.queue.next()
    app.queue.next()  # played to its end
    app.queue.add_to_queue(c)
    app, _ = _restarted(app, make_app, library)
    assert _play(app, recorder) == [c]


def test_a_playing_queue_with_a_play_next_goes_on_with_its_own_track_first(
        library, make_app, recorder):
    """Paused in its track, then "Play next": Play resumed that track, the added one after."""
    app, _ = _opened(make_app, library)
    a, b, c = (t.id for t in app.library.snapshot.tracks[:3])
    app.queue.play_list([a, b], "Map region (2 tracks)")
    app.queue.play_next(c)
    app, _ = _restarted(app, make_app, library)
    assert _play(app, recorder) == [a]
    app.queue.track_ended()
    assert app.queue.tracks[app.queue.current] == c


def test_a_removed_playing_entry_goes_on_with_the_entry_after_it(library, make_app, recorder):
    app, _ = _opened(make_app, library)
    a, b, c = (t.id for t in app.library.snapshot.tracks[:3])
    app.queue.play_list([a, b, c], "Map region (3 tracks)")
    app.queue.next()  # b plays
    app.queue.remove(1)  # and is taken out while it plays
    app, _ = _restarted(app, make_app, library)
    assert _play(app, recorder) == [c]


@pytest.mark.parametrize(("current", "lost", "plays"), [(2, 2, 3), (0, 0, 1)],
                         ids=["third entry gone", "first entry gone"])
def test_a_current_track_gone_plays_the_next_entry_still_there(
        library, make_app, recorder, current, lost, plays):
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:4]]
    paths = _paths(app, ids)
    gone = max(t.id for t in app.library.snapshot.tracks) + 100
    tracks = tuple(gone if i == lost else t for i, t in enumerate(ids))
    app.close()
    write_saved_queue(library.data_dir, encode(SavedQueue(
        tracks, current, "Playlist: X (4 tracks)", "named", paths={**paths, gone: "/x.flac"})))
    app, _ = _opened(make_app, library)
    assert _play(app, recorder) == [ids[plays]], "not the entry before it, heard already"


def test_a_track_taken_out_of_a_radio_never_comes_back(library, make_app):
    app, runner = _opened(make_app, library)
    app.queue.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    removed = app.queue.tracks[2]
    app.queue.remove(2)
    app, runner = _restarted(app, make_app, library)
    assert app.queue.radio and removed not in app.queue.tracks
    for _ in range(len(app.library.snapshot.tracks) + 5):  # to the radio's end, refills too
        app.queue.next()
        runner.drain()
    assert removed not in app.queue.tracks


def test_a_queue_kept_for_another_library_does_not_come_back(library, make_app):
    """The ids are the database's: another database in the same folder (the library moved
    aside and built anew) gives them to other tracks, which must not come back as the queue."""
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    other = {t: f"/elsewhere/Other {t}.flac" for t in ids}
    app.close()
    write_saved_queue(library.data_dir, encode(SavedQueue(
        tuple(ids), 0, "Playlist: Mix (3 tracks)", "named", paths=other)))
    app, _ = _opened(make_app, library)
    assert app.queue.tracks == [] and app.queue.name == ""
    assert ("warning", "Queue not restored: its 3 tracks are no longer in the library") \
        in app.notifications


def test_the_restore_writes_nothing(library, make_app):
    """A start that changes nothing (a ``--screenshot`` run beside the library's window) leaves
    the file as it was, a track gone from it too."""
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    gone = max(ids) + 100
    data = encode(SavedQueue((ids[0], gone, *ids[1:]), 2, "Playlist: Mix (4 tracks)", "named",
                             paths={**_paths(app, ids), gone: "/x.flac"}))
    app.close()
    write_saved_queue(library.data_dir, data)
    inode = os.stat(library.data_dir / QUEUE_FILE).st_ino
    app, _ = _opened(make_app, library)
    assert app.queue.tracks == ids
    app.close()
    assert (library.data_dir / QUEUE_FILE).read_bytes() == data
    assert os.stat(library.data_dir / QUEUE_FILE).st_ino == inode


def test_a_read_only_library_says_nothing_of_its_queue(library, make_app, recorder,
                                                       monkeypatch):
    def refused(path, _data, **_kw):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr("musicsage.usecases.queue_file.replace_atomically", refused)
    app, _ = _opened(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:2]]
    app.queue.play_list(ids, "Map region (2 tracks)")
    app.queue.next()
    app.close()
    assert not [line for line in app.notifications if "kept" in line[1]], app.notifications
    assert not (library.data_dir / QUEUE_FILE).exists()


def test_a_fifo_in_place_of_the_file_is_one_line(library, make_app):
    path = library.data_dir / QUEUE_FILE
    os.mkfifo(path)

    def hung(*_args):
        raise TimeoutError("the start-up waits on the FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        app, _ = _opened(make_app, library)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    lines = [line for line in app.notifications if "queue" in line[1].lower()]
    assert lines == [("warning", f"The queue was not restored: {path} is not a regular file; "
                      "the file is left as it is")]
    assert stat.S_ISFIFO(os.stat(path).st_mode)


def test_a_newer_file_is_said_in_the_past(library, make_app):
    (library.data_dir / QUEUE_FILE).write_bytes(
        b'{"format": "musicsage-queue", "version": 9}\n')
    app, _ = _opened(make_app, library)
    assert any("was written by a newer musicsage (queue file version 9)" in text
               for _level, text in app.notifications), app.notifications

"""The play queue survives a restart, as in every desktop music player: a radio, a named
queue and a plain "Queue" made by adds come back in the Queue tab of a new window on the same
library, on the entry they were at, with nothing playing and one line saying what came back.
The Queue tab was empty after each restart."""

from __future__ import annotations

import errno
import os

import pytest

from gui_support import settle

from musicsage.usecases.queue_file import QUEUE_FILE, read_saved_queue


def _plays(qtbot, w, track_id) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path
                    and w.player.engine.state == "playing", timeout=30_000)


def _reopened(qtbot, make_window, library, w, **kw):
    """Close ``w`` (as the user quits) and open a new window on the same library, with the
    lines it said: (window, [(level, text)])."""
    w.close()
    new = make_window(library, wait=False, **kw)
    notes: list[tuple[str, str]] = []
    new.app.notified.connect(lambda level, text, *_: notes.append((level, text)))
    settle(qtbot, new)
    return new, notes


def _nothing_plays(w) -> None:
    assert w.player.engine.path is None or w.player.engine.state != "playing"
    assert not w.app.queue.active


def _restored_line(notes) -> str:
    lines = [text for _level, text in notes if "Queue" in text]
    assert len(lines) == 1, notes
    return lines[0]


def test_a_named_queue_comes_back_on_its_entry_and_play_goes_on_there(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    w.app.queue.play_list(ids, "Playlist: Mix (5 tracks)")
    _plays(qtbot, w, ids[0])
    w.app.queue.next()
    _plays(qtbot, w, ids[1])
    w, notes = _reopened(qtbot, make_window, library, w, stream_factory=fake_streams)
    q = w.app.queue
    assert (q.tracks, q.current, q.name, q.radio) == (ids, 1, "Playlist: Mix (5 tracks)", False)
    assert w.queue.heading.text() == "Playlist: Mix (5 tracks)"
    assert w.queue.list.count() == 5 and w.queue.list.item(1).text().startswith("▶")
    assert _restored_line(notes) == "Queue restored: 5 tracks"
    _nothing_plays(w)
    assert q.can_start()
    w.player.start_requested.emit()  # Play: the queue goes on where it was
    _plays(qtbot, w, ids[1])
    assert q.active


def test_a_radio_comes_back_as_a_radio(qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    seed = w.app.library.snapshot.tracks[2].id
    w.app.queue.set_mode("drift")
    w.app.queue.play_similar(seed)
    _plays(qtbot, w, seed)
    held, name = list(w.app.queue.tracks), w.app.queue.name
    w, notes = _reopened(qtbot, make_window, library, w, stream_factory=fake_streams)
    q = w.app.queue
    assert (q.tracks, q.current, q.name) == (held, 0, name)
    assert q.radio and q.seed == seed and q.mode == "drift"
    assert _restored_line(notes) == f"Queue restored: {len(held)} tracks"
    _nothing_plays(w)


def test_a_plain_queue_of_adds_comes_back_unplayed(qtbot, make_window, library):
    w = make_window(library)
    a, b = (t.id for t in w.app.library.snapshot.tracks[:2])
    w.app.queue.add_to_queue(a)
    w.app.queue.play_next(b)
    w, notes = _reopened(qtbot, make_window, library, w)
    q = w.app.queue
    assert (q.tracks, q.current, q.name, q.radio) == ([b, a], -1, "Queue", False)
    assert _restored_line(notes) == "Queue restored: 2 tracks"
    assert read_saved_queue(library.data_dir).kind == "plain"
    _nothing_plays(w)


def test_a_left_queue_comes_back_left(qtbot, make_window, library, fake_streams):
    """A queue the user left (a click on the map played something else) is kept as left:
    Play plays the selected track, as before the restart, not the queue."""
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    w.app.queue.play_list(ids[:3], "Map region (3 tracks)")
    _plays(qtbot, w, ids[0])
    w.app.selection.play_track(ids[3])
    _plays(qtbot, w, ids[3])
    assert read_saved_queue(library.data_dir).left
    w, _notes = _reopened(qtbot, make_window, library, w, stream_factory=fake_streams)
    assert w.app.queue.tracks == ids[:3] and w.app.queue.current == 0
    assert not w.app.queue._resumes_own_track()


def test_a_restored_queue_left_is_written_as_left_at_once(qtbot, make_window, library,
                                                         fake_streams):
    """Restored, not left, then the user plays another track: the file says it was left
    before any quit (a crash then does not bring the wait for Play back)."""
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    w.app.queue.play_list(ids[:3], "Map region (3 tracks)")
    _plays(qtbot, w, ids[0])
    w, _notes = _reopened(qtbot, make_window, library, w, stream_factory=fake_streams)
    assert not read_saved_queue(library.data_dir).left
    w.app.selection.play_track(ids[3])
    _plays(qtbot, w, ids[3])
    assert read_saved_queue(library.data_dir).left
    assert not w.app.queue._resumes_own_track()


def test_tracks_gone_from_the_library_are_left_out_and_counted(qtbot, make_window, library):
    from musicsage.usecases.queue_file import SavedQueue, encode, write_saved_queue

    w = make_window(library)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    gone = [max(ids) + 100, max(ids) + 101]
    paths = {t: w.app.library.snapshot.by_id[t].path for t in ids}
    saved = SavedQueue((ids[0], gone[0], ids[1], gone[1], ids[2]), 2, "Playlist: X (5 tracks)",
                       "named", paths=paths)
    w.close()
    write_saved_queue(library.data_dir, encode(saved))
    w, notes = _reopened(qtbot, make_window, library, w)
    q = w.app.queue
    assert (q.tracks, q.current, q.name) == (ids[:3], 1, "Playlist: X (3 tracks)")
    assert ("warning", "Queue restored: 3 tracks; 2 tracks of the queue are no longer in the "
            "library") in notes


@pytest.mark.parametrize("data", [b"{\"format\": \"musicsage-queue\", \"vers",
                                  b"\x00\xff garbage",
                                  b"{\"format\": \"musicsage-queue\", \"version\": 9}\n",
                                  b"[1, 2, 3]\n"],
                         ids=["cut short", "damaged", "future version", "foreign"])
def test_a_bad_file_is_said_once_and_left_alone(qtbot, make_window, library, data):
    path = library.data_dir / QUEUE_FILE
    path.write_bytes(data)
    w = make_window(library, wait=False)
    notes: list[tuple[str, str]] = []
    w.app.notified.connect(lambda level, text, *_: notes.append((level, text)))
    settle(qtbot, w)
    bad = [n for n in notes if "queue" in n[1].lower()]
    assert len(bad) == 1 and bad[0][0] == "warning", notes
    assert "The queue was not restored" in bad[0][1] and "left as it is" in bad[0][1]
    assert w.app.queue.tracks == []
    w.app.queue.clear()  # an empty queue does not replace it
    w.close()
    assert path.read_bytes() == data


def test_a_new_queue_replaces_a_bad_file(qtbot, make_window, library):
    path = library.data_dir / QUEUE_FILE
    path.write_bytes(b"not json")
    w = make_window(library)
    ids = [t.id for t in w.app.library.snapshot.tracks[:2]]
    w.app.queue.add_to_queue(*ids)
    assert read_saved_queue(library.data_dir).tracks == tuple(ids)


def test_a_folder_that_cannot_be_written_is_said_once(qtbot, make_window, library,
                                                      monkeypatch):
    """A full disk, say (a library the user may only read says nothing: its queue is not
    kept, as nothing of it is written)."""
    w = make_window(library)
    notes: list[tuple[str, str]] = []
    w.app.notified.connect(lambda level, text, *_: notes.append((level, text)))
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]

    def refused(path, _data, **_kw):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("musicsage.usecases.queue_file.replace_atomically", refused)
    for track in ids:  # three changes of the queue: one line
        w.app.queue.add_to_queue(track)
    unwritable = [n for n in notes if "will not be kept" in n[1]]
    assert len(unwritable) == 1 and unwritable[0][0] == "warning", notes
    assert "cannot be written (No space left on device)" in unwritable[0][1]
    assert w.app.queue.tracks == ids
    w.close()  # and the close neither
    assert len([n for n in notes if "will not be kept" in n[1]]) == 1
    assert not (library.data_dir / QUEUE_FILE).exists()

"""Each library keeps its own queue (``queue.json`` in its data dir): switching to another
library (the demo, File ▸ Back to my library) empties the queue on screen without writing
that empty queue over either library's file, and the library shown again gets its queue back.
No window, no Qt."""

from __future__ import annotations

from musicsage.usecases.queue_file import QUEUE_FILE, read_saved_queue


def test_a_switch_keeps_each_librarys_queue(library, make_app, tmp_path):
    from musicsage.context import AppContext

    other = AppContext.create(tmp_path / "other-data")
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    app.queue.play_list(ids, "Map region (3 tracks)")
    assert read_saved_queue(library.data_dir).tracks == tuple(ids)
    assert app.set_context(other)
    app.library.reload()
    runner.drain()
    assert app.queue.tracks == []
    assert read_saved_queue(library.data_dir).tracks == tuple(ids), "not emptied by the switch"
    assert not (other.data_dir / QUEUE_FILE).exists(), "an empty queue is not written there"
    assert app.set_context(library)
    app.library.reload()
    runner.drain()
    assert app.queue.tracks == ids and app.queue.name == "Map region (3 tracks)"
    assert app.notifications[-1] == ("info", "Queue restored: 3 tracks")


def test_a_reload_of_the_same_library_does_not_restore_again(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    app.queue.play_list(ids, "Map region (3 tracks)")
    app.queue.remove(2)
    app.library.reload()  # a scan in a terminal changed the library: read again
    runner.drain()
    assert app.queue.tracks == ids[:2] and app.queue.current == 0
    assert not [text for _level, text in app.notifications if "restored" in text]


def test_back_from_a_library_that_could_not_be_read(library, make_app, tmp_path):
    """The library in between could not be read: coming back, the queue emptied by the
    switch is not written over the library's file, and its kept queue comes back."""
    from musicsage.context import AppContext

    other = AppContext.create(tmp_path / "damaged-data")
    other.data_dir.mkdir(parents=True, exist_ok=True)
    other.db_path.write_bytes(b"not a database" * 100)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    app.queue.play_list(ids, "Map region (3 tracks)")
    assert app.set_context(other)
    app.library.reload()
    runner.drain()
    assert app.library_problem is not None
    assert app.set_context(library)
    assert read_saved_queue(library.data_dir).tracks == tuple(ids)
    app.library.reload()
    runner.drain()
    assert app.queue.tracks == ids


def test_a_queue_of_tracks_all_gone_is_said_and_its_file_kept(library, make_app):
    """None of the kept queue's tracks is in the library now (it was rebuilt): the queue
    stays empty — no heading of a queue of nothing — the line counts them, and the file
    stays until the user makes a new queue."""
    from musicsage.usecases.queue_file import SavedQueue, encode, write_saved_queue

    data = encode(SavedQueue((9001, 9002), 0, "Playlist: Old (2 tracks)", "named"))
    write_saved_queue(library.data_dir, data)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    assert app.queue.tracks == [] and app.queue.name == ""
    assert ("warning", "Queue not restored: its 2 tracks are no longer in the library") \
        in app.notifications
    app.queue.clear()
    assert (library.data_dir / QUEUE_FILE).read_bytes() == data


def test_a_window_that_changed_nothing_writes_nothing(library, make_app):
    """No queue made: no file written at the close (a ``--screenshot`` run may open beside
    the library's window, and must not write its queue over the one that window keeps)."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.close()
    assert not (library.data_dir / QUEUE_FILE).exists()


def test_a_file_the_system_will_not_read_is_one_line(library, make_app):
    (library.data_dir / QUEUE_FILE).mkdir()  # a folder in its place: read refused
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    lines = [(level, text) for level, text in app.notifications if "queue" in text.lower()]
    assert len(lines) == 1 and lines[0][0] == "warning", lines
    assert lines[0][1].startswith("The queue was not restored: ")
    assert lines[0][1].endswith("cannot be read (Is a directory)")
    assert app.queue.tracks == [] and (library.data_dir / QUEUE_FILE).is_dir()

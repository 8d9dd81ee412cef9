"""A ``queue.json`` that is not a queue this musicsage reads (damaged, cut short, another
program's, a newer musicsage's) is never lost: the one line at start says where it will be set
aside, and the first new queue moves it there (``queue.json.unreadable``, else ``-2``, ``-3`` …;
nothing overwritten) before its own file is written. It was written over. Something not a
file at that name (a FIFO) is left and nothing written over it. No window, no Qt."""

from __future__ import annotations

import os
import stat

import pytest

from musicsage.usecases.queue_file import QUEUE_FILE, read_saved_queue

NEWER = b'{"format": "musicsage-queue", "version": 9, "tracks": [1, 2]}\n'


def _opened(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app


def _queue_lines(app):
    return [text for _level, text in app.notifications if "queue" in text.lower()]


@pytest.mark.parametrize("data", [b"not json", b'{"format": "musicsage-queue", "vers', NEWER,
                                  b"[1, 2, 3]\n"],
                         ids=["damaged", "cut short", "newer", "foreign"])
def test_the_first_new_queue_sets_the_file_aside(library, make_app, data):
    path = library.data_dir / QUEUE_FILE
    path.write_bytes(data)
    app = _opened(make_app, library)
    aside = library.data_dir / "queue.json.unreadable"
    [line] = _queue_lines(app)
    assert line.endswith(f"the file is left as it is, and set aside as {aside} once a new "
                         "queue is kept"), line
    assert path.read_bytes() == data and not aside.exists(), "nothing moved at start"
    ids = [t.id for t in app.library.snapshot.tracks[:2]]
    app.queue.add_to_queue(*ids)
    assert aside.read_bytes() == data, "the file was lost"
    assert read_saved_queue(library.data_dir).tracks == tuple(ids)
    app.queue.add_to_queue(app.library.snapshot.tracks[2].id)
    assert aside.read_bytes() == data and not (library.data_dir / "queue.json.unreadable-2"
                                               ).exists(), "set aside once"


def test_names_taken_are_never_overwritten(library, make_app):
    folder = library.data_dir
    (folder / "queue.json.unreadable").write_bytes(b"first")
    (folder / "queue.json.unreadable-2").write_bytes(b"second")
    (folder / QUEUE_FILE).write_bytes(NEWER)
    app = _opened(make_app, library)
    assert f"set aside as {folder / 'queue.json.unreadable-3'} once" in _queue_lines(app)[0]
    app.queue.add_to_queue(app.library.snapshot.tracks[0].id)
    assert (folder / "queue.json.unreadable").read_bytes() == b"first"
    assert (folder / "queue.json.unreadable-2").read_bytes() == b"second"
    assert (folder / "queue.json.unreadable-3").read_bytes() == NEWER


def test_a_name_taken_meanwhile_is_passed_over_and_said(library, make_app):
    folder = library.data_dir
    (folder / QUEUE_FILE).write_bytes(b"not json")
    app = _opened(make_app, library)
    (folder / "queue.json.unreadable").write_bytes(b"another program's")
    app.queue.add_to_queue(app.library.snapshot.tracks[0].id)
    assert (folder / "queue.json.unreadable").read_bytes() == b"another program's"
    assert (folder / "queue.json.unreadable-2").read_bytes() == b"not json"
    said = f"{folder / QUEUE_FILE} was set aside as {folder / 'queue.json.unreadable-2'}"
    assert [text for _level, text in app.notifications if text.endswith(said)], app.notifications


def test_an_empty_queue_sets_nothing_aside(library, make_app):
    path = library.data_dir / QUEUE_FILE
    path.write_bytes(NEWER)
    app = _opened(make_app, library)
    app.queue.clear()
    app.close()
    assert path.read_bytes() == NEWER and not (library.data_dir / "queue.json.unreadable"
                                               ).exists()


def test_a_fifo_is_left_and_nothing_written_over_it(library, make_app):
    path = library.data_dir / QUEUE_FILE
    os.mkfifo(path)
    app = _opened(make_app, library)
    for track in app.library.snapshot.tracks[:3]:  # three changes: one line
        app.queue.add_to_queue(track.id)
    app.close()
    assert stat.S_ISFIFO(os.lstat(path).st_mode)
    assert [text for _level, text in app.notifications if "will not be kept" in text] == [
        f"The queue will not be kept for the next start: {path} is not a file"]
    assert sorted(p.name for p in library.data_dir.iterdir() if "queue" in p.name) == [QUEUE_FILE]


def test_a_fifo_taken_away_lets_the_queue_be_kept(library, make_app):
    path = library.data_dir / QUEUE_FILE
    os.mkfifo(path)
    app = _opened(make_app, library)
    path.unlink()
    ids = [app.library.snapshot.tracks[0].id]
    app.queue.add_to_queue(*ids)
    assert read_saved_queue(library.data_dir).tracks == tuple(ids)

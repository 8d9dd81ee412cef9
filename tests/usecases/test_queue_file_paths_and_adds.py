"""The kept queue's file (version 2) keeps what Play and a radio need after a restart — the
entries added and not yet played, the tracks taken out of a radio — and each track id's path,
which ties the ids to the library that kept them; a version-1 file (ids alone) is refused
with its reason, as is anything in place of the file that is not a regular file (a FIFO
froze the start-up)."""

from __future__ import annotations

import json
import os
import signal

import pytest

from musicsage.usecases.queue_file import (QUEUE_FILE, QueueFileError, SavedQueue, decode,
                                           encode, read_saved_queue, write_saved_queue)


def test_adds_removed_tracks_and_paths_come_back_as_written(tmp_path):
    paths = {5: "/m/a é.flac", 3: "/m/b.flac", 9: "/m/d", 4: "/m/c"}  # 11's not known
    saved = SavedQueue((5, 3, 9), 0, "Radio: X", "radio", 5, "close", False, added=(9,),
                       removed=(4, 11), paths=paths)
    write_saved_queue(tmp_path, encode(saved))
    assert read_saved_queue(tmp_path) == saved


def _record(**changes) -> bytes:
    record = json.loads(encode(SavedQueue((1, 2), 0, "Queue", paths={1: "/a", 2: "/b"})))
    record.update(changes)
    return json.dumps(record).encode()


@pytest.mark.parametrize(("data", "why"), [
    (_record(version=1), "was written by an earlier musicsage (queue file version 1)"),
    (_record(added=[1, "2"]), "its fields are damaged"),
    (_record(removed=None), "its fields are damaged"),
    (_record(paths=["/a"]), "its fields are damaged"),
    (_record(paths={"1": "/a", "2": "/b"}), "its fields are damaged"),
    (_record(paths=["/a", 7]), "its fields are damaged"),
])
def test_a_file_of_another_form_is_refused_with_its_reason(data, why):
    with pytest.raises(QueueFileError, match=why.replace("(", r"\(").replace(")", r"\)")):
        decode(data)


def test_a_fifo_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / QUEUE_FILE)

    def hung(*_args):
        raise TimeoutError("waits for a writer")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        with pytest.raises(QueueFileError, match="is not a regular file"):
            read_saved_queue(tmp_path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_file_too_large_for_a_queue_is_refused_without_reading_it_whole(tmp_path,
                                                                        monkeypatch):
    """A file of gigabytes at the queue's name was read whole at the window's start."""
    from musicsage.usecases import queue_file

    monkeypatch.setattr(queue_file, "MAX_QUEUE_BYTES", 1000)
    (tmp_path / QUEUE_FILE).write_bytes(b" " * 1001)
    with pytest.raises(QueueFileError, match="larger than"):
        read_saved_queue(tmp_path)

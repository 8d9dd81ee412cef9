"""The kept queue's file (``queue.json``): what it holds comes back as written, and anything
else (damaged, cut short, another program's JSON, a newer version, fields of the wrong type)
is refused with a reason, never a traceback of the JSON reader."""

from __future__ import annotations

import json

import pytest

from musicsage.usecases.queue_file import (QUEUE_FILE, QueueFileError, SavedQueue, decode,
                                           encode, read_saved_queue, write_saved_queue)


def test_a_queue_comes_back_as_written(tmp_path):
    saved = SavedQueue((5, 3, 9), 1, "Radio: Ünïcode \"quoted\"", "radio", 5, "drift", False)
    write_saved_queue(tmp_path, encode(saved))
    assert read_saved_queue(tmp_path) == saved
    assert [p.name for p in tmp_path.iterdir()] == [QUEUE_FILE], "no temporary left"


def test_no_file_is_no_queue(tmp_path):
    assert read_saved_queue(tmp_path) is None


def _record(**changes) -> bytes:
    record = json.loads(encode(SavedQueue((1, 2), 0, "Queue")))
    record.update(changes)
    return json.dumps(record).encode()


@pytest.mark.parametrize(("data", "why"), [
    (b"", "damaged or cut short"),
    (encode(SavedQueue((1, 2), 0, "Queue"))[:30], "damaged or cut short"),
    (b"\xff\xfe\x00", "damaged or cut short"),
    (b'{"tracks": [1, 2]}', "not a queue file of musicsage"),
    (b"[1, 2]", "not a queue file of musicsage"),
    (_record(version=3), "was written by a newer musicsage (queue file version 3)"),
    (_record(version="1"), "not a queue file of musicsage"),
    (_record(tracks=[1, "2"]), "fields are damaged"),
    (_record(tracks=[1, True]), "fields are damaged"),
    (_record(current=7), "fields are damaged"),
    (_record(kind="other"), "fields are damaged"),
    (_record(mode=None), "fields are damaged"),
    (_record(left="no"), "fields are damaged"),
])
def test_anything_else_is_refused_with_its_reason(data, why):
    with pytest.raises(QueueFileError, match=why.replace("(", r"\(").replace(")", r"\)")):
        decode(data)

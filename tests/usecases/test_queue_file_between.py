"""The queue file's ``between``: kept only where true (every other queue's bytes as they were,
and an earlier musicsage reads it as before), read back, and refused when it is no bool."""

from __future__ import annotations

import json

import pytest

from musicsage.usecases.queue_file import QueueFileError, SavedQueue, decode, encode


def test_between_is_kept_and_read_back():
    saved = SavedQueue((1, 2, 3), 0, "Region", "named", left=True, between=True,
                       paths={1: "/m/a.flac", 2: "/m/b.flac", 3: "/m/c.flac"})
    assert json.loads(encode(saved))["between"] is True
    assert decode(encode(saved)) == saved


def test_a_queue_without_it_is_written_and_read_as_before():
    saved = SavedQueue((1, 2), 1, "Queue", "plain", paths={1: "/m/a.flac", 2: "/m/b.flac"})
    assert "between" not in json.loads(encode(saved))
    assert decode(encode(saved)).between is False


def test_a_between_that_is_no_bool_is_refused():
    record = json.loads(encode(SavedQueue((1,), 0, paths={1: "/m/a.flac"})))
    record["between"] = "yes"
    with pytest.raises(QueueFileError, match="fields are damaged"):
        decode(json.dumps(record).encode())

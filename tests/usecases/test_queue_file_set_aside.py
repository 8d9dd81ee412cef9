"""Setting a queue file aside (:func:`set_aside`) never writes over a file: the next free
name is taken, also where the file system makes no hard links (FAT, some network shares)."""

from __future__ import annotations

import errno
import os

import pytest

from musicsage.usecases.queue_file import QUEUE_FILE, in_the_way, set_aside


@pytest.mark.parametrize("links", [True, False], ids=["hard links", "no hard links"])
def test_the_next_free_name_is_taken(tmp_path, monkeypatch, links):
    if not links:
        def refused(*_args, **_kw):
            raise OSError(errno.EPERM, os.strerror(errno.EPERM))
        monkeypatch.setattr(os, "link", refused)
    (tmp_path / "queue.json.unreadable").write_bytes(b"kept")
    (tmp_path / QUEUE_FILE).write_bytes(b"not a queue")
    assert set_aside(tmp_path) == tmp_path / "queue.json.unreadable-2"
    assert (tmp_path / "queue.json.unreadable").read_bytes() == b"kept"
    assert (tmp_path / "queue.json.unreadable-2").read_bytes() == b"not a queue"
    assert not (tmp_path / QUEUE_FILE).exists()


def test_nothing_there_is_nothing_set_aside(tmp_path):
    assert in_the_way(tmp_path) is False and set_aside(tmp_path) is None


def test_a_link_to_nothing_is_set_aside_not_replaced(tmp_path):
    (tmp_path / QUEUE_FILE).symlink_to(tmp_path / "gone.json")
    assert in_the_way(tmp_path) is True
    assert set_aside(tmp_path) == tmp_path / "queue.json.unreadable"
    assert os.readlink(tmp_path / "queue.json.unreadable") == str(tmp_path / "gone.json")


def test_a_fifo_or_a_folder_is_left(tmp_path):
    os.mkfifo(tmp_path / QUEUE_FILE)
    assert in_the_way(tmp_path) is None
    os.unlink(tmp_path / QUEUE_FILE)
    (tmp_path / QUEUE_FILE).mkdir()
    assert in_the_way(tmp_path) is None

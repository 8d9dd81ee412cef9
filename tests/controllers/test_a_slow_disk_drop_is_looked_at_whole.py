"""A drop's paths were all looked at against one 0.5 s deadline: a local drop of 22,000
files, or 1,000 on a cold hard disk (a few ms a look), had thousands left out as "No answer
from the disk yet" although the disk answered all along. The wait now gives up only once
the disk has been silent for the whole wait; a look that hangs still gives up in time."""

from __future__ import annotations

import threading
import time

from musicsage.controllers import bounded_look
from musicsage.controllers.drops import left_out_note


def test_every_path_of_a_slow_but_answering_disk_is_answered():
    paths = [f"/slow/disk/album{i % 40}/track{i}.flac" for i in range(2000)]

    def slow_look(path: str) -> str:
        time.sleep(0.002)
        return path

    answers = bounded_look.answers_within("drop test slow", paths, slow_look, wait_s=0.2)
    assert len(answers) == len(paths), f"{len(paths) - len(answers)} paths left unanswered"


def test_a_hanging_path_still_gives_up_within_the_wait():
    release = threading.Event()
    hanging = "/stale/share/away.flac"

    def look(path: str) -> str:
        if path == hanging:
            release.wait(10)
        return path

    try:
        started = time.monotonic()
        answers = bounded_look.answers_within("drop test hang", [hanging], look, wait_s=0.2)
        assert answers == {}
        assert time.monotonic() - started < 0.2 + 0.5, "nothing answered: the wait is bounded"

        local = [f"/home/me/Music/a{i}/t{i}.flac" for i in range(50)]
        started = time.monotonic()
        answers = bounded_look.answers_within("drop test hang", [hanging, *local], look,
                                              wait_s=0.2)
        assert set(answers) == set(local), "the local files answered, the hanging one not"
        assert time.monotonic() - started < 0.2 + 0.5
    finally:
        release.set()


def test_the_count_of_more_left_out_paths_reads_as_english():
    note = left_out_note(["/a.mp3", "/b.mp3", "/c.mp3"], [])
    assert note.endswith("/a.mp3 and 2 more"), note


def test_a_share_that_answers_slowly_holds_the_window_no_longer_than_the_bound(monkeypatch):
    """Each answer slid the wait on: a share answering each look in 0.4 s held the window 4 s
    for 80 files, 2,000 files on a WAN share would have held it ~50 s, "not responding"."""
    monkeypatch.setattr(bounded_look, "MOST_WAIT_S", 0.6)
    paths = [f"/wan/share/album{i % 10}/track{i}.flac" for i in range(200)]

    def slow_look(path: str) -> str:
        time.sleep(0.05)
        return path

    started = time.monotonic()
    answers = bounded_look.answers_within("drop test wan", paths, slow_look, wait_s=0.2)
    assert time.monotonic() - started < 0.6 + 0.3, "the bound holds while answers keep coming"
    assert 0 < len(answers) < len(paths), "what answered in time is kept, the rest left out"

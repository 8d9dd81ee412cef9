"""Two files swapped (``mv a.wav t.wav; mv b.wav a.wav; mv t.wav b.wav``) by steps that come
more than the watch's quiet time apart (a file manager, a script): the watch reads the swap in
two batches, neither of which sees the whole ring. Each batch is a move or a chain of renames
(:mod:`musicsage.library.move_chains`) the watch follows, so each track still follows its
song, with its id, vectors and playlist places, and no file is read as changed — split after
the first step or after the second, and (split after the first) with the song parked under a
name the watch does not read or outside the music folder: its track is missing meanwhile."""

from __future__ import annotations

import os
import threading

import pytest
from test_swapped_files_keep_their_songs import _library, _paths, _songs_followed
from test_watch_folder import TIMEOUT, Watching, wait_until

from musicsage.library.db import connect
from musicsage.library.watch_events import PendingChanges

STEPS = ("a.wav", "{temp}"), ("b.wav", "a.wav"), ("{temp}", "b.wav")


class InSteps(PendingChanges):
    """Events that no batch takes before the next of ``markers`` is in: each step group is
    one batch, however slowly a loaded machine makes its renames."""

    def __init__(self, markers: list[str]) -> None:
        super().__init__()
        self.markers, self.taken = markers, 0
        self.seen = [threading.Event() for _ in markers]

    def add(self, path: str, is_dir: bool, dest: str | None = None, **kw) -> None:
        super().add(path, is_dir, dest, **kw)
        for marker, seen in zip(self.markers, self.seen):
            if marker in (path, dest):
                seen.set()

    def take(self, *, quiet: float, max_wait: float, timeout: float):
        if self.taken >= len(self.seen) or not self.seen[self.taken].wait(timeout):
            return None
        batch = super().take(quiet=quiet, max_wait=max_wait, timeout=timeout)
        self.taken += batch is not None
        return batch


def _swap_in_two_batches(ctx, tmp_path, make_audio, split: int, temp: str):
    """The swap, its first ``split`` steps one batch and the rest another: the library, the
    tracks' ids and each batch's (added, changed, moved)."""
    conn = connect(ctx)
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    steps = [(src.format(temp=temp), dst.format(temp=temp)) for src, dst in STEPS]
    markers = [music / "first batch", music / "second batch"]  # empty folders: no tracks
    watch = Watching(ctx, embed=False, pending=InSteps([str(m) for m in markers]))
    try:
        for group, marker in zip((steps[:split], steps[split:]), markers):
            batches = len(watch.reports)
            for src, dst in group:
                os.replace(music / src, music / dst)
            marker.mkdir()
            wait_until(lambda: len(watch.reports) > batches, f"the batch before {marker.name}")
    finally:
        watch.stop()
    return connect(ctx), music, ids, [(r.scan.added, r.scan.updated, r.scan.moved)
                                      for r in watch.reports]


@pytest.mark.parametrize("temp", ["t.wav", "swap.tmp", "../parked.wav"])
def test_split_after_the_first_step_each_track_follows_its_song(ctx, tmp_path, make_audio,
                                                                 temp):
    conn, music, ids, batches = _swap_in_two_batches(ctx, tmp_path, make_audio, 1, temp)

    assert [added + changed for added, changed, _moved in batches] == [0, 0], \
        "no file new, none changed"
    assert sum(moved for _a, _c, moved in batches) == (3 if temp == "t.wav" else 2)
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "a.wav"}
    _songs_followed(conn, ids, "ab")


def test_split_after_the_second_step_each_track_follows_its_song(ctx, tmp_path, make_audio):
    """``mv a.wav t.wav; mv b.wav a.wav`` is a chain of two renames; then ``mv t.wav b.wav``
    a move."""
    conn, music, ids, batches = _swap_in_two_batches(ctx, tmp_path, make_audio, 2, "t.wav")

    assert batches == [(0, 0, 2), (0, 0, 1)]
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "a.wav"}
    _songs_followed(conn, ids, "ab")

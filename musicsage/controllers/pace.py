"""The time a counted stage has left, from its own pace so far (the status line's "about 2
min left").

The pace is measured from the first unit done, not from the stage's start: loading the
audio model and filling the decode pipeline take seconds before the first track, and
counting them made the first estimates long. The estimate is the average time per unit
since then, times the units left: tracks of different lengths even out over a run, where
a recent rate (the command line's bar smooths over the last few updates) swings with the
length of the last track. None until a few units are done over a few seconds: a batch
of tracks committed at once would otherwise read as a pace of milliseconds a track.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Hashable

from musicsage.progress import Progress

MIN_UNITS = 3
"""Units done since the first one before a time left is given."""
MIN_SECONDS = 5.0
"""Seconds since the first unit before a time left is given."""


@dataclass
class _Start:
    stage: str
    total: int
    at: float
    done: int


class Pace:
    """Time left per key (a task), from the progress reports it sees as they arrive."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._starts: dict[Hashable, _Start] = {}

    def seconds_left(self, key: Hashable, p: Progress) -> float | None:
        """Seconds ``key``'s stage has left after report ``p``, or None (not known yet)."""
        if not p.total or p.done <= 0:
            return None
        now = self._clock()
        start = self._starts.get(key)
        if (start is None or start.stage != p.stage or start.total != p.total
                or p.done < start.done):  # a new stage, or a stage started again
            self._starts[key] = _Start(p.stage, p.total, now, p.done)
            return None
        units, seconds = p.done - start.done, now - start.at
        if units < MIN_UNITS or seconds < MIN_SECONDS:
            return None
        return max(0, p.total - p.done) * seconds / units

    def forget(self, key: Hashable) -> None:
        self._starts.pop(key, None)

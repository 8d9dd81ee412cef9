"""The play queue's labels as a view reads them (:class:`QueueLabels`): made one at a time,
when a row on screen asks, not all at once on each change of the queue."""

from __future__ import annotations

from typing import Callable, Sequence, overload


class QueueLabels(Sequence[str]):
    """The queue's labels, each made when it is read: a view shows the few rows on screen, and
    making all 28,356 labels of a long queue on each of its changes (every next track) froze
    the window. :attr:`track_ids` is the queue as it was when asked: what a view compares to
    tell which rows changed; :attr:`queue`, which queue it is (None: not said)."""

    def __init__(self, track_ids: Sequence[int], label: Callable[[int], str], *,
                 queue: int | None = None) -> None:
        self.track_ids = tuple(track_ids)
        self._label = label
        self.queue = queue
        """The count of queues started when asked: the same while one queue changes (a row
        taken out), another once a new queue replaced it (a view's chosen track follows its
        row only within one queue)."""

    def __len__(self) -> int:
        return len(self.track_ids)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._label(t) for t in self.track_ids[index]]
        return self._label(self.track_ids[index])

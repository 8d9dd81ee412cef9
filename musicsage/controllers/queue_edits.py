"""Reordering the play queue and taking entries out of it (:class:`QueueEdits`, the queue
controller's half that does it: a drag, ↑/↓, Delete, Remove, tracks gone from the library).
The entry the queue is at follows its track through a move; the one playing taken out leaves
its place between the entries around it: Next and Play go on with the entry that followed it,
Previous goes to the one before it."""

from __future__ import annotations

from musicsage.controllers.queue_plans import recounted
from musicsage.controllers.tasks import Event


class QueueEdits:
    """The editing half of the queue controller (its state lives there)."""

    tracks: list[int]
    current: int
    name: str
    radio: bool
    changed: Event
    _detached: bool
    _current_next: bool

    def move(self, index: int, to: int) -> None:
        """Move the track at ``index`` to position ``to`` (the playing one keeps playing)."""
        if not (0 <= index < len(self.tracks) and 0 <= to < len(self.tracks)) or index == to:
            return
        anchor, before = self._move_anchor(index)
        if self._detached and index == self.current:  # that entry, asked to play next, left
            self._current_next = False                # the removed track's place
        track = self.tracks.pop(index)
        self.tracks.insert(to, track)
        if anchor is not None:
            self.current = self.tracks.index(anchor) - before
        self.changed.emit()

    def _move_anchor(self, index: int) -> tuple[int | None, int]:
        """(the track :attr:`current` follows through a move of the entry at ``index``, 1 when
        :attr:`current` is the entry before that track). A removed playing track's place stays
        before the entry that followed it when the entry before it moves: it went along, and
        moved to the end, Next had nowhere to go and the rest of the queue never played."""
        if self._detached and index == self.current:
            after = self.current + 1
            return (self.tracks[after], 1) if after < len(self.tracks) else (None, 0)
        in_queue = 0 <= self.current < len(self.tracks)
        return (self.tracks[self.current] if in_queue else None), 0

    def remove(self, index: int) -> None:
        """Delete, or Remove, on the entry at ``index``."""
        if 0 <= index < len(self.tracks):
            self._drop({index})

    def _drop(self, indexes: set[int]) -> None:
        """Take those entries out, in one change; a removed current track leaves the one
        after it to play next (Next, and Play where the queue went on with it), the one before
        it to Previous, and no entry marked ▶ (:attr:`current` is the entry before, while the
        removed track plays on). A count of tracks in the queue's name follows
        (:func:`recounted`)."""
        self._current_next = self._current_next and self.current not in indexes
        self._detached = self._detached or self.current in indexes
        self.current -= sum(i <= self.current for i in indexes)
        was = len(self.tracks)
        self.tracks = [t for i, t in enumerate(self.tracks) if i not in indexes]
        if not self.radio:  # a radio's name is its seed's: no count of the queue's
            self.name = recounted(self.name, was, len(self.tracks))
        self.changed.emit()


"""A radio queue's refills (:class:`~musicsage.controllers.queue.QueueController`): more
tracks asked for when it runs low, from its seed — or, once the seed left the library (its
music folder removed while the radio played), from the queue's first track still there, which
then seeds it: the refill asked for the forgotten seed, failed ("radio: no track with id 1")
and was asked again at each next track, an error line each time, the radio dead. A refill
that cannot come (nothing left to seed it, or no vector to search from) ends the radio after
the tracks queued, said once in the queue's note; so does a refill that failed (a damaged
library file, a bug): the radio waited at its end for good, and each next track asked again,
an error line each time. A note that the radio follows audio neighbours for want of a graph
model goes once a Retrain made one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.queue_plans import ended_note, refill_after
from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.wording import window_note
from musicsage.usecases.radio import radio_more

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController
    from musicsage.search.types import RadioResult
    from musicsage.usecases.snapshot import LibrarySnapshot

BATCH = 20
"""Tracks asked for at a time."""


NOTE_SEPARATOR = "; "
"""Between the parts of the queue's note (the seed handed over; audio neighbours followed)."""


def cut_short_note(reason: str, *, queued: bool = True) -> str:
    """The queue's note once a refill cannot come (``reason``: why, as the use case says);
    ``queued``: tracks are left in the queue (none left, "it stops after the ones queued"
    was said over an empty queue)."""
    note = f"the radio cannot go on ({window_note(reason)})"
    return f"{note}: it stops after the ones queued" if queued else note


def note_without(note: str, part: str) -> str:
    """``note`` without its part ``part`` and the separator beside it (a part may hold "; "
    itself, a track's title): a Retrain's removed part left "…'Folk Song 7'; " behind."""
    for cut in (NOTE_SEPARATOR + part, part + NOTE_SEPARATOR, part):
        if cut in note:
            return note.replace(cut, "", 1)
    return note


def handed_over_note(label: str, *, left: bool = True) -> str:
    """The queue's note once another track seeds the radio, its own having left the library
    (``left``), else lost what it was found by (its vector: its analysis redone, failed)."""
    why = "left the library" if left else "can lead it no more"
    return f"its seed track {why}: the radio goes on from '{label}'"


class RadioRefills:
    """The refill half of the queue controller (its state lives there)."""

    app: "AppController"
    tracks: list[int]
    current: int
    seed: int | None
    mode: str
    note: str
    changed: Event
    _generation: int
    _refilling: bool
    _stalled: bool
    _exhausted: bool
    _queued: dict[int, int]
    _no_graph_note: str

    def _play(self, index: int, *, after_failure: bool = False) -> None:
        raise NotImplementedError  # the controller's

    def _playable(self, track_id: int, gone: set[str] = frozenset()) -> bool:
        raise NotImplementedError  # the controller's

    def _refill(self) -> Task | None:
        """Ask for more tracks (once at a time, never after the radio ended)."""
        if self._refilling or self._exhausted or self.seed is None:
            return None
        self._refilling = True
        generation = self._generation
        task = self.app.run("radio", radio_more, self.app.ctx, [self.seed, *self.tracks], BATCH,
                            self.mode, after=refill_after(self._queued, self.tracks),
                            variety=self.app.variety, spaces=self.app.spaces)
        task.on_result(lambda result, g=generation: self._refilled(g, result))
        task.on_failed(lambda message, _details, g=generation: self._refill_failed(g, message))
        task.on_finished(lambda g=generation: self._refill_done(g))
        return task

    def _refill_done(self, generation: int) -> None:
        if generation == self._generation:
            self._refilling = False

    def _refilled(self, generation: int, result: "RadioResult | str") -> None:
        """A refill came (a ``str``: why none can: the radio ends after what it holds)."""
        if generation != self._generation:
            return
        self._refilling = False
        if isinstance(result, str):
            self._cut_short(result)
        else:
            self._take(result)
            self._hand_over(int(result.seed["track_id"]))
        self._go_on()

    def _hand_over(self, seed: int) -> None:
        """The refill came from ``seed``: another than the radio's own seeds it from now on,
        said first in the note."""
        if seed == self.seed:
            return
        snap = self.app.library.snapshot
        left = snap is None or self.seed not in snap.by_id
        self.seed, label = seed, self.app.selection.label(seed)
        said = handed_over_note(label, left=left)
        self.note = NOTE_SEPARATOR.join(n for n in (said, self.note) if n)

    def _refill_failed(self, generation: int, message: str) -> None:
        """A refill failed (not for want of a seed or a vector: a damaged library file, a
        bug): said once, by the runner's error line; the radio ends after what it holds, as
        for a refill that cannot come."""
        if generation != self._generation:
            return
        self._refilling = False
        self._cut_short(f"its next tracks could not be found: {message}")
        self._go_on()

    def _cut_short(self, reason: str) -> None:
        """No refill will come (``reason``): the radio ends, said in its note, not asked again."""
        self._exhausted, self._no_graph_note = True, ""
        self.note = cut_short_note(reason, queued=bool(self.tracks))

    def _go_on(self) -> None:
        """After a refill, or its end: the view told; a radio waiting at its end plays on, or
        ends there."""
        self.changed.emit()
        if self._stalled:
            self._stalled = False
            self._play(self.current + 1)

    def _graph_model_came(self, snap: "LibrarySnapshot") -> bool:
        """A snapshot with a graph model was read while the note says there is none (a
        Retrain ended): that part of the note goes (the next refill follows the model), and
        whether it did. It stayed until that refill, telling the user to press Retrain."""
        if not self._no_graph_note or snap.graph_model is None:
            return False
        self.note = note_without(self.note, self._no_graph_note)
        self._no_graph_note = ""
        return True

    def _take(self, result: "RadioResult") -> None:
        """Queue a refill's tracks (none the radio queued before); one with nothing that
        can play ends the radio (:func:`ended_note`)."""
        new = [r["track_id"] for r in result.tracks if r["track_id"] not in self._queued]
        self.tracks += new
        self._queued.update(dict.fromkeys(new, self.app.library.requested))
        self.note = window_note(result.note)  # the window's words (it names commands)
        # "no trained graph model yet (press Retrain)": gone once a Retrain made one
        no_graph = result.space == "audio" and not self.app.selection.graph_available
        self._no_graph_note = self.note if no_graph else ""
        if not any(self._playable(t) for t in new):
            self._exhausted, self.note = True, ended_note(self.note, new)

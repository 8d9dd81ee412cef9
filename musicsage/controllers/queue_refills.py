"""A radio queue's refills (:class:`~musicsage.controllers.queue.QueueController`): more
tracks asked for when it runs low, from its seed — or, once the seed left the library (its
music folder removed while the radio played), from the queue's first track still there, which
then seeds it: the refill asked for the forgotten seed, failed ("radio: no track with id 1")
and was asked again at each next track, an error line each time, the radio dead. A refill
that cannot come (nothing left to seed it, or no vector to search from) ends the radio after
the tracks queued, said once in the queue's note. A note that the radio follows audio
neighbours for want of a graph model goes once a Retrain made one."""

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


def cut_short_note(reason: str) -> str:
    """The queue's note once a refill cannot come (``reason``: why, as the use case says)."""
    return f"the radio cannot go on ({window_note(reason)}): it stops after the ones queued"


def handed_over_note(label: str) -> str:
    """The queue's note once another track seeds the radio, its own having left the library."""
    return f"its seed track left the library: the radio goes on from '{label}'"


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
            self._exhausted, self.note = True, cut_short_note(result)
            self._no_graph_note = ""
        else:
            seed = int(result.seed["track_id"])
            handed = seed != self.seed
            self.seed = seed
            self._take(result)
            if handed:
                label = self.app.selection.label(seed)
                self.note = "; ".join(n for n in (handed_over_note(label), self.note) if n)
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
        self.note = self.note.replace(self._no_graph_note, "", 1).lstrip("; ")
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

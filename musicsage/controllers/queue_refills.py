"""A radio queue's refills (:class:`~musicsage.controllers.queue.QueueController`): more
tracks asked for when it runs low, from its seed — or, once the seed left the library (its
music folder removed while the radio played), from the queue's first track still there, which
then seeds it: the refill asked for the forgotten seed, failed ("radio: no track with id 1")
and was asked again at each next track, an error line each time, the radio dead. A refill
that cannot come (nothing left to seed it, or no vector to search from) ends the radio after
the tracks queued, said once in the queue's note; so does a second refill in a row that
failed (a damaged library file, a bug): the radio waited at its end for good, and each next
track asked again, an error line each time. One failure alone (the library database locked
for a while) is asked again at the next track: it ended the radio for good. A note that the
radio follows audio neighbours for want of a graph model goes once a Retrain made one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.queue_plans import ended_note, refill_after
from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.wording import window_note
from musicsage.text import elided
from musicsage.usecases.radio import radio_more

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController
    from musicsage.search.types import RadioResult
    from musicsage.usecases.radio import RadioRefill
    from musicsage.usecases.snapshot import LibrarySnapshot

BATCH = 20
"""Tracks asked for at a time."""

SEED_WORDS = "the seed track"
"""How :class:`~musicsage.usecases.radio.NoRadio`'s reasons name the seed ("the seed track
has no audio embedding …"): the note says "its seed track" instead, once."""

FAILURES_TO_END = 2
"""Refills failed in a row that end the radio: one may be passing (the library database
locked while a scan writes), and is asked again at the next track."""


NOTE_SEPARATOR = "; "
"""Between the parts of the queue's note (the seed handed over; audio neighbours followed)."""


def cut_short_note(reason: str, *, queued: bool = True) -> str:
    """The queue's note once a refill cannot come (``reason``: why, as the use case says);
    ``queued``: tracks are left in the queue (none left, "it stops after the ones queued"
    was said over an empty queue)."""
    note = f"the radio cannot go on ({window_note(reason)})"
    return f"{note}: it stops after the ones queued" if queued else note


def note_with(note: str, part: str) -> str:
    """``note`` with ``part`` put first (either may be empty)."""
    return NOTE_SEPARATOR.join(n for n in (part, note) if n)


def note_without(note: str, part: str) -> str:
    """``note`` without its part ``part`` and the separator beside it (a part may hold "; "
    itself, a track's title): a Retrain's removed part left "…'Folk Song 7'; " behind. An
    empty ``part`` removes nothing (not a separator)."""
    if not part:
        return note
    for cut in (NOTE_SEPARATOR + part, part + NOTE_SEPARATOR, part):
        if cut in note:
            return note.replace(cut, "", 1)
    return note


ERROR_WORDS = 80
"""At most this many characters of a failed refill's error in the queue's note."""


def error_words(message: str) -> str:
    """A failed refill's error as the note keeps it: its first line, shortened
    (:data:`ERROR_WORDS`): the note said "see the error line", gone from view by then."""
    lines = message.strip().splitlines()
    return elided(lines[0].strip(), ERROR_WORDS) if lines else "an unknown error"


def failed_note(message: str, *, queued: bool = True) -> str:
    """The queue's note once refills failed (:data:`FAILURES_TO_END` in a row), with the
    last error's words (:func:`error_words`), and what comes next."""
    stops = "it stops after the ones queued, and " if queued else ""
    return (f"the radio cannot go on: its next tracks could not be found "
            f"({error_words(message)}); {stops}Play similar starts it again")


def retry_note(message: str) -> str:
    """The queue's note part once a refill failed, the radio going on: only an error box
    said anything, as though the radio had ended."""
    return (f"its next tracks could not be found this time ({error_words(message)}): "
            "asked again at the next track")


def handed_over_note(label: str, reason: str = "") -> str:
    """The queue's note once another track seeds the radio, said first, then why in
    parentheses: its own left the library (no ``reason``), or cannot lead it (``reason``, as
    :class:`~musicsage.usecases.radio.NoRadio` words it of "the seed track": its vector lost,
    its analysis redone and failed). Said after the reason, it followed a chain of colons."""
    reason = window_note(reason)  # its hint names the window's control
    if not reason:
        why = f"{SEED_WORDS} left the library"
    elif reason.startswith(SEED_WORDS):
        why = reason
    else:
        why = f"{SEED_WORDS} cannot lead it: {reason}"
    return f"the radio goes on from '{label}' (its{why.removeprefix('the')})"


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
    _failed_refills: int
    _retry_note: str
    _refill_task: Task | None
    _queued: dict[int, int]
    _no_graph_note: str
    _current_next: bool

    def _play(self, index: int, *, after_failure: bool = False, backwards: bool = False) -> None:
        raise NotImplementedError  # the controller's

    def _playable(self, track_id: int, gone: set[str] = frozenset()) -> bool:
        raise NotImplementedError  # the controller's

    @property
    def finding_more(self) -> bool:
        """Whether a refill is under way (Next with nothing after says to wait for it)."""
        return self._refilling

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
        task.on_finished(lambda t=task: self._refill_done(t))
        self._refill_task = task
        return task

    def _refill_done(self, task: Task) -> None:
        """A refill ended (cancelled too): another may be asked for. Only the refill last
        asked for says so: one whose outcome asked for the next at once (a radio waiting at
        its end) said it of that next one too, and a third could run beside it."""
        if task is self._refill_task:
            self._refilling, self._refill_task = False, None

    def _refilled(self, generation: int, result: "RadioRefill | str") -> None:
        """A refill came (a ``str``: why none can: the radio ends after what it holds)."""
        if generation != self._generation:
            return
        self._refilling, self._failed_refills = False, 0
        self.note, self._retry_note = note_without(self.note, self._retry_note), ""
        if isinstance(result, str):
            self._cut_short(result)
        else:
            self._take(result)
            self._hand_over(result)
        self._go_on()

    def _hand_over(self, result: "RadioRefill") -> None:
        """The refill came from another seed than the radio's own: that one seeds it from now
        on, said first in the note with why the radio's own was passed over."""
        seed = int(result.seed["track_id"])
        if seed == self.seed:
            return
        self.seed, label = seed, self.app.selection.label(seed)
        said = handed_over_note(label, "" if result.seed_left else result.seed_reason)
        self.note = note_with(self.note, said)

    def _refill_failed(self, generation: int, message: str) -> None:
        """A refill failed (not for want of a seed or a vector: the library database locked,
        a damaged library file, a bug), said by the runner's error line and in the note. The
        next track asks again (the note says so); :data:`FAILURES_TO_END` in a row end the
        radio after what it holds, as for a refill that cannot come."""
        if generation != self._generation:
            return
        self._refilling, self._failed_refills = False, self._failed_refills + 1
        self.note = note_without(self.note, self._retry_note)
        if self._failed_refills >= FAILURES_TO_END:
            self._exhausted, self._no_graph_note, self._retry_note = True, "", ""
            self.note = failed_note(message, queued=bool(self.tracks))
        else:
            self._retry_note = retry_note(message)
            self.note = note_with(self.note, self._retry_note)
        self._go_on()

    def _cut_short(self, reason: str) -> None:
        """No refill will come (``reason``): the radio ends, said in its note, not asked again."""
        self._exhausted, self._no_graph_note = True, ""
        self.note = cut_short_note(reason, queued=bool(self.tracks))

    def _go_on(self) -> None:
        """After a refill, or its end: the view told; a radio waiting at its end plays on, or
        ends there — with its last entry where "Play next" asked for it meanwhile (the
        refill's first track played, and the entry asked for never did)."""
        self.changed.emit()
        if self._stalled:
            self._stalled = False
            self._play(self.current + 1 - self._current_next)

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
            self._exhausted = True
            self.note = ended_note(self.note, new, result.variety_left_out())

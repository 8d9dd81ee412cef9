"""A radio whose refills fail for an unexpected reason (a bug, a damaged library file, the
library database locked — not a seed gone or without a vector) ends after two failures in a
row: two error lines, the queue's note says the radio cannot go on and that Play similar
starts it again, and it is not asked again. It waited at its end for good, and each next
track asked for the refill again, one more error line each time. One failure alone is asked
again at the next track: it ended the radio for good, though the database was locked only
while a scan wrote. Controllers on a real library through an InlineRunner; the refill's use
case is made to fail."""

from __future__ import annotations

import sqlite3

import pytest
from radio_support import radio_from_first_track

from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.radio import radio_more

ENDED = ("the radio cannot go on: its next tracks could not be found ({}); "
         "it stops after the ones queued, and Play similar starts it again")


@pytest.fixture(autouse=True)
def _short_first_batch(monkeypatch):
    """A radio's first tracks few, so that it asks for more soon (the library has 12)."""
    monkeypatch.setattr("musicsage.controllers.queue.BATCH", 4)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def _failing_refill(*_args, **_kwargs):
    raise RuntimeError("index out of range in the radio's search")


def _radio_failing_its_refills(library, make_app, monkeypatch):
    """A radio playing from the library's first track, each refill of which fails."""
    app, runner = radio_from_first_track(library, make_app)
    monkeypatch.setattr("musicsage.controllers.queue_refills.radio_more", _failing_refill)
    return app, runner


def _errors(app, since: int) -> list[str]:
    return [text for level, text in app.notifications[since:] if level == "error"]


def test_failed_refills_end_the_radio_after_two_in_a_row_with_one_line_each(
        library, make_app, monkeypatch):
    app, runner = _radio_failing_its_refills(library, make_app, monkeypatch)
    q = app.queue
    said, asked, queued = len(app.notifications), runner.ran.count("radio"), list(q.tracks)
    for _ in range(len(q.tracks) + 2):  # every track, and Next past the end
        q.next()
        runner.drain()
    assert len(_errors(app, said)) == 2, _errors(app, said)
    assert runner.ran.count("radio") == asked + 2, "asked again at each next track"
    assert q.tracks == queued and q.radio
    # the error's first line is kept in the note (the error line leaves view), not its whole
    error = _errors(app, said)[-1].splitlines()[0].removeprefix("radio: ")
    assert q.note == ENDED.format(error), q.note
    assert "index out of range" in q.note


def test_a_refill_that_failed_once_is_asked_again_and_the_radio_goes_on(library, make_app,
                                                                        monkeypatch):
    """The library database locked while the first refill read it, free again for the
    next (and locked again for the third): the radio ended at the first failure, for good."""
    app, runner = radio_from_first_track(library, make_app)
    q = app.queue
    calls = []

    @runs(Mode.LOOKUP, progress=False, cancel=False)
    def locked_once(ctx, *args, **kwargs):
        calls.append(1)
        if len(calls) in (1, 3):
            raise sqlite3.OperationalError("database is locked")
        return radio_more(ctx, *args, **kwargs)

    monkeypatch.setattr("musicsage.controllers.queue_refills.radio_more", locked_once)
    said, queued = len(app.notifications), len(q.tracks)
    while not calls:  # near the end: the refill is asked for, and fails
        q.next()
        runner.drain()
    assert len(_errors(app, said)) == 1 and "locked" in _errors(app, said)[0]
    assert len(q.tracks) == queued and "cannot go on" not in q.note, q.note
    # the note says the radio goes on (only an error box said anything), and why
    assert q.note.startswith("its next tracks could not be found this time ("), q.note
    assert "locked" in q.note and "asked again at the next track" in q.note, q.note
    q.next()  # asked again: it comes
    runner.drain()
    assert len(calls) == 2 and len(q.tracks) > queued, q.note
    assert "this time" not in q.note, q.note
    assert len(_errors(app, said)) == 1 and "cannot go on" not in q.note, q.note
    for _ in range(len(q.tracks)):  # locked again: one failure in a row, not two
        q.next()
        runner.drain()
    assert len(calls) >= 3 and len(_errors(app, said)) == 2
    assert "could not be found" not in q.note, q.note


def test_a_radio_waiting_at_its_end_asks_again_at_once_and_ends_on_a_second_failure(
        library, make_app, monkeypatch):
    app, runner = radio_from_first_track(library, make_app, playing=True)
    q = app.queue  # it plays (to the window's player, an event here): its end moves it on
    monkeypatch.setattr("musicsage.controllers.queue_refills.radio_more", _failing_refill)
    asked = runner.ran.count("radio")
    q.play_at(len(q.tracks) - 1)  # the last track plays; the refill is asked for (not run)
    q.track_ended()  # it ends before the refill is back: the radio waits
    told = []
    q.changed.connect(lambda: told.append(q.note))
    runner.drain()  # the refill fails, is asked again at once, and fails again
    assert runner.ran.count("radio") == asked + 2
    assert told and told[-1].startswith(ENDED.split("(")[0]), f"the view was not told: {told}"
    assert "index out of range" in told[-1], told
    assert not q.has_next() and not q.active
    said, asked = len(app.notifications), runner.ran.count("radio")
    q.next()  # the queue ended: Next asks for nothing
    runner.drain()
    assert runner.ran.count("radio") == asked and _errors(app, said) == []


def test_next_while_a_refill_is_asked_again_asks_for_no_other(library, make_app, monkeypatch):
    """A radio waiting at its end asks again at once when its refill fails; the failed one's
    end must not free the guard of the one asked again, or Next asked for a third beside it."""
    app, runner = radio_from_first_track(library, make_app, playing=True)
    q = app.queue
    monkeypatch.setattr("musicsage.controllers.queue_refills.radio_more", _failing_refill)
    q.play_at(len(q.tracks) - 1)
    q.track_ended()
    with pytest.raises(RuntimeError, match="still busy"):
        runner.drain(limit=1)  # the first refill fails; the radio asks again at once
    queued = [t.name for t in runner.queue]
    q.next()  # the user presses Next meanwhile
    q.next()
    assert [t.name for t in runner.queue].count("radio") == queued.count("radio") == 1, \
        runner.queue


def test_a_long_error_is_kept_in_the_note_as_its_first_line_shortened():
    """The note said "see the error line", gone from view by then: it keeps the error's first
    line, cut to a length a note can hold."""
    from musicsage.controllers.queue_refills import ERROR_WORDS, failed_note

    long_line = "database disk image is malformed " * 5
    note = failed_note(f"{long_line}\nTraceback (most recent call last):", queued=False)
    kept = note.split("(", 1)[1].split(")")[0]
    assert len(kept) == ERROR_WORDS and kept.endswith("…") and long_line.startswith(kept[:-1])
    assert "Traceback" not in note and "see the error line" not in note, note

"""A radio whose refill fails for an unexpected reason (a bug, a damaged library file — not a
seed gone or without a vector) ends there once: one error line, the queue's note says the
radio cannot go on, and it is not asked again. It waited at its end for good, and each next
track asked for the refill again, one more error line each time. Controllers on a real
library through an InlineRunner; the refill's use case is made to fail."""

from __future__ import annotations

import pytest

from musicsage.usecases.execution import Mode, runs


@pytest.fixture(autouse=True)
def _short_first_batch(monkeypatch):
    """A radio's first tracks few, so that it asks for more soon (the library has 12)."""
    monkeypatch.setattr("musicsage.controllers.queue.BATCH", 4)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def _failing_refill(*_args, **_kwargs):
    raise RuntimeError("index out of range in the radio's search")


def _radio_failing_its_refills(library, make_app, monkeypatch):
    """A radio playing from the library's first track, each refill of which fails."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.selection.can_play = lambda: False
    app.queue.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    monkeypatch.setattr("musicsage.controllers.queue_refills.radio_more", _failing_refill)
    return app, runner


def _errors(app, since: int) -> list[str]:
    return [text for level, text in app.notifications[since:] if level == "error"]


def test_a_failed_refill_ends_the_radio_once_with_one_error_line(library, make_app,
                                                                  monkeypatch):
    app, runner = _radio_failing_its_refills(library, make_app, monkeypatch)
    q = app.queue
    said, asked, queued = len(app.notifications), runner.ran.count("radio"), list(q.tracks)
    for _ in range(len(q.tracks) + 2):  # every track, and Next past the end
        q.next()
        runner.drain()
    assert len(_errors(app, said)) == 1, _errors(app, said)
    assert runner.ran.count("radio") == asked + 1, "asked again at each next track"
    assert q.tracks == queued and q.radio
    assert q.note == ("the radio cannot go on (its next tracks could not be found: "
                      "RuntimeError: index out of range in the radio's search): "
                      "it stops after the ones queued")


def test_a_radio_waiting_at_its_end_for_a_refill_that_fails_ends(library, make_app,
                                                                  monkeypatch):
    app, runner = _radio_failing_its_refills(library, make_app, monkeypatch)
    q = app.queue
    q.play_at(len(q.tracks) - 1)  # the last track plays; the refill is asked for (not run)
    q.track_ended()  # it ends before the refill is back: the radio waits
    told = []
    q.changed.connect(lambda: told.append(q.note))
    runner.drain()  # the refill fails
    assert told and told[-1].startswith("the radio cannot go on"), "the view was not told"
    assert not q.has_next() and not q.active
    said, asked = len(app.notifications), runner.ran.count("radio")
    q.next()  # the queue ended: Next asks for nothing
    runner.drain()
    assert runner.ran.count("radio") == asked and _errors(app, said) == []

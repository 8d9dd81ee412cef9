"""What Next says, by its key with its button greyed, while a radio's refill is under way at
the queue's last track: the radio is finding more (not "nothing after this track")."""

from __future__ import annotations

from musicsage.controllers.queue_plans import no_step_text

from radio_support import radio_from_first_track


def test_next_at_the_end_of_a_refilling_radio_says_it_is_finding_more(library, make_app):
    app, runner = radio_from_first_track(library, make_app)
    q = app.queue
    assert not q.finding_more
    q.play_at(len(q.tracks) - 1)  # the last track: a refill is asked for, not yet come
    assert q.finding_more and not q.has_next()
    line = no_step_text(True, queued=bool(q.tracks), finding_more=q.finding_more)
    assert line.startswith("Next: the radio is still finding its next tracks")
    runner.drain()  # the refill came (empty: the 12 tracks are all queued)
    assert not q.finding_more and not q.has_next()
    line = no_step_text(True, queued=bool(q.tracks), finding_more=q.finding_more)
    assert line == "Next: nothing after this track in the queue can play"

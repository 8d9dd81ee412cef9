"""A radio whose seed track left the library while it played (its music folder removed, the
track forgotten) keeps going from the queue's first track still there, and says so in the
queue's note: each refill asked for the forgotten seed, failed with "radio: no track with id
1" and was asked again at each next track, an error line each time, and the radio died. A
radio nothing can seed any more ends once, in its note, without an error line.
Controllers on a real library through an InlineRunner."""

from __future__ import annotations

import pytest
from radio_support import radio_from_first_track

from musicsage.library.db import connect
from musicsage.library.forget import forget_files


@pytest.fixture(autouse=True)
def _short_first_batch(monkeypatch):
    """A radio's first tracks few, so that it asks for more soon (the library has 12)."""
    monkeypatch.setattr("musicsage.controllers.queue.BATCH", 3)


def _forget(app, runner, track_ids) -> None:
    """Those tracks leave the library (as Remove folder takes them), and it is read again."""
    by_id = app.library.snapshot.by_id
    forget_files(connect(app.ctx), [by_id[t].fs_path for t in track_ids], [])
    app.library.reload()
    runner.drain()


def test_a_radio_whose_seed_left_the_library_goes_on_from_its_next_track(library, make_app):
    app, runner = radio_from_first_track(library, make_app)
    q = app.queue
    seed, first = q.tracks[0], q.tracks[1]
    queued = len(q.tracks)
    _forget(app, runner, [seed])
    said = len(app.notifications)
    q.next()
    runner.drain()
    errors = [text for level, text in app.notifications[said:] if level == "error"]
    assert errors == [], errors
    assert len(q.tracks) > 3 and q.radio, f"no refill came: {q.tracks} of {queued}"
    assert seed not in q.tracks and len(set(q.tracks)) == len(q.tracks)
    assert q.seed == first, "the queue's first track still there seeds the radio"
    label = app.selection.label(first)
    assert f"the radio goes on from '{label}' (its seed track left the library)" in q.note


def test_a_radio_none_of_whose_tracks_is_left_ends_once_without_an_error(library, make_app):
    app, runner = radio_from_first_track(library, make_app)
    q = app.queue
    _forget(app, runner, list(q.tracks))
    assert q.tracks == [] and q.radio
    said, asked = len(app.notifications), runner.ran.count("radio")
    for _ in range(3):
        q.next()
        runner.drain()
    assert [n for n in app.notifications[said:] if n[0] == "error"] == []
    assert runner.ran.count("radio") == asked + 1, "asked once, not at each next track"
    # no "it stops after the ones queued" over an empty queue
    assert q.note == "the radio cannot go on (none of its tracks is in the library any more)"


def test_a_seed_forgotten_before_the_window_read_the_library_again_is_said_to_have_left(
        library, make_app):
    """The seed forgotten in the database, the window's snapshot not read again yet: the
    note guessed from that snapshot, where the seed still was, and said it "can lead it no
    more". The refill, which saw it gone, says so."""
    app, runner = radio_from_first_track(library, make_app)
    q = app.queue
    seed, first = q.tracks[0], q.tracks[1]
    forget_files(connect(app.ctx), [app.library.snapshot.by_id[seed].fs_path], [])
    assert seed in app.library.snapshot.by_id  # not read again
    q.next()
    runner.drain()
    assert q.seed == first
    label = app.selection.label(first)
    assert q.note.startswith(f"the radio goes on from '{label}' (its seed track left the "
                             "library)"), q.note

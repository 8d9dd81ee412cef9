"""A radio whose seed lost its vector while it played (its analysis redone, and failed) goes
on from the queue's next track that has one, and says so, and why: the refill tried the seed
alone, and the radio ended though every track it queued could seed it; then the note said
only that the seed "can lead it no more". Controllers on a real
library through an InlineRunner."""

from __future__ import annotations

import pytest

from radio_support import radio_from_first_track

from musicsage.library.db import connect


@pytest.fixture(autouse=True)
def _short_first_batch(monkeypatch):
    """A radio's first tracks few, so that it asks for more soon (the library has 12)."""
    monkeypatch.setattr("musicsage.controllers.queue.BATCH", 3)


def test_a_seed_without_a_vector_hands_the_radio_over_to_the_next_track(library, make_app):
    app, runner = radio_from_first_track(library, make_app)
    q = app.queue
    seed, first, queued = q.tracks[0], q.tracks[1], len(q.tracks)
    with connect(app.ctx) as conn:
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (seed,))
    said = len(app.notifications)
    q.next()  # near the end: the radio asks for more
    runner.drain()
    assert [n for n in app.notifications[said:] if n[0] == "error"] == []
    assert len(q.tracks) > queued, f"the radio ended: {q.note}"
    assert q.seed == first
    label = app.selection.label(first)
    # why it was passed over, said once: it read "its seed track can lead it no more"
    # the main clause first, why in parentheses: it followed a chain of colons
    assert q.note.startswith(f"the radio goes on from '{label}' (its seed track has no audio "
                             "embedding ("), q.note
    assert q.note.count("seed track") == 1 and "musicsage" not in q.note, q.note


def test_a_seed_of_other_analysis_settings_is_said_in_the_windows_words():
    """The note read "its seed track's audio vector was made with other analysis settings …
    left out, as 2 other tracks are: musicsage embed finishes the re-analysis: the radio goes
    on from 'A - B'": a command line's command inside a chain of colons."""
    from musicsage.controllers.queue_refills import handed_over_note
    from musicsage.search.similar import other_version_note

    reason = other_version_note("audio", 3, "the seed track")
    note = handed_over_note("A - B", reason)
    assert note.startswith("the radio goes on from 'A - B' (its seed track's audio vector "), note
    assert note.endswith("Analyse ▸ Compute embeddings finishes the re-analysis)"), note
    assert "musicsage" not in note, note

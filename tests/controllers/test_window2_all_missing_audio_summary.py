"""Every track of the library missing (its drive unplugged, then Rescan): the summary said
"Audio model: spectral (0 embedded)" while Compute embeddings answered "Nothing to compute:
every track already has its embeddings with spectral" — the vectors kept for the missing
tracks counted by one and not the other. The summary now says they are kept."""

from __future__ import annotations

import os

from musicsage.controllers.library import audio_summary


def _all_missing(make_app, ctx, keep: int = 0):
    """The library shown after its files (all but ``keep``) were deleted and Rescan ran."""
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    app.library.embed_model = "spectral"
    for track in app.library.snapshot.tracks[keep:]:
        os.remove(track.fs_path)
    app.library.scan([])  # as Rescan: the tracks are missing, their vectors kept
    runner.drain()
    return app, runner


def test_the_summary_says_the_vectors_of_missing_tracks_are_kept(library, make_app):
    app, runner = _all_missing(make_app, library)
    snap = app.library.snapshot
    assert snap.stats.tracks.present == 0 and snap.stats.tracks.missing == 12
    assert audio_summary(snap) == ("spectral", "12 kept, their files missing")
    app.library.embed()  # Compute embeddings: nothing lacks a vector, as the summary says
    runner.drain()
    assert app.notifications[-1][1].startswith("Nothing to compute"), app.notifications[-1]


def test_one_missing_track_among_present_ones_is_not_counted_as_embedded(library, make_app):
    """With present tracks, the count stays theirs (the track line says what is missing)."""
    app, _runner = _all_missing(make_app, library, keep=11)
    assert audio_summary(app.library.snapshot) == ("spectral", "11 embedded")


def test_a_single_missing_track_is_said_in_the_singular(library, make_app):
    app, _runner = _all_missing(make_app, library)
    snap = app.library.snapshot
    snap.stats.embeddings["spectral"] = 1  # (one vector of the twelve)
    assert audio_summary(snap) == ("spectral", "1 kept, its file missing")

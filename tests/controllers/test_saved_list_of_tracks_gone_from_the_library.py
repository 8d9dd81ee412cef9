"""Saving the queue (or a map region) whose tracks partly left the library (their folder
forgotten while they were queued): they were dropped without a word — "Saved 2 tracks" of a
queue of three — and a list of only those was saved as an empty playlist."""

from __future__ import annotations


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_saving_a_list_says_how_many_tracks_left_the_library(library, make_app, tmp_path):
    app, runner = _loaded(make_app, library)
    snap = app.library.snapshot
    kept = [t.id for t in snap.tracks][:2]
    gone = max(snap.by_id) + 100  # a track of a folder forgotten since it was queued
    out = tmp_path / "q.m3u8"
    app.save_tracks(str(out), [kept[0], gone, kept[1]], "Queue")
    runner.drain()
    assert app.notifications[-1] == (
        "info", f"Saved 2 tracks to {out}; 1 track no longer in the library left out")
    assert [ln for ln in out.read_text(encoding="utf-8").splitlines()
            if not ln.startswith("#")] == [snap.by_id[t].path for t in kept]


def test_saving_a_list_none_of_whose_tracks_is_in_the_library_writes_nothing(library,
                                                                            make_app, tmp_path):
    app, runner = _loaded(make_app, library)
    gone = max(app.library.snapshot.by_id) + 100
    out = tmp_path / "q.m3u8"
    assert app.save_tracks(str(out), [gone, gone + 1], "Queue") is None
    runner.drain()
    assert app.notifications[-1] == (
        "warning", "Nothing saved: its 2 tracks are no longer in the library")
    assert not out.exists()

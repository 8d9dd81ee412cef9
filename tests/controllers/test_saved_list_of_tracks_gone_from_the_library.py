"""Saving the queue (or a map region) whose tracks partly left the library (their folder
forgotten while they were queued): they were dropped without a word — "Saved 2 tracks" of a
queue of three — and a list of only those was saved as an empty playlist. The queue itself
drops them as the library is read again, and says so."""

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
        "info", f"Saved 2 tracks to {out} (1 no longer in the library left out)")
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
        "warning", "Nothing saved: the list's 2 tracks are no longer in the library; nothing "
                   "was written")
    assert not out.exists()


def test_the_saved_line_counts_both_kinds_left_out_before_the_backup_note():
    from musicsage.controllers.app import saved_line
    from musicsage.search.m3u import Written

    line = saved_line(Written(2, left_out=1, backup="/b/q.m3u8"), "q.m3u8", [{}] * 4,
                      not_in_library=3)
    assert line == ("Saved 2 tracks to q.m3u8 (1 without an audio file, 3 no longer in the "
                    "library left out); the playlist it replaced is backed up in /b/q.m3u8")


def test_queued_tracks_that_left_the_library_leave_the_queue_said(library, make_app,
                                                                 monkeypatch, tmp_path):
    import dataclasses

    from musicsage.controllers import library as library_controller
    from musicsage.usecases.snapshot import load_snapshot

    app, runner = _loaded(make_app, library)
    queued = sorted(app.library.snapshot.by_id)[:4]
    app.queue.play_list(queued, "Map region")
    gone = set(queued[1:3])  # their folder forgotten while they were queued

    def read(*args, **kwargs):
        snap = load_snapshot(*args, **kwargs)
        return dataclasses.replace(snap, tracks=[t for t in snap.tracks if t.id not in gone])

    monkeypatch.setattr(library_controller, "load_snapshot", read)
    app.library.reload()
    runner.drain()
    assert app.queue.tracks == [queued[0], queued[3]]
    assert ("info", "2 tracks left the queue (no longer in the library)") in app.notifications
    out = tmp_path / "q.m3u8"
    app.queue.save_playlist(str(out))
    runner.drain()
    assert app.notifications[-1] == ("info", f"Saved 2 tracks to {out}")

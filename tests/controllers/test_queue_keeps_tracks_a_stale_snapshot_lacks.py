"""A snapshot of the library requested before a track was queued may have been read before
that track existed (the search box reads the database itself, so a track found there can be
queued at once): the queue dropped it and said "1 track left the queue (no longer in the
library)", which was false. Only a snapshot requested after the track was queued tells."""

from __future__ import annotations

import dataclasses


def _snapshots_lack(monkeypatch, missing: set[int]) -> None:
    """Every snapshot read from now on lacks ``missing`` (added after it was read, or gone)."""
    from musicsage.controllers import library as library_controller
    from musicsage.usecases.snapshot import load_snapshot

    def read(*args, **kwargs):
        snap = load_snapshot(*args, **kwargs)
        return dataclasses.replace(snap, tracks=[t for t in snap.tracks if t.id not in missing])

    monkeypatch.setattr(library_controller, "load_snapshot", read)


def _left_the_queue(app) -> list[str]:
    return [text for _level, text in app.notifications if "left the queue" in text]


def test_a_snapshot_requested_before_a_track_was_queued_keeps_it(library, make_app,
                                                                 monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = sorted(app.library.snapshot.by_id)
    found = ids[-1]  # new in the library: the snapshot on its way was read before it
    _snapshots_lack(monkeypatch, {found})
    app.library.reload()
    app.queue.play_list([found, ids[0]], "Map region")  # queued while that read ran
    runner.drain()
    assert app.queue.tracks == [found, ids[0]]
    assert _left_the_queue(app) == []


def test_a_snapshot_requested_after_a_track_was_queued_drops_it_and_says_so(library, make_app,
                                                                            monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = sorted(app.library.snapshot.by_id)
    gone = ids[-1]
    _snapshots_lack(monkeypatch, {gone})
    app.library.reload()
    app.queue.play_list([gone, ids[0]], "Map region")
    runner.drain()
    app.library.reload()  # requested after it was queued: it really left the library
    runner.drain()
    assert app.queue.tracks == [ids[0]]
    assert _left_the_queue(app) == ["1 track left the queue (no longer in the library)"]

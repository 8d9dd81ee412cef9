"""Previous, then the track it played stops part-way (its file cut short since the scan):
the player reports that with the same "file" error as a file that will not open at all,
and the queue, still going backwards, played the entry before it — queue A,B,C,D on D,
Previous: C played, failed, and B came instead of D. A track that played moves on."""

from __future__ import annotations

from pathlib import Path


def _plays(qtbot, w, track_id) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path
                    and w.player.engine.state == "playing", timeout=30_000)


def _cut_short(path: str) -> None:
    """The file's last third gone, as a download that never finished."""
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:len(data) * 2 // 3])


def test_a_track_cut_short_after_previous_goes_on_to_the_next_entry(qtbot, make_window,
                                                                    library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    snap, q = w.app.library.snapshot, w.app.queue
    ids = [t.id for t in snap.tracks[:4]]
    _cut_short(snap.by_id[ids[2]].fs_path)
    q.play_list(ids, "Region")
    q.play_at(3)
    _plays(qtbot, w, ids[3])
    w.player.previous_requested.emit(0.0)  # Previous, early in D: C plays
    _plays(qtbot, w, ids[2])
    qtbot.wait(200)  # the bar's poll has seen it play
    engine, stream = w.player.engine, fake_streams.made[-1]
    for _ in range(200):  # play it through to where it was cut
        if engine.state != "playing":
            break
        stream.pull(1024)
    assert engine.state == "error" and engine.error_kind == "file", engine.error
    cut = snap.by_id[ids[2]].fs_path
    qtbot.waitUntil(lambda: engine.path != cut and engine.state == "playing", timeout=30_000)
    assert (engine.path, q.current) == (snap.by_id[ids[3]].fs_path, 3), "on to D, not back to B"

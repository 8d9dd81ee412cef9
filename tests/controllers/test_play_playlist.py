"""Play playlist: a playlist of the library into the queue in its own order, its first track
playing, the entries that cannot play left out and counted. No window, no Qt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from musicsage.controllers.queue_plans import left_out_text, playlist_queue


def _backwards(library) -> tuple[Path, list[Path]]:
    """A playlist in reverse file order, one track twice and one entry with no file."""
    from musicsage.usecases.library import list_tracks, scan_library

    files = sorted(Path(t.path) for t in list_tracks(library))[:5][::-1]
    m3u = Path(library.data_dir).parent / "Backwards.m3u8"
    lines = ["#EXTM3U", *map(str, files), str(files[1]), str(files[0].with_name("gone.flac"))]
    m3u.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scan_library(library, [], [str(m3u)])
    return m3u, files


def _app(make_app, library):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return app


def _pid(app, name: str) -> int:
    snap = app.library.snapshot
    return next(p.id for p in snap.playlists if snap.playlist_name(p) == name)


def test_a_playlist_plays_in_its_own_order_each_track_once(library, make_app, recorder):
    _m3u, files = _backwards(library)
    app = _app(make_app, library)
    by_path = {Path(t.path): t.id for t in app.library.snapshot.tracks}
    order = [by_path[f] for f in files]
    assert order != sorted(order), "the playlist's order, not the library's"
    play = recorder(app.selection.play)
    assert app.queue.play_playlist(_pid(app, "Backwards"))
    assert app.queue.tracks == order and app.queue.current == 0
    assert app.queue.name == "Playlist: Backwards (5 tracks)"
    assert play.last[0] == order[0]
    # gone.flac: an entry of the file, not a track (as the Playlist tab says it)
    assert ("warning", "Left out of 'Backwards': 1 entry not in the library") in app.notifications


def test_missing_files_are_left_out_and_counted(library, make_app):
    _backwards(library)
    app = _app(make_app, library)
    snap = app.library.snapshot
    pid = _pid(app, "Backwards")
    tracks, _name, _left = playlist_queue(snap, pid)
    for tid in tracks[1:3]:
        snap.by_id[tid] = dataclasses.replace(snap.by_id[tid], status="missing")
    assert app.queue.play_playlist(pid)
    assert app.queue.tracks == [tracks[0], *tracks[3:]]
    assert app.queue.name == "Playlist: Backwards (3 tracks)"
    # the repeated track was one of those gone: both its entries count
    assert app.notifications[-1] == (
        "warning", "Left out of 'Backwards': 3 tracks missing, 1 entry not in the library")


def test_a_playlist_with_nothing_to_play_keeps_the_queue(library, make_app):
    app = _app(make_app, library)
    snap = app.library.snapshot
    q = app.queue
    q.play_list([t.id for t in snap.tracks[:2]], "Before")
    pid = snap.playlists[0].id
    for pid_, tid in snap.memberships:
        if pid_ == pid:
            snap.by_id[tid] = dataclasses.replace(snap.by_id[tid], status="missing")
    assert not q.play_playlist(pid)
    assert q.name == "Before" and len(q.tracks) == 2
    name = snap.playlist_name(snap.playlists[0])
    assert app.notifications[-1][1].startswith(f"'{name}' has no track that can play: ")


def test_without_a_sound_card_it_is_refused_as_play_in_order_is(library, make_app, recorder):
    app = _app(make_app, library)
    app.selection.can_play = lambda: False
    app.selection.cannot_play_reason = lambda: "playback disabled: no audio output device"
    play = recorder(app.selection.play)
    pid = app.library.snapshot.playlists[0].id
    assert app.queue.play_playlist(pid)
    assert len(play) == 0, "nothing plays"
    level, text = app.notifications[-1]
    assert level == "warning" and text.startswith("Cannot play tracks: ")
    assert app.queue.tracks, "the queue is filled, as Play in order fills it"


def test_an_unknown_playlist_does_nothing(library, make_app):
    app = _app(make_app, library)
    assert playlist_queue(app.library.snapshot, 10**6) is None
    assert playlist_queue(None, 1) is None
    assert not app.queue.play_playlist(10**6) and app.queue.tracks == []


def test_the_left_out_line():
    assert left_out_text({"missing": 3}, "X", played=True) == "Left out of 'X': 3 tracks missing"
    assert left_out_text({}, "X", played=False) == "'X' has no track that can play"
    assert (left_out_text({"no file": 1, "not found": 2}, "X", played=False)
            == "'X' has no track that can play: 1 track without an audio file, "
               "2 entries not in the library")

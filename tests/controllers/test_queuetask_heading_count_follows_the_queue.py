"""The queue's name counts its tracks ("Playlist: Mix (5 tracks)", "Map region (120
tracks)"): the Queue tab's heading shows it, and "Save as playlist…" writes it as the saved
playlist's name. A track removed from the queue (Remove, Delete) or forgotten by the library
left the count as it was: the heading said 5 tracks over 4 rows, and the playlist saved from
it was named "(5 tracks)" with 4 in it. No window, no Qt."""

from __future__ import annotations


def _app(make_app, library):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return app, runner


def test_removing_a_track_recounts_the_queues_name(library, make_app, tmp_path):
    app, runner = _app(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:5]]
    q = app.queue
    q.play_list(ids, "Map region (5 tracks)")
    q.remove(2)
    assert q.name == "Map region (4 tracks)"
    q.remove(0)
    q.remove(0)
    q.remove(0)
    assert q.name == "Map region (1 track)"
    saved = tmp_path / "saved.m3u8"
    q.save_playlist(str(saved))
    runner.drain()
    assert "#PLAYLIST:Map region (1 track)\n" in saved.read_text(encoding="utf-8")


def test_a_playlists_queue_is_recounted_and_thousands_grouped(library, make_app):
    app, _runner = _app(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:4]]
    q = app.queue
    q.play_list(ids, "Playlist: Mix (4 tracks)")
    q.remove(3)
    assert q.name == "Playlist: Mix (3 tracks)"
    q.play_list(ids, "Playlist: Long mix (1,204 tracks)")  # (a name not of this count)
    q.remove(0)
    assert q.name == "Playlist: Long mix (1,204 tracks)", "a count it never stated is kept"


def test_a_count_in_thousands_is_recounted_grouped():
    from musicsage.controllers.queue_plans import recounted

    assert recounted("Playlist: Long mix (1,200 tracks)", 1200, 1199) == \
        "Playlist: Long mix (1,199 tracks)"
    assert recounted("Map region (1200 tracks)", 1200, 1199) == "Map region (1,199 tracks)"


def test_a_radio_and_a_plain_name_are_left_alone(library, make_app):
    app, _runner = _app(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    q = app.queue
    q.play_list(ids, "Region")
    q.remove(0)
    assert q.name == "Region"
    q.play_list(ids, "Radio: Song (3 tracks)")
    q.radio = True  # a radio named after a track whose title ends so: its count is no queue's
    q.remove(0)
    assert q.name == "Radio: Song (3 tracks)"


def test_a_track_the_library_forgot_is_counted_out(library, make_app, monkeypatch):
    import dataclasses

    from musicsage.controllers import library as library_controller
    from musicsage.usecases.snapshot import load_snapshot

    app, runner = _app(make_app, library)
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    q = app.queue
    q.play_list(ids, "Playlist: Mix (3 tracks)")

    def read(*args, **kwargs):  # its music folder forgotten (the folder watch, `forget`)
        snap = load_snapshot(*args, **kwargs)
        return dataclasses.replace(snap, tracks=[t for t in snap.tracks if t.id != ids[1]])

    monkeypatch.setattr(library_controller, "load_snapshot", read)
    app.library.reload()
    runner.drain()
    assert q.tracks == [ids[0], ids[2]] and q.name == "Playlist: Mix (2 tracks)"

"""The queue when its files are gone with their whole music folder (a drive unplugged after
the last scan), when its playing entry is removed, and the "Not added" line of Add to
playlist. No window, no Qt: the player's failures are reported as the window reports them."""

from __future__ import annotations

import shutil

from musicsage.controllers.suggestions import not_added_text
from musicsage.library.db import connect


def _queue(make_app, library, n=5):
    """A queue of ``n`` tracks played in order (a map region), the first one asked to play."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:n]]
    return app, runner, ids


def _fail(app, play):
    """The player reports the track it was asked to play as not found (its file is gone)."""
    info = app.library.snapshot.by_id[play.last[0]]
    app.queue.play_failed("file", f"file not found: {info.path}")


def _music_folder(library) -> str:
    (root,) = [r for (r,) in connect(library).execute("SELECT path FROM library_roots")]
    return root


def test_a_music_folder_gone_stops_the_queue_once_and_keeps_it(library, make_app, recorder):
    """118 'file not found' warnings, one a track, where the drive was unplugged: now one
    line naming the folder, the queue kept whole, nothing of it marked playing."""
    app, runner, ids = _queue(make_app, library)
    folder = _music_folder(library)
    shutil.move(folder, folder + ".unplugged")
    q = app.queue
    play = recorder(app.selection.play)
    q.play_list(ids, "Region")
    _fail(app, play)
    assert len(play) == 1, "no other track of the gone folder was tried"
    warnings = [text for level, text in app.notifications if level == "warning"]
    assert len(warnings) == 1, warnings
    assert folder in warnings[0] and "cannot be found" in warnings[0]
    assert "queue stopped" in warnings[0] and "\n" not in warnings[0]
    assert q.tracks == ids and not q.active and q.marked == -1
    q.next()  # the rest is in the gone folder: skipped without trying, said again
    assert len(play) == 1 and q.tracks == ids
    assert len(app.notifications) == 2 and folder in app.notifications[-1][1]
    # the drive is back: Next plays again
    shutil.move(folder + ".unplugged", folder)
    q.play_at(2)
    assert play.last[0] == ids[2] and q.active and q.marked == 2
    # nothing written to the library: the scan and the watch own the tracks' status
    assert not connect(library).execute(
        "SELECT COUNT(*) FROM tracks WHERE status = 'missing'").fetchone()[0]


def test_one_missing_file_is_still_skipped_to_the_next(library, make_app, recorder):
    app, runner, ids = _queue(make_app, library)
    q = app.queue
    play = recorder(app.selection.play)
    q.play_list(ids, "Region")
    path = app.library.snapshot.by_id[ids[0]].path
    shutil.move(path, path + ".moved")
    _fail(app, play)
    assert play.last[0] == ids[1] and q.current == 1 and q.active and q.marked == 1
    assert [text for _l, text in app.notifications] == [f"file not found: {path}"]


def test_removing_the_playing_entry_leaves_no_mark_and_steps_from_its_place(
        library, make_app, recorder):
    """▶ moved to the entry before while the removed track played on; Previous was off."""
    app, runner, ids = _queue(make_app, library)
    q = app.queue
    q.play_list(ids, "Region")
    q.next()
    q.next()
    assert q.current == 2
    play = recorder(app.selection.play)
    q.remove(2)
    assert q.tracks == ids[:2] + ids[3:] and q.marked == -1
    assert q.has_previous() and q.has_next()
    q.previous(30.0)  # late in the removed track: the entry before it, not a restart
    assert play.last[0] == ids[1] and q.marked == 1
    q.next()
    q.remove(2)  # the playing one again, now ids[3]; it ends: the entry after it plays
    assert q.marked == -1
    q.track_ended()
    assert play.last[0] == ids[4] and q.marked == 2


def test_the_first_entry_removed_while_playing_leaves_previous_nothing_to_restart(
        library, make_app, recorder):
    """Previous stayed on (late in the track) after the playing first entry was removed, and
    did nothing: it restarts only the queue's own track."""
    app, runner, ids = _queue(make_app, library)
    q = app.queue
    q.play_list(ids, "Region")
    assert q.restarts_track and not q.has_previous()
    q.remove(0)
    assert not q.restarts_track and not q.has_previous(), "Previous has nothing to do"


def test_a_queue_that_failed_to_its_end_marks_nothing_playing(library, make_app, recorder):
    app, runner, ids = _queue(make_app, library, n=3)
    q = app.queue
    q.play_list(ids, "Region")
    for _ in ids:
        q.play_failed("file", "cannot play x.wav: damaged audio data?")
    assert not q.active and q.marked == -1 and q.tracks == ids
    q.play_at(0)
    assert q.marked == 0


def test_play_with_nothing_loaded_starts_the_selected_track(library, make_app, recorder):
    app, runner, ids = _queue(make_app, library)
    play = recorder(app.selection.play)
    assert not app.queue.can_start()
    app.selection.select(ids[3], play=False)
    assert app.queue.can_start()
    app.queue.start()
    assert play.last[0] == ids[3]


def test_not_added_names_the_tracks_by_their_labels():
    labels = {25: "Golden Circuit — Aiko Adeyemi", 24: "Low Tide — Aelbryvel"}
    skipped = [{"track_id": 25, "reason": "already in the playlist"},
               {"track_id": 24, "reason": "file missing"}]
    assert not_added_text(skipped, labels.get) == (
        "Not added: Golden Circuit — Aiko Adeyemi (already in the playlist); "
        "Low Tide — Aelbryvel (file missing)")
    many = [{"track_id": i, "reason": "already in the playlist"} for i in range(8)]
    text = not_added_text(many, lambda t: f"Track {t}")
    assert text.endswith("; and 5 more") and "Track 3" not in text and "#" not in text

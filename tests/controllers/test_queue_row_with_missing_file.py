"""A queue row whose file is missing, double-clicked (or Enter on it), is refused with the
line a click on the track elsewhere gets ("Cannot play '…': the file is missing (…)"), and the
queue stays where it was. The next playable entry played in its place, with no word: the user
heard another track than the one they chose and could not tell why. Next and the end of a
track still pass over missing files, as before. So is a row in a music folder the queue found
gone (a drive unplugged), in one line naming the track and its folder, whether the queue stopped
on that folder or plays on from another: never "the queue stopped" for a choice that stopped
nothing (after a track played from the map, the queue inactive, it was said all the same)."""

from __future__ import annotations

import pytest

from musicsage.library.db import connect


def test_choosing_a_queued_track_whose_file_is_missing_says_so_and_plays_nothing(
        library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:4]]
    app.queue.play_list(ids, "Region")
    q = app.queue
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (ids[1],))
    app.library.reload()
    runner.drain()
    play = recorder(app.selection.play)
    said = len(app.notifications)
    q.play_at(1)
    assert len(play) == 0, "no other track played in its place"
    assert q.current == 0 and q.tracks == ids
    lines = [text for _level, text in app.notifications[said:]]
    title = app.library.snapshot.by_id[ids[1]].display_title
    assert len(lines) == 1 and lines[0].startswith(f"Cannot play '{title}': the file is missing")
    q.next()  # Next still passes over it
    assert play.last[0] == ids[2] and q.current == 2


@pytest.fixture
def stopped_on_gone_drive(library, make_app, recorder, tmp_path):
    """A second music folder on a drive since unplugged: the queue [home, drive, home] stopped
    on the drive's track. -> (queue, recorder of plays, queued ids, drive folder, app)."""
    from music_support import make_music

    from musicsage.usecases.library import scan_library

    drive, _, _ = make_music(tmp_path / "drive", n_tracks=2, seconds=1.0)
    scan_library(library, [str(drive)])
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    snap = app.library.snapshot
    on_drive = [t.id for t in snap.tracks if t.path.startswith(str(drive))]
    at_home = [t.id for t in snap.tracks if not t.path.startswith(str(drive))]
    ids = [at_home[0], on_drive[0], at_home[1]]
    q = app.queue
    play = recorder(app.selection.play)
    q.play_list(ids, "Region")
    drive.rename(drive.with_name("unplugged"))
    q.next()  # its file fails: the queue finds the drive gone, stops, says so
    app.queue.play_failed("file", f"file not found: {snap.by_id[ids[1]].path}")
    assert not q.active and q.current == 1 and len(play) == 2
    return q, play, ids, drive, app


def test_choosing_a_queued_track_in_a_music_folder_found_gone_says_so_and_plays_nothing(
        stopped_on_gone_drive):
    """That row double-clicked played the next entry, from the other folder, with no word;
    then it said the queue's own "the queue stopped", though choosing the row stopped nothing."""
    q, play, ids, drive, app = stopped_on_gone_drive
    said = len(app.notifications)
    q.play_at(1)
    assert len(play) == 2, "the entry after it, in the other folder, was not played"
    lines = [text for _level, text in app.notifications[said:]]
    title = app.library.snapshot.by_id[ids[1]].display_title
    assert lines == [f"Cannot play '{title}': music folder {drive} cannot be found (a drive not "
                     "mounted?); play it once the folder is back."]
    assert q.tracks == ids and q.marked == -1
    q.play_at(2)  # a track in a folder still there plays
    assert play.last[0] == ids[2] and q.current == 2 and q.active


def test_while_the_queue_plays_on_a_track_in_a_gone_folder_is_refused_without_it_stopped(
        stopped_on_gone_drive):
    """The queue plays again from the folder still there; the gone drive's row chosen said
    "the queue stopped" while the queue played on, or after a track played from the map: the
    line names the track, and what plays goes on."""
    q, play, ids, drive, app = stopped_on_gone_drive
    q.play_at(2)
    said = len(app.notifications)
    q.play_at(1)
    lines = [text for _level, text in app.notifications[said:]]
    title = app.library.snapshot.by_id[ids[1]].display_title
    assert lines == [f"Cannot play '{title}': music folder {drive} cannot be found (a drive not "
                     "mounted?); play it once the folder is back."]
    assert play.last[0] == ids[2] and len(play) == 3
    assert q.active and q.current == 2 and q.marked == 2
    app.selection.play_track(ids[0])  # a click on the map: the queue no longer plays, none stopped
    assert play.last[0] == ids[0] and not q.active
    said = len(app.notifications)
    q.play_at(1)  # it said "the queue stopped" here
    assert [text for _level, text in app.notifications[said:]] == lines
    assert play.last[0] == ids[0] and len(play) == 4

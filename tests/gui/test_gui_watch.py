"""The folder watch while the window is open (issue 18, the window's side).

A real window on a real library folder: files created, modified, moved and deleted there show
up in the view by themselves (the new track embedded and on the map, the moved one keeping its
id, the deleted one marked missing), each batch on the status line; the menu toggle stops the
watch and is remembered; closing the window stops the watch's thread without hanging.
"""

from __future__ import annotations

import shutil
import time

import pytest
from PySide6.QtCore import QSettings

from gui_support import settle, write_tone
from music_support import make_music
from musicsage.context import AppContext
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

N_TRACKS = 12
WAIT_MS = 90_000


@pytest.fixture
def watched(tmp_path):
    """A scanned and embedded library, and its music folder. Its map is laid out here (12
    tracks: a PCA layout, a fraction of a second) so that a window reads it from the cache
    instead of starting a child process to lay it out; a change the watch brings lays out
    the next one as before."""
    from musicsage.usecases.search import map_points

    music, playlists, paths = make_music(tmp_path / "src", n_tracks=N_TRACKS)
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    map_points(ctx, "audio")
    return ctx, music, paths


def track_at(w, path):
    snap = w.app.library.snapshot
    return next((t for t in snap.tracks if t.path == str(path)), None)


def test_files_changed_while_the_window_runs_show_up_by_themselves(qtbot, make_window, watched,
                                                                   tmp_path):
    ctx, music, paths = watched
    w = make_window(ctx)
    labels = []
    w.app.tasks.shown.connect(labels.append)
    qtbot.waitUntil(lambda: bool(w.app.watch.folders), timeout=WAIT_MS)
    assert w.actions_.watch_folders.isChecked()  # on by default
    assert str(music) in w.actions_.watch_folders.toolTip()
    assert not w.workers.busy  # a waiting watch is not "busy": the window is idle

    # created: scanned, embedded (a child process, as embedding declares), on the map
    new = music / "New Band" / "new song.wav"
    new.parent.mkdir()
    write_tone(new, seconds=1.0, freq=330.0)
    qtbot.waitUntil(lambda: track_at(w, new) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: w.app.library.snapshot.embedded == N_TRACKS + 1
                    and len(w.map.track_ids) == N_TRACKS + 1, timeout=WAIT_MS)
    assert "Updating the library" in labels  # the batch was on the status line
    assert "Computing embeddings" in labels

    # modified: re-read (its duration changes)
    before = track_at(w, new).duration
    write_tone(new, seconds=2.0, freq=330.0)
    qtbot.waitUntil(lambda: abs(track_at(w, new).duration - before) > 0.5, timeout=WAIT_MS)

    # moved: same track, new path
    moved_id = track_at(w, paths[0]).id
    target = paths[0].with_name("renamed.flac")
    paths[0].rename(target)
    qtbot.waitUntil(lambda: track_at(w, target) is not None, timeout=WAIT_MS)
    assert track_at(w, target).id == moved_id and track_at(w, paths[0]) is None

    # deleted: kept, marked missing (and greyed on the map, not dropped)
    paths[1].unlink()
    qtbot.waitUntil(lambda: w.app.library.snapshot.stats.tracks.missing == 1, timeout=WAIT_MS)
    assert w.app.library.snapshot.stats.tracks.total == N_TRACKS + 1
    # each change was its own batch; the last one's report reaches the window's thread a
    # moment after its commit, which another reload (an embedding run ending) may show first
    qtbot.waitUntil(lambda: w.app.watch.batches >= 4, timeout=WAIT_MS)
    assert any("Folder watch:" in text for _level, text in w.app.notifications)

    # the toggle stops it, and is remembered
    w.actions_.watch_folders.setChecked(False)
    qtbot.waitUntil(lambda: not w.app.watch.running, timeout=WAIT_MS)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("watch/enabled") in (False, "false")
    assert settings.value("watch/folders")
    write_tone(music / "unseen.wav", seconds=0.5)
    time.sleep(3)  # more than the watch's debounce
    qtbot.wait(200)
    settle(qtbot, w)
    assert w.app.library.snapshot.stats.tracks.total == N_TRACKS + 1


def test_settings_are_kept_for_the_next_window_and_closing_stops_the_watch(
        qtbot, make_window, watched):
    ctx, music, _paths = watched
    w = make_window(ctx)
    qtbot.waitUntil(lambda: w.app.watch.running and bool(w.app.watch.folders), timeout=WAIT_MS)
    w.player.volume.setValue(37)  # remembered with the rest (issue 18: layout, map, volume)
    w.app.map.choose_space("audio")
    lane = w.workers._lanes["watch"]
    t0 = time.monotonic()
    w.close()  # the watch is cancelled with every job, its thread joined
    assert time.monotonic() - t0 < 10
    assert not any(t.isRunning() for t in lane.threads)

    w2 = make_window(ctx)
    assert w2.app.watch.running or w2.app.watch.enabled  # still on: never turned off
    assert w2.player.volume.value() == 37 and w2.app.map.preferred_space == "audio"
    w2.actions_.watch_folders.setChecked(False)
    w2.close()
    w3 = make_window(ctx)
    assert not w3.actions_.watch_folders.isChecked() and not w3.app.watch.enabled
    qtbot.wait(500)
    assert not w3.app.watch.running


def test_a_library_with_nothing_to_watch_starts_no_watch(qtbot, make_window, ctx):
    w = make_window(ctx)  # empty library: no folder scanned yet
    qtbot.wait(300)
    assert w.app.watch.enabled and not w.app.watch.running
    assert not [t for _l, t in w.app.notifications if "watch" in t.lower()]


def test_cancel_on_the_status_line_stops_the_batch_and_the_watch_goes_on(qtbot, make_window,
                                                                         watched):
    ctx, music, _paths = watched
    w = make_window(ctx)
    qtbot.waitUntil(lambda: bool(w.app.watch.folders), timeout=WAIT_MS)
    first = w.app.watch.task
    shown = []
    w.app.tasks.shown.connect(lambda label: shown.append(label) or (
        label == "Updating the library" and w.app.tasks.cancel()))
    many = music / "Many"
    many.mkdir()
    for i in range(30):
        write_tone(many / f"t{i:02d}.wav", seconds=0.5, freq=200.0 + 20 * i)
    qtbot.waitUntil(lambda: w.app.watch.task is not None and w.app.watch.task is not first
                    and bool(w.app.watch.folders), timeout=WAIT_MS)
    assert "Updating the library" in shown
    assert any("update cancelled" in t for _l, t in w.app.notifications)
    assert w.actions_.watch_folders.isChecked() and w.app.watch.enabled
    shutil.rmtree(many)


def test_select_on_launch_does_not_wait_for_the_watch_to_finish(qtbot, make_window, watched):
    """``--select QUERY`` waits for the window to settle; a running watch never ends, so it
    must not count (a regression: the selection never came)."""
    from musicsage.gui.app import Autopilot

    ctx, _music, _paths = watched
    w = make_window(ctx)
    qtbot.waitUntil(lambda: w.app.watch.running, timeout=WAIT_MS)
    pilot = Autopilot(w, query="Jazz Song 5", screenshot=None, timeout_s=60)
    pilot.start()
    w.app.library.reload()  # as at launch: the pilot counts the snapshots it sees
    qtbot.waitUntil(lambda: w.app.selection.selected is not None, timeout=WAIT_MS)
    assert w.app.library.snapshot.by_id[w.app.selection.selected].title == "Jazz Song 5"
    assert w.app.watch.running


def test_a_watched_folder_gone_and_back_is_said_and_others_are_listed_as_they_come(
        qtbot, make_window, watched, tmp_path):
    """An unplugged drive (the folder renamed away) is said as a folder gone with its tracks
    kept, not as "12 now missing"; back, its tracks are; a folder scanned elsewhere meanwhile
    is in the watch's list (the menu item's tooltip) without a restart; a batch's files are
    named on the line and listed in its tooltip."""
    ctx, music, _paths = watched
    w = make_window(ctx)
    qtbot.waitUntil(lambda: bool(w.app.watch.folders), timeout=WAIT_MS)
    notes = []
    w.app.notified.connect(lambda level, text, details: notes.append(text))
    music.rename(tmp_path / "unplugged")
    qtbot.waitUntil(lambda: any(" is gone " in t for t in notes), timeout=WAIT_MS)
    line = next(t for t in notes if " is gone " in t)
    assert line == (f"Folder watch: {music} is gone (unplugged, renamed or deleted?): its "
                    f"{N_TRACKS} tracks are kept, marked missing until it is back")
    assert w.statusBar().currentMessage() == line
    qtbot.waitUntil(lambda: w.app.library.snapshot.stats.tracks.missing == N_TRACKS,
                    timeout=WAIT_MS)
    (tmp_path / "unplugged").rename(music)
    qtbot.waitUntil(lambda: f"Folder watch: {music} is back ({N_TRACKS} tracks)" in notes,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: w.app.library.snapshot.stats.tracks.missing == 0, timeout=WAIT_MS)

    other = tmp_path / "other"
    other.mkdir()
    write_tone(other / "elsewhere.wav", seconds=1.0, freq=440.0)
    scan_library(ctx, [str(other)])  # another terminal: the window's snapshot knows nothing
    qtbot.waitUntil(lambda: str(other) in w.actions_.watch_folders.toolTip(), timeout=WAIT_MS)
    write_tone(other / "Song.wav", seconds=1.0, freq=550.0)
    qtbot.waitUntil(lambda: "Folder watch: 1 new ('Song.wav')" in notes, timeout=WAIT_MS)
    if w.statusBar().currentMessage() == "Folder watch: 1 new ('Song.wav')":
        assert w.statusBar().toolTip().endswith(f"New (1):\n  {other / 'Song.wav'}")

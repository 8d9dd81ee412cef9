"""The folder watch's decisions without a window: when it runs, what a batch does to the view,
what Cancel and the setting mean.

The watch itself runs until cancelled, so the InlineRunner's task for it is taken out of the
queue and driven by hand with what the real use case reports (``ready``, a batch's progress,
the batch's report); everything it then asks for (reload, embed) runs for real. The real
watch, on real files, is tested in tests/gui/test_gui_watch.py.
"""

from __future__ import annotations

from music_support import make_music
from musicsage.library.scan import ScanReport
from musicsage.library.watch_apply import WatchReport
from musicsage.progress import Progress
from musicsage.usecases.library import scan_library
from musicsage.usecases.watch import WATCH_STAGE


def watching(make_app, ctx):
    """An app on ``ctx`` with its library loaded and the watch switched on: (app, runner,
    the watch's task, taken out of the runner's queue)."""
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    app.watch.set_enabled(True)
    return app, runner, take_watch(runner)


def take_watch(runner):
    (task,) = [t for t in runner.queue if t.name == "watch"]
    runner.queue.remove(task)
    return task


def say(task, *reports: Progress) -> None:
    task._emit("progress", list(reports))


def ready(folders) -> Progress:
    return Progress(WATCH_STAGE, extra={"event": "ready", "folders": folders, "not_watched": []})


def batch(report: WatchReport) -> Progress:
    return Progress(WATCH_STAGE, message=report.summary(), extra={"event": "batch",
                                                                   "report": report})


def end(task, state: str = "succeeded") -> None:
    task.state = state
    task._emit("finished")


def test_a_batch_shows_on_the_status_line_then_reloads_and_embeds_what_it_added(
        library, make_app, recorder, tmp_path):
    app, runner, task = watching(make_app, library)
    assert app.watch.running and not runner.queue
    status = recorder(app.tasks.shown, app.tasks.hidden)
    say(task, ready(["/music"]))
    assert app.watch.folders == ["/music"]

    # what the use case does in a batch: scan the new files (progress), then report
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=2, seed=5)
    scanned = scan_library(library, [str(more)])
    say(task, Progress("scan", 1, 2, "reading"))
    assert status.calls == [("Updating the library",)]
    say(task, batch(WatchReport(paths=2, scan=ScanReport(added=scanned.added))))
    assert status.calls[-1] == ()  # released: the line goes away while the watch waits
    assert app.notifications[-1] == ("info", "Folder watch: 2 new")
    before = len(runner.ran)
    runner.drain()
    assert runner.ran[before:] == ["library", "search index", "warm search", "map",
                                   "Computing embeddings", "library", "search index",
                                   "warm search", "map"]
    snap = app.library.snapshot
    assert snap.stats.tracks.total == 14 and not snap.needs_embedding  # embedded, as spectral
    assert app.watch.batches == 1 and app.watch.running


def test_a_library_never_embedded_is_not_embedded_by_the_watch(make_app, ctx, tmp_path):
    music, _playlists, _ = make_music(tmp_path / "src", n_tracks=3)
    scan_library(ctx, [str(music)])
    app, runner, task = watching(make_app, ctx)
    more, _p, _ = make_music(tmp_path / "more", n_tracks=1, seed=2)
    scanned = scan_library(ctx, [str(more)])
    say(task, batch(WatchReport(scan=ScanReport(added=scanned.added))))
    runner.drain()
    assert "Computing embeddings" not in runner.ran
    assert app.library.snapshot.stats.tracks.total == 4


def test_an_empty_batch_or_a_failed_one_changes_nothing_on_screen(library, make_app):
    app, runner, task = watching(make_app, library)
    say(task, batch(WatchReport(paths=1)))
    assert not runner.queue and not app.notifications
    say(task, batch(WatchReport(paths=1, error="database is locked (tried again in 10 s)")))
    assert app.notifications[-1][0] == "warning" and "locked" in app.notifications[-1][1]
    assert not runner.queue


def test_new_folders_replan_the_watch(library, make_app, tmp_path):
    app, runner, task = watching(make_app, library)
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=2, seed=4)
    app.library.scan([str(more)])  # "Add music folder": a new root
    runner.drain()
    assert task.token.cancelled  # the running watch is stopped to be planned again
    end(task)
    again = take_watch(runner)
    assert again is not task and app.watch.task is again
    assert not [t for _l, t in app.notifications if "cancelled" in t]


def test_cancel_stops_the_batch_not_the_watch_and_the_setting_stops_it(library, make_app):
    app, runner, task = watching(make_app, library)
    say(task, Progress("scan", 0, 10, "reading"))
    app.tasks.cancel()  # the status line's Cancel during a batch
    assert task.token.cancelled
    end(task)  # the watch's loop ends when its token is set
    assert any("update cancelled" in t for _l, t in app.notifications)
    second = take_watch(runner)  # watching again

    app.watch.set_enabled(False)
    assert second.token.cancelled
    end(second)
    assert not runner.queue and not app.watch.running
    assert sum("update cancelled" in t for _l, t in app.notifications) == 1


def test_a_watch_that_cannot_start_is_a_warning_and_is_not_retried(library, make_app):
    app, runner, task = watching(make_app, library)
    task._deliver("failed", ("cannot watch this many folders: the system's inotify limit is "
                             "reached", ""), [])
    runner.error.emit(task.name, "cannot watch this many folders", "")
    end(task, "failed")
    levels = [level for level, text in app.notifications if "watch" in text.lower()]
    assert levels == ["warning"]  # not an error dialog
    assert not runner.queue and not app.watch.running


def test_a_batch_that_lost_tracks_is_a_warning(library, make_app):
    """Tracks gone missing were shown at info level, like tracks added."""
    app, _runner, task = watching(make_app, library)
    say(task, ready(["/music"]))
    say(task, batch(WatchReport(paths=1, scan=ScanReport(missing=1))))
    assert app.notifications[-1] == (
        "warning", "Folder watch: 1 track now missing (deleted or moved?)")


def test_the_folders_watched_follow_the_library_without_a_restart(library, make_app, recorder):
    """A music folder scanned in another terminal (or one back after an unplug) is watched
    by the running watch: the window's list of watched folders follows at once, and a folder
    not watched is said once, not again with every change."""
    app, runner, task = watching(make_app, library)
    changed = recorder(app.watch.state_changed)
    say(task, Progress(WATCH_STAGE, extra={"event": "ready", "folders": ["/music"],
                                           "not_watched": [("/usb", "not found")]}))
    say(task, Progress(WATCH_STAGE, extra={"event": "folders", "folders": ["/music", "/more"],
                                           "not_watched": [("/usb", "not found")]}))
    assert app.watch.folders == ["/music", "/more"] and app.watch.running
    assert len(changed.calls) == 2
    assert [t for _l, t in app.notifications if "/usb" in t] == [
        "Folder watch: /usb is not watched (not found)"]


def test_a_batch_names_its_files_and_lists_them_in_the_details(library, make_app):
    app, runner, task = watching(make_app, library)
    seen = []
    app.notified.connect(lambda level, text, details: seen.append((level, text, details)))
    say(task, ready(["/music"]))
    say(task, batch(WatchReport(paths=3, scan=ScanReport(
        added=3, examples={"added": ["/music/a/Song.flac", "/music/b.mp3", "/music/c.mp3"]}))))
    level, text, details = seen[-1]
    assert (level, text) == ("info", "Folder watch: 3 new ('Song.flac' and 2 more)")
    assert details == "New (3):\n  /music/a/Song.flac\n  /music/b.mp3\n  /music/c.mp3"

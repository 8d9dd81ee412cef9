"""A folder watch restarted when nothing about its folders changed missed files.

The window reloads its library every few seconds when another program changed it; each reload
re-planned the watch when the music folders differed from those it started with — even when
the running watch followed them already (a folder scanned in another terminal). The restart
threw away the batch it was still debouncing and left a moment with no observer: a file added
then was missed until the next rescan. Here: the controller's decision (the watch's task is
driven by hand, as in test_watch_controller.py), and the hand-over of what a cancelled watch
saw and had not applied, on the real watch.
"""

from __future__ import annotations

import os

import numpy as np
import soundfile as sf
from music_support import make_music
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.library.watch import PendingChanges, plan_watch, watch_folders
from musicsage.progress import CancelToken, Progress
from musicsage.usecases.library import scan_library
from musicsage.usecases.watch import WATCH_STAGE


def watching(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    app.watch.set_enabled(True)
    (task,) = [t for t in runner.queue if t.name == "watch"]
    runner.queue.remove(task)
    return app, runner, task


def folders(task, event: str, paths: list[str]) -> None:
    task._emit("progress", [Progress(WATCH_STAGE, extra={"event": event, "folders": paths,
                                                           "not_watched": []})])


def test_a_folder_the_running_watch_follows_already_does_not_restart_it(
        library, make_app, tmp_path):
    app, runner, task = watching(make_app, library)
    roots = [os.path.abspath(r) for r in app.library.snapshot.stats.roots]
    folders(task, "ready", roots)
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=1, seed=6)
    scan_library(library, [str(more)])  # another terminal; the watch follows it by itself
    folders(task, "folders", [*roots, str(more)])
    app.library.reload()  # what the window's look for outside changes does
    runner.drain()
    assert str(more) in app.library.snapshot.stats.roots
    assert not task.token.cancelled and app.watch.task is task


def test_a_restarted_watch_is_handed_what_the_last_one_had_not_applied(
        library, make_app, tmp_path):
    app, runner, task = watching(make_app, library)
    carried = app.watch._pending
    carried.add(str(tmp_path / "new.wav"), False)  # seen, still being debounced
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=1, seed=7)
    app.library.scan([str(more)])  # "Add music folder": a folder the watch does not know
    runner.drain()
    assert task.token.cancelled
    task.state = "succeeded"
    task._emit("finished")
    assert app.watch.task is not task and app.watch._pending is carried


def test_a_cancelled_watch_leaves_its_unapplied_batch_to_the_next(library, tmp_path):
    conn = connect(library)
    music = q.library_roots(conn)[0]
    song = os.path.join(music, "late.wav")
    sf.write(song, np.sin(np.linspace(0, 2000, 16000)).astype("float32"), 16000)
    pending, first = PendingChanges(), CancelToken()

    def cancelled_while_debouncing(_watch) -> None:
        pending.add(song, False)
        first.cancel()

    assert watch_folders(conn, plan_watch(conn), on_ready=cancelled_while_debouncing,
                         cancel=first, pending=pending, backfill=False) == 0
    second, reports = CancelToken(), []
    watch_folders(conn, plan_watch(conn), on_batch=lambda r: (reports.append(r),
                                                              second.cancel()),
                  cancel=second, pending=pending, quiet=0.0, backfill=False)
    assert [r.scan.added for r in reports] == [1]

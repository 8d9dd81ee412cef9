"""A user's Cancel on an embedding run is respected by the folder watch.

The watch queued a second run while one went (its own, or a scan's) and started it when the
first ended, whatever its end: Cancel said "Embedding cancelled: finished tracks are kept"
and 0.16 s later "Computing embeddings…" started again by itself, embedding all 150 new
tracks. Now one run goes at a time; what waits on it runs only when it ended well; a later
change in the folder starts a new run. The watch's task is driven by hand as in
test_watch_controller.py; the embedding runs are held out of the runner's queue so that a
batch can arrive while one goes.
"""

from __future__ import annotations

from music_support import make_music
from test_watch_restart import watching

from musicsage.controllers.summaries import describe_embed
from musicsage.library.scan import ScanReport
from musicsage.library.watch_apply import WatchReport
from musicsage.progress import Progress
from musicsage.usecases.library import scan_library
from musicsage.usecases.watch import WATCH_STAGE

EMBED = "Computing embeddings"


def new_batch(task, ctx, folder, seed: int) -> None:
    """Files added to ``folder`` and applied by the watch (its batch report)."""
    more, _playlists, _ = make_music(folder, n_tracks=1, seed=seed)
    scanned = scan_library(ctx, [str(more)])
    report = WatchReport(paths=1, scan=ScanReport(added=scanned.added))
    task._emit("progress", [Progress(WATCH_STAGE, extra={"event": "batch", "report": report})])


def drain_holding_runs(runner) -> list:
    """Run what is queued, but hold embedding runs back (they are "going" meanwhile)."""
    held = []
    while runner.queue:
        task = runner.queue.pop(0)
        if task.name == EMBED:
            held.append(task)
            continue
        runner.ran.append(task.name)
        task.execute()
    return held


def test_cancel_drops_the_run_a_batch_queued_behind_the_watchs_own(library, make_app,
                                                                    tmp_path):
    app, runner, watch = watching(make_app, library)
    new_batch(watch, library, tmp_path / "a", seed=5)
    (run,) = drain_holding_runs(runner)
    new_batch(watch, library, tmp_path / "b", seed=6)  # during the run: waits for it
    assert drain_holding_runs(runner) == []
    app.tasks.cancel()  # the status line's Cancel
    run.execute()
    assert drain_holding_runs(runner) == []  # not started again by itself
    assert app.notifications[-1][1] == ("Embedding cancelled: finished tracks are kept; "
                                        "Analyse ▸ Compute embeddings does the rest")
    assert app.library.snapshot.needs_embedding

    new_batch(watch, library, tmp_path / "c", seed=7)  # a later change: a new run
    runner.drain()
    assert runner.ran.count(EMBED) == 1 and not app.library.snapshot.needs_embedding


def test_a_batch_during_a_scans_run_makes_no_second_run_and_cancel_stops_both(
        library, make_app, tmp_path):
    """The audit's case: Rescan's run going, a batch of the watch arrives (a file added
    during the scan). A second run waited at the library's lock; Cancel stopped the one on
    the status line and the other embedded every new track."""
    app, runner, watch = watching(make_app, library)
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=2, seed=3)
    app.library.scan([str(more)])
    (run,) = drain_holding_runs(runner)
    new_batch(watch, library, tmp_path / "one", seed=4)
    assert drain_holding_runs(runner) == []  # no second run next to the first
    app.tasks.cancel()
    run.execute()
    assert drain_holding_runs(runner) == []
    assert app.library.snapshot.needs_embedding and app.tasks.current is None


def test_a_batch_during_a_run_is_embedded_once_the_run_ended_well(library, make_app, tmp_path):
    app, runner, watch = watching(make_app, library)
    new_batch(watch, library, tmp_path / "a", seed=5)
    (run,) = drain_holding_runs(runner)
    call = run._call

    def meanwhile(**kw):  # a file added while the run goes (after it listed its tracks)
        report = call(**kw)
        new_batch(watch, library, tmp_path / "b", seed=6)
        assert drain_holding_runs(runner) == []
        return report

    run._call = meanwhile
    run.execute()
    assert [t.name for t in runner.queue] == ["library"]  # one read decides the follow-up
    runner.drain()
    assert runner.ran.count(EMBED) == 1  # the one that followed
    assert not app.library.snapshot.needs_embedding


def test_a_cancel_too_late_to_stop_the_run_is_said(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=2, seed=3)
    scan_library(library, [str(more)])
    run = app.library.embed("spectral")
    call = run._call

    def cancelled_in_its_last_batch(**kw):
        report = call(**kw)
        app.tasks.cancel()
        return report

    run._call = cancelled_in_its_last_batch
    runner.drain()
    assert ("info", "Embeddings computed with spectral: 2 tracks (it had finished before "
            "Cancel took effect)") in app.notifications


def test_describe_embed_says_when_cancel_came_too_late():
    from musicsage.audio.embed_job import EmbedReport

    report = EmbedReport("spectral-v1", "1", "cpu", total=31, embedded=31)
    assert describe_embed(report) == "Embeddings computed with spectral-v1: 31 tracks"
    assert describe_embed(report, too_late=True) == (
        "Embeddings computed with spectral-v1: 31 tracks (it had finished before Cancel "
        "took effect)")


def test_a_cancelled_scan_is_not_started_again_nor_embedded(library, make_app, tmp_path):
    app, runner, _watch = watching(make_app, library)
    more, _playlists, _ = make_music(tmp_path / "more", n_tracks=2, seed=3)
    app.library.scan([str(more)])
    app.tasks.cancel()
    runner.drain()
    assert runner.ran.count("Scanning") == 1 and EMBED not in runner.ran

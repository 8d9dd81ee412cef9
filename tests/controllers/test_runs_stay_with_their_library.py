"""Switching library (File ▸ Open demo library, or back) while the folder watch or an
embedding run works on the library shown before: what they do next stays with that library.

The watch's embedding of a batch's new tracks, asked for before the switch, ran on the library
opened next (its read was the next one to arrive), and so did a run a scan had queued behind
another one; an old library's run going on drove the new one's summary ("5 of 6 embedded,
computing…" of tracks it never touched) and kept its "tracks still lack an audio embedding"
note from being said. The watch's task is driven by hand as in test_watch_controller.py.
"""

from __future__ import annotations

import pytest
from music_support import make_music
from test_watch_embed_cancel import drain_holding_runs, new_batch
from test_watch_restart import watching

from musicsage.controllers.library import audio_summary
from musicsage.progress import Progress

EMBED = "Computing embeddings"
LACK_ONE = ("info", "1 track still lacks an audio embedding, so the map leaves it out: "
            "Analyse ▸ Compute embeddings")


@pytest.fixture
def other(tmp_path):
    """Another library, embedded with spectral, then 2 tracks added and not embedded (what
    the watch's or a scan's follow-up would embed, were it run there): 4 of 6 embedded."""
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    ctx = AppContext.create(tmp_path / "other-data")
    first, _, _ = make_music(tmp_path / "other", n_tracks=4, seconds=1.0, seed=3)
    scan_library(ctx, [str(first)], [])
    embed_library(ctx, "spectral")
    more, _, _ = make_music(tmp_path / "other-more", n_tracks=2, seconds=1.0, seed=4)
    scan_library(ctx, [str(more)], [])
    return ctx


def show(app, runner, ctx, *, hold: bool = False) -> list:
    app.set_context(ctx)
    app.library.reload()
    return drain_holding_runs(runner) if hold else runner.drain()


def untouched(app) -> bool:
    snap = app.library.snapshot
    return snap.stats.tracks.present == 6 and snap.embedded == 4 and snap.needs_embedding


@pytest.mark.parametrize("when", ["batch before the switch", "batch after the switch"])
def test_the_watchs_embedding_stays_with_its_library(library, other, make_app, tmp_path,
                                                     when):
    """Before: the batch's read pending (its embedding waits on it). After: the old watch,
    re-planned for the library shown, still ends the batch it was applying."""
    app, runner, watch = watching(make_app, library)
    if when == "batch before the switch":
        new_batch(watch, library, tmp_path / "a", seed=5)
        show(app, runner, other)
    else:
        show(app, runner, other)
        new_batch(watch, library, tmp_path / "a", seed=5)
        runner.drain()
    assert EMBED not in runner.ran, "nothing embedded in the library opened meanwhile"
    assert untouched(app)

    show(app, runner, library)  # back: the batch's track without a vector is said
    assert app.library.snapshot.needs_embedding and LACK_ONE in app.notifications


def test_a_run_waiting_on_an_ended_run_does_not_start_on_the_library_opened_next(
        library, other, make_app, tmp_path):
    """A scan's embedding waited for the run going; that run ended well and its follow-up
    waited for the library's next read, which was the other library's."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    more, _, _ = make_music(tmp_path / "more", n_tracks=2, seconds=1.0, seed=5)
    app.library.scan([str(more)])
    runner.queue.pop(0).execute()  # scanned: its read of the library is queued
    app.library.embed("spectral")  # Compute embeddings, pressed meanwhile
    runner.queue.pop(0).execute()  # the read: the scan's embedding waits for that run
    run = runner.queue.pop(0)
    assert run.name == EMBED
    run.execute()  # ended well: the library's read is queued, the follow-up waits on it
    show(app, runner, other)
    assert EMBED not in runner.ran and untouched(app)


def test_an_old_librarys_run_does_not_drive_the_new_librarys_summary(
        library, other, make_app, tmp_path):
    from musicsage.usecases.library import scan_library

    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    more, _, _ = make_music(tmp_path / "more", n_tracks=2, seconds=1.0, seed=5)
    scan_library(library, [str(more)], [])
    run = app.library.embed("spectral")
    runner.queue.remove(run)
    run._emit("progress", [Progress("embed spectral", 1, 2, extra={"embedded": 1})])
    app.library.reload()
    runner.drain()
    assert audio_summary(app.library.snapshot, app.library.embed_run) == (
        "spectral", "13 of 14 embedded, computing…")

    show(app, runner, other)  # File ▸ Open demo library: the run goes on in the background
    run._emit("progress", [Progress("embed spectral", 1, 2, extra={"embedded": 1})])
    assert audio_summary(app.library.snapshot, app.library.embed_run) == (
        "spectral", "4 of 6 embedded")
    assert ("info", "2 tracks still lack an audio embedding, so the map leaves them out: "
            "Analyse ▸ Compute embeddings") in app.notifications
    assert app.library.embedding, "one run at a time: Compute embeddings waits for it"

    show(app, runner, library)  # back while it goes: its own run is said again
    assert audio_summary(app.library.snapshot, app.library.embed_run)[1].endswith(
        "computing…")
    show(app, runner, other)
    run.execute()  # it ends, having embedded its own library
    runner.drain()
    assert untouched(app)
    assert audio_summary(app.library.snapshot, app.library.embed_run) == (
        "spectral", "4 of 6 embedded")
    show(app, runner, library)
    assert not app.library.snapshot.needs_embedding

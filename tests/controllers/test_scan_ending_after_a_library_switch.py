"""A scan of library A that ends after the window switched to library B (File ▸ Open demo
library, or back) went on in A, as it should; but its line read as B's: "Scan finished: 2
added" over B, which gained nothing, "Scanning: No space left on device" over B, and a cancel
compared A's snapshot from before the scan with B's read after it ("Scan cancelled before it
added anything" while A kept what it had read). Each line now names the library the scan
worked on, right after what happened; a cancel says how to read the rest there, or, cancelled
before the scan started, that it added nothing."""

from __future__ import annotations

import pytest
from music_support import make_music

from musicsage.usecases.library import list_tracks


@pytest.fixture
def other(tmp_path):
    """Library B: 3 tracks scanned."""
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    ctx = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(ctx, [str(music)], [])
    return ctx


def scan_then_switch(library, other, make_app, tmp_path):
    """A's window started a scan of 2 new tracks, then B was shown before it ran."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    before = len(app.library.snapshot.tracks)
    new, _, _ = make_music(tmp_path / "new", n_tracks=2, seconds=1.0, seed=9)
    task = app.library.scan([str(new)])
    assert app.set_context(other)
    app.library.reload()
    return app, runner, task, before


def test_a_scan_finished_after_a_switch_names_its_library(library, other, make_app,
                                                          tmp_path):
    app, runner, _task, before = scan_then_switch(library, other, make_app, tmp_path)
    runner.drain()
    assert ("info", f"Scan finished (library {library.data_dir}, not the one shown): 2 new"
            ) in app.notifications
    assert len(app.library.snapshot.tracks) == 3, "B shown, as it was"
    assert len(list_tracks(library)) == before + 2, "the scan went on in A"


def test_a_scan_cancelled_after_a_switch_before_it_started_added_nothing(
        library, other, make_app, tmp_path):
    app, runner, task, before = scan_then_switch(library, other, make_app, tmp_path)
    app.tasks.cancel_task(task)  # the status line's Cancel, while it waited its turn
    runner.drain()
    lines = [text for _level, text in app.notifications if "cancelled" in text]
    assert lines == ["Scan cancelled before it added anything "
                     f"(library {library.data_dir}, not the one shown)"]
    assert len(app.library.snapshot.tracks) == 3
    assert len(list_tracks(library)) == before


def test_a_scan_cancelled_after_a_switch_says_what_its_library_kept_and_what_next(
        library, other, make_app, tmp_path, monkeypatch):
    import musicsage.usecases.library as use
    from musicsage.errors import Cancelled

    real_scan = use.scan_library

    def scan_then_cancel(*args, **kwargs):  # Cancel pressed while it read
        real_scan(*args, **kwargs)
        app.tasks.cancel_task(task)
        raise Cancelled()

    monkeypatch.setattr(use, "scan_library", scan_then_cancel)
    app, runner, task, before = scan_then_switch(library, other, make_app, tmp_path)
    runner.drain()
    lines = [text for _level, text in app.notifications if "cancelled" in text]
    assert lines == [f"Scan cancelled: what it read so far is kept (library {library.data_dir}, "
                     "not the one shown); open it (File ▸ Back to my library) and Rescan to "
                     "read the rest"]
    assert len(list_tracks(library)) == before + 2


def test_a_scan_failed_after_a_switch_names_its_library(library, other, make_app, tmp_path,
                                                        monkeypatch):
    import errno

    import musicsage.usecases.library as use

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(use, "scan_library", disk_full)
    app, runner, _task, _before = scan_then_switch(library, other, make_app, tmp_path)
    runner.drain()
    assert app.notifications[-1] == (
        "error", f"Scanning (library {library.data_dir}, not the one shown): "
        "No space left on device")
    app.set_context(library)  # back in A: a scan failing there says so plainly
    app.library.scan([str(tmp_path / "new")])
    runner.drain()
    assert app.notifications[-1] == ("error", "Scanning: No space left on device")

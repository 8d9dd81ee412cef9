"""Open demo library's read (on a worker, seconds on a slow disk) counts as the build it may
start: the library's controls and drops wait for it, as they wait for the build. Off until the
read ended, work started meanwhile (Compute embeddings, music added) ran beside the build on
the same library, and music added switched home under it. A run the build would race, started
by a way the controls do not hold, keeps the build from starting; a click after the status
line's Cancel of the read opens the demo."""

from __future__ import annotations

import pytest

from musicsage.context import AppContext
from musicsage.controllers.drops import drop_refused
from musicsage.usecases.demo import build_demo

READ_TASK, BUILD_TASK = "Reading the demo library", "Building the demo library"
SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="generate", workers=1)


@pytest.fixture
def half_built(tmp_path):
    """A demo whose music is rendered: opening it resumes its build (at the scan)."""
    demo = AppContext.create(tmp_path / "demo")
    build_demo(demo, **SMALL)
    return demo


def _look_with(monkeypatch, during) -> None:
    """The read calls ``during()`` the first time it runs (the user acting while it runs)."""
    from musicsage.controllers import demo as demo_controller
    from musicsage.usecases.demo_look import look_at_demo

    pending = [during]

    def look(ctx, options=None):
        while pending:
            pending.pop()()
        return look_at_demo(ctx, options)

    look.execution = look_at_demo.execution
    monkeypatch.setattr(demo_controller, "look_at_demo", look)


def test_the_read_holds_the_library_as_the_build_does(library, make_app, half_built):
    app, runner = make_app(library, demo_ctx=lambda: half_built,
                           demo_options=dict(SMALL, until="scan"))
    app.demo.open()
    assert app.demo.is_reading and app.demo.building, "controls on while the read runs"
    assert drop_refused(app.library).startswith("The demo library is being read")
    runner.drain()
    assert app.ctx == half_built and runner.ran.count(BUILD_TASK) == 1
    assert not app.demo.building and drop_refused(app.library) is None


def test_no_build_starts_beside_an_embedding_run_started_during_the_read(
        make_app, half_built, monkeypatch):
    """``--data-dir D --demo``: the demo is the library shown; Compute embeddings is run while
    the read goes (G3 of the review: both then ran at once on the demo library)."""
    app, runner = make_app(half_built, demo_ctx=lambda: half_built,
                           demo_options=dict(SMALL, until="scan"))
    _look_with(monkeypatch, lambda: app.library.embed())
    app.demo.open()
    runner.drain()
    assert "Computing embeddings" in runner.ran and BUILD_TASK not in runner.ran
    assert ("warning", "The demo library is not built while an embedding run is going: open "
            "it again once that run has ended, or cancel it") in app.notifications
    app.demo.open()  # the run has ended: the build starts
    runner.drain()
    assert runner.ran.count(BUILD_TASK) == 1
    assert app.notifications[-1][1].startswith("Demo library ready")


def test_a_click_after_cancel_during_the_read_opens_the_demo(library, make_app, half_built,
                                                              monkeypatch):
    app, runner = make_app(library, demo_ctx=lambda: half_built,
                           demo_options=dict(SMALL, until="scan"))
    # the status line's Cancel, then Open demo library again, while the read runs
    _look_with(monkeypatch, lambda: (app.tasks.cancel(), app.demo.open()))
    app.demo.open()
    runner.drain()
    assert runner.ran.count(READ_TASK) == 2 and runner.ran.count(BUILD_TASK) == 1
    assert app.ctx == half_built and not app.demo.is_reading
    assert ("info", "Open demo library cancelled") not in app.notifications, \
        "the cancelled read spoke over the click after it"
    assert app.notifications[-1][1].startswith("Demo library ready")


def test_an_embedding_run_of_the_user_s_own_library_does_not_keep_the_demo_shut(
        library, make_app, half_built, monkeypatch):
    """The usual case: music added to the user's library is being analysed (minutes to hours)
    when Open demo library is clicked: the demo is shown and built while that run goes on
    (the second review's H1: it was refused until the user's run ended)."""
    app, runner = make_app(library, demo_ctx=lambda: half_built,
                           demo_options=dict(SMALL, until="scan"))
    _look_with(monkeypatch, lambda: app.library.embed())
    app.demo.open()
    runner.drain()
    assert any(name.startswith("Computing embeddings") for name in runner.ran)
    assert runner.ran.count(BUILD_TASK) == 1 and app.ctx == half_built
    assert not any("is not built while" in line for _, line in app.notifications)


def test_a_run_on_the_demo_left_going_by_back_home_still_holds_the_build(
        library, make_app, half_built):
    """Compute embeddings on the half-built demo, Back to my library (the run goes on there),
    Open demo library: the build must not start beside that run in the demo's folder (the
    review of the fix above: only the library shown was asked)."""
    app, runner = make_app(library, demo_ctx=lambda: half_built,
                           demo_options=dict(SMALL, until="scan"))
    assert app.set_context(half_built)
    runner.drain()
    embed = app.library.embed()
    runner.queue.remove(embed)  # still going
    app.demo.go_home()
    runner.drain()
    app.demo.open()
    runner.drain()
    assert BUILD_TASK not in runner.ran, "the build ran beside the embedding run on the demo"
    assert ("warning", "The demo library is not built while an embedding run is going: open "
            "it again once that run has ended, or cancel it") in app.notifications

"""Cancel on a demo build whose state file does not read (damaged, or made unreadable) says
that the music made is kept: the card said "cancelled before it made anything", though the
music was rendered and the next open resumes from it (its manifest)."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE
from musicsage.demo.state import state_path
from musicsage.errors import Cancelled, MusicsageError
from musicsage.usecases import demo as demo_build

SMALL = dict(n_tracks=12, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def test_a_cancel_after_the_music_was_made_says_it_is_kept(library, make_app, tmp_path,
                                                           monkeypatch, recorder):
    demo = AppContext.create(tmp_path / "demo")

    def cancelled_with_a_damaged_state_file(_build, _progress, _cancel):
        state_path(demo.data_dir).write_text("{ cut sho", encoding="utf-8")
        raise Cancelled()

    monkeypatch.setitem(demo_build._STAGES, "embed", cancelled_with_a_damaged_state_file)
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    reports = recorder(app.demo.progress)
    app.demo.open()
    runner.drain()
    (last,) = reports.last
    assert last.stage == STOPPED_STAGE
    assert any((demo.data_dir / "demo-music").rglob("*.*")), "music was rendered"
    assert last.message == ("The demo build is paused: the music made so far is kept, and Open "
                            "demo library resumes it.")


def _damaging_the_state_file(demo, then: BaseException):
    """A stage that leaves the demo's state file unreadable, then raises ``then``."""
    def stage(_build, _progress, _cancel):
        state_path(demo.data_dir).write_text("{ cut sho", encoding="utf-8")
        raise then
    return stage


def _opened(library, make_app, demo, recorder):
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    reports = recorder(app.demo.progress)
    app.demo.open()
    runner.drain()
    (last,) = reports.last
    assert last.stage == STOPPED_STAGE
    return app, last


def test_a_cancel_in_the_first_stage_says_opening_will_not_resume(library, make_app, tmp_path,
                                                                   monkeypatch, recorder):
    """No music manifest to resume from: Open demo library refuses, as the card now says
    (it said "the music made so far is kept, and Open demo library resumes it")."""
    demo = AppContext.create(tmp_path / "demo")
    monkeypatch.setitem(demo_build._STAGES, "generate", _damaging_the_state_file(demo, Cancelled()))
    app, last = _opened(library, make_app, demo, recorder)
    why = (f"the demo's state file {state_path(demo.data_dir)} cannot be read, and "
           f"{demo.data_dir / 'demo-music'} holds no demo of this library to resume: move the "
           "file away to build a new demo")
    assert last.message == ("The demo build is paused, but Open demo library cannot resume "
                            f"it: {why}.")
    assert app.notifications[-1] == ("warning", "The demo build is paused, but File ▸ Open demo "
                                                f"library cannot resume it: {why}.")
    app.demo.open()
    app.runner.drain()  # the read before the switch runs on a worker
    assert app.notifications[-1][1].startswith(f"Cannot open the demo library: {why}"), \
        "opening refuses, as the note said"


def test_a_failure_after_the_music_was_made_says_opening_resumes_it(library, make_app, tmp_path,
                                                                    monkeypatch, recorder):
    """The state file unreadable, the music's manifest there: opening resumes from it (the
    card said "Open demo library starts it again")."""
    demo = AppContext.create(tmp_path / "demo")
    full = MusicsageError("the disk holding the library is full: make room on it")
    monkeypatch.setitem(demo_build._STAGES, "embed", _damaging_the_state_file(demo, full))
    _app, last = _opened(library, make_app, demo, recorder)
    assert last.message == ("The demo build stopped: the disk holding the library is full: make "
                            "room on it. Open demo library resumes it.")

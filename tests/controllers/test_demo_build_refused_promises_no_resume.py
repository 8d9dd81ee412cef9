"""A demo build that would be refused (its music folder holding the library, a library folder
that cannot be written) is refused before it starts, as the command line refuses it: "Cannot
open the demo library: …". Refused inside the build, the card said it "stopped", and with a
stale state file from an earlier partial build even "Its finished stages are kept: Open demo
library resumes it" — opening again failed the same way. A build that started and stopped
says how it goes on: before it recorded anything, opening starts it again; in its first
stage, opening resumes it (its rendered files are kept)."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE
from musicsage.demo.state import DemoState, read_state, write_state
from musicsage.errors import MusicsageError
from musicsage.usecases import demo as demo_build

SMALL = dict(n_tracks=12, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)
KILLED = "the background process stopped unexpectedly (exit code -9)"


def open_the_demo(library, make_app, demo, recorder, **options):
    """Open the demo at ``demo``; (app, the last report to the views)."""
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options={**SMALL, **options})
    reports = recorder(app.demo.progress)
    app.demo.open()
    runner.drain()
    (last,) = reports.last
    return app, last


def assert_refused_before_it_starts(app, last, library) -> None:
    kind, line = app.notifications[-1]
    assert kind == "error" and line.startswith("Cannot open the demo library: "), line
    assert "holds the library itself" in line, line
    assert last.stage == STOPPED_STAGE and last.message == f"{line}.", last.message
    assert "resumes" not in last.message
    assert app.demo.task is None and not app.demo.building
    assert app.ctx.data_dir == library.data_dir, "the window stays on the library it showed"


def test_a_build_refused_before_it_starts_says_the_demo_cannot_be_opened(
        library, make_app, tmp_path, recorder):
    demo = AppContext.create(tmp_path / "demo")
    app, last = open_the_demo(library, make_app, demo, recorder, music_dir=str(tmp_path))
    assert_refused_before_it_starts(app, last, library)
    assert demo_build.demo_status(demo).state == "absent", "nothing recorded"


def test_a_stale_partial_build_does_not_turn_a_refusal_into_a_resume(
        library, make_app, tmp_path, recorder):
    demo = AppContext.create(tmp_path / "demo")
    earlier = DemoState(str(tmp_path / "demo" / "demo-music"), "0123456789abcdef", 12, 0, 1.0,
                        stages={"generate": {}})
    write_state(demo.data_dir, earlier)
    app, last = open_the_demo(library, make_app, demo, recorder, music_dir=str(tmp_path))
    assert_refused_before_it_starts(app, last, library)
    assert read_state(demo.data_dir) == earlier, "the earlier build's record is untouched"


def test_a_build_stopped_before_it_recorded_anything_says_opening_starts_it_again(
        library, make_app, tmp_path, recorder, monkeypatch):
    def killed(*_args, **_kwargs):
        raise MusicsageError(KILLED)

    monkeypatch.setattr(demo_build, "_prepare", killed)
    demo = AppContext.create(tmp_path / "demo")
    app, last = open_the_demo(library, make_app, demo, recorder)
    assert [n for n in app.notifications if n[0] == "error"] == [
        ("error", f"The demo build stopped: {KILLED}. File ▸ Open demo library starts it again.")]
    assert last.stage == STOPPED_STAGE
    assert last.message == (f"The demo build stopped: {KILLED}. Open demo library starts it "
                            "again.")


def test_a_build_stopped_in_its_first_stage_says_opening_resumes_it(library, make_app, tmp_path,
                                                                     recorder, monkeypatch):
    def full_disk(_build, _progress, _cancel):
        raise MusicsageError("the disk holding the demo music is full: make room on it")

    monkeypatch.setitem(demo_build._STAGES, "generate", full_disk)
    demo = AppContext.create(tmp_path / "demo")
    _app, last = open_the_demo(library, make_app, demo, recorder)
    assert last.stage == STOPPED_STAGE
    assert last.message == ("The demo build stopped: the disk holding the demo music is full: "
                            "make room on it. Open demo library resumes it.")
    assert demo_build.demo_status(demo).state == "partial", "recorded: opening resumes it"

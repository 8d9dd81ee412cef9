"""Cancel on the demo build says, on the welcome card, that the build is paused, what is
kept and how it goes on: the card went back to its first-launch state without a word (only
the status line said "paused"), as if minutes of work had been thrown away; and while the
build ran, Cancel did not say whether it threw them away."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import PAUSE_HINT, STOPPED_STAGE, paused_note
from musicsage.demo.state import DemoState
from musicsage.errors import Cancelled
from musicsage.usecases import demo as demo_build

SMALL = dict(n_tracks=12, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def _cancelled_at(stage: str, library, make_app, tmp_path, monkeypatch, recorder):
    def cancelled(_build, _progress, _cancel):
        raise Cancelled()

    monkeypatch.setitem(demo_build._STAGES, stage, cancelled)
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    reports = recorder(app.demo.progress)
    app.demo.open()
    runner.drain()
    return app, reports


def test_a_build_cancelled_after_its_first_stages_says_they_are_kept(
        library, make_app, tmp_path, monkeypatch, recorder):
    app, reports = _cancelled_at("embed", library, make_app, tmp_path, monkeypatch, recorder)
    (last,) = reports.last
    assert last.stage == STOPPED_STAGE
    assert last.message == ("The demo build is paused: its finished stages are kept, and "
                            "Open demo library resumes it.")
    assert app.notifications[-1][1] == "Demo build paused: open the demo library again to resume"
    assert [n for n in app.notifications if n[0] == "error"] == [], "a pause is no error"


def test_the_note_follows_what_the_build_recorded():
    assert paused_note(None) == ("The demo build was cancelled before it made anything: "
                                 "Open demo library starts it.")
    nothing_done = DemoState("/music", "f", 12, 0, 1.0)
    assert "the music made so far is kept" in paused_note(nothing_done)
    assert PAUSE_HINT.startswith("Cancel pauses the build: what it has made is kept")

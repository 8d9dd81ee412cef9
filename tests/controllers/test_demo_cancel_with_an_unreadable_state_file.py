"""Cancel on a demo build whose state file does not read (damaged, or made unreadable) says
that the music made is kept: the card said "cancelled before it made anything", though the
music was rendered and the next open resumes from it (its manifest)."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE
from musicsage.demo.state import state_path
from musicsage.errors import Cancelled
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

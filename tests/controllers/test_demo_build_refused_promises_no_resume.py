"""A demo build refused before it recorded anything (its music folder holding the library, a
library folder that cannot be written) could not start: the welcome card said "Its finished
stages are kept: Open demo library resumes it", and opening it again failed the same way. A
build stopped before its first stage finished resumes that stage (its rendered files are
kept), and says so without claiming finished stages."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE
from musicsage.errors import MusicsageError
from musicsage.usecases import demo as demo_build

SMALL = dict(n_tracks=12, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def open_the_demo(library, make_app, demo, recorder, **options):
    """Open the demo at ``demo``; (app, the build's last report to the views)."""
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options={**SMALL, **options})
    reports = recorder(app.demo.progress)
    app.demo.open()
    runner.drain()
    (last,) = reports.last
    return app, last


def test_a_build_refused_before_it_starts_says_it_could_not_start(library, make_app, tmp_path,
                                                                  recorder):
    demo = AppContext.create(tmp_path / "demo")
    app, last = open_the_demo(library, make_app, demo, recorder, music_dir=str(tmp_path))
    kind, line = app.notifications[-1]
    assert kind == "error" and "holds the library itself" in line, line
    refusal = line.removeprefix("Building the demo library: ")
    assert last.stage == STOPPED_STAGE
    assert last.message == f"The demo build could not start: {refusal}."
    assert demo_build.demo_status(demo).state == "absent", "nothing recorded to resume"


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

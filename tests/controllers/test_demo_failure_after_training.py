"""A demo build that stops after its graph model was trained (its last stage, the graph
model's map: a full disk, or Cancel) ends the training the dock shows as trained — the model
is saved and in use, its evaluation shown — not as a failed or cancelled training, nor left
running. A failed build's last report is what the welcome card says: that it stopped, and
that opening the demo again resumes it."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.controllers.demo import STOPPED_STAGE
from musicsage.errors import Cancelled, MusicsageError
from musicsage.usecases import demo as demo_build
from musicsage.usecases.training import current_model_id

SMALL = dict(n_tracks=12, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)
IN_USE = "Demo graph model trained: it is in use."


def build_stopping_at_the_map(library, make_app, tmp_path, monkeypatch, recorder, stop):
    """Open the demo with its map stage raising ``stop``; (app, demo context, what the
    training display emitted, the build's reports to the views)."""
    def stopped_map(_build, _progress, _cancel):
        raise stop

    monkeypatch.setitem(demo_build._STAGES, "map", stopped_map)
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    shown = recorder(app.training.started, app.training.finished)
    reports = recorder(app.demo.progress)
    app.demo.open()
    runner.drain()
    return app, demo, shown, reports


def test_a_build_failing_after_training_says_the_model_is_in_use(library, make_app, tmp_path,
                                                                  monkeypatch, recorder):
    full = MusicsageError("the disk holding the map is full: make room on it, then try again")
    app, demo, shown, _reports = build_stopping_at_the_map(library, make_app, tmp_path,
                                                           monkeypatch, recorder, full)
    # one cause, one error line (one dialog in the window), with the way on: the task's own
    # "Building the demo library: …" line is not said besides
    assert [n for n in app.notifications if n[0] == "error"] == [
        ("error", "The demo build stopped: the disk holding the map is full: make room on it, "
         "then try again. Its finished stages are kept: File ▸ Open demo library resumes it.")]
    assert len(shown) == 2, "the training was shown, then ended"
    outcome, metrics, message, _best = shown.last
    assert (outcome, message) == ("succeeded", IN_USE)
    assert metrics and metrics["graph"]["hr@10"] is not None, \
        "the dock shows the trained model's evaluation"
    assert "train" in demo_build.demo_status(demo).stages_done


def test_a_build_cancelled_after_training_says_the_model_is_in_use(library, make_app, tmp_path,
                                                                    monkeypatch, recorder):
    app, demo, shown, _reports = build_stopping_at_the_map(library, make_app, tmp_path,
                                                           monkeypatch, recorder, Cancelled())
    assert current_model_id(demo) is not None, "the trained model was made current"
    assert len(shown) == 2, "the training was shown, then ended"
    outcome, metrics, message, _best = shown.last
    assert (outcome, message) == ("succeeded", IN_USE), "not 'Training cancelled.'"
    assert metrics and metrics["graph"]["hr@10"] is not None, \
        "the dock shows the trained model's evaluation"
    assert app.notifications[-1][1].startswith("Demo build paused")


def test_a_failed_build_says_its_finished_stages_are_kept(library, make_app, tmp_path,
                                                          monkeypatch, recorder):
    killed = MusicsageError("the background process stopped unexpectedly (exit code -9)")
    _app, _demo, _shown, reports = build_stopping_at_the_map(library, make_app, tmp_path,
                                                             monkeypatch, recorder, killed)
    (last,) = reports.last
    assert last.stage == STOPPED_STAGE
    assert last.message == ("The demo build stopped: the background process stopped "
                            "unexpectedly (exit code -9). Its finished stages are kept: "
                            "Open demo library resumes it.")

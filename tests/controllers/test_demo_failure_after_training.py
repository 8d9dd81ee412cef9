"""A demo build that fails after its graph model was trained (its last stage, the graph
model's map: a full disk) ends the training the dock shows as trained — the model is saved
and in use — not as a failed training, nor left running."""

from __future__ import annotations

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.usecases import demo as demo_build

SMALL = dict(n_tracks=12, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def test_a_build_failing_after_training_says_the_model_is_in_use(library, make_app, tmp_path,
                                                                  monkeypatch, recorder):
    def full_disk(_build, _progress, _cancel):
        raise MusicsageError("the disk holding the map is full: make room on it, then try again")

    monkeypatch.setitem(demo_build._STAGES, "map", full_disk)
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    shown = recorder(app.training.started, app.training.finished)
    app.demo.open()
    runner.drain()
    assert app.notifications[-1] == ("error", "Building the demo library: the disk holding "
                                     "the map is full: make room on it, then try again")
    assert len(shown) == 2, "the training was shown, then ended"
    outcome, _metrics, message, _best = shown.last
    assert (outcome, message) == ("succeeded", "Demo graph model trained: it is in use.")
    assert "train" in demo_build.demo_status(demo).stages_done

"""A Retrain of library A that failed after the window switched to library B (File ▸ Open
demo library during the run) said "Training: disk full" over B, as if B's training failed:
the failure's line starts with the task's name, and only a scan's name said its library.
Every long task's failure now names its library while another is shown."""

from __future__ import annotations

import pytest


@pytest.fixture
def other(tmp_path):
    """Library B, empty: what the window shows once it switched."""
    from musicsage.context import AppContext

    return AppContext.create(tmp_path / "other-data")


def test_a_training_failed_after_a_switch_names_its_library(trainable_library, other,
                                                          make_app, monkeypatch):
    import musicsage.usecases.pipeline as pipeline

    def train_fails(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(pipeline, "train", train_fails)
    app, runner = make_app(trainable_library, train_options={"max_steps": 5})
    app.library.reload()
    runner.drain()
    assert app.training.start() is not None
    assert app.set_context(other)
    runner.drain()
    where = f"(library {trainable_library.data_dir}, not the one shown)"
    assert ("error", f"Training {where}: No space left on device") in app.notifications


def test_a_training_failed_on_the_library_shown_says_it_plainly(trainable_library, make_app,
                                                               monkeypatch):
    import musicsage.usecases.pipeline as pipeline

    def train_fails(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(pipeline, "train", train_fails)
    app, runner = make_app(trainable_library, train_options={"max_steps": 5})
    app.library.reload()
    runner.drain()
    assert app.training.start() is not None
    runner.drain()
    assert ("error", "Training: No space left on device") in app.notifications

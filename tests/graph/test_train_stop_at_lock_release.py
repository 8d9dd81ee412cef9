"""A Ctrl-C that lands while a training releases its locks — its model saved and made current
already — said "nothing of this run was saved" of a model the library keeps as current."""

from __future__ import annotations

import contextlib

import pytest

from musicsage import cli
from musicsage.commands.stopping import Terminated


@pytest.mark.parametrize("held, stop, code, words", [
    ("training_lock", KeyboardInterrupt, 130, "interrupted"),  # released first
    ("training_lock", Terminated, 143, "terminated"),
    ("library_lock", KeyboardInterrupt, 130, "interrupted")])  # released last
def test_a_stop_while_the_training_locks_are_released_says_the_model_is_saved_and_current(
        two_models, capsys, monkeypatch, held, stop, code, words):
    import musicsage.library.lock as lock
    from musicsage.graph.store import list_models
    from musicsage.library.db import connect
    from musicsage.usecases.training import current_model_id

    ctx, _first, second = two_models
    real = getattr(lock, held)

    @contextlib.contextmanager
    def stop_on_release(*args, **kwargs):
        with real(*args, **kwargs):
            yield
        raise stop  # the lock is released: the stop lands as the run leaves the block

    monkeypatch.setattr(lock, held, stop_on_release)
    got = cli.main(["--data-dir", str(ctx.data_dir), "train", "--max-steps", "3"])
    last = capsys.readouterr().err.strip().splitlines()[-1]

    new = max(m.id for m in list_models(connect(ctx), ctx))
    assert new > second and current_model_id(ctx) == new
    assert got == code
    assert last == (f"musicsage train: {words}: the new model {new} was saved before the "
                    "stop and is current")

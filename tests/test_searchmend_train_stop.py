"""``train`` stopped by Ctrl-C says what the run saved, not what it guessed from which model
was current before and after: the real training runs, only the moment of the stop is chosen."""

from __future__ import annotations

import contextlib

from musicsage import cli
from hints_told_support import as_default


def _train(capsys, ctx) -> tuple[int, str]:
    code = cli.main(["--data-dir", str(ctx.data_dir), "train", "--max-steps", "3"])
    return code, as_default(capsys.readouterr().err, ctx.data_dir).strip().splitlines()[-1]


def test_a_stop_after_saving_a_model_that_learned_nothing_says_it_was_saved(
        two_models, capsys, monkeypatch):
    """Saved, not made current (it learned nothing), then stopped while giving vectors to
    tracks embedded meanwhile: "nothing of this run was saved" was said of a saved model."""
    import musicsage.graph.jobs as jobs
    import musicsage.usecases.embedding as embedding
    import musicsage.usecases.training as training
    from musicsage.graph.store import list_models

    ctx, _first, second = two_models

    def stop(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    monkeypatch.setattr(embedding, "graph_vectors_for_new_tracks", stop)
    code, last = _train(capsys, ctx)
    from musicsage.library.db import connect

    new = max(m.id for m in list_models(connect(ctx), ctx))
    assert code == 130 and new > second
    assert last == (f"musicsage train: interrupted: the new model {new} was saved before the "
                    f"stop, but model {second} stays current (this run learned nothing; "
                    f"`musicsage models --use {new}` makes it current anyway)")
    assert training.current_model_id(ctx) == second


def test_a_stop_while_waiting_for_another_training_saves_nothing(two_models, capsys,
                                                                 monkeypatch):
    """Another training made its model current while this one waited for the lock: the
    stop said "the new model N was saved before the stop and is current" of the other's."""
    import musicsage.library.lock as lock
    from musicsage.library.db import connect
    from musicsage.usecases.training import current_model_id

    ctx, first, second = two_models
    assert current_model_id(ctx) == second

    @contextlib.contextmanager
    def other_training_ends_then_stop(*_args, **_kwargs):
        conn = connect(ctx)
        conn.execute("UPDATE graph_models SET is_current = (id = ?)", (first,))
        conn.commit()
        raise KeyboardInterrupt
        yield  # pragma: no cover

    monkeypatch.setattr(lock, "library_lock", other_training_ends_then_stop)
    code, last = _train(capsys, ctx)
    assert code == 130
    assert last == (f"musicsage train: interrupted: model {first} stays current (nothing of "
                    "this run was saved)")

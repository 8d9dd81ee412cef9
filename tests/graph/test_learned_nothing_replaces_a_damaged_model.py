"""A Retrain that learned nothing keeps the model before it current — but not one whose files
are damaged: the window says such a model leaves "searches use audio alone until a retrain",
and the Retrain kept it, so the user retrained again and again for nothing. A model.pt the
user may not read is no damage (its vectors give the lists): that one is still kept. The line
names the damaged model it replaced: a folder "missing" only while its drive is not mounted
is whole again later, and `models --use` goes back to it."""

from __future__ import annotations

import numpy as np
import pytest

QUICK = {"comember": False, "two_hop": False, "choose_contexts": False, "threads": 1}


def _library(ctx, tmp_path):
    from dataset_files import write_dataset
    from musicsage.usecases.library import import_dataset

    rng = np.random.default_rng(0)
    pairs = set()
    while len(pairs) < 60:
        pairs.add((f"p{int(rng.integers(6))}", f"t{int(rng.integers(24))}"))
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(24, 8)), sorted(pairs)))


@pytest.fixture
def trained_then_learning_nothing(ctx, tmp_path, monkeypatch):
    """Model 1 (it learned) current; from now on every run learns nothing."""
    import musicsage.graph.jobs as jobs
    from musicsage.usecases.training import train_graph

    _library(ctx, tmp_path)
    first = train_graph(ctx, max_steps=3, options=QUICK)
    assert first.kept_current is None
    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    return first


def test_a_damaged_current_model_gives_way_to_a_run_that_learned_nothing(
        ctx, trained_then_learning_nothing):
    from musicsage.usecases.models import files_problem
    from musicsage.usecases.training import current_graph_model, train_graph

    first = current_graph_model(ctx)
    (first.dir / "embeddings.npy").unlink()  # what `models` lists as DAMAGED
    assert files_problem(first) is not None
    second = train_graph(ctx, max_steps=3, options=QUICK)
    assert second.kept_current is None, "the damaged model was kept current"
    assert current_graph_model(ctx).id == second.model_id
    assert second.replaced_damaged == (first.id, files_problem(first))


def test_the_line_names_the_model_whose_folder_was_missing_and_the_way_back(
        ctx, monkeypatch, trained_then_learning_nothing):
    import musicsage.usecases.models as models
    from musicsage.controllers.summaries import describe_training
    from musicsage.usecases.models import use_graph_model
    from musicsage.usecases.training import current_graph_model, train_graph

    first = current_graph_model(ctx)
    with monkeypatch.context() as unmounted:  # its drive not mounted, for a while
        unmounted.setattr(models, "files_problem", lambda info, **_kw: "its folder is missing")
        second = train_graph(ctx, max_steps=3, options=QUICK)
    line = describe_training(second, notes_inline=True)
    assert (f"Model {first.id}'s files are damaged (its folder is missing): the new model "
            f"{second.model_id} is current, though it learned nothing — see the note below. "
            f"`musicsage models --use {first.id}` makes model {first.id} current again once "
            "its files are whole.") in line, line
    assert line.count("learned nothing") == 1 and "the new model is in use" not in line
    # the drive is back: nothing was lost
    assert use_graph_model(ctx, first.id).model.id == first.id
    assert current_graph_model(ctx).id == first.id


def test_a_whole_current_model_stays_current(ctx, trained_then_learning_nothing):
    from musicsage.usecases.training import current_graph_model, train_graph

    second = train_graph(ctx, max_steps=3, options=QUICK)
    assert second.kept_current == trained_then_learning_nothing.model_id
    assert current_graph_model(ctx).id == trained_then_learning_nothing.model_id
    assert second.replaced_damaged is None


def test_an_unreadable_model_pt_is_no_damage_and_stays_current(ctx, monkeypatch,
                                                                 trained_then_learning_nothing):
    import musicsage.usecases.models as models
    from musicsage.usecases.training import current_graph_model, train_graph

    monkeypatch.setattr(models, "files_problem",
                        lambda info, **_kw: "model.pt cannot be read: Permission denied")
    second = train_graph(ctx, max_steps=3, options=QUICK)
    assert second.kept_current == trained_then_learning_nothing.model_id
    assert current_graph_model(ctx).id == trained_then_learning_nothing.model_id


def test_the_line_says_damaged_once_for_a_model_pt_cut_short(ctx, trained_then_learning_nothing):
    """It read "Model 1's files are damaged (model.pt is damaged (cut short?)): …"."""
    from musicsage.controllers.summaries import describe_training
    from musicsage.usecases.models import files_problem
    from musicsage.usecases.training import current_graph_model, train_graph

    first = current_graph_model(ctx)
    whole = first.checkpoint_path.read_bytes()
    first.checkpoint_path.write_bytes(whole[:len(whole) // 2])  # a copy cut short
    problem = files_problem(first)
    assert problem is not None and "damaged" in problem, problem
    second = train_graph(ctx, max_steps=3, options=QUICK)
    assert second.replaced_damaged == (first.id, problem)
    line = describe_training(second, notes_inline=True)
    assert (f"Model {first.id} cannot be used ({problem}): the new model {second.model_id} is "
            "current, though it learned nothing") in line, line
    assert line.count("damaged") == 1, line


def test_a_folder_named_damaged_does_not_change_the_wording():
    """A path in the problem (a drive mounted at /media/damaged_disk) made "damaged" found
    in it, and the line said "cannot be used" of files it never said were damaged."""
    from musicsage.usecases.kept_model import damaged_model_text

    missing = "model.pt is missing (/media/damaged_disk/models/2)"
    assert damaged_model_text(2, missing) == f"model 2's files are damaged ({missing})"
    assert damaged_model_text(2, "model.pt is damaged (cut short?)") == (
        "model 2 cannot be used (model.pt is damaged (cut short?))")

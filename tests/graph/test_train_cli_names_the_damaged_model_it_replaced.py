"""`musicsage train` after a run that learned nothing but replaced a current model whose files
are damaged: the line said only "model 2 is now current", so a model that learned seemed lost
(its folder may be missing only while a drive is not mounted). It names that model and the
way back, as the window does; `--json` carries it as ``replaced_damaged``."""

from __future__ import annotations

import json

import numpy as np
import pytest
from musicsage.context import library_option

QUICK = ["--set", "comember=false", "--set", "two_hop=false", "--set", "choose_contexts=false",
         "--set", "threads=1"]


@pytest.fixture
def damaged_current_then_learning_nothing(ctx, data_dir, tmp_path, monkeypatch, request):
    """Model 1 trained (it learned) and current, its embeddings gone (or, with the param
    "model.pt", its model.pt cut short); every later run learns nothing. Returns model 1's
    id and its files' problem."""
    import musicsage.graph.jobs as jobs
    from dataset_files import write_dataset
    from musicsage.cli import main
    from musicsage.usecases.library import import_dataset
    from musicsage.usecases.models import files_problem
    from musicsage.usecases.training import current_graph_model

    rng = np.random.default_rng(0)
    pairs = set()
    while len(pairs) < 60:
        pairs.add((f"p{int(rng.integers(6))}", f"t{int(rng.integers(24))}"))
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(24, 8)), sorted(pairs)))
    assert main(["--data-dir", str(data_dir), "train", "--max-steps", "3", *QUICK]) == 0
    first = current_graph_model(ctx)
    if getattr(request, "param", None) == "model.pt":
        whole = first.checkpoint_path.read_bytes()
        first.checkpoint_path.write_bytes(whole[:len(whole) // 2])  # a copy cut short
    else:
        (first.dir / "embeddings.npy").unlink()  # what `models` lists as DAMAGED
    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    return first.id, files_problem(first)


def test_the_train_line_names_the_damaged_model_and_the_way_back(
        ctx, data_dir, capsys, damaged_current_then_learning_nothing):
    from musicsage.cli import main
    from musicsage.usecases.training import current_graph_model

    first, problem = damaged_current_then_learning_nothing
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "train", "--max-steps", "3", *QUICK]) == 0
    out = capsys.readouterr().out
    second = current_graph_model(ctx).id
    assert second != first
    assert f"model {first}'s files are damaged ({problem}): " in out, out
    assert (f"the new model {second} is current, though it learned nothing — see the note. "
            f"`musicsage {library_option(data_dir)}models --use {first}` makes model {first} current again") in out, out
    assert f"model {second} is now current" not in out, out


def test_train_json_carries_the_replaced_damaged_model(
        ctx, data_dir, capsys, damaged_current_then_learning_nothing):
    from musicsage.cli import main

    first, problem = damaged_current_then_learning_nothing
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "train", "--max-steps", "3", "--json",
                 *QUICK]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kept_current"] is None
    assert summary["replaced_damaged"] == [first, problem]


@pytest.mark.parametrize("damaged_current_then_learning_nothing", ["model.pt"], indirect=True)
def test_the_train_line_says_damaged_once_for_a_model_pt_cut_short(
        ctx, data_dir, capsys, damaged_current_then_learning_nothing):
    """It read "model 1's files are damaged (model.pt is damaged (cut short?)): …"."""
    from musicsage.cli import main
    from musicsage.usecases.training import current_graph_model

    first, problem = damaged_current_then_learning_nothing
    assert "damaged" in problem, problem
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "train", "--max-steps", "3", *QUICK]) == 0
    out = capsys.readouterr().out
    second = current_graph_model(ctx).id
    assert (f"model {first} cannot be used ({problem}): the new model {second} is current, "
            "though it learned nothing") in out, out
    assert out.count("damaged") == 1, out

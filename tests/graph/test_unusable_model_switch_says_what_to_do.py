"""``models --use`` of a model whose files are cut short or gone said only what was wrong
("graph model 1 is unusable: model.pt is damaged (cut short?)", "… embeddings.npy is
truncated …", "… its folder is missing"), with no next step: only an empty or missing
model.pt was followed by what to do instead. Every refusal now ends in a way out, and
nothing changes: the current model stays current."""

from __future__ import annotations

import os
import shutil

import pytest

from musicsage import cli
from musicsage.usecases.models import list_graph_models
from musicsage.usecases.training import current_graph_model
from hints_told_support import as_default

WAY_OUT = "; train another (`musicsage train`) or use another (`musicsage models --use ID`)"


def _cut_short(path: str) -> None:
    os.truncate(path, os.path.getsize(path) // 2)


@pytest.mark.parametrize("damage, problem", [
    (lambda folder: _cut_short(os.path.join(folder, "model.pt")),
     "model.pt is damaged (cut short?)"),
    (lambda folder: _cut_short(os.path.join(folder, "embeddings.npy")),
     "embeddings.npy is truncated"),
    (shutil.rmtree, "its folder is missing"),
])
def test_a_switch_to_a_damaged_model_says_what_to_do(two_models, capsys, damage, problem):
    ctx, first, second = two_models
    damage(next(r for r in list_graph_models(ctx) if r.id == first).dir)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1, err
    line = as_default(err, ctx.data_dir).strip()
    assert line.startswith(f"musicsage models: graph model {first} is unusable: {problem}")
    assert line.endswith(WAY_OUT), line
    assert current_graph_model(ctx).id == second


def _checkpoint_of(ctx, model_id: int) -> str:
    return os.path.join(next(r for r in list_graph_models(ctx) if r.id == model_id).dir,
                        "model.pt")


def _refused_switch(ctx, model_id: int, capsys) -> str:
    """``models --use model_id``'s one line on stderr, refused."""
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(model_id)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1, err
    return as_default(err, ctx.data_dir).strip()


def test_a_model_pt_another_program_wrote_says_what_to_do(two_models, capsys):
    """A model.pt replaced by another program's torch file (a whole archive, no musicsage
    payload) was refused as "… is not a musicsage graph model" with no way on: the words
    "musicsage " in it were taken for advice. Then it said "retrain it (Retrain in the window,
    …)": model N cannot be retrained (a run makes a new model), and "use another" was gone."""
    import torch

    ctx, first, second = two_models
    torch.save({"foo": 1}, _checkpoint_of(ctx, first))
    line = _refused_switch(ctx, first, capsys)
    assert line == (f"musicsage models: graph model {first} is unusable: model.pt is damaged: "
                    f"holds no musicsage graph model (another program's file?){WAY_OUT}")
    assert current_graph_model(ctx).id == second


def test_a_model_pt_the_user_may_not_read_is_told_to_be_made_readable(two_models, capsys,
                                                                        monkeypatch):
    """Training another model mends no permissions: the way on is to make model.pt readable
    (or use another model) — the file named by its path, which "model.pt" alone was not."""
    from checkpoint_support import refuse_reading

    ctx, first, second = two_models
    refuse_reading(monkeypatch, _checkpoint_of(ctx, first))
    path = _checkpoint_of(ctx, first)
    line = _refused_switch(ctx, first, capsys)
    assert line == (f"musicsage models: graph model {first} is unusable: model.pt cannot be "
                    f"read: Permission denied; make {path} readable (or use another: "
                    "`musicsage models --use ID`)")
    assert "train" not in line and current_graph_model(ctx).id == second


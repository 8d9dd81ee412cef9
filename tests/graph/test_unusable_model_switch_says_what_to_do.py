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
    line = err.strip()
    assert line.startswith(f"musicsage models: graph model {first} is unusable: {problem}")
    assert line.endswith(WAY_OUT), line
    assert current_graph_model(ctx).id == second

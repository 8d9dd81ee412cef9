"""An empty model.pt had two explanations: ``models`` said "model.pt is empty", loading it
said "it begins as no saved model does (… overwritten by another file?)". Both now say it
is empty, and ``models --use`` of such a model says what to do instead."""

from __future__ import annotations

import os

import pytest

from musicsage import cli
from musicsage.graph.checkpoint import load_checkpoint
from musicsage.graph.checkpoint_archive import CheckpointDamaged, archive_problem
from musicsage.usecases.models import list_graph_models
from musicsage.context import library_option


def test_an_empty_model_pt_is_said_empty_when_loaded(tmp_path):
    path = tmp_path / "model.pt"
    path.write_bytes(b"")
    assert archive_problem(path) == "it is empty (0 bytes)"
    with pytest.raises(CheckpointDamaged, match=r"it is empty \(0 bytes\); retrain it"):
        load_checkpoint(path)


def test_a_switch_to_a_model_with_an_empty_model_pt_says_what_to_do(two_models, capsys):
    ctx, first, _second = two_models
    folder = next(r for r in list_graph_models(ctx) if r.id == first).dir
    open(os.path.join(folder, "model.pt"), "wb").close()
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1
    told = library_option(ctx.data_dir)
    assert (f"graph model {first} is unusable: model.pt is empty; train another (`musicsage "
            f"{told}train`) or use another (`musicsage {told}models --use ID`)") in err

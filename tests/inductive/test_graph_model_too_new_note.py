"""A graph ``model.pt`` written by a newer musicsage: ``embed`` stores the audio vectors and
says in one sentence why new tracks get no graph vector. The note gave the advice twice, with
a bracket left open: "…reads up to 4): retrain it (Retrain in the window, or musicsage
train)); retrain to rebuild it"."""

from __future__ import annotations

import torch

from musicsage import cli
from musicsage.graph.checkpoint import VERSION
from musicsage.usecases.training import current_graph_model


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_a_too_new_model_is_one_sentence_with_its_advice_once(trained, add_music, capsys):
    ctx = trained
    model = current_graph_model(ctx)
    path = model.dir / "model.pt"
    payload = torch.load(path, map_location="cpu", weights_only=True)
    torch.save(dict(payload, version=VERSION + 1), path)
    add_music(ctx, n=1)
    rc = cli.main(["embed", "--model", "spectral", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0 and "Traceback" not in err and "embedded 1 of 1" in out
    (note,) = [line for line in err.splitlines() if line.startswith("note: ")]
    assert f"model {model.id}" in note
    assert f"graph model version {VERSION + 1}; this one reads up to {VERSION}" in note
    assert note.lower().count("retrain") == 1 and note.endswith("retrain to rebuild it")
    assert _balanced(note), note

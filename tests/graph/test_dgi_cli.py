"""`musicsage train --dataset DIR --out OUT --objective dgi` and `--pretrain dgi` end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage import cli

torch = pytest.importorskip("torch")
pytest.importorskip("dgl")

EVAL_KEYS = {"hr@10", "hr@50", "hr@100", "mrr"}


def _train(dataset, tmp_path, capsys, *extra, dim: int = 64) -> tuple[dict, dict, np.ndarray]:
    out = tmp_path / "out"
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(out), "--max-steps", "20", "--json", *extra])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    metrics = json.loads((out / "metrics.json").read_text())
    emb = np.load(out / "embeddings.npy")
    # the pair objective may join the two-hop part (as wide as the model's vectors)
    assert emb.shape == (200, dim * (2 if summary["two_hop_gamma"] else 1))
    assert emb.dtype == np.float32
    assert np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-5)
    for key in ("graph", "audio", "ratio"):
        assert EVAL_KEYS <= set(metrics[key])
    payload = torch.load(out / "model.pt", weights_only=True)
    assert payload["feature_dim"] == 8
    return summary, metrics, emb


def test_train_objective_dgi_writes_dataset_outputs(dataset, tmp_path, capsys):
    summary, metrics, _ = _train(dataset, tmp_path, capsys, "--objective", "dgi", dim=512)
    assert summary["objective"] == "dgi" and metrics["objective"] == "dgi"
    assert 0 < summary["steps"] <= 20 and summary["metrics"]["pairs"] > 0
    assert metrics["history"] and "loss" in metrics["history"][-1]
    # the saved encoder is the one DGI trained: it loads and reproduces the embeddings
    from musicsage.graph.build import build_context_graph
    from musicsage.graph.checkpoint import load_checkpoint
    from musicsage.graph.data import GraphData
    from musicsage.graph.config import TrainConfig
    from musicsage.graph.inference import embed_tracks

    model, payload = load_checkpoint(tmp_path / "out" / "model.pt", feature_dim=8)
    data = GraphData.from_dataset_dir(dataset)
    # the written embeddings use every membership given (metrics come from the split)
    graph = build_context_graph(data, data.memberships, tuple(payload["contexts"]))
    config = TrainConfig.from_dict(payload["train"])
    again = embed_tracks(model, data, graph, config.walk, seed=config.seed + 1)
    assert np.allclose(again, np.load(tmp_path / "out" / "embeddings.npy"), atol=1e-5)


def test_objective_dgi_defaults_to_dgis_encoder_and_set_options_still_win():
    """`--objective dgi` alone gets DGI's encoder (one 512-d mean layer, no skip), not the
    playlist objective's; `--set` overrides it; `--pretrain dgi` keeps the product encoder."""
    from musicsage.graph.config import TrainConfig
    from musicsage.graph.jobs import make_config

    dgi = make_config(objective="dgi")
    assert (dgi.encoder.dim, dgi.encoder.layers, dgi.encoder.aggregator, dgi.encoder.skip) \
        == (512, 1, "mean", False)
    assert dgi.loop.select == "loss" and dgi.loop.max_steps == 500
    assert make_config(objective="dgi", options={"dim": 64}).encoder.dim == 64
    assert make_config(options={"objective": "dgi"}).encoder.dim == 512
    assert make_config(objective="dgi", max_steps=7).loop.max_steps == 7
    default = TrainConfig()
    assert make_config(pretrain="dgi").encoder == default.encoder
    assert make_config(objective="infonce").encoder == default.encoder


def test_train_pretrain_dgi_then_playlist_objective(dataset, tmp_path, capsys):
    summary, metrics, _ = _train(dataset, tmp_path, capsys, "--pretrain", "dgi")
    assert summary["objective"] == "infonce" and summary["metrics"]["pairs"] > 0
    payload = torch.load(tmp_path / "out" / "model.pt", weights_only=True)
    assert payload["train"]["pretrain"] == "dgi"
    # metrics.json says the pre-training happened, and how far it went
    assert metrics["pretrain"]["objective"] == "dgi" and metrics["pretrain"]["steps"] > 0
    assert metrics["pretrain"]["final_loss"] > 0


def test_unknown_pretraining_gives_one_line_reason(dataset, tmp_path, capsys):
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(tmp_path / "out"), "--pretrain", "gmi"])
    assert rc == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("musicsage train: ") and "pre-training" in last

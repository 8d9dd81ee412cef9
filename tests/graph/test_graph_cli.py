"""`musicsage train/eval` on a dataset dir, and the library path through the use cases."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from musicsage import cli
from musicsage.errors import Cancelled
from musicsage.graph.data import GraphData
from musicsage.progress import CancelToken
from musicsage.usecases.embedding import audio_embeddings
from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import (current_graph_model, evaluate_graph, graph_embeddings,
                                         train_graph)

EVAL_KEYS = {"hr@10", "hr@50", "hr@100", "mrr"}


def test_dataset_dir_round_trip(dataset):
    data = GraphData.from_dataset_dir(dataset)
    assert data.n_tracks == 200 and data.feature_dim == 8
    assert set(data.metadata) == {"album", "artist"}
    assert data.fingerprint() == GraphData.from_dataset_dir(dataset).fingerprint()


def test_train_dataset_writes_embeddings_model_and_metrics(dataset, tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(out), "--max-steps", "20", "--json"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] <= 20 and summary["metrics"]["pairs"] > 0
    emb = np.load(out / "embeddings.npy")
    # 64 model dimensions, 64 more when validation mixed in the co-member view, and 64 more
    # when it joined the two-hop part
    width = 64 * (1 + (summary["comember_weight"] > 0) + (summary["two_hop_gamma"] > 0))
    assert emb.shape == (200, width) and emb.dtype == np.float32
    assert np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-5)
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("graph", "audio", "ratio"):
        assert EVAL_KEYS <= set(metrics[key])
    assert {"graph", "audio", "pairs"} <= set(metrics["cold_start"])
    payload = torch.load(out / "model.pt", weights_only=True)
    assert payload["feature_dim"] == 8


def test_train_out_never_replaces_files_it_did_not_write(dataset, tmp_path, capsys):
    """``--out`` pointed at a folder holding a file of the user's named like one it writes
    (metrics.json) replaced it after training. It is refused before training, the file
    untouched; a folder an earlier run wrote is written again."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "metrics.json").write_text("my notes\n")
    argv = ["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
            "--max-steps", "5"]
    assert cli.main([*argv, "--out", str(mine)]) == 1
    err = capsys.readouterr().err
    assert "metrics.json is already there" in err and "nothing was written" in err
    assert sorted(p.name for p in mine.iterdir()) == ["metrics.json"]
    assert (mine / "metrics.json").read_text() == "my notes\n"

    out = tmp_path / "out"
    assert cli.main([*argv, "--out", str(out)]) == 0
    first = (out / "metrics.json").read_bytes()
    assert cli.main([*argv, "--out", str(out), "--seed", "1"]) == 0
    assert (out / "metrics.json").read_bytes() != first  # its own files: replaced


def test_eval_dataset_prints_mean_and_std_over_seeds(dataset, tmp_path, capsys):
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", str(dataset),
                   "--seeds", "2", "--max-steps", "10", "--contexts", "playlist"])
    assert rc == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    for key in ("graph", "audio", "ratio"):
        assert EVAL_KEYS <= set(out[key]) and EVAL_KEYS <= set(out["std"][key])
    assert out["seeds"] == 2 and len(out["per_seed"]) == 2 and out["contexts"] == ["playlist"]
    assert out["pairs"] > 0 and "pairs" in out["cold_start"]
    # without --json a person gets the mean in a few lines too, after the JSON, on stderr
    lines = captured.err.replace("\r", "\n").splitlines()
    at = lines.index("mean of 2 seeds (± the standard deviation over them; pairs: per seed, "
                     "on average):")
    g, a, std = out["graph"], out["audio"], out["std"]
    assert lines[at + 1].startswith(
        f"graph HR@10 {g['hr@10']:.4f} ± {std['graph']['hr@10']:.4f} MRR {g['mrr']:.4f} ± "
        f"{std['graph']['mrr']:.4f} | audio-only HR@10 {a['hr@10']:.4f} ± "
        f"{std['audio']['hr@10']:.4f} MRR {a['mrr']:.4f} ± {std['audio']['mrr']:.4f} | ")
    pairs = int(out["pairs"])  # the same split for both seeds: the same note, said once
    few = (f"only {pairs} evaluation pairs: too few for these figures to mean much (one pair "
           f"moves HR@K by {1 / pairs:.3f})")
    assert out["notes"] == [f"seed 0: {few}", f"seed 1: {few}"]
    assert [x for x in lines if x.startswith("  note: seed")] == [f"  note: seeds 0 and 1: {few}"]


@pytest.mark.parametrize("argv, message", [
    (["train", "--dataset", "/nonexistent/dir", "--out", "x"], "not a dataset dir"),
    (["train", "--out", "x"], "--out goes with --dataset"),
    (["eval", "--dataset", "DS", "--contexts", "genre"], "unknown contexts"),
    (["eval", "--dataset", "DS", "--objective", "nope", "--seeds", "1"], "--objective must be one"),
    # numpy refuses a negative seed, dgl one above 2**31 - 1: both ended as crashes (exit 70)
    (["eval", "--dataset", "DS", "--seed", "-1", "--seeds", "1"], "--seed must be between"),
    (["train", "--dataset", "DS", "--out", "x", "--seed", str(2**32)], "--seed must be between"),
    (["eval", "--dataset", "DS", "--pretrain", "bert"], "unknown pre-training"),
    # a dataset dir brings its own features: the option was silently ignored
    (["eval", "--dataset", "DS", "--audio-model", "dsp"], "--audio-model goes with the library"),
    (["train", "--dataset", "DS", "--out", "x", "--audio-model", "dsp"], "goes with the library"),
])
def test_bad_input_gives_one_line_reason(argv, message, dataset, tmp_path, capsys):
    argv = [str(dataset) if a == "DS" else a for a in argv]
    assert cli.main(["--data-dir", str(tmp_path / "lib")] + argv) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]  # after any progress bar
    assert last.startswith(f"musicsage {argv[0]}: ") and message in last


def test_library_training_saves_current_model_and_cancel_keeps_it(ctx, dataset):
    import_dataset(ctx, dataset)
    assert current_graph_model(ctx) is None and graph_embeddings(ctx) is None
    rep = train_graph(ctx, max_steps=15)
    info = current_graph_model(ctx)
    assert info is not None and info.id == rep.model_id and info.metrics["pairs"] > 0
    ids, emb = graph_embeddings(ctx)
    audio_ids, _ = audio_embeddings(ctx)
    width = 64 * (1 + (rep.comember_weight > 0) + (rep.two_hop_gamma > 0))
    assert np.array_equal(np.sort(ids), np.sort(audio_ids)) and emb.shape == (len(ids), width)
    dirs_before = sorted(p.name for p in ctx.graph_models_dir.iterdir())

    token = CancelToken()

    def cancel_at_step_5(p):
        if p.extra.get("step", 0) >= 5:
            token.cancel()

    with pytest.raises(Cancelled):
        train_graph(ctx, max_steps=50, progress=cancel_at_step_5, cancel=token)
    assert current_graph_model(ctx).id == rep.model_id
    assert sorted(p.name for p in ctx.graph_models_dir.iterdir()) == dirs_before


def test_library_eval_leaves_the_current_model_alone(ctx, dataset, tmp_path, capsys):
    import_dataset(ctx, dataset)
    out = evaluate_graph(ctx, seeds=1, max_steps=5)
    assert EVAL_KEYS <= set(out["graph"]) and out["audio_model"] and out["pairs"] > 0
    assert current_graph_model(ctx) is None
    assert cli.main(["--data-dir", str(ctx.data_dir), "train", "--max-steps", "5",
                     "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["model_id"] == current_graph_model(ctx).id


def test_library_eval_takes_the_audio_model_and_pre_training(ctx, dataset, capsys):
    import_dataset(ctx, dataset)
    audio_model = evaluate_graph(ctx, seeds=1, max_steps=2)["audio_model"]
    argv = ["--data-dir", str(ctx.data_dir), "eval", "--seeds", "1", "--max-steps", "3",
            "--audio-model", audio_model, "--pretrain", "dgi", "--json"]
    assert cli.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["audio_model"] == audio_model and out["pretrain"]["objective"] == "dgi"
    assert cli.main(argv[:-5] + ["--audio-model", "no-such-model"]) == 1
    assert "no-such-model" in capsys.readouterr().err


def test_train_dataset_metrics_from_its_split_embeddings_from_every_membership(dataset, tmp_path,
                                                                            capsys):
    """metrics.json scores the seed's held-out pairs; embeddings.npy is computed on the graph
    of every membership given (held-out and unplaylisted ones back in)."""
    from musicsage.graph.build import build_context_graph
    from musicsage.graph.inference import embed_tracks
    from musicsage.graph.serve import SavedModel
    from musicsage.graph.split import protocol_split

    out = tmp_path / "out"
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     "--out", str(out), "--max-steps", "10", "--seed", "3", "--set", "dim=24",
                     "--set", "num_walks=12", "--json"]) == 0
    capsys.readouterr()
    metrics = json.loads((out / "metrics.json").read_text())
    data = GraphData.from_dataset_dir(dataset)
    split = protocol_split(data.memberships, data.n_tracks, seed=3)
    assert metrics["pairs"] == len(split.pairs) and metrics["protocol"]["version"] == 3
    assert {"warm", "cold"} <= set(metrics) and metrics["seed"] == 3
    model = SavedModel.load(out / "model.pt")
    assert model.config.encoder.dim == 24 and model.config.walk.num_walks == 12
    written = np.load(out / "embeddings.npy")
    assert np.allclose(written, model.embed(data), atol=1e-5)
    split_graph = build_context_graph(data, split.train_memberships, model.contexts)
    on_split = embed_tracks(model.encoder, data, split_graph, model.config.walk,
                            seed=model.config.seed + 1)
    if model.comember is not None:
        on_split = model.comember.apply(on_split, data.features, split_graph)
    if model.two_hop is not None:
        on_split = model.two_hop.apply(on_split, split_graph)
    assert not np.allclose(written, on_split, atol=1e-3)


def test_train_prints_warm_cold_and_new_pairs_lines(dataset, tmp_path, capsys):
    """The text summary names each split of the held-out pairs with its count, the new pairs
    (targets never in a training playlist with their query) among them."""
    out = tmp_path / "out"
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     "--out", str(out), "--max-steps", "5", "--set", "dim=16"]) == 0
    text = capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    for kind, label in (("warm", "warm"), ("cold", "cold"), ("new_pairs", "new pairs")):
        line = next(x for x in text.splitlines() if x.startswith(f"  {label} (among "))
        assert ": graph HR@10 " in line
        n = metrics[kind]["pairs"]
        assert line.endswith(f"| {n} pair" + ("" if n == 1 else "s"))
    assert 0 < metrics["new_pairs"]["pairs"] <= metrics["pairs"]


def test_eval_takes_a_first_seed_and_training_options(dataset, tmp_path, capsys):
    argv = ["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", str(dataset), "--seeds",
            "1", "--max-steps", "5", "--contexts", "playlist", "--seed", "7", "--set",
            "layers=0"]
    assert cli.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["seed"] for r in out["per_seed"]] == [7]
    assert out["warm"]["pairs"] + out["cold"]["pairs"] == out["pairs"]
    assert out["best_val_hr10"] is not None
    assert cli.main(argv + ["--set", "val_fraction=0"]) == 0
    assert json.loads(capsys.readouterr().out)["best_val_hr10"] is None  # was 0.0: no score
    assert cli.main(argv[:-1] + ["layers"]) == 1
    assert "KEY=VALUE" in capsys.readouterr().err
    assert cli.main(argv[:-1] + ["context_init=random"]) == 1
    err = capsys.readouterr().err
    assert "context_init must be one of svd, zero" in err and len(err.strip().splitlines()) == 1


def test_train_with_the_co_member_view_records_its_weight_and_serves_what_it_wrote(
        dataset, tmp_path, capsys):
    """`--set comember=true`: metrics.json has each weight's validation score, --json the
    weight chosen, and the saved model serves exactly the vectors written."""
    from musicsage.graph.serve import SavedModel

    out = tmp_path / "out"
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     "--out", str(out), "--max-steps", "10", "--set", "comember=true",
                     "--set", "comember_steps=50", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["comember"]["val"]) == {"0", "0.25", "0.5", "0.75"}
    assert summary["comember_weight"] == metrics["comember"]["weight"]
    written = np.load(out / "embeddings.npy")
    model = SavedModel.load(out / "model.pt")
    assert (model.comember is None) == (summary["comember_weight"] == 0)
    assert np.allclose(written, model.embed(GraphData.from_dataset_dir(dataset)), atol=1e-5)

"""What a researcher runs from bench/: the baselines on their own dataset dir (the same table as
the published figures), and the converters' answer when the downloaded files are not there."""

from __future__ import annotations

import functools
import math
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import graph_baselines  # noqa: E402
import graph_common  # noqa: E402

ROWS = ("audio-only", "smoothing", "itemknn", "ease", "crude")


def _table(out: str) -> dict[str, list[str]]:
    """method -> its row's cells, from the table after the '== … ==' title."""
    lines = out[out.index("\n== "):].strip().splitlines()
    return {line.split()[0]: line.split()[1:] for line in lines[2:]}


def test_baselines_run_on_any_dataset_dir(dataset, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(graph_common, "RUNS", tmp_path / "runs.jsonl")
    quick_crude = functools.partial(graph_baselines.crude_embeddings, steps=30)
    monkeypatch.setitem(graph_baselines.BASELINES, "crude", quick_crude)
    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", "--dataset-dir", str(dataset),
                                      "--seeds", "500,501"])
    graph_baselines.main()
    table = _table(capsys.readouterr().out)
    assert set(ROWS) <= set(table)
    for method in ROWS:
        hr10, mrr = (float(cell.split("±")[0]) for cell in table[method][:2])
        assert math.isfinite(hr10) and math.isfinite(mrr) and 0 <= hr10 <= 1
        assert table[method][-1] == "500,501"
    assert float(table["itemknn"][0].split("±")[0]) > float(table["audio-only"][0].split("±")[0])
    cos, pairs = -4, -2  # the last cells: cos, train s, pairs, seeds
    # item-kNN and EASE rank without vectors: no cosine (it read "+nan", like a broken run)
    assert table["itemknn"][cos] == table["ease"][cos] == "-"
    assert -1 <= float(table["crude"][cos]) <= 1
    assert len({table[m][pairs] for m in ROWS}) == 1 and int(table["crude"][pairs]) > 0
    assert not (tmp_path / "runs.jsonl").exists()  # a user's data set is not a reported run


def test_baselines_refuse_a_folder_that_is_no_dataset_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", "--dataset-dir", str(tmp_path)])
    with pytest.raises(SystemExit) as exc:
        graph_baselines.main()
    assert "is not a dataset dir (no tracks.csv)" in str(exc.value.code)


@pytest.mark.parametrize("script, args, needs", [
    ("cora.py", ["--raw", "{missing}", "{out}"], "github.com/kimiyoung/planetoid"),
    ("cora.py", ["--name", "citeseer", "--raw", "{missing}", "{out}"], "ind.citeseer.*"),
    ("movielens.py", ["--raw", "{missing}", "--out", "{out}"], "grouplens.org"),
])
def test_converters_say_in_one_line_which_folder_they_need(script, args, needs, tmp_path):
    missing, out = tmp_path / "not-downloaded", tmp_path / "out"
    argv = [a.format(missing=missing, out=out) for a in args]
    run = subprocess.run([sys.executable, str(BENCH / script), *argv], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert str(missing) in run.stderr and needs in run.stderr and "--raw" in run.stderr
    assert not out.exists()


SHORT = 30  # steps: enough to validate once, choose the views and embed


def test_threads_one_runs_the_whole_training_on_one_thread(dataset):
    """``--set threads=1`` (the benchmarks' one torch thread) gave other vectors where torch's
    default was more threads: only the steps ran on one, and the random walks of validation
    and of the final vectors, sampled on every core, drew other neighbourhoods (on this data
    set eval scored 0.409 where ``graph_baselines.py --only model`` scored 0.455)."""
    import numpy as np
    import torch

    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import make_config, train_and_evaluate

    data = GraphData.from_dataset_dir(dataset)
    config = make_config(seed=500, max_steps=SHORT, options={"threads": 1})
    runs = []
    for default_threads in (1, 2):
        torch.set_num_threads(default_threads)  # the conftest fixture restores it
        _, metrics, vectors = train_and_evaluate(data, config=config, device="cpu")
        runs.append((vectors, metrics["graph"]))
    assert np.array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_eval_gives_the_model_figures_of_graph_baselines(dataset, monkeypatch):
    """docs/protocol.md: ``eval --dataset DIR --seed 500 --set threads=1`` gives the figures
    of ``graph_baselines.py --dataset-dir DIR --seeds 500 --only model``: the same split, the
    same config, the same thread count (the benchmark's), on a machine with more cores."""
    import torch

    from musicsage.graph.build import parse_contexts
    from musicsage.graph.config import TrainConfig
    from musicsage.graph.data import GraphData
    from musicsage.usecases.training import evaluate_graph_dataset

    torch.set_num_threads(2)  # eval on two cores; the conftest fixture restores it
    via_eval = evaluate_graph_dataset(str(dataset), seeds=1, seed=500, max_steps=SHORT,
                                      options={"threads": 1}, device="cpu")
    monkeypatch.setattr(graph_baselines, "TrainConfig",
                        lambda: TrainConfig().with_(max_steps=SHORT))
    data = GraphData.from_dataset_dir(dataset)
    torch.set_num_threads(1)  # as graph_baselines.main does (--threads 1, its default)
    run = graph_baselines.runner("model", str(dataset), None, threads=1)
    via_bench = run(data, parse_contexts(None), graph_common.make_split(data, 500, "test"), 500)
    for block in ("graph", "audio", "warm", "cold", "new_pairs"):
        for key in ("hr@10", "mrr"):
            got, expected = via_eval[block], via_bench[block]
            got, expected = got.get("graph", got), expected.get("graph", expected)
            assert got[key] == expected[key], (block, key)


def test_every_recorded_run_says_which_build_made_it(tmp_path, monkeypatch):
    """A validation choice on a one-pair tie can flip between machines (stop 49's spotify
    seed 501): the line must carry the torch/numpy versions and torch's SIMD kernels."""
    import json

    import torch

    monkeypatch.setattr(graph_common, "RUNS", tmp_path / "runs.jsonl")
    graph_common.record("spotify", "model", "test", 501, {"hr@10": 0.1})
    line = json.loads((tmp_path / "runs.jsonl").read_text())
    assert line["build"]["torch"] == torch.__version__
    assert line["build"]["cpu_capability"] not in ("", None)
    assert line["result"] == {"hr@10": 0.1} and line["seed"] == 501

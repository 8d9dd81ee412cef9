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
    assert not (tmp_path / "runs.jsonl").exists()  # a user's data set is not a reported run


def test_baselines_refuse_a_folder_that_is_no_dataset_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", "--dataset-dir", str(tmp_path)])
    with pytest.raises(SystemExit) as exc:
        graph_baselines.main()
    assert "tracks.csv is missing" in str(exc.value.code)


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

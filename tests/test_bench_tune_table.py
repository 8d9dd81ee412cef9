"""``bench/graph_tune.py --table`` (README: "every validation run") printed nothing at all on a
fresh checkout, where ``bench/results/`` holds no runs yet: now one line says where it looked
and what to run first; with runs recorded it prints their table as before."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def test_a_table_with_no_runs_says_where_it_looked(monkeypatch, capsys):
    import graph_tune

    monkeypatch.setattr(graph_tune, "read_runs", lambda: [])
    graph_tune.main(["--table"])
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == (f"no runs recorded in {graph_tune.RUNS} yet: run this script, "
                           "graph_bench.py or graph_ablations.py first")
    graph_tune.main(["--table", "--mode", "val"])
    assert capsys.readouterr().err.startswith("no val runs recorded in ")


def test_recorded_runs_are_tabled(monkeypatch, capsys):
    import graph_tune

    figures = {"hr@10": 0.5, "hr@50": 0.75, "hr@100": 1.0, "mrr": 0.25}
    result = {"graph": figures, "audio": figures, "warm": {"graph": figures},
              "cold": {"graph": figures}, "pairs": 4, "train_seconds": 1.0, "mean_cos": 0.1}
    monkeypatch.setattr(graph_tune, "read_runs", lambda: [
        {"setting": "cora", "mode": "val", "method": "default", "seed": 0, "result": result}])
    graph_tune.main(["--table"])
    out, err = capsys.readouterr()
    assert "== cora (val) ==" in out and "default" in out and err == ""

"""``bench/results/graph_runs.jsonl`` holds every graph run so far; ``graph_tune.py --table``
and the reuse of recorded runs in graph_bench/graph_ablations read it. One line of bytes that
are not UTF-8 (a crash leaves such a tail, or a stray paste) made reading the whole file fail
with a traceback, so no table, and every later bench run died: now that line is skipped with
one warning, and the runs before and after it are read and tabled."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

FIGURES = {"hr@10": 0.5, "hr@50": 0.75, "hr@100": 1.0, "mrr": 0.25}
RESULT = {"graph": FIGURES, "audio": FIGURES, "warm": {"graph": FIGURES},
          "cold": {"graph": FIGURES}, "pairs": 4, "train_seconds": 1.0, "mean_cos": 0.1}


def _run(seed: int) -> dict:
    return {"setting": "cora", "method": "default", "mode": "val", "seed": seed,
            "result": RESULT}


def test_stray_bytes_lose_neither_earlier_nor_later_runs(tmp_path, monkeypatch, capsys):
    import graph_common
    import graph_tune

    runs = tmp_path / "graph_runs.jsonl"
    runs.write_bytes(json.dumps(_run(0)).encode() + b"\n\xff\xfe\x00 not text\n[1, 2]\n")
    monkeypatch.setattr(graph_common, "RUNS", runs)
    monkeypatch.setattr(graph_common, "machine_build", lambda: {})
    graph_common.record("cora", "default", "val", 1, RESULT)
    assert [r["seed"] for r in graph_common.read_runs(runs)] == [0, 1]
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {runs} line 2 is not a whole run (cut off?); skipped",
        f"warning: {runs} line 3 is not a whole run (cut off?); skipped"]

    monkeypatch.setattr(graph_tune, "read_runs", lambda: graph_common.read_runs(runs))
    graph_tune.main(["--table"])
    out = capsys.readouterr().out
    assert "== cora (val) ==" in out
    assert [line.split()[-1] for line in out.splitlines() if line.startswith("default")] == ["0,1"]

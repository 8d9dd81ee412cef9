"""``graph_bench.py`` and ``graph_ablations.py`` merge each run into their ``--out`` file and keep
only its ``settings``: an ``--out`` naming a user's own file (or a results file cut off
mid-write, whose earlier settings would be lost) was replaced after the whole run. Such a file
is refused in one line before anything runs, and left as it was."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

SAYS = "is not a results file of these benches"


@pytest.mark.parametrize("content", [
    '{"my": "notes"}\n',
    "shopping list: milk, eggs\n",
    '{"seeds": [500], "settings": {"cora": {"methods": {"audio"',  # cut off mid-write
])
@pytest.mark.parametrize("script", ["graph_bench", "graph_ablations"])
def test_an_out_that_is_not_a_results_file_is_refused_and_kept(script, content, tmp_path,
                                                              monkeypatch, capsys):
    module = __import__(script)
    monkeypatch.setattr(module, "load_setting", lambda s: pytest.fail("ran"), raising=False)
    monkeypatch.setattr(module, "run_setting", lambda *a: pytest.fail("ran"), raising=False)
    mine = tmp_path / "mine.json"
    mine.write_text(content)
    with pytest.raises(SystemExit) as exc:
        module.main(["--settings", "cora", "--out", str(mine)])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip() == (
        f"{mine} {SAYS} (a JSON object with \"settings\"), so it is left alone: give --out a "
        "new file or one they wrote")
    assert mine.read_text() == content
    assert [p.name for p in tmp_path.iterdir()] == ["mine.json"]


def test_an_earlier_results_file_is_still_added_to(tmp_path, monkeypatch):
    import graph_bench

    monkeypatch.setattr(graph_bench, "run_setting", lambda setting, *a: {"audio": {"s": setting}})
    monkeypatch.setattr(graph_bench, "table", lambda block: [])
    monkeypatch.setattr(graph_bench, "checks", lambda setting, block: [])
    out = tmp_path / "bench.json"
    out.write_text(json.dumps({"seeds": [500], "settings": {"cora": {"methods": {}}}}))
    graph_bench.main(["--settings", "spotify", "--methods", "audio", "--out", str(out)])
    assert sorted(json.loads(out.read_text())["settings"]) == ["cora", "spotify"]

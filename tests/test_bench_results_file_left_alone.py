"""``graph_bench.py`` and ``graph_ablations.py`` merge each run into their ``--out`` file and keep
only its ``settings``: an ``--out`` naming a user's own file (or a results file cut off
mid-write, whose earlier settings would be lost, or the other bench's results) was replaced
after the whole run. Such a file is refused in one line before anything runs, and left as it
was."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))



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
        f"{mine} is not a results file of {script} (a JSON object with \"settings\"), so it "
        f"is left alone: give --out a new file or one {script} wrote")
    assert mine.read_text() == content
    assert [p.name for p in tmp_path.iterdir()] == ["mine.json"]


# what each bench wrote before the "bench" key, and what it writes now
ABLATIONS_OLD = {"mode": "test", "seeds": [500], "settings": {"cora": {"defaults": {}}}}
BENCH_OLD = {"seeds": [500], "threads": 1, "config": {}, "settings": {"cora": {"methods": {}}}}


@pytest.mark.parametrize("script, other, content", [
    ("graph_bench", "graph_ablations", ABLATIONS_OLD),
    ("graph_bench", "graph_ablations", {**ABLATIONS_OLD, "bench": "graph_ablations"}),
    ("graph_ablations", "graph_bench", BENCH_OLD),
    ("graph_ablations", "graph_bench", {**BENCH_OLD, "bench": "graph_bench"}),
])
def test_the_other_benchs_results_are_refused_and_kept(script, other, content, tmp_path,
                                                        monkeypatch, capsys):
    module = __import__(script)
    for slow in ("load_setting", "run_setting", "set_threads"):
        monkeypatch.setattr(module, slow, lambda *a: pytest.fail("ran"), raising=False)
    theirs = tmp_path / f"{other}.json"
    theirs.write_text(json.dumps(content))
    with pytest.raises(SystemExit) as exc:
        module.main(["--settings", "cora", "--out", str(theirs)])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip() == (
        f"{theirs} holds {other}'s results, so it is left alone: give {script} --out a new "
        f"file or one {script} wrote")
    assert json.loads(theirs.read_text()) == content


def test_an_out_that_cannot_be_read_is_named_as_such(tmp_path, monkeypatch, capsys):
    import graph_bench

    monkeypatch.setattr(graph_bench, "run_setting", lambda *a: pytest.fail("ran"))
    monkeypatch.setattr(graph_bench, "set_threads", lambda n: pytest.fail("ran"))
    folder = tmp_path / "results"
    folder.mkdir()
    with pytest.raises(SystemExit) as exc:
        graph_bench.main(["--settings", "cora", "--out", str(folder)])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip() == (
        f"{folder} cannot be read (Is a directory), so it is left alone: give --out a new "
        "file or one graph_bench wrote")


def test_an_earlier_results_file_is_still_added_to(tmp_path, monkeypatch):
    import graph_bench

    threads: list[int] = []
    monkeypatch.setattr(graph_bench, "set_threads", threads.append)  # not this process's own
    monkeypatch.setattr(graph_bench, "run_setting", lambda setting, *a: {"audio": {"s": setting}})
    monkeypatch.setattr(graph_bench, "table", lambda block: [])
    monkeypatch.setattr(graph_bench, "checks", lambda setting, block: [])
    out = tmp_path / "bench.json"
    out.write_text(json.dumps({"seeds": [500], "settings": {"cora": {"methods": {}}}}))
    graph_bench.main(["--settings", "spotify", "--methods", "audio", "--out", str(out)])
    written = json.loads(out.read_text())
    assert sorted(written["settings"]) == ["cora", "spotify"]
    assert written["bench"] == "graph_bench" and threads == [1]
    graph_bench.main(["--settings", "cora", "--methods", "audio", "--out", str(out)])
    assert sorted(json.loads(out.read_text())["settings"]) == ["cora", "spotify"]

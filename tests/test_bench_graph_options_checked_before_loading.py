"""The graph benchmarks check every option before they load a data set and train: a negative
seed, ``--seeds abc`` in graph_headroom/graph_known_pairs, an unknown method there or in
graph_baselines' ``--only``, and graph_tune's ``--set`` with an unknown option or a value of
the wrong kind each ended in a traceback (or a vague line) only after the data set had been
loaded, and dgi_cora's ``--seeds 0`` wrote a mean of no seed (nan) over the last results; now
each is argparse's one line and exit 2, naming what to give."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


@pytest.mark.parametrize("script, argv, says", [
    ("graph_headroom", ["--seeds", "abc"], "'abc' is not a comma list of whole numbers"),
    ("graph_headroom", ["--seeds", "-1"], "seed -1 is out of range: seeds are whole numbers "
                                          "from 0 to 1073741824"),
    ("graph_headroom", ["--hits", "nosuch"], "unknown method nosuch: choose from audio,"),
    ("graph_headroom", ["--competitors", "model,nosuch"], "unknown method nosuch"),
    ("graph_known_pairs", ["--seeds", "500,x"], "'500,x' is not a comma list of whole numbers"),
    ("graph_known_pairs", ["--methods", "nosuch"], "unknown method nosuch: choose from audio,"),
    ("graph_known_pairs", ["--settings", "nosuch"], "unknown setting nosuch: choose from spotify"),
    ("graph_bench", ["--seeds", "500,-2"], "seed -2 is out of range"),
    ("graph_tune", ["--seeds", "0,99999999999"], "seed 99999999999 is out of range"),
    ("graph_tune", ["--set", "dropout=abc"], "--set dropout expects a number, got 'abc'"),
    ("graph_tune", ["--set", "nosuch=1"], "--set nosuch: unknown training option"),
    ("graph_tune", ["--set", "dropout"], "--set 'dropout': expected KEY=VALUE"),
    ("graph_tune", ["--set", "seed=3"], "--set seed: give --seeds instead"),
    ("graph_tune", ["--variants", "hinge", "--set", "margin=9"], "--set margin must be above 0"),
    ("dgi_cora", ["--seeds", "0"], "'0' is not a number of seeds: give a whole number of at "
                                   "least 1"),
    ("dgi_cora", ["--seeds", "-1"], "'-1' is not a number of seeds"),
])
def test_a_bad_option_is_one_line_before_the_data_set_loads(script, argv, says, tmp_path,
                                                             monkeypatch, capsys):
    module = __import__(script)
    monkeypatch.setattr(module, "load_setting", lambda s: pytest.fail("loaded"), raising=False)
    out = ["--out", str(tmp_path / "x.json")] if script == "graph_bench" else []
    with pytest.raises(SystemExit) as exc:
        module.main(argv + out)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert says in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.json").exists()


def test_baselines_check_only_before_the_data_set_loads(capsys):
    import graph_baselines

    with pytest.raises(SystemExit) as exc:
        graph_baselines.arguments(["--dataset-dir", "anywhere", "--only", "audio,nosuch"])
    assert exc.value.code == 2
    assert ("unknown method nosuch: choose from audio,smoothing,itemknn,ease,crude,model"
            in capsys.readouterr().err)
    assert graph_baselines.arguments(["--only", "itemknn,model"]).only == ["itemknn", "model"]


def test_baselines_refuse_contexts_for_a_named_setting(capsys):
    """``--settings spotify --contexts playlist`` ran spotify with all its contexts, silently:
    figures that looked like the playlists-only ones and were not."""
    import graph_baselines

    with pytest.raises(SystemExit) as exc:
        graph_baselines.arguments(["--settings", "spotify", "--contexts", "playlist"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip().endswith(
        "error: --contexts is for --dataset-dir: a setting has its own contexts "
        "(spotify-playlists: playlists only)")
    args = graph_baselines.arguments(["--dataset-dir", "d", "--contexts", "playlist"])
    assert args.contexts == "playlist"


def test_graph_tune_records_set_values_under_the_names_used_so_far(monkeypatch):
    """The checked values train; the method keeps its old name (``+tau=1``, not ``+tau=1.0``)
    so that ``--table`` groups a rerun with the runs recorded before."""
    import graph_tune

    recorded = []
    monkeypatch.setattr(graph_tune, "load_setting", lambda s: ("data", ("playlist",)))
    monkeypatch.setattr(graph_tune, "make_split", lambda data, seed, mode: "split")
    monkeypatch.setattr(graph_tune, "set_threads", lambda n: None)

    def fake_run(data, contexts, split, config, log=None):
        figures = {"hr@10": 0.5, "mrr": 0.25}
        return {"graph": figures, "warm": {"graph": figures}, "cold": {"graph": figures},
                "steps": 1, "best_step": 1, "train_seconds": 1.0, "embed_seconds": 0.1,
                "mean_cos": 0.1}

    monkeypatch.setattr(graph_tune, "run_model", fake_run)
    monkeypatch.setattr(graph_tune, "record",
                        lambda setting, method, mode, seed, r, **extra:
                        recorded.append((method, extra["changes"])))
    graph_tune.main(["--settings", "cora", "--seeds", "0", "--set", "tau=1",
                     "--set", "two_hop=true"])
    assert recorded == [("default+tau=1+two_hop=True",
                         {"tau": 1.0, "two_hop": True, "threads": 1})]

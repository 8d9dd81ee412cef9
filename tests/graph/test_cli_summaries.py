"""What the commands tell a person about a run and a model: a training run that stopped early
says so, `eval` sums itself up in a few lines (stdout untouched), and `stats`/`models` mark an
HR@10 measured on too few pairs to mean much."""

from __future__ import annotations

import json

from musicsage import cli
from musicsage.text import counted

#: a run that cannot improve (nothing moves), validated every 5 steps, one miss allowed: it
#: stops at step 10, the state of step 5 kept
STALLED = ["--set", "lr=0", "--set", "context_lr=0", "--set", "gate_lr=0", "--set",
           "patience=1", "--set", "eval_every=5", "--set", "dim=16"]


def _train(dataset, tmp_path, max_steps: int, *more: str) -> int:
    return cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     "--out", str(tmp_path / f"out{max_steps}"), "--max-steps", str(max_steps),
                     *STALLED, *more])


def test_a_run_that_stops_early_ends_its_bar_complete_and_says_why(dataset, tmp_path, capsys):
    """The bar was left at "10/50 20%" (at 3,000 steps: "500/3000 17%"), as if broken off."""
    assert _train(dataset, tmp_path, 50) == 0
    captured = capsys.readouterr()
    bars = captured.err.replace("\r", "\n").splitlines()
    last = [line for line in bars if line.startswith("train:")][-1]
    assert "100%" in last and "10/10" in last
    assert last.rstrip().endswith("stopped early at step 10, best at 5]")
    assert "for 10 steps, best at 5" in captured.out
    # a run that reaches its step limit ends as it always did
    assert _train(dataset, tmp_path, 10) == 0
    assert "stopped early" not in capsys.readouterr().err


def test_the_window_reads_an_early_stop_as_a_run_complete(dataset, tmp_path):
    """The status line and the training dock turn the same reports into words and a bar: the
    last one says why the run ended, its bar full (not busy, as for a step of a run that may
    stop sooner)."""
    from musicsage.controllers.wording import progress_text, stops_early
    from musicsage.graph.config import parse_options
    from musicsage.usecases.training import train_graph_dataset

    reports = []
    options = parse_options([STALLED[i + 1] for i in range(0, len(STALLED), 2)])
    train_graph_dataset(dataset, tmp_path / "out", max_steps=50, options=options,
                        progress=reports.append)
    last = [p for p in reports if p.stage == "train"][-1]
    assert (last.done, last.total) == (10, 10) and not stops_early(last)
    assert progress_text(last) == "Training the graph model: stopped early at step 10, best at 5"
    assert last.extra["stopped_early"] and last.extra["best_step"] == 5


def test_a_run_that_learned_nothing_says_so_under_its_first_line(tmp_path, capsys):
    """15 tracks in 4 overlapping playlists: loss 0 at every step, and `train` said "best at
    100" over a perfect score from one pair, the reason nowhere."""
    import numpy as np

    from dataset_files import write_dataset
    from musicsage.graph.jobs import NOTHING_LEARNED
    from test_train_small_library import OVERLAPPING

    dataset = write_dataset(tmp_path / "ds", np.random.default_rng(0).normal(size=(15, 8)),
                            OVERLAPPING)
    base = ["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
            "--max-steps", "20", "--set", "threads=1"]
    assert cli.main([*base, "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("trained (") and "best at" not in lines[0]
    assert lines[1] == f"note: {NOTHING_LEARNED}"
    assert sum(NOTHING_LEARNED in line for line in lines) == 1  # not again among the figures
    assert any(line.startswith("  note: only 1 evaluation pair") for line in lines)
    assert cli.main([*base, "--out", str(tmp_path / "json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["notes"] == [NOTHING_LEARNED] and out["metrics"]["notes"][0] == NOTHING_LEARNED


def _eval(dataset, tmp_path, capsys, *more: str) -> tuple[dict, str]:
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "eval", "--dataset", str(dataset),
                     "--max-steps", "10", "--set", "dim=16", *more]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_eval_sums_itself_up_on_stderr_and_with_json_says_nothing_more(dataset, tmp_path,
                                                                       capsys):
    """``eval`` printed ~300 lines of JSON and no summary; the JSON stays stdout's alone."""
    out, err = _eval(dataset, tmp_path, capsys, "--seeds", "1")
    lines = err.replace("\r", "\n").splitlines()
    headline = next(line for line in lines if line.startswith("graph HR@10 "))
    assert headline.startswith(f"graph HR@10 {out['graph']['hr@10']:.4f} MRR ")
    assert "±" not in headline and not any(line.startswith("mean of") for line in lines)
    assert f"| {round(out['pairs'])} pairs (" in headline
    assert any(line.startswith("  warm (among tracks with a playlist): ") for line in lines)
    assert [line for line in lines if line.startswith("  note: ")] == [
        f"  note: {note}" for note in out["notes"]]
    quiet, err = _eval(dataset, tmp_path, capsys, "--seeds", "1", "--json")
    assert err == "" and set(quiet) == set(out)


def test_stats_and_models_mark_an_hr10_from_too_few_pairs(two_models, capsys):
    """Both showed "HR@10 1.000" for a model evaluated on 2 pairs, as if it meant something."""
    from musicsage.graph.store import current_model, register_model
    from musicsage.library.db import connect

    ctx, first, second = two_models
    conn = connect(ctx)
    info = current_model(conn, ctx)
    many = register_model(conn, ctx, info.dir, name=info.name, audio_model=info.audio_model,
                          params=dict(info.params), fingerprint="many",
                          metrics={"graph": {"hr@10": 0.25, "mrr": 0.125}, "pairs": 250,
                                   "protocol": {"version": 3}})
    few = register_model(conn, ctx, info.dir, name=info.name, audio_model=info.audio_model,
                         params=dict(info.params), fingerprint="few",
                         metrics={"graph": {"hr@10": 1.0, "mrr": 1.0}, "pairs": 2,
                                  "protocol": {"version": 3}})
    data = ["--data-dir", str(ctx.data_dir)]
    assert cli.main([*data, "stats"]) == 0
    graph_line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("graph"))
    assert f"model {few} on " in graph_line
    assert "HR@10 1.000 (2 pairs: too few to mean much)" in graph_line

    assert cli.main([*data, "models"]) == 0
    table = capsys.readouterr().out.splitlines()
    row = {int(line[1:7]): line for line in table if line[1:7].strip().isdigit()}
    assert " 1.000?  1.000 " in row[few] and " 0.250  0.125 " in row[many]
    assert " 0.050  0.010 " in row[second]  # stored without its pair count: left unmarked
    assert "?" not in row[many] + row[second]
    marked = ", ".join(f"model {r} had {counted(_pairs(ctx, r), 'pair')}"
                       for r in (first, second, many, few) if "?" in row[r])
    assert table[-1] == ("? too few held-out pairs (under 100) for HR@10 and MRR to mean "
                         f"much: {marked}")
    assert cli.main([*data, "models", "--json"]) == 0
    listed = {m["id"]: m for m in json.loads(capsys.readouterr().out)["models"]}
    assert (listed[few]["pairs"], listed[many]["pairs"], listed[second]["pairs"]) == (2, 250,
                                                                                      None)
    # the window's names for it: the Graph model menu's entry, the library panel's line
    from musicsage.usecases.models import list_graph_models
    from musicsage.usecases.snapshot import load_snapshot

    labels = {r.id: r.label() for r in list_graph_models(ctx)}
    assert labels[few].endswith("HR@10 1.000 on only 2 pairs")
    assert labels[many].endswith("HR@10 0.250")
    assert load_snapshot(ctx).graph_label.endswith(f"(model {few}, HR@10 1.000 on only 2 pairs)")
    one = register_model(conn, ctx, info.dir, name=info.name, audio_model=info.audio_model,
                         params=dict(info.params), fingerprint="one",
                         metrics={"graph": {"hr@10": 1.0, "mrr": 1.0}, "pairs": 1,
                                  "protocol": {"version": 3}})
    assert load_snapshot(ctx).graph_label.endswith(f"(model {one}, HR@10 1.000 on only 1 pair)")


def _pairs(ctx, model_id: int) -> int:
    from musicsage.usecases.models import list_graph_models

    return next(r.pairs for r in list_graph_models(ctx) if r.id == model_id)

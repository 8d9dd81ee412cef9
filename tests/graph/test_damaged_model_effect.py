"""What a damaged current graph model leaves working, said the same in `stats` and the dock.

A model.pt cut short (an interrupted copy, a full disk) leaves the model's vectors whole: the
search checks only those, so `similar` and the window still listed the graph model's
neighbours — while `stats` said "searches use audio alone", and the dock's model line called
the model one that "has seen every track in training", with no word of the damage."""

from __future__ import annotations

from musicsage import cli
from musicsage.controllers.evaluation import describe_model
from musicsage.usecases.models import files_problem
from musicsage.usecases.training import current_graph_model


def _cut_short(path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def test_stats_says_the_graph_lists_still_work_with_a_cut_short_model_pt(two_models, capsys):
    ctx, _first, second = two_models
    data = ["--data-dir", str(ctx.data_dir)]
    _cut_short(current_graph_model(ctx).checkpoint_path)
    assert cli.main([*data, "stats"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("graph"))
    assert "DAMAGED: model.pt is damaged (cut short?)" in line, line
    assert "searches use audio alone" not in line, line
    assert "its saved vectors still give the graph lists" in line, line
    assert cli.main([*data, "similar", "1", "--space", "graph"]) == 0  # what it says holds
    assert "graph (graph-" in capsys.readouterr().out


def test_missing_vectors_are_named_before_a_damaged_model_pt(two_models, capsys):
    """Both damaged: the vectors' problem is the one that decides what the lists do."""
    ctx, _first, _second = two_models
    info = current_graph_model(ctx)
    _cut_short(info.checkpoint_path)
    (info.dir / "embeddings.npy").unlink()
    assert files_problem(info) == "embeddings.npy is missing"
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    assert "searches use audio alone until a retrain" in capsys.readouterr().out


def test_the_docks_model_line_says_the_model_is_damaged():
    graph = {"id": 3, "audio_model": "spectral", "unseen": 0, "inductive": 0, "seen": 72,
             "no_vector": 0, "problem": "model.pt is damaged (cut short?)"}
    line = describe_model(graph)
    assert line.startswith("Model 3 on spectral is damaged: model.pt is damaged (cut short?); "
                           "its saved vectors still give the graph lists"), line
    assert "has seen every track" not in line and "press Retrain" in line
    gone = describe_model(dict(graph, problem="embeddings.npy is missing"))
    assert "searches use audio alone until a retrain" in gone
    assert describe_model(dict(graph, problem=None)) == \
        "Model 3 on spectral — has seen every track in training."


def test_the_docks_model_line_names_tracks_left_out_for_damaged_vectors():
    """Training left out a track whose damaged vector no embed can mend: the dock said the
    model "has seen every track in training" (and Compute embeddings cannot help it)."""
    graph = {"id": 4, "audio_model": "spectral", "unseen": 0, "inductive": 0, "seen": 39,
             "no_vector": 0, "left_out": 1, "problem": None}
    assert describe_model(graph) == (
        "Model 4 on spectral — 1 track left out of training: its stored spectral vector is "
        "damaged and its audio cannot be analysed again.")
    both = describe_model(dict(graph, unseen=2, left_out=3))
    assert "Retrain to learn from their playlists. 3 tracks left out of training: their " \
           "stored spectral vectors are damaged and their audio cannot" in both, both

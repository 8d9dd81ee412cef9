"""The training dock's evaluation table (overall / warm / cold, graph vs audio only) and its
model line, as the window shows them — decided without Qt."""

from __future__ import annotations

from musicsage.audio.embed_job import EmbedReport
from musicsage.controllers.evaluation import (EVAL_COLUMNS, MISSING, describe_model,
                                              evaluation_table)
from musicsage.controllers.summaries import describe_embed
from musicsage.usecases.embed_report import LibraryEmbedReport
from musicsage.usecases.inductive import InductiveReport


def block(g10, a10, gm, am, pairs):
    return {"graph": {"hr@10": g10, "hr@50": None, "mrr": gm},
            "audio": {"hr@10": a10, "hr@50": None, "mrr": am}, "pairs": pairs}


PROTOCOL_3 = dict(block(0.42, 0.30, 0.21, 0.15, 120),
                  warm=block(0.50, 0.31, 0.25, 0.16, 100),
                  cold=block(None, None, None, None, 0),
                  new_pairs=block(0.20, 0.28, 0.09, 0.14, 45), protocol={"version": 3})


def test_rows_are_overall_warm_cold_and_new_pairs_graph_against_audio():
    table = evaluation_table(PROTOCOL_3)
    assert [r.key for r in table.rows] == ["overall", "warm", "cold", "new_pairs"]
    assert [h for *_, h in EVAL_COLUMNS] == ["Graph HR@10", "Audio HR@10", "Graph MRR",
                                             "Audio MRR"]
    overall, warm, cold, new = table.rows
    assert overall.cells == ("0.420", "0.300", "0.210", "0.150")
    assert overall.better == (True, False, True, False)  # the graph model wins: in bold
    assert overall.label == "Overall (120)" and warm.label == "Warm (100)"
    assert warm.cells == ("0.500", "0.310", "0.250", "0.160")
    assert cold.cells == (MISSING,) * 4 and not any(cold.better)  # a split without cold pairs
    assert "without" in cold.tip and "pairs" in table.caption
    assert new.label == "New pairs (45)" and new.better == (False, False, False, False)
    assert "never in a training playlist with the query" in new.tip


def test_audio_winning_is_not_bold_and_odd_values_are_missing():
    metrics = dict(block(0.1, 0.2, float("nan"), 0.1, 10), warm="not a block", cold=None)
    overall, warm, cold, new = evaluation_table(metrics).rows
    assert overall.cells == ("0.100", "0.200", MISSING, "0.100")
    assert overall.better == (False, False, False, False)
    assert warm.cells == cold.cells == (MISSING,) * 4 and warm.pairs is None
    assert new.cells == (MISSING,) * 4  # an evaluation from before new pairs were counted


def test_before_any_training_every_cell_is_missing():
    table = evaluation_table(None)
    assert all(row.cells == (MISSING,) * 4 for row in table.rows)
    assert "after training" in table.caption


def test_the_evaluations_notes_are_shown_as_sentences():
    """One held-out pair gave 1.000 in every cell; the notes `train` prints ("only 1
    evaluation pair: too few …") never reached the window."""
    notes = ["the library is too small for the graph model to learn from: …",
             "only 1 evaluation pair: too few for these figures to mean much (one pair moves "
             "HR@K by 1.000)"]
    table = evaluation_table(dict(block(1.0, 1.0, 1.0, 1.0, 1), notes=notes,
                                  protocol={"version": 3}))
    assert table.notes == ("Note: the library is too small for the graph model to learn "
                           "from: ….\nNote: only 1 evaluation pair: too few for these "
                           "figures to mean much (one pair moves HR@K by 1.000).")
    assert evaluation_table(PROTOCOL_3).notes == evaluation_table(None).notes == ""
    assert evaluation_table(dict(PROTOCOL_3, notes="not a list")).notes == ""


def test_the_model_line_counts_tracks_it_did_not_see():
    assert "press Retrain" in describe_model(None)
    assert describe_model({"id": 3, "audio_model": "spectral", "unseen": 0, "inductive": 0}) \
        == "Model 3 on spectral — has seen every track in training."
    text = describe_model({"id": 3, "audio_model": "spectral", "unseen": 5, "inductive": 4})
    assert "5 tracks added or changed since training; 4 placed by the saved model" in text
    assert "Retrain to learn from their playlists" in text


def test_the_model_line_never_says_every_track_seen_of_tracks_without_its_vectors():
    """The line said "has seen every track" while new tracks had no spectral vector (the
    library embedded with MusiCNN since), and of a library left without any track."""
    lacking = describe_model({"id": 2, "audio_model": "spectral", "unseen": 0, "inductive": 0,
                              "seen": 72, "no_vector": 2})
    assert lacking == ("Model 2 on spectral — 2 tracks have no spectral vector: Compute "
                       "embeddings with Audio model ▸ Spectral (DSP) gives them one and a "
                       "graph vector.")
    both = describe_model({"id": 2, "audio_model": "spectral", "unseen": 3, "inductive": 3,
                           "seen": 72, "no_vector": 1})
    assert "3 tracks added or changed" in both and "1 track has no spectral vector" in both
    empty = describe_model({"id": 2, "audio_model": "spectral", "unseen": 0, "inductive": 0,
                            "seen": 0, "no_vector": 0})
    assert empty == "Model 2 on spectral — no track of the library has a spectral vector."


def test_the_embed_summary_says_what_the_graph_model_did():
    audio = EmbedReport("spectral-v1", "1", "cpu", embedded=4)
    placed = LibraryEmbedReport.of(audio, InductiveReport(3, unseen=4, embedded=4,
                                                          new_vectors=4))
    assert describe_embed(placed) == ("Embeddings computed with spectral-v1: 4 tracks; 4 tracks "
                                      "the graph model never saw got graph neighbours (model 3,"
                                      " no retraining)")
    # 7 graph vectors computed: the 2 new tracks', and again those of 5 an earlier run placed
    again = LibraryEmbedReport.of(audio, InductiveReport(3, unseen=7, embedded=7,
                                                         new_vectors=2))
    assert describe_embed(again).endswith("; 2 tracks the graph model never saw got graph "
                                          "neighbours (model 3, no retraining)")
    redone = LibraryEmbedReport.of(audio, InductiveReport(3, unseen=3, embedded=3))
    assert describe_embed(redone) == "Embeddings computed with spectral-v1: 4 tracks"
    broken = LibraryEmbedReport.of(audio, InductiveReport(3, unseen=4, note="new tracks get no "
                                                          "graph vectors: …"))
    assert describe_embed(broken).endswith(". New tracks get no graph vectors: …")
    assert LibraryEmbedReport.of(audio, None).as_dict()["graph"] is None
    nothing = EmbedReport("spectral-v1", "1", "cpu", embedded=0, total=0)
    assert describe_embed(LibraryEmbedReport.of(nothing, None)) == (
        "Nothing to compute: every track already has its embeddings with spectral-v1")


def test_the_watch_line_says_what_the_graph_model_placed():
    from musicsage.library.scan import ScanReport
    from musicsage.library.watch_apply import WatchReport

    audio = EmbedReport("spectral-v1", "1", "cpu", embedded=2)
    # 5 vectors computed: the 2 new tracks', and again those of 3 placed by an earlier batch
    graph = InductiveReport(3, unseen=5, embedded=5, new_vectors=2)
    report = WatchReport(scan=ScanReport(added=2), embed=LibraryEmbedReport.of(audio, graph))
    assert report.summary() == "2 new, 2 embedded, 2 placed by the graph model"
    assert report.to_dict()["embed"]["graph"]["new_vectors"] == 2
    again = InductiveReport(3, unseen=3, embedded=3, new_vectors=0)  # nothing placed anew
    assert WatchReport(scan=ScanReport(updated=1), embed=LibraryEmbedReport.of(
        EmbedReport("spectral-v1", "1", "cpu", embedded=1), again)).summary() == (
        "1 changed, 1 embedded")

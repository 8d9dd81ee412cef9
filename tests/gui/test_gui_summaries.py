"""The status-bar lines users read after a scan, an embedding run or a training run."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.gui.summaries import describe_embed, describe_scan, describe_training


def test_scan_summary_names_changes_problems_and_unresolved_entries():
    report = SimpleNamespace(added=3, updated=0, reappeared=1, missing=2, errors=["bad.mp3"],
                             playlists=[{"unresolved": ["a", "b"]}, {"unresolved": []}])
    assert describe_scan(report) == ("Scan finished: 3 added, 1 back, 2 missing, "
                                     "1 unreadable (see stats), 2 playlists imported "
                                     "(2 entries not found)")
    assert describe_scan({"added": 0, "errors": [], "playlists": []}) == (
        "Scan finished: nothing changed")


def test_embed_and_training_summaries():
    assert describe_embed({"model_id": "spectral-v1", "embedded": 12, "failed": 1}) == (
        "Embeddings computed with spectral-v1: 12 tracks, 1 failed")
    stopped_early = SimpleNamespace(steps=1200, seconds=61.4, best_step=800)
    assert describe_training(stopped_early) == (
        "Training finished: the new model is in use (1,200 steps, 61 s). "
        "Kept the weights of step 800, the best on validation.")
    assert describe_training({"steps": 50, "best_step": 50}) == (
        "Training finished: the new model is in use (50 steps).")

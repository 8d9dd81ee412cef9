"""Repairing a finished demo (some of its music deleted, or its state file unreadable) renders
and scans again what is gone, but keeps the graph model the library uses: a repair trained a
new model and made it current, replacing the one the user had chosen (``models --use``)."""

from __future__ import annotations

import json

import pytest

from musicsage.demo.library import MANIFEST, PLAYLIST_DIR
from musicsage.demo.state import STAGES, read_state, state_path
from musicsage.library.db import connect
from musicsage.usecases.demo import build_demo
from musicsage.usecases.library import library_stats
from musicsage.usecases.training import current_model_id

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def saved_models(ctx) -> int:
    return connect(ctx).execute("SELECT COUNT(*) FROM graph_models").fetchone()[0]


@pytest.mark.parametrize("damage", ["a track deleted", "state file unreadable"])
def test_a_repaired_demo_keeps_the_current_graph_model(ctx, damage):
    first = build_demo(ctx, n_tracks=8, **TINY)
    assert first.complete and current_model_id(ctx) is not None
    kept, models = current_model_id(ctx), saved_models(ctx)
    if damage == "a track deleted":
        files = json.loads((first.music_dir / MANIFEST).read_text(encoding="utf-8"))["files"]
        track = next(f for f in files if not f.startswith(PLAYLIST_DIR + "/"))
        (first.music_dir / track).unlink()
    else:
        path = state_path(ctx.data_dir)
        path.write_bytes(path.read_bytes()[:40])

    again = build_demo(ctx, **TINY)
    redrawn = ["audio_map", "map"] if again.stages["embed"]["embedded"] else []
    assert again.complete and list(again.stages) == ["generate", "scan", "embed", *redrawn], \
        "the music is rendered, scanned and embedded again (maps drawn anew for new vectors)"
    rendered = again.stages["generate"]["rendered"]
    assert rendered == (1 if damage == "a track deleted" else 0)
    assert again.stages["embed"]["embedded"] <= rendered
    assert current_model_id(ctx) == kept and saved_models(ctx) == models, \
        "the graph model the library uses stays current; no model is trained"
    assert library_stats(ctx).tracks.missing == 0
    assert len(again.notes) == 1 and f"graph model {kept} stays current" in again.notes[0]
    assert read_state(ctx.data_dir).done == list(STAGES)
    assert build_demo(ctx, **TINY).reused, "a repaired demo is a finished one"

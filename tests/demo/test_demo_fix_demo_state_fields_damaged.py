"""More damaged ``demo-state.json`` fields are an unreadable state file, resumed from the
music's manifest: a relative music folder sent the demo into the current folder; a
fingerprint null read as "None" (changed settings: the old demo removed, everything
rebuilt and retrained); a seed -1 refused a plain ``demo`` ("the demo's seed must be 0 or
more") for a seed the user never gave. And a damaged file's folder is still where the
manifest is looked for: a demo built in a folder the user chose was looked for only in
``DATA/demo-music`` — refused, with advice that built a second demo beside it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from musicsage.controllers.demo import recorded_for_open
from musicsage.demo.state import STAGES, read_state, state_path
from musicsage.errors import MusicsageError
from musicsage.usecases.demo import build_demo, demo_status

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def _damage(ctx, **fields) -> None:
    path = state_path(ctx.data_dir)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.update(fields)
    path.write_text(json.dumps(raw), encoding="utf-8")


def _unreadable_noted(report) -> bool:
    return any("could not be read" in note and "resuming" in note for note in report.notes)


def test_a_relative_music_folder_never_sends_the_music_into_the_current_folder(
        ctx, tmp_path, monkeypatch):
    build_demo(ctx, n_tracks=8, until="generate", **TINY)
    _damage(ctx, music_dir="demo-music", stages={})
    cwd = tmp_path / "current folder"
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    again = build_demo(ctx, until="scan", **TINY)

    assert not any(cwd.iterdir()), "nothing is written into the current folder"
    assert again.music_dir == ctx.data_dir / "demo-music" and _unreadable_noted(again)


def test_a_fingerprint_null_resumes_the_demo_without_rebuilding_or_retraining(ctx):
    built = build_demo(ctx, n_tracks=8, **TINY)
    model, fingerprint = built.stages["train"]["model_id"], read_state(ctx.data_dir).fingerprint
    _damage(ctx, fingerprint=None)

    again = build_demo(ctx, **TINY)

    assert _unreadable_noted(again) and f"graph model {model} stays current" in again.notes[0]
    assert again.stages["generate"]["rendered"] == 0, "no track rendered again"
    assert "train" not in again.stages, "not retrained"
    assert again.complete and read_state(ctx.data_dir).fingerprint == fingerprint


def test_a_negative_seed_in_the_file_is_no_seed_the_user_gave(ctx):
    build_demo(ctx, n_tracks=8, until="generate", **TINY)
    _damage(ctx, seed=-1)

    again = build_demo(ctx, until="scan", **TINY)

    assert again.seed == 0 and _unreadable_noted(again)


def test_a_damaged_stage_in_a_chosen_folder_resumes_there(ctx, tmp_path):
    mine = tmp_path / "MyDemo"
    build_demo(ctx, n_tracks=8, music_dir=mine, until="embed", **TINY)
    raw = json.loads(state_path(ctx.data_dir).read_text(encoding="utf-8"))
    _damage(ctx, stages={**raw["stages"], "embed": None})

    state, refused = recorded_for_open(ctx.data_dir, None)
    assert refused is None and state.music_dir == str(mine), "Open demo library resumes it"
    other = tmp_path / "Other"
    _, refused = recorded_for_open(ctx.data_dir, other)
    assert f"{other} holds no demo of this library" in refused, "a folder given is the one"
    with pytest.raises(MusicsageError, match=f"{other} holds no demo of this library"):
        build_demo(ctx, music_dir=other, **TINY)
    again = build_demo(ctx, **TINY)

    assert again.music_dir == mine and again.complete and _unreadable_noted(again)
    assert read_state(ctx.data_dir).done == list(STAGES) and demo_status(ctx).state == "ready"
    assert not (ctx.data_dir / "demo-music").exists(), "no second demo"
    with sqlite3.connect(ctx.db_path) as db:
        assert db.execute("select count(*) from tracks").fetchone()[0] == 8

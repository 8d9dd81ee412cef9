"""A ``demo-state.json`` that reads as JSON but is damaged (a stage recorded as
``null`` or a number, not its details) is an unreadable state file: the build crashed with a
traceback (``'NoneType' object has no attribute 'get'``) when it read the stage's details.
It now resumes the demo its music's manifest describes, and says so in one note."""

from __future__ import annotations

import json

import pytest

from musicsage.demo.state import STAGES, read_state, state_path
from musicsage.usecases.demo import build_demo

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


@pytest.mark.parametrize("damaged", [None, 3, "done", ["x"]])
def test_a_damaged_stage_is_an_unreadable_state_file(ctx, damaged):
    build_demo(ctx, n_tracks=8, until="embed", **TINY)
    path = state_path(ctx.data_dir)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["stages"]["embed"] = damaged
    path.write_text(json.dumps(raw), encoding="utf-8")

    again = build_demo(ctx, **TINY)

    assert again.complete and read_state(ctx.data_dir).done == list(STAGES)
    assert any("could not be read" in note and "resuming" in note for note in again.notes)
    assert path.with_name(path.name + ".unreadable").is_file(), "the damaged file is kept"


@pytest.mark.parametrize("damaged", [None, "", 7])
def test_a_damaged_music_folder_never_sends_the_music_into_the_current_folder(
        ctx, tmp_path, monkeypatch, damaged):
    """``"music_dir": null`` was read as a folder named "None" (``""``: ".") in the current
    folder — the home folder, for the window — and the build wrote the demo's music there."""
    build_demo(ctx, n_tracks=8, until="generate", **TINY)
    path = state_path(ctx.data_dir)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["music_dir"], raw["stages"] = damaged, {}
    path.write_text(json.dumps(raw), encoding="utf-8")
    cwd = tmp_path / "current folder"
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    again = build_demo(ctx, until="generate", **TINY)

    assert not any(cwd.iterdir()), "nothing is written into the current folder"
    assert again.music_dir == ctx.data_dir / "demo-music"
    assert any("could not be read" in note for note in again.notes)

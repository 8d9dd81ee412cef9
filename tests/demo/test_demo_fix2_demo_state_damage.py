"""A ``demo-state.json`` field damaged is an unreadable state file, resumed from the music's
manifest — never a reason to rebuild, retrain or refuse a plain ``demo``: a fingerprint ""
read as changed settings (the demo removed, rebuilt, retrained); stages null or [] read as
"nothing done" (every stage run again, retrained, no note); n_tracks 3 or seconds 0 refused
"the demo makes 8 to 20,000 tracks" for a value the user never gave. And a damaged state
file still claims the folder it names: another library adopted the folder and deleted the
demo this library lists as its music; so it did when the file was cut short (no folder in
it to read): the library the folder's manifest names still holds it."""

from __future__ import annotations

import json
import re

import pytest

from musicsage.context import AppContext
from musicsage.demo.library import MANIFEST
from musicsage.demo.state import read_state, state_path
from musicsage.errors import MusicsageError
from musicsage.usecases.demo import build_demo

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def _damage(ctx, **fields) -> None:
    path = state_path(ctx.data_dir)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.update(fields)
    path.write_text(json.dumps(raw), encoding="utf-8")


@pytest.mark.parametrize("fields", [
    {"fingerprint": ""}, {"fingerprint": "None"}, {"fingerprint": "E7DAA19069349463"},
    {"stages": None}, {"stages": []}, {"n_tracks": 0}, {"n_tracks": 3},
    {"n_tracks": 20_001}, {"seconds": 0}, {"seconds": -1.0}, {"seconds": 601},
    {"seconds": float("nan")}])
def test_a_field_no_build_writes_is_damage(ctx, fields):
    build_demo(ctx, n_tracks=8, until="generate", **TINY)
    assert read_state(ctx.data_dir) is not None
    _damage(ctx, **fields)
    assert read_state(ctx.data_dir) is None


@pytest.mark.parametrize("fields", [{"fingerprint": ""}, {"stages": None}, {"n_tracks": 3},
                                    {"seconds": 0}])
def test_a_damaged_field_resumes_the_demo_without_rebuilding_or_retraining(ctx, fields):
    built = build_demo(ctx, n_tracks=8, **TINY)
    model, recorded = built.stages["train"]["model_id"], read_state(ctx.data_dir)
    _damage(ctx, **fields)

    # a plain `demo`: no count or length given, so a damaged value is all there is to refuse
    again = build_demo(ctx, audio_model="spectral", train_steps=20, workers=1)

    assert "could not be read" in again.notes[0], "said, not silently redone"
    assert f"graph model {model} stays current" in again.notes[0]
    assert again.stages["generate"]["rendered"] == 0 and "train" not in again.stages
    now = read_state(ctx.data_dir)
    assert again.complete and (now.fingerprint, now.n_tracks, now.seconds) == (
        recorded.fingerprint, recorded.n_tracks, recorded.seconds)


@pytest.mark.parametrize("damage", ["seed -1", "cut short"])
def test_a_damaged_state_file_keeps_its_folder_from_another_library(tmp_path, damage):
    a, b, shared = tmp_path / "A", tmp_path / "B", tmp_path / "shared"
    ctx_a, ctx_b = AppContext.create(a), AppContext.create(b)
    build_demo(ctx_a, n_tracks=8, music_dir=shared, until="generate", **TINY)
    manifest = (shared / MANIFEST).read_text(encoding="utf-8")
    if damage == "seed -1":
        _damage(ctx_a, seed=-1)
    else:  # no folder to read in it: the manifest's library still holds its demo
        state_path(a).write_text(state_path(a).read_text(encoding="utf-8")[:40])
    assert read_state(a) is None

    with pytest.raises(MusicsageError, match=re.escape(f"the demo music of the library at {a}")):
        build_demo(ctx_b, n_tracks=8, seed=5, music_dir=shared, until="generate", **TINY)

    assert (shared / MANIFEST).read_text(encoding="utf-8") == manifest, "A's demo untouched"
    assert all((shared / name).is_file() for name in json.loads(manifest)["files"])
    if damage == "seed -1":
        assert build_demo(ctx_a, until="generate", **TINY).music_dir == shared, "A resumes it"
    assert build_demo(ctx_a, music_dir=shared, until="generate", **TINY).music_dir == shared

"""A ``demo-state.json`` whose fields are each valid but disagree in part with the manifest
its demo wrote (a count, seed or length that is not what its fingerprint plans, a fingerprint
the settings do not plan) is damaged, resumed from the manifest: it was taken for changed
settings, so a plain ``demo`` deleted the demo, rendered it again and retrained. A state that
differs from the manifest in every way is a change of settings a build stopped in: kept."""

from __future__ import annotations

import json

import pytest

from musicsage.demo.library import plan_demo
from musicsage.demo.state import read_state, state_path
from musicsage.usecases.demo import build_demo

SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)
PLAIN = dict(audio_model="spectral", train_steps=20, workers=1)


def _rewrite(ctx, **fields) -> None:
    path = state_path(ctx.data_dir)
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**raw, **fields}), encoding="utf-8")


@pytest.mark.parametrize("fields", [{"n_tracks": 9}, {"seed": 3}, {"seconds": 2.0},
                                    {"fingerprint": "0000000000000000"}])
def test_a_state_disagreeing_with_its_manifest_is_resumed_not_rebuilt(ctx, fields):
    built = build_demo(ctx, **SMALL)
    model, recorded = built.stages["train"]["model_id"], read_state(ctx.data_dir)
    _rewrite(ctx, **fields)
    assert read_state(ctx.data_dir) is not None, "each field valid on its own"

    again = build_demo(ctx, **PLAIN)

    assert "could not be read" in again.notes[0], "said, not silently redone"
    assert f"graph model {model} stays current" in again.notes[0]
    assert again.stages["generate"]["rendered"] == 0 and "train" not in again.stages
    now = read_state(ctx.data_dir)
    assert (now.fingerprint, now.n_tracks, now.seed, now.seconds) == (
        recorded.fingerprint, recorded.n_tracks, recorded.seed, recorded.seconds)


def test_a_change_of_settings_a_build_stopped_in_is_no_damage(ctx):
    build_demo(ctx, until="generate", **SMALL)
    new = plan_demo(9, seed=0, seconds=1.0)  # recorded, then the build was killed
    _rewrite(ctx, n_tracks=9, fingerprint=new.fingerprint, stages={})

    again = build_demo(ctx, until="generate", **PLAIN)

    assert not any("could not be read" in note for note in again.notes)
    assert read_state(ctx.data_dir).fingerprint == new.fingerprint
    assert again.stages["generate"]["rendered"] == 9

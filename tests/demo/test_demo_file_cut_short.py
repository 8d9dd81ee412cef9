"""A demo track cut short (a copy stopped half-way, an editor that emptied it) is no finished
demo: the window resumes the build, which renders that file again — even when the repair
itself is stopped before it gets there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import soundfile as sf

from musicsage.demo import library as demo_library
from musicsage.demo.library import MANIFEST
from musicsage.usecases.demo import build_demo, demo_status
from musicsage.usecases.library import library_stats

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def first_track(music: Path) -> Path:
    name = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"][0]
    return music.joinpath(*name.split("/"))


def cut_short(path: Path) -> int:
    """Keep the first kilobyte of ``path``, as a copy stopped early would; its frames before."""
    frames = sf.info(path).frames
    with open(path, "r+b") as f:
        f.truncate(1024)
    return frames


def whole(path: Path) -> int:
    """The frames ``path`` decodes to, all of them read (a cut file fails or comes short)."""
    return len(sf.read(path)[0])


def test_a_track_cut_short_is_rendered_again(ctx):
    built = build_demo(ctx, **TINY)
    track = first_track(built.music_dir)
    frames = cut_short(track)

    assert demo_status(ctx).state == "partial", "a demo with a broken file is not ready"
    again = build_demo(ctx, **TINY)
    assert again.stages["generate"]["rendered"] == 1
    assert whole(track) == frames, "the same track, whole again"
    assert len(again.notes) == 1 and "cut short" in again.notes[0]
    stats = library_stats(ctx)
    assert stats.errors == 0 and stats.tracks.total == 8
    assert demo_status(ctx).state == "ready"


def test_a_repair_stopped_before_the_track_still_renders_it_next_time(ctx, monkeypatch):
    built = build_demo(ctx, until="generate", **TINY)
    track = first_track(built.music_dir)
    frames = cut_short(track)

    def stopped(*_args, **_kwargs):
        raise KeyboardInterrupt  # Ctrl-C before the first file of the repair is written

    with monkeypatch.context() as patch:
        patch.setattr(demo_library, "write_track", stopped)
        with pytest.raises(KeyboardInterrupt):
            build_demo(ctx, until="generate", **TINY)
    assert os.path.getsize(track) == 1024
    again = build_demo(ctx, until="generate", **TINY)
    assert again.stages["generate"]["rendered"] == 1
    assert whole(track) == frames

"""A file dated past the year 2262 (a camera's clock, ``touch -d 2400-01-01``): the library
stores its mtime wrapped to fit SQLite, but its tags were compared and kept with the raw one,
so it looked changed on every selection (tagged again each time) and ``tags --library`` died
with an OverflowError on it, the whole run lost."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.usecases.tags import tag_library, track_tags_of


@pytest.fixture
def far_future_track(ctx, tmp_path, monkeypatch):
    import musicsage.audio.musicnn.tagger as tagger_mod

    calls: list[str] = []
    monkeypatch.setattr(tagger_mod, "tag_probabilities",
                        lambda _ctx, fs_path, model, **_kw: calls.append(fs_path) or
                        [("rock", 0.9)])
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=1.0, freq=330)
    when = (2**63 // 10**9 + 10**8) * 10**9  # about the year 2609
    try:
        os.utime(music / "a.wav", ns=(when, when))
    except (OSError, OverflowError) as exc:
        pytest.skip(f"this file system cannot date a file past 2262: {exc}")
    if os.stat(music / "a.wav").st_mtime_ns < 2**63:
        pytest.skip("this file system cannot date a file past 2262")
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    return calls


def test_its_tags_are_kept_once(ctx, far_future_track):
    assert track_tags_of(ctx, 1, top=1)[0].tag == "rock"
    assert track_tags_of(ctx, 1, top=1)[0].tag == "rock"
    assert len(far_future_track) == 1


def test_tags_library_tags_it_and_keeps_the_tags(ctx, far_future_track):
    report = tag_library(ctx)
    assert (report.tagged, report.known, report.failed) == (1, 0, [])
    assert (tag_library(ctx).tagged, tag_library(ctx).known) == (0, 1)

"""build_demo end to end at test size: the stages run through the real use cases, the state is
recorded, a cancelled build resumes where it stopped, and a finished demo is reused."""

from __future__ import annotations

import time

import pytest

from musicsage.demo.state import STAGES
from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken
from musicsage.usecases.demo import build_demo, demo_dir, demo_status
from musicsage.usecases.library import library_stats
from musicsage.usecases.search import cached_map, similar_tracks
from musicsage.usecases.training import current_graph_model

SMALL = dict(n_tracks=24, seconds=2.0, audio_model="spectral", train_steps=60, workers=1)


def test_status_of_a_library_without_demo(ctx):
    status = demo_status(ctx)
    assert status.state == "absent" and status.next_stage == "generate"
    assert status.music_dir == ctx.data_dir / "demo-music" == demo_dir(ctx)


def test_until_scan_builds_a_browsable_library(ctx):
    seen = []
    rep = build_demo(ctx, until="scan", progress=seen.append, **SMALL)
    assert list(rep.stages) == ["generate", "scan"] and not rep.complete
    assert rep.stages["scan"]["added"] == 24 and rep.stages["scan"]["unresolved"] == 0
    stats = library_stats(ctx)
    assert stats.tracks.present == 24 and stats.playlists.total == rep.n_playlists
    assert {p.stage for p in seen} == {"generate", "scan"}
    assert all(p.extra["demo_stages"] == len(STAGES) for p in seen)
    status = demo_status(ctx)
    assert status.state == "partial" and status.next_stage == "embed"
    assert status.stages_done == ["generate", "scan"]


def test_cancelled_build_resumes_at_the_unfinished_stage(ctx):
    token = CancelToken()

    def progress(p):
        if p.stage == "embed" and p.done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):
        build_demo(ctx, until="embed", progress=progress, cancel=token, **SMALL)
    status = demo_status(ctx)
    assert status.state == "partial" and status.next_stage == "embed"
    embedded_before = library_stats(ctx).embeddings.get("spectral", 0)
    assert 3 <= embedded_before < 24

    rep = build_demo(ctx, until="embed", **SMALL)
    assert list(rep.stages) == ["embed"], "generate and scan must not run again"
    assert rep.stages["embed"]["embedded"] == 24 - embedded_before
    assert library_stats(ctx).embeddings["spectral"] == 24


def test_bad_parameters_are_one_line_errors(ctx, tmp_path):
    for n in (3, 0, 20_001):  # 0 is a number, not "the default"
        with pytest.raises(MusicsageError, match="the demo makes 8 to 20,000 tracks"):
            build_demo(ctx, n_tracks=n)
    with pytest.raises(MusicsageError, match="unknown demo stage"):
        build_demo(ctx, until="dance", **SMALL)
    own = tmp_path / "My Music"
    own.mkdir()
    (own / "song.mp3").write_bytes(b"mine")
    with pytest.raises(MusicsageError, match="not empty"):
        build_demo(ctx, music_dir=own, **SMALL)
    assert demo_status(ctx).state == "absent", "a refused folder must not be recorded"
    assert [p.name for p in own.iterdir()] == ["song.mp3"]


@pytest.mark.slow  # trains a graph model and compiles UMAP (numba) on first use
def test_full_demo_is_built_then_reused(ctx):
    options = {**SMALL, "n_tracks": 72, "seconds": 1.5}
    seen = []
    rep = build_demo(ctx, progress=seen.append, **options)
    assert rep.complete and not rep.skipped and list(rep.stages) == list(STAGES)
    assert demo_status(ctx).state == "ready"
    assert current_graph_model(ctx) is not None
    for space in ("graph", "audio"):
        points = cached_map(ctx, space)
        assert points is not None and len(points.track_ids) == 72
    result = similar_tracks(ctx, int(points.track_ids[0]), k=5)
    assert len(result.graph) == 5 and len(result.audio) == 5
    assert any("loss" in p.extra for p in seen if p.stage == "train")

    started = time.perf_counter()
    again = build_demo(ctx, **options)
    assert again.reused and again.complete and again.stages == {}
    assert time.perf_counter() - started < 2.0
    # what the window calls on a later launch: no parameters -> the demo that is there
    plain = build_demo(ctx)
    assert plain.reused and plain.n_tracks == 72 and plain.stages == {}

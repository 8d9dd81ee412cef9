"""The embed job and the audio use cases: batching, errors, staleness, cancel, resume after kill."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.embedder import get_embedder
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.errors import Cancelled
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, get_setting, list_errors
from musicsage.progress import CancelToken
from musicsage.usecases.embedding import (audio_embeddings, current_audio_model_id,
                                          default_audio_model, embed_library)


def make_track(path: Path, seed: int, seconds: float = 3.0, sr: int = 22050) -> Path:
    """A short distinct sound: a chord of random partials with a random pulse rate."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sr)) / sr
    pulse = 0.5 + 0.5 * np.sign(np.sin(2 * np.pi * rng.uniform(1, 4) * t))
    x = sum(np.sin(2 * np.pi * f * t) for f in rng.uniform(100, 3000, 3)) * pulse / 3
    x += 0.01 * rng.standard_normal(t.size)
    sf.write(path, (0.5 * x).astype(np.float32), sr)
    return path


def add_tracks(ctx, paths) -> list[int]:
    conn = connect(ctx)
    ids = []
    for p in paths:
        cur = conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(p), Path(p).stem))
        ids.append(cur.lastrowid)
    return ids


@pytest.fixture
def library(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    paths = [make_track(music / f"t{i}.flac", i) for i in range(5)]
    (music / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    ids = add_tracks(ctx, paths + [music / "broken.wav"])
    return ctx, paths, ids


def test_spectral_job_embeds_every_track_and_records_failures(library):
    ctx, paths, ids = library
    seen = []
    rep = embed_library(ctx, "spectral", progress=seen.append)
    assert (rep.total, rep.embedded, rep.failed) == (6, 5, 1)
    track_ids, matrix = get_embeddings(connect(ctx), "spectral")
    assert list(track_ids) == ids[:5] and matrix.shape == (5, SpectralEmbedder().dim)
    errors = list_errors(connect(ctx), "embed:spectral")
    assert [e["track_id"] for e in errors] == [ids[5]] and "broken.wav" in errors[0]["message"]
    assert seen[-1].done == 6 and seen[-1].total == 6
    flags = dict(connect(ctx).execute("SELECT id, needs_analysis FROM tracks").fetchall())
    assert flags == {**{i: 0 for i in ids[:5]}, ids[5]: 1}
    # Nothing left to do; the broken file is retried (and still fails) on the next run.
    again = embed_library(ctx, "spectral")
    assert (again.total, again.embedded, again.failed) == (1, 0, 1)
    assert current_audio_model_id(ctx) == "spectral"
    got = audio_embeddings(ctx)
    assert got is not None and list(got[0]) == ids[:5]


def test_fixed_file_clears_its_error(library):
    ctx, paths, ids = library
    embed_library(ctx, "spectral")
    make_track(Path(paths[0]).parent / "broken.wav", 99)
    rep = embed_library(ctx, "spectral")
    assert (rep.total, rep.embedded, rep.failed) == (1, 1, 0)
    assert list_errors(connect(ctx), "embed:spectral") == []


def test_policy_change_makes_vectors_stale(library):
    ctx, _, _ = library
    first = embed_library(ctx, "spectral", max_seconds=2)
    second = embed_library(ctx, "spectral", max_seconds=1)
    assert first.model_version != second.model_version
    assert second.embedded == 5  # all recomputed under the new policy
    conn = connect(ctx)
    versions = {r[0] for r in conn.execute("SELECT model_version FROM audio_embeddings")}
    assert versions == {second.model_version}


def test_a_plain_embed_keeps_the_budget_the_library_was_analysed_with(library):
    """The demo analyses 6-s excerpts; a later plain `embed` (a new file, the folder watch)
    used the default budget, a new vector version, and so redid every track — replacing the
    trained graph vectors with inductive ones."""
    ctx, paths, _ = library
    first = embed_library(ctx, "spectral", max_seconds=2)
    again = embed_library(ctx, "spectral")
    assert (again.total, again.embedded) == (1, 0)  # only broken.wav is retried
    assert again.model_version == first.model_version
    add_tracks(ctx, [make_track(Path(paths[0]).parent / "new.flac", 7)])
    new = embed_library(ctx, "spectral")  # the new track (and broken.wav, retried)
    assert (new.total, new.embedded, new.model_version) == (2, 1, first.model_version)
    # a budget given changes it, and is kept in turn
    other = embed_library(ctx, "spectral", max_seconds=1)
    assert other.model_version != first.model_version and other.embedded == 6
    assert embed_library(ctx, "spectral").model_version == other.model_version


def test_cancel_keeps_finished_tracks(library):
    ctx, _, _ = library
    token = CancelToken()
    embedder = SpectralEmbedder()
    embedder.batch_size = 1  # one track per batch, so cancel lands between tracks

    def progress(p):
        if p.done >= 2:
            token.cancel()

    with pytest.raises(Cancelled, match="finished tracks are kept"):
        run_embed_job(ctx, embedder, workers=1, prefetch=1, progress=progress, cancel=token)
    done = len(get_embeddings(connect(ctx), "spectral")[0])
    assert 1 <= done < 5
    rep = run_embed_job(ctx, SpectralEmbedder())
    assert rep.embedded + done == 5


def _waits_for_another_run(reports) -> bool:
    return any("another embedding run of this library is running" in p.message
               and "waiting" in p.message for p in reports)


def test_a_second_embedding_run_waits_for_the_first_and_does_only_what_it_left(library):
    """The window's "Compute embeddings" and a terminal's ``embed`` on one library: the second
    run says it waits, waits, then lists only the tracks the first left (here the broken
    file, which failed), instead of embedding every track a second time."""
    ctx, _, _ = library
    first_started, let_first_go = threading.Event(), threading.Event()
    reports: dict[str, list] = {"first": [], "second": []}
    results: dict[str, object] = {}

    def first_progress(p):  # holds the first run (and its lock) at its first report
        reports["first"].append(p)
        first_started.set()
        let_first_go.wait(60)

    def run(name, progress):
        results[name] = embed_library(ctx, "spectral", progress=progress)

    first = threading.Thread(target=run, args=("first", first_progress))
    second = threading.Thread(target=run, args=("second", reports["second"].append))
    first.start()
    assert first_started.wait(60)
    second.start()
    deadline = time.monotonic() + 60
    while not _waits_for_another_run(reports["second"]) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _waits_for_another_run(reports["second"]) and second.is_alive()
    let_first_go.set()
    first.join(120)
    second.join(120)
    one, two = results["first"], results["second"]
    assert (one.total, one.embedded, one.failed) == (6, 5, 1)
    assert (two.total, two.embedded, two.failed) == (1, 0, 1)
    assert len(get_embeddings(connect(ctx), "spectral")[0]) == 5


def test_openl3_job_batches_frames_across_tracks(ctx, tmp_path):
    music = tmp_path / "m"
    music.mkdir()
    ids = add_tracks(ctx, [make_track(music / f"o{i}.wav", i, seconds=2.5) for i in range(3)])
    embedder = get_embedder("openl3-mel128-music-512", ctx, random_weights=True,
                            max_seconds=2.0, n_excerpts=1, hop=1.0, device="cpu")
    embedder.batch_size = 4  # 2 frames per track: batches span tracks
    calls = []
    infer = embedder.infer
    embedder.infer = lambda units: calls.append(len(units)) or infer(units)
    rep = run_embed_job(ctx, embedder, workers=2)
    assert rep.embedded == 3 and "random-weights" in rep.model_version
    assert sum(calls) == 6 and max(calls) <= 4
    track_ids, matrix = get_embeddings(connect(ctx), embedder.model_id)
    assert list(track_ids) == ids and matrix.shape == (3, 512)
    # Each stored vector is the mean of that track's L2-normalised frame embeddings.
    from musicsage.audio import decode

    frames = embedder.prepare(decode.read_spans(music / "o1.wav",
                                                embedder.spans(2.5), sr=48000))
    e = embedder.infer(frames)
    want = (e / np.linalg.norm(e, axis=1, keepdims=True)).mean(0)
    assert np.allclose(matrix[1], want, atol=1e-4)


def test_default_model_and_why(ctx, tmp_path, monkeypatch):
    from musicsage.audio import selection
    from musicsage.context import AppContext

    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: tmp_path / "none"))
    family, reason = selection.choose_default_model(ctx)
    assert default_audio_model(ctx) == family
    assert family in ("musicnn", "spectral") and "openl3" in reason
    # With OpenL3 weights configured, openl3 wins.
    from audio_keras_files import keras_layers, write_keras_h5

    write_keras_h5(tmp_path / "w.h5", keras_layers(np.random.default_rng(0)))
    from musicsage.library.queries import set_setting

    set_setting(connect(ctx), "openl3_weights", str(tmp_path / "w.h5"))
    assert default_audio_model(ctx) == "openl3"


def test_openl3_weights_option_is_remembered(ctx, tmp_path, monkeypatch):
    from audio_keras_files import keras_layers, write_keras_h5
    from musicsage.context import AppContext

    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: tmp_path / "models"))
    write_keras_h5(tmp_path / "w.h5", keras_layers(np.random.default_rng(0)))
    rep = embed_library(ctx, "openl3", openl3_weights=str(tmp_path / "w.h5"))
    assert rep.total == 0 and rep.model_id == "openl3-mel256-music-512"
    assert get_setting(connect(ctx), "openl3_weights") == {  # per variant: see test_embedders_s60
        "mel256_music": str((tmp_path / "w.h5").resolve())}


def test_cli_embed_json(data_dir, tmp_path, capsys):
    from musicsage import cli
    from musicsage.context import AppContext

    ctx = AppContext.create(data_dir)
    add_tracks(ctx, [make_track(tmp_path / "a.wav", 1), make_track(tmp_path / "b.wav", 2)])
    assert cli.main(["embed", "--data-dir", str(data_dir), "--model", "spectral", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model_id"] == "spectral" and out["embedded"] == 2 and out["failed"] == 0
    assert cli.main(["embed", "--data-dir", str(data_dir), "--model", "spectral"]) == 0
    text = capsys.readouterr().out
    assert text == "nothing to embed: every track with an audio file has a spectral vector\n"


@pytest.mark.parametrize("json_out", [False, True])
def test_tracks_forgotten_while_they_were_analysed_are_not_counted_as_embedded(
        data_dir, tmp_path, monkeypatch, capsys, json_out):
    """``forget`` of a folder while ``embed`` analysed its tracks: storing their vectors
    failed on the missing tracks, or the run said "embedded 72" when none was stored. The
    forget is injected between computing the vectors and storing them; the run stores what
    is still in the library and says how many were removed meanwhile."""
    import contextlib

    from musicsage import cli
    from musicsage.audio import embed_job
    from musicsage.context import AppContext
    from musicsage.library import forget as forget_mod
    from musicsage.library.scan import resolve_roots, scan_roots

    ctx = AppContext.create(data_dir)
    kept, gone = tmp_path / "kept", tmp_path / "gone"
    kept.mkdir()
    gone.mkdir()
    make_track(kept / "k.wav", 1)
    for i in range(3):
        make_track(gone / f"g{i}.wav", 10 + i)
    scan_roots(connect(ctx), resolve_roots([str(kept), str(gone)]))
    # the forget of another process, which waits for the embed lock, here runs meanwhile
    monkeypatch.setattr(forget_mod, "library_lock", lambda *a, **k: contextlib.nullcontext())
    real = embed_job._infer_and_pool
    forgotten = []

    def infer_then_forget(embedder, batch):
        out = real(embedder, batch)
        if not forgotten:
            forgotten.append(forget_mod.forget_root(connect(ctx), str(gone)))
        return out

    monkeypatch.setattr(embed_job, "_infer_and_pool", infer_then_forget)
    argv = ["embed", "--data-dir", str(data_dir), "--model", "spectral"]
    assert cli.main(argv + (["--json"] if json_out else [])) == 0
    out = capsys.readouterr().out
    ids, _ = get_embeddings(connect(ctx), "spectral")
    assert len(ids) == 1 and forgotten[0].tracks == 3
    assert list_errors(connect(ctx)) == []
    if json_out:
        rep = json.loads(out)
        assert (rep["total"], rep["embedded"], rep["failed"], rep["gone"], rep["remaining"]) \
            == (4, 1, 0, 3, 0)
    else:
        assert ("embedded 1 of 4 tracks needing it, 0 failed" in out
                and "; 3 were removed from the library meanwhile (a music folder forgotten), "
                    "so not stored" in out), out


# kill -9 mid-embed: tests/robustness/test_kill.py.

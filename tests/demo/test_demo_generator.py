"""The demo library generator at test size: reproducible, real tagged files, playlists that
resolve, styles that sound different, resumable and careful with folders it does not own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.demo.library import (MANIFEST, PLAYLIST_DIR, generate_demo, plan_demo,
                                    render_track, write_track)
from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken

N_TRACKS = 24
SECONDS = 3.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, object]:
    """One small demo library, generated once for the module."""
    music = tmp_path_factory.mktemp("demo") / "music"
    generate_demo(music, n_tracks=N_TRACKS, seed=7, seconds=SECONDS, workers=1)
    return music, plan_demo(N_TRACKS, seed=7, seconds=SECONDS)


def test_plan_is_a_function_of_the_seed():
    a, b = plan_demo(N_TRACKS, seed=7, seconds=SECONDS), plan_demo(N_TRACKS, seed=7, seconds=SECONDS)
    other = plan_demo(N_TRACKS, seed=8, seconds=SECONDS)
    assert [t.relpath for t in a.tracks] == [t.relpath for t in b.tracks]
    assert [p.tracks for p in a.playlists] == [p.tracks for p in b.playlists]
    assert a.fingerprint == b.fingerprint != other.fingerprint
    assert [t.relpath for t in a.tracks] != [t.relpath for t in other.tracks]
    assert len(a.tracks) == N_TRACKS and len({t.relpath for t in a.tracks}) == N_TRACKS


def test_same_seed_gives_identical_audio(demo, tmp_path):
    """Samples are identical for every format; FLAC and MP3 files are byte-identical too (Ogg
    streams carry a random serial number)."""
    plan = plan_demo(60, seed=1, seconds=1.0)
    by_format = {}
    for t in plan.tracks:
        by_format.setdefault(t.format, t)
    assert set(by_format) == {"flac", "ogg", "mp3"}
    for fmt, track in by_format.items():
        write_track(tmp_path / "a", track)
        write_track(tmp_path / "b", track)
        first, sr = sf.read(tmp_path / "a" / track.relpath, dtype="float32")
        again, _ = sf.read(tmp_path / "b" / track.relpath, dtype="float32")
        assert sr == plan.sample_rate and len(first) > 0.9 * sr * track.duration
        np.testing.assert_array_equal(again, first, err_msg=f"{fmt} audio differs between runs")
        if fmt in ("flac", "mp3"):
            assert (tmp_path / "a" / track.relpath).read_bytes() == (tmp_path / "b" / track.relpath).read_bytes()
    # and the module's demo, generated earlier, matches a fresh render of its first track
    music, small = demo
    write_track(tmp_path / "c", small.tracks[0])
    np.testing.assert_array_equal(sf.read(tmp_path / "c" / small.tracks[0].relpath)[0],
                                  sf.read(music / small.tracks[0].relpath)[0])
    np.testing.assert_array_equal(render_track(small.tracks[1]), render_track(small.tracks[1]))


def test_files_are_readable_tagged_audio(demo):
    from musicsage.library.tags import probe

    music, plan = demo
    formats = set()
    for t in plan.tracks:
        info = probe(str(music / t.relpath))
        formats.add(info.format)
        assert info.tags["title"] == t.title and info.tags["artist"] == t.artist
        assert info.tags["album"] == t.album and info.tags["genre"] == t.genre
        assert info.tags["track_number"] == t.track_number and info.tags["year"] == t.year
        assert info.sample_rate == plan.sample_rate and info.channels == 1
        assert abs(info.duration - t.duration) < 0.15, t.relpath
        samples, _ = sf.read(music / t.relpath, dtype="float32")
        rms = float(np.sqrt(np.mean(samples ** 2)))
        assert 0.01 < rms < 0.5 and np.abs(samples).max() <= 1.0, f"{t.relpath}: level {rms}"
    assert formats <= {"flac", "ogg", "mp3"} and len(formats) >= 2
    # albums belong to one artist; artists mostly keep one style
    album_artists = {}
    for t in plan.tracks:
        album_artists.setdefault((t.artist, t.album), set()).add(t.artist)
    assert all(len(v) == 1 for v in album_artists.values())


def test_playlists_resolve_fully_when_scanned(demo, ctx):
    from musicsage.usecases.library import library_stats, scan_library

    music, plan = demo
    rep = scan_library(ctx, [str(music)], [str(music / PLAYLIST_DIR)])
    assert rep.added == N_TRACKS and not rep.errors
    assert len(rep.playlists) == len(plan.playlists)
    for pl in rep.playlists:
        assert pl.error is None and not pl.unresolved, (pl.path, pl.unresolved)
    stats = library_stats(ctx)
    assert stats.playlists.unresolved == 0
    assert stats.playlists.entries == sum(len(p.tracks) for p in plan.playlists)
    written = {p.suffix for p in (music / PLAYLIST_DIR).iterdir()}
    assert written == {".m3u8", ".xspf"} or len(plan.playlists) < 4


def test_playlist_files_use_relative_and_absolute_paths(tmp_path):
    plan = plan_demo(60, seed=1, seconds=1.0)
    assert {p.absolute for p in plan.playlists} == {True, False}
    assert {p.format for p in plan.playlists} == {"m3u8", "xspf"}
    from musicsage.demo.library import write_playlists

    write_playlists(tmp_path, plan)
    rel = next(p for p in plan.playlists if p.format == "xspf" and not p.absolute)
    text = (tmp_path / rel.relpath).read_text(encoding="utf-8")
    assert "<location>../" in text and "file://" not in text
    ab = next(p for p in plan.playlists if p.format == "m3u8" and p.absolute)
    lines = [ln for ln in (tmp_path / ab.relpath).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    assert all(ln.startswith(str(tmp_path)) for ln in lines)


def test_playlists_follow_hidden_scenes_across_styles():
    """Scene playlists mix styles (audio alone cannot explain them) but stay in one scene."""
    plan = plan_demo(240, seed=0)
    scene_lists = [p for p in plan.playlists if p.kind == "scene"]
    assert len(plan.playlists) >= 24 and len(scene_lists) >= 10
    for p in scene_lists:
        members = [plan.tracks[i] for i in p.tracks]
        main_scene = max({t.scene for t in members}, key=[t.scene for t in members].count)
        share = np.mean([t.scene == main_scene for t in members])
        assert share >= 0.75, p.name
    styles_per_scene = [len({t.style for t in plan.tracks if t.scene == s}) for s in range(len(plan.scenes))]
    assert min(styles_per_scene) >= 3
    kinds = {p.kind for p in plan.playlists}
    assert {"scene", "pair", "style", "era"} <= kinds


def _features(x: np.ndarray, sr: int) -> np.ndarray:
    """Log spectral centroid, loudness (dB) and onset rate (spectral-flux peaks per second)."""
    n_fft, hop = 1024, 512
    frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    mag = np.abs(np.fft.rfft(x[idx] * np.hanning(n_fft), axis=1))
    freqs = np.fft.rfftfreq(n_fft, 1 / sr)
    centroid = np.median((mag * freqs).sum(1) / (mag.sum(1) + 1e-9))
    flux = np.maximum(0, np.diff(np.log1p(mag), axis=0)).sum(1)
    peaks = (flux[1:-1] > flux[:-2]) & (flux[1:-1] >= flux[2:]) & (flux[1:-1] > np.median(flux) * 1.5)
    rms = 20 * np.log10(np.sqrt(np.mean(x ** 2)) + 1e-9)
    return np.array([np.log(centroid), rms / 10.0, peaks.sum() / (len(x) / sr)])


def test_styles_differ_measurably():
    """Two artists per style: their tracks are told apart by three simple audio statistics
    far better than chance, and the extremes are ordered as a listener would expect."""
    from musicsage.demo.compose import artist_sound, compose
    from musicsage.demo.render import render
    from musicsage.demo.styles import STYLES

    sr = 22050
    feats, labels = [], []
    for s, style in enumerate(STYLES):
        for k in range(2):
            rng = np.random.default_rng([s, k])
            score = compose(style, artist_sound(style, rng), rng, duration=4.0)
            feats.append(_features(render(score, style, sr=sr, rng=rng), sr))
            labels.append(style.key)
    f = np.array(feats)
    z = (f - f.mean(0)) / f.std(0)
    d = np.linalg.norm(z[:, None] - z[None], axis=2)
    np.fill_diagonal(d, np.inf)
    hits = np.mean([labels[int(np.argmin(row))] == lab for row, lab in zip(d, labels)])
    assert hits >= 0.35, f"1-NN style accuracy {hits:.2f} (chance {1 / len(STYLES):.2f})"
    by = {lab: f[[i for i, x in enumerate(labels) if x == lab]].mean(0) for lab in set(labels)}
    assert by["ambient"][0] < by["techno"][0], "ambient should be darker than techno"
    assert by["ambient"][1] < by["techno"][1], "ambient should be quieter than techno"
    assert by["drum_and_bass"][2] > by["ambient"][2], "drum & bass should have more onsets than ambient"


@pytest.mark.parametrize("workers", [1, 2])
def test_generation_resumes_after_cancel(tmp_path, workers):
    music = tmp_path / "music"
    token = CancelToken()
    seen = []

    def progress(p):
        seen.append(p.done)
        if p.done >= 4:
            token.cancel()

    with pytest.raises(Cancelled):
        generate_demo(music, n_tracks=10, seed=2, seconds=1.0, workers=workers, progress=progress,
                      cancel=token)
    manifest = json.loads((music / MANIFEST).read_text())
    assert manifest["complete"] is False
    written = [p for p in music.rglob("*") if p.suffix in (".flac", ".ogg", ".mp3")]
    assert 4 <= len(written) < 10
    assert not list(music.rglob("*.part"))
    rep = generate_demo(music, n_tracks=10, seed=2, seconds=1.0, workers=1)
    assert rep.rendered == 10 - len(written)
    assert json.loads((music / MANIFEST).read_text())["complete"] is True
    again = generate_demo(music, n_tracks=10, seed=2, seconds=1.0, workers=1)
    assert again.rendered == 0


def test_parallel_generation_matches_serial(tmp_path):
    serial, parallel = tmp_path / "a", tmp_path / "b"
    generate_demo(serial, n_tracks=8, seed=4, seconds=1.0, workers=1)
    generate_demo(parallel, n_tracks=8, seed=4, seconds=1.0, workers=2)
    for t in plan_demo(8, seed=4, seconds=1.0).tracks:
        a, _ = sf.read(serial / t.relpath, dtype="float32")
        b, _ = sf.read(parallel / t.relpath, dtype="float32")
        np.testing.assert_array_equal(a, b)


def test_refuses_a_folder_that_is_not_a_demo(tmp_path):
    (tmp_path / "my music").mkdir()
    mine = tmp_path / "my music" / "song.flac"
    mine.write_bytes(b"not really audio")
    with pytest.raises(MusicsageError, match="not empty"):
        generate_demo(tmp_path / "my music", n_tracks=8, seconds=1.0)
    assert mine.read_bytes() == b"not really audio"


def test_other_parameters_replace_only_the_old_demo_files(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, n_tracks=8, seed=0, seconds=1.0, workers=1)
    old = [t.relpath for t in plan_demo(8, seed=0, seconds=1.0).tracks]
    note = music / "notes.txt"
    note.write_text("mine")
    generate_demo(music, n_tracks=8, seed=1, seconds=1.0, workers=1)
    new = {t.relpath for t in plan_demo(8, seed=1, seconds=1.0).tracks}
    assert note.read_text() == "mine"
    assert all((music / rel).is_file() for rel in new)
    assert not any((music / rel).exists() for rel in old if rel not in new)

"""A scan that lands while ``embed`` analyses a track but finds the very file the embed
decoded (a file retagged or touched before the run, scanned during it; a file a tagger
renamed) moves the track's ``updated_at``: the embed took that for a new file, decoded it
again, and a track renamed on every try failed "its file changed on every try" although
its audio never changed (audio/embed_job.py)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings
from musicsage.library.scan import resolve_roots, scan_roots


def _tone(path: Path, hz: float, seconds: float = 3.0, sr: int = 22050) -> None:
    t = np.arange(int(seconds * sr)) / sr
    sf.write(path, (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32), sr)


class _ScanOnEveryPass(SpectralEmbedder):
    """Spectral, but each inference first lets ``change`` happen to the folder, then scans
    it, as the window's folder watch would."""

    def __init__(self, ctx, folder: Path, change=lambda: None) -> None:
        super().__init__()
        self.ctx, self.folder, self.change, self.passes = ctx, folder, change, 0

    def infer(self, units: np.ndarray) -> np.ndarray:
        self.passes += 1
        self.change()
        scan_roots(connect(self.ctx), resolve_roots([self.folder]))
        return super().infer(units)


def _library(ctx, tmp_path: Path) -> tuple[Path, int]:
    music = tmp_path / "music"
    music.mkdir()
    _tone(music / "a.wav", 220.0)
    scan_roots(connect(ctx), resolve_roots([music]))
    return music, int(connect(ctx).execute("SELECT id FROM tracks").fetchone()[0])


def test_a_file_touched_before_the_run_and_scanned_during_it_is_decoded_once(ctx, tmp_path):
    music, track_id = _library(ctx, tmp_path)
    stamp = os.stat(music / "a.wav").st_mtime_ns + 5_000_000_000
    os.utime(music / "a.wav", ns=(stamp, stamp))  # saved again by a tagger, not yet scanned
    embedder = _ScanOnEveryPass(ctx, music)

    rep = run_embed_job(ctx, embedder, workers=1, prefetch=1)

    assert (rep.embedded, rep.failed, embedder.passes) == (1, 0, 1)
    assert [int(i) for i in get_embeddings(connect(ctx), "spectral")[0]] == [track_id]


def test_a_file_renamed_on_every_try_keeps_its_first_vector(ctx, tmp_path):
    music, track_id = _library(ctx, tmp_path)
    names = iter(f"a{i}.wav" for i in range(1, 10))
    current = [music / "a.wav"]

    def rename() -> None:  # a tagger naming the file after its tags, again and again
        current.append(current[-1].rename(music / next(names)))

    embedder = _ScanOnEveryPass(ctx, music, rename)
    rep = run_embed_job(ctx, embedder, workers=1, prefetch=1)

    assert (rep.embedded, rep.failed) == (1, 0), rep.errors
    assert embedder.passes == 1
    conn = connect(ctx)
    assert [int(i) for i in get_embeddings(conn, "spectral")[0]] == [track_id]
    assert conn.execute("SELECT path FROM tracks").fetchone()[0].endswith("/a1.wav")

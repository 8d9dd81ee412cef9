"""A file replaced (a re-rip, as the failure advice says) and scanned while an ``embed`` had
already decoded its old audio: the scan dropped the track's vectors and marked it to analyse,
then the embed stored the old audio's vector over that and marked it analysed — for good, as
no later ``embed`` lists a track holding a vector of the current model and version."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from musicsage.audio import decode
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings
from musicsage.library.scan import resolve_roots, scan_roots


def _tone(path: Path, hz: float, seconds: float = 3.0, sr: int = 22050) -> None:
    t = np.arange(int(seconds * sr)) / sr
    noise = np.random.default_rng(int(hz)).standard_normal(t.size)
    sf.write(path, (0.4 * np.sin(2 * np.pi * hz * t) + 0.02 * noise).astype(np.float32), sr)


class _RescanOnFirstPass(SpectralEmbedder):
    """Spectral, but its first inference (old audio decoded) replaces ``path`` with other
    audio and scans the folder, as a second process (the window's folder watch) would."""

    def __init__(self, path: Path, folder: Path) -> None:
        super().__init__()
        self.path, self.folder, self.done = path, folder, False

    def infer(self, units: np.ndarray) -> np.ndarray:
        if not self.done:
            self.done = True
            _tone(self.path, 3000.0, seconds=4.0)  # other audio, another length
            scan_roots(connect(self.ctx), resolve_roots([self.folder]))
        return super().infer(units)


def test_a_track_rescanned_during_its_analysis_gets_the_new_audios_vector(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    first = music / "a.wav"
    _tone(first, 220.0)
    _tone(music / "b.wav", 440.0)
    scan_roots(connect(ctx), resolve_roots([music]))
    embedder = _RescanOnFirstPass(first, music)
    embedder.ctx = ctx
    embedder.batch_size = 1  # a.wav alone in the first pass

    rep = run_embed_job(ctx, embedder, workers=1, prefetch=1)

    conn = connect(ctx)
    track = conn.execute("SELECT id, needs_analysis FROM tracks WHERE path LIKE '%a.wav'"
                         ).fetchone()
    ids, matrix = get_embeddings(conn, "spectral")
    stored = dict(zip((int(i) for i in ids), matrix))
    fresh = SpectralEmbedder()
    info = decode.probe(str(first))
    new_audio = fresh.embed_track(decode.read_spans(str(first), fresh.spans(info.duration_s),
                                                    sr=fresh.sample_rate, info=info))
    assert int(track["id"]) in stored, "the rescanned track was left without a vector"
    assert np.allclose(stored[int(track["id"])], new_audio, atol=1e-5), \
        "the vector stored is the replaced audio's"
    assert track["needs_analysis"] == 0
    assert (rep.total, rep.embedded, rep.failed, rep.remaining) == (2, 2, 0, 0)


class _RescanOnEveryPass(_RescanOnFirstPass):
    """A file still being written: every pass over it finds it replaced and rescanned."""

    def infer(self, units: np.ndarray) -> np.ndarray:
        self.done = False
        self.passes = getattr(self, "passes", 0) + 1
        _tone(self.path, 1000.0 + self.passes, seconds=3.0 + self.passes / 10)
        scan_roots(connect(self.ctx), resolve_roots([self.folder]))
        return SpectralEmbedder.infer(self, units)


def test_a_file_changing_on_every_try_fails_saying_so_instead_of_looping(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    _tone(music / "a.wav", 220.0)
    scan_roots(connect(ctx), resolve_roots([music]))
    embedder = _RescanOnEveryPass(music / "a.wav", music)
    embedder.ctx = ctx

    rep = run_embed_job(ctx, embedder, workers=1, prefetch=1)

    assert (rep.total, rep.embedded, rep.failed, rep.remaining) == (1, 0, 1, 0)
    assert embedder.passes == 4  # the first try and three more
    assert "changed on every try" in rep.errors[0][1]
    assert len(get_embeddings(connect(ctx), "spectral")[0]) == 0

"""A long recording analysed whole (``embed --max-seconds 1e9`` of a 2-hour DJ mix, an
audiobook, a concert) costs memory in proportion to its decoded audio, no more: the spectral
model held every frame's spectrum and window (2.5 MB per second analysed: 18 GB for 2 hours,
and the kernel killed the process without a word), MusiCNN a long excerpt's spectra, OpenL3
a copy (two, joined) of its frames, and decoding the excerpt at the file's rate beside its
resampled copy. Now each is taken a block at a time, and a track needing more than the
machine has free is refused before its decoding, in the line a track the memory ran out on
gets. The vectors and samples of normal tracks are the ones computed before, to the byte
(stored, from the code before this change, or computed here the way it computed them)."""

from __future__ import annotations

import base64
import tracemalloc

import numpy as np
import soundfile as sf
from embed_support import written_track

from musicsage.audio import decode, memory_need
from musicsage.audio.dsp import resample, to_mono
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.musicnn import features
from musicsage.audio.musicnn.embedding import FramePolicy, MusicnnEmbedder
from musicsage.audio.openl3.embedder import OpenL3Embedder
from musicsage.audio.openl3.framing import SAMPLE_RATE as OPENL3_SR, frame_audio
from musicsage.audio.spectral import SpectralEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings

THREE = (  # three 10-s excerpts: frames that span two of them
    "17c/vOMuMLzyjR68yzTHPCWNbD63G2E+oSkXPB3hHLwviy68UtokvLdYK7wwkxi8v50mvCK2ELz1GSC8kuQjvGuE"
    "H7yfUSK8JTEPvBEdGLyqgxO8UdESvMqHDLwfIwq869gMvGpWE7z/0ge8kZUDvFbvD7xgvw28IQIGvKT7BLz1VQS8"
    "CYD7u9GZAryUB/675kDzu1VPAryetvy7H3veu3NS3bvmpOa7Wl3vu61P5rvr0N27wS3du2NU2btL9ey7v9npu/nF"
    "17vEKt27SDfhu8sQ2bt5kM27N4vNu9Qz3rv/8uG76cLau9s64LtaR9K7h+LQu4El1bvoNdC7aEDiu7S1AD7jxPs9"
    "FnT7PS9GkT3N/v86y539OoDmwD14v/092JD8PS+L+j2EZPs9gBD9PTdbAD68IP09cPHzPT8W9j32Jfs9xbj+PZh0"
    "+z1fsPg9L534PcWE+T1bffk9Yjz3PSWw9D1m6fc9dZ77PU2v+j0Nr/c9+vP5PTc49j0qqfU9cyP2PdPR9j2bdfU9"
    "M1f1Pe/+9T1uQvg9twH5Pe0E9z0s9PU9uj32PQM99z3GVvc99Pv0PS0C9z1ZYPc9HPX0PYzN9T0do/Q9azr1PQ7E"
    "9T0z7/M9QJL1PXOj9T1onPQ91bD1PfMm9z0invY9d1D1PeFU9T2Bn/Q9n6L0PSLg9D22/Iw+plSPPhVkdT6xPjc+"
    "7fXiPaLjFT3VFym9y9Xsvft/N75kQG2+/m2KvsPKlL69z5e+FNyQvofwgL6SXVW+hOgbvr4TvL2Q1768JQ8bPQMA"
    "4j2lIMs9hOqwPdEimj17CHw9AypRPUxPSz0LKXI9qImRPZDuoz3LNLQ9e52+PVRvyD0uC8I9l1CsPSI6kz3oDIE9"
    "P2FXPctdPj0gwS09jvKNPWwIeD1lDWA9FzpiPbP2Vj35tk09r0lPPVEMWj0RAWQ9ClRfPQhTaT2GO249ELp6PVwT"
    "az3sa2I90XNTPZ3hSz03jEA9JJU2PdMIKz2T8V29vZMMP8YjEr4kWRS+bfwPvuw5Db7z0Ay+yS5bPnaY0z7qTMM9"
    "u/6DPUQzQz2/4QE96qfjPDroETw/WzM95UIuvNPPD7xXGTC8GDA1vA/5O7yLt0M/hdJ8vcOjk72jaZC97PaSvbbW"
    "jL0KMZW93wqZvRPEmb0RHpm9lZaWvc+GR73DdCcnhpRMPItHVTx57X08EGVhPIGwkzzPkEo8YxEhPC1BFzyHSx48"
    "qpMwPAyKOzwSvHG+3sLrvYsiqr50yD09O/4tPbpHVT2F/Es+cnUgPj2Onj44FtQ9szNhPYdr6zu5TBM+StuLPjGQ"
    "mrzuRtU+XVLCPmCGo73Ecqe96qUculisDrxnG6u9EqZpvZhXnr2gu0K97kbVPgZyFD1nIQ+92OuSvcAerr26E3+9"
    "ZdxavQ=="
)
WHOLE = (  # 75 s whole: more than one block of frames
    "actNvCDkSbyxrya83wTIPPQ0bT74vmE+NwMZPE/XH7wWESK8SyMgvEY6Lbxu3Si8HfgnvPfwGLz+Wya8pykUvKcy"
    "FryOsA686CgSvIcKDrzqqxK8ykURvGNACLw3OBS8ve4KvAlgDbzxcAi8knkAvKrIA7zNKAS85DQAvKr77btievO7"
    "0zT9u7Sz+btq2Pe7tawCvLu2A7zulgG8fJb2uyvC47sHbe67mrXnu/uQ7rtdXee7dSLiu/3f57uFENa7IMziu71V"
    "67saLeW7B3Lgu6Jd4LsoI9u7veLbu5Jz37tOON67MELhuzcz2rv+idq7JWvau4gV3LuTNtq7PsTYuwGX/j2kKv09"
    "AoP5PeVYkT1rbvU6UmT3Ooxdvz30Jvw9W5P/PWNN/z3A7Pk9Ie/6PZcg/D3U6Pk9uej5PXvX+T3itvg9EPT4PWRN"
    "+T0vHvk9TJD6PQ2d+T3ab/g9R3r4PRq29z0Zufc9xgT3PRgp+D0F2vk9Co35PSqG+T3xwvc9Pv32PSSI9T0ff/c9"
    "abr3PT3h9z2CDvc9RlH2PTwB9j0B8fU9Iqj3PdCF9j2uLPY9M1P2PWW79T3RP/U9CDD2PR1O9j3oxvU9i2j1PesO"
    "9j2jUfU9Kuj1Pcyx9T20Z/U9penzPf4k9D02VfQ9L9H0PRFO9j2jk/U9LsD0PeEv9j3dZI0+CRGNPmTkcD4opTY+"
    "sNzhPVfdCz2lKzC9fhPpvS+bOL79WXK+hCGMvuCylb5pwpe+YW+QvipmgL6BPlO+Rcgcvve1u70/d8684lQTPRCm"
    "4T1+Hs09vQm1PUXdlj3El309VPFTPWNeUz14PHI9466MPXvbpT2iPbU9MjPDPVPUxD0wI709tRisPW8xlz2WG4M9"
    "ip9YPbTYNj32CTM9zeWNPbmIgD0rN3Q9FEFmPY8hWj1ybVE9YFBQPZNNUz0VqlY9m+xiPbeHaj2hjXA9H7txPa26"
    "bj3Ll2E9i1NXPS7WSz06Rjw9FOAvPTOkLj1mcVu9D0ENP7tKFL5hIxa+T08SvlZrDr5HNQ6+G8BYPuIQ0T6C0L49"
    "9L2EPaTuOT2BDgg9OjTkPIlg4DsLuj49OGI7vHFJ/ruPfCC8caxEvIFoS7yyt0M/ANN8ve17k720KpC91q6SvZ71"
    "jb1AypS9VRKZvR5emb0Jv5i94tqWvbpoSL3hWy4nWy5QPCgNWDykm4E8amllPEM3jTw3GFA8MBogPHYXHDw6aSI8"
    "4EcvPB9xODx+BHK+Ct7svYtTq74qKzs9mjAtPZKPVT0Uxko+Ka8fPnTPnT7lHtM9UOxfPcSL6Tu1qr49BFcyPtU7"
    "Eb+YX5U+mF+VPshxar06Jmu9tRIvO5RY5LzPB229di4RvbzGWL3cse+8UduTPplTtzyufAS9T15GvfR6a70TYCS9"
    "LbUHvQ=="
)
"""Spectral vectors (float32, little-endian, base64) the code before this change computed."""


def _music(seconds: float, seed: int, sr: int = 22050) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    rng = np.random.default_rng(seed)
    beat = np.sin(2 * np.pi * 2.0 * t) > 0.6
    return (0.3 * np.sin(2 * np.pi * 220 * t) + 0.2 * beat * rng.standard_normal(t.size)
            + 0.02 * rng.standard_normal(t.size)).astype(np.float32)


def _stored(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f4")


def _peak(fn, *args):
    """``fn(*args)`` and the most memory it held at once."""
    tracemalloc.start()
    try:
        result = fn(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_spectral_vectors_of_normal_tracks_are_the_ones_stored():
    e = SpectralEmbedder()
    three = e.prepare([_music(10, 2), _music(10, 3), _music(10, 4)])[0]
    whole = e.prepare([_music(75, 5)])[0]
    np.testing.assert_allclose(three, _stored(THREE), rtol=0, atol=1e-6)
    np.testing.assert_allclose(whole, _stored(WHOLE), rtol=0, atol=1e-6)
    assert e.dim == three.size == 265


def test_spectral_memory_of_a_whole_long_excerpt_is_near_its_audio():
    x = _music(120, 6)  # 10.6 MB of audio: its spectra and windows held whole were 280 MB
    vector, peak = _peak(SpectralEmbedder(max_seconds=1e9).prepare, [x])
    assert vector.shape == (1, 265) and np.isfinite(vector).all()
    assert peak < 8 * x.nbytes, f"{peak / 2**20:.0f} MiB for {x.nbytes / 2**20:.0f} MiB of audio"


def test_musicnn_log_mel_of_a_long_excerpt_taken_in_blocks_is_the_whole_ones():
    x = _music(300, 7, sr=features.SAMPLE_RATE)  # 4.6 blocks of frames
    mel, peak = _peak(features.log_mel_spectrogram, x)
    whole = features.power_spectrogram(x) @ features.mel_filterbank().T  # as it was computed
    whole = np.log10(10000.0 * np.minimum(whole, np.finfo(np.float16).max)
                     .astype(np.float16).astype(np.float32) + 1.0)
    assert mel.dtype == whole.dtype and mel.shape == whole.shape
    assert mel.tobytes() == whole.tobytes()
    assert peak < 2.5 * x.nbytes, f"{peak / 2**20:.0f} MiB for {x.nbytes / 2**20:.0f} MiB of audio"


def test_decoding_a_long_excerpt_holds_about_the_resampled_audio_alone(tmp_path):
    path = tmp_path / "mix.wav"
    rng = np.random.default_rng(8)
    sf.write(path, (0.2 * rng.standard_normal((44100 * 120, 2))).astype(np.float32), 44100)
    (got,), peak = _peak(lambda: decode.read_spans(path, [(0.0, 1e9)], sr=22050))
    expected = resample(to_mono(sf.read(path, dtype="float32", always_2d=True)[0]), 44100, 22050)
    assert got.dtype == expected.dtype and got.tobytes() == expected.tobytes()
    assert peak < 1.5 * got.nbytes, f"{peak / 2**20:.0f} MiB for {got.nbytes / 2**20:.0f} MiB"


def test_openl3_frames_of_one_excerpt_are_a_view_of_its_audio():
    e = OpenL3Embedder.__new__(OpenL3Embedder)  # its framing needs no network
    e.hop = 1.0
    x = _music(30.5, 9, sr=OPENL3_SR)
    units = e.prepare([x])
    assert np.shares_memory(units, x)  # no copy of a long track's frames
    framed, _ = frame_audio(x[:OPENL3_SR * 30], hop_s=1.0, center=False)  # as it was framed
    assert units.shape == framed.shape == (30, OPENL3_SR)
    assert np.ascontiguousarray(units).tobytes() == framed.tobytes()
    several = e.prepare([x[:OPENL3_SR * 3], x[:OPENL3_SR // 2]])  # excerpts: joined, as before
    assert several.shape == (4, OPENL3_SR)


def _track(ctx, path) -> int:
    return written_track(ctx, path, _music(5, 10))


def test_a_track_needing_more_memory_than_is_free_is_refused_before_decoding(
        ctx, tmp_path, monkeypatch):
    track = _track(ctx, tmp_path / "two hours.wav")
    monkeypatch.setattr(memory_need, "available_bytes", lambda: 2 * 12 * 22050)  # 2 s
    decoded = []
    real = decode.read_spans
    monkeypatch.setattr(decode, "read_spans", lambda *a, **k: decoded.append(1) or real(*a, **k))
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=1e9))
    assert (rep.embedded, rep.failed, decoded) == (0, 1, [])
    assert rep.errors[0][1].startswith("two hours.wav: not enough memory to analyse 5 s of its")
    assert "--max-seconds" in rep.errors[0][1] and "--max-seconds" in rep.failed_advice
    monkeypatch.setattr(memory_need, "available_bytes", lambda: 100 * 12 * 22050)  # 100 s
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=1e9))
    assert (rep.embedded, rep.failed) == (1, 0)
    assert len(get_embeddings(connect(ctx), "spectral", track_ids=[track])[0]) == 1


def test_musicnn_memory_needed_grows_with_its_patches():
    def need(hop):
        e = MusicnnEmbedder.__new__(MusicnnEmbedder)
        e.sample_rate, e.hop_frames = features.SAMPLE_RATE, FramePolicy.of(hop=hop).hop_frames
        return e.memory_per_second()

    assert 9 * 16000 < need(None) < 11 * 16000  # the default 3-s hop: the audio's share
    assert need(0.001) > 4e6  # a patch of 72 KB every 16 ms frame


def test_another_whole_track_max_seconds_analyses_nothing_again(ctx, tmp_path, capsys):
    import json

    from musicsage.cli import main

    track = _track(ctx, tmp_path / "concert.wav")
    run = ["embed", "--model", "spectral", "--data-dir", str(ctx.data_dir), "--json"]

    def embed(*args: str) -> dict:
        assert main([*run, *args]) == 0
        return json.loads(capsys.readouterr().out)

    assert embed("--max-seconds", "1e9")["embedded"] == 1
    stored = get_embeddings(connect(ctx), "spectral", track_ids=[track])
    assert embed("--max-seconds", "1e6")["embedded"] == 0  # "the whole track" as well
    assert embed("--max-seconds", "1e12")["embedded"] == 0
    again = get_embeddings(connect(ctx), "spectral", track_ids=[track])
    assert again[1].tobytes() == stored[1].tobytes()
    assert embed("--max-seconds", "4")["embedded"] == 1  # a budget that is not: analysed again


def test_a_track_of_no_stated_length_is_read_to_its_end_not_refused(ctx, tmp_path, monkeypatch):
    import dataclasses

    track = _track(ctx, tmp_path / "stream rip.wav")
    real = decode.probe
    monkeypatch.setattr(decode, "probe", lambda p: dataclasses.replace(real(p), duration_s=None))
    monkeypatch.setattr(memory_need, "available_bytes", lambda: 100 * 12 * 22050)  # 100 s
    rep = run_embed_job(ctx, SpectralEmbedder(max_seconds=1e9))  # 1e9 s asked: 5 s there
    assert (rep.embedded, rep.failed) == (1, 0)
    assert len(get_embeddings(connect(ctx), "spectral", track_ids=[track])[0]) == 1

"""``embed``'s numbers at their limits. A ``--max-seconds`` beyond a track's length (a user's
"all of it", ``1e9``) analyses the whole track, nothing allocated by the seconds asked; a
MusiCNN ``--hop`` of one 16 ms frame (or less, taken as one) puts a patch on every frame,
and a whole track's patches were held twice (a copy of the stack), which ran a long track out
of memory: they are held once. Normal values (the default, 30, 10; hop 3 s) compute what they did, to the byte."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.audio.musicnn import features
from musicsage.audio.musicnn.embedding import FramePolicy, MusicnnEmbedder
from musicsage.audio.spectral import SpectralEmbedder


def _tone(seconds: float, sr: int) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    noise = 0.05 * np.random.default_rng(3).standard_normal(t.size)
    return (0.3 * np.sin(2 * np.pi * 220 * t) + noise).astype(np.float32)


def _musicnn(max_seconds: float | None, hop: float | None = None) -> MusicnnEmbedder:
    """A MusiCNN embedder of that policy without its network (spans and prepare need none)."""
    policy = FramePolicy.of(None, max_seconds, hop, None)
    e = MusicnnEmbedder.__new__(MusicnnEmbedder)
    e.model_id, e.max_seconds = policy.model_id, policy.max_seconds
    e.hop_frames, e.excerpt_seconds = policy.hop_frames, policy.excerpt_seconds
    return e


def test_normal_hops_keep_their_frames():
    assert FramePolicy.of(None, None, None, None).hop_frames == 187  # the default: 2.992 s
    assert FramePolicy.of(None, None, 3.0, None).hop_frames == 188
    assert FramePolicy.of(None, None, 0.009, None).hop_frames == 1  # accepted as before
    assert FramePolicy.of(None, None, 0.001, None).hop_frames == 1  # taken as one frame


def test_a_whole_tracks_patches_are_held_once():
    spectrogram = np.random.default_rng(0).random((3000, 96), dtype=np.float32)
    starts = features.patch_starts(len(spectrogram), hop_frames=1)
    tracemalloc.start()
    try:
        patches = features.to_patches(spectrogram, starts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * patches.nbytes, "the stack was copied once more (twice the memory)"
    reference = np.stack([spectrogram[s:s + 187] for s in starts]).astype(np.float32)
    assert patches.dtype == np.float32 and patches.tobytes() == reference.tobytes()


@pytest.mark.parametrize("max_seconds", [1e9, 1e300])
def test_seconds_beyond_the_track_mean_the_whole_track(max_seconds):
    assert SpectralEmbedder(max_seconds=max_seconds).spans(240.0) == [(0.0, 240.0)]
    assert _musicnn(max_seconds).spans(240.0) == [(0.0, 240.0)]


def test_a_track_of_unknown_length_is_read_as_far_as_it_goes(tmp_path):
    """No buffer is sized by the seconds asked: 1e9 s of a 3-s file costs 3 s of audio."""
    path = tmp_path / "a.wav"
    sf.write(str(path), _tone(3.0, 22050), 22050)
    (span,) = SpectralEmbedder(max_seconds=1e9).spans(None)
    tracemalloc.start()
    try:
        (audio,) = decode.read_spans(str(path), [span], sr=22050)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(audio) == 3 * 22050 and peak < 50 * audio.nbytes


@pytest.mark.parametrize("max_seconds", [None, 30.0, 10.0])
def test_normal_values_compute_what_they_did(max_seconds):
    """A guard: the frame policies of the usual values, and MusiCNN's patches as the stack
    then a copy made them, byte for byte (stored vectors stay valid)."""
    spectral = SpectralEmbedder() if max_seconds is None else SpectralEmbedder(max_seconds=max_seconds)
    assert spectral.spans(240.0) == {
        None: [(35.0, 10.0), (115.0, 10.0), (195.0, 10.0)],
        30.0: [(35.0, 10.0), (115.0, 10.0), (195.0, 10.0)],
        10.0: [(38.333333, 3.333333), (118.333333, 3.333333), (198.333333, 3.333333)]}[max_seconds]
    e = _musicnn(max_seconds)
    assert [start for start, _ in e.spans(240.0)] == {
        None: [22.495, 82.495, 142.495, 202.495], 30.0: [52.495, 172.495],
        10.0: [115.487]}[max_seconds]
    excerpts = [_tone(16.0, 16000), _tone(9.0, 16000)]
    mels = [features.log_mel_spectrogram(x) for x in excerpts]
    old = np.concatenate([np.stack([m[s:s + 187] for s in features.patch_starts(
        len(m), hop_frames=e.hop_frames)]).astype(np.float32) for m in mels])
    assert e.prepare(excerpts).tobytes() == old.tobytes()


def test_embeds_path_holds_a_whole_tracks_patches_once():
    """A review: ``prepare`` — what ``embed`` runs — joined its one span's patches with
    ``np.concatenate``, a copy, so a whole track's patches were still held twice."""
    embedder = _musicnn(1e9, hop=0.016)  # one span, the whole track; a patch every frame
    audio = _tone(20.0, features.SAMPLE_RATE)
    tracemalloc.start()
    try:
        patches = embedder.prepare([audio])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(patches) > 1000
    assert peak < 1.5 * patches.nbytes, "the patches were copied once more (twice the memory)"

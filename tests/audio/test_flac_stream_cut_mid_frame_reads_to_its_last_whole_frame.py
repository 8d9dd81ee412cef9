"""A FLAC whose header states no length (STREAMINFO's total samples 0: a live stream's or a
pipe's encoder) that stopped mid-frame — the stream cut off — is a track of its whole frames:
the scan adds it so (:mod:`musicsage.library.unstated_length`). ``embed`` then failed it as
"damaged audio data at 0:03", and the player stopped a block short of its end (a second and
more lost) with "damaged audio data": libFLAC's "lost sync" in the cut last frame is where such
a file ends. libFLAC's seek to a frame's first sample in it failed too (the player's read again
after a failed block always asks one). A FLAC whose header states its length, cut so, is still
cut short, and damage before the last frame of a stream is still damage."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library.db import connect
from musicsage.library.scan import scan_roots
from musicsage.library.tags import probe
from musicsage.playback.decoders import DamagedAudio, soundfile_blocks
from musicsage.usecases.embedding import embed_library

SR = 22050
FRAME = 4096
"""libsndfile's FLAC block size: frame k holds samples k*FRAME up to (k+1)*FRAME."""
WHOLE_FRAMES = 20
"""The frames a cut stream keeps whole (3.7 s of the 6)."""


def _audio() -> np.ndarray:
    t = np.arange(6 * SR) / SR
    noise = np.random.default_rng(0).standard_normal(t.size)
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * noise
    return np.stack([tone, 0.5 * tone], axis=1).astype(np.float32)


def _flac(path: Path, samples: np.ndarray, *, stated: bool = False) -> bytes:
    """``samples`` as a FLAC's bytes, its STREAMINFO's total samples (36 bits) zeroed unless
    ``stated``, as a stream's encoder leaves them."""
    sf.write(path, samples, SR, format="FLAC")
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO first, as written
    if not stated:
        data[21] &= 0xF0
        data[22:26] = bytes(4)
    return bytes(data)


def _cut(tmp_path: Path, into_next: int, *, stated: bool = False) -> Path:
    """A stream cut ``into_next`` bytes into the frame after its first :data:`WHOLE_FRAMES`
    (6: that frame's header whole, none of its audio; 7: a byte of it; more: more of it)."""
    audio = _audio()
    whole = _flac(tmp_path / "whole.flac", audio, stated=stated)
    kept = _flac(tmp_path / "kept.flac", audio[:WHOLE_FRAMES * FRAME], stated=stated)
    assert whole[42:len(kept)] == kept[42:]  # the same frames, byte for byte
    path = tmp_path / "radio rip.flac"
    path.write_bytes(whole[:len(kept) + into_next])
    return path


def _played(path: Path, start: int = 0) -> np.ndarray:
    _header, blocks = soundfile_blocks(str(path), start)
    return np.concatenate(list(blocks))


@pytest.mark.parametrize("into_next", [6, 7, 40, 1500])
def test_embed_reads_a_cut_stream_to_its_last_whole_frame(tmp_path, into_next):
    path = _cut(tmp_path, into_next)

    excerpt, = decode.read_spans(path, [(0.0, 30.0)], sr=SR)

    assert len(excerpt) == WHOLE_FRAMES * FRAME
    assert abs(probe(str(path)).duration - len(excerpt) / SR) < 1e-6  # the scan's length
    kept, = decode.read_spans(tmp_path / "kept.flac", [(0.0, 30.0)], sr=SR)
    np.testing.assert_array_equal(excerpt, kept)


def test_embed_gives_a_scanned_cut_stream_its_vector(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    _cut(tmp_path, 1500).rename(music / "radio rip.flac")
    conn = connect(ctx)
    assert scan_roots(conn, [str(music)]).added == 1

    report = embed_library(ctx, "spectral")

    assert (report.embedded, report.failed) == (1, 0)


@pytest.mark.parametrize("into_next", [6, 1500])
def test_the_player_plays_a_cut_stream_to_its_last_whole_frame(tmp_path, into_next):
    path = _cut(tmp_path, into_next)

    played = _played(path)  # no DamagedAudio

    np.testing.assert_array_equal(played, _played(tmp_path / "kept.flac"))


@pytest.mark.parametrize("start", [3 * FRAME, 16 * FRAME, 16 * FRAME + 1])
def test_a_cut_stream_opened_at_a_frames_first_sample_plays_from_there(tmp_path, start):
    """16 frames: 65,536 samples, where the player reads again after a failed block."""
    path = _cut(tmp_path, 1500)

    played = _played(path, start)

    np.testing.assert_array_equal(played, _played(tmp_path / "kept.flac")[start:])
    excerpt, = decode.read_spans(path, [(start / SR, 0.5)], sr=SR)  # embed's seek alike
    kept, = decode.read_spans(tmp_path / "kept.flac", [(start / SR, 0.5)], sr=SR)
    np.testing.assert_array_equal(excerpt, kept)


def test_a_flac_whose_header_states_its_length_cut_so_is_still_cut_short(tmp_path):
    path = _cut(tmp_path, 1500, stated=True)

    cut_short = f"^radio rip.flac: {re.escape(AUDIO_ENDS_EARLY)}$"
    with pytest.raises(decode.DecodeError, match=cut_short):
        decode.read_spans(path, [(0.0, 30.0)], sr=SR)
    with pytest.raises(DamagedAudio, match="damaged audio data"):
        _played(path)


def test_damage_before_the_last_frame_of_a_cut_stream_is_still_damage(tmp_path):
    """Damage in frame 18 of the 20 whole ones: the player's first block (16 frames) reads, its
    second fails, and the read again from its start delivers the frames up to the damage."""
    path = _cut(tmp_path, 1500)
    data = bytearray(path.read_bytes())
    damaged = int(len(data) * 0.9)
    data[damaged:damaged + 16] = bytes(b ^ 0xA5 for b in data[damaged:damaged + 16])
    path.write_bytes(bytes(data))

    with pytest.raises(decode.DecodeError, match="^radio rip.flac: damaged audio data at 0:03"):
        decode.read_spans(path, [(0.0, 30.0)], sr=SR)
    _header, blocks = soundfile_blocks(str(path))
    played = []
    with pytest.raises(DamagedAudio, match="damaged audio data"):
        played.extend(blocks)
    played = np.concatenate(played)
    assert 16 * FRAME < len(played) < WHOLE_FRAMES * FRAME
    np.testing.assert_array_equal(played, _played(tmp_path / "kept.flac")[:len(played)])

"""A FLAC whose header states no length (STREAMINFO's total samples 0: what an encoder writes
when it cannot know the length, reading a live stream or a pipe). libsndfile reports 2**63 - 1
frames for it, and the scan looked for the last second that far in: every such file, whole or
not, was refused as "audio ends early", a good file the user could not add. Like an Ogg file
(no length in its header either) it is a track of what decodes: its length counted, a stream
stopped abruptly (its last frame cut) a track of its whole frames, never that error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.library.scan import scan_roots
from musicsage.library.tags import UnreadableAudio, probe

SR = 22050
SECONDS = 6.0


def _unstated(path: Path, keep: float = 1.0) -> Path:
    """A whole FLAC of ``SECONDS`` whose STREAMINFO total samples (its 36 bits) are zeroed,
    then the first ``keep`` of its bytes kept (a stream stopped mid-frame)."""
    t = np.arange(int(SECONDS * SR)) / SR
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    sf.write(path, np.stack([tone, tone], axis=1), SR, format="FLAC")
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO first, as written
    data[21] &= 0xF0  # fLaC, block header (4), block sizes (4), frame sizes (6), then
    data[22:26] = bytes(4)  # rate 20 bits, channels 3, bits 5, total samples 36
    path.write_bytes(bytes(data[:int(len(data) * keep)]))
    return path


def test_a_whole_flac_of_unstated_length_is_read_at_its_real_length(tmp_path):
    path = _unstated(tmp_path / "live set.flac")
    with sf.SoundFile(path) as snd:
        assert snd.frames >= 2**62  # what libsndfile says of it

    info = probe(str(path))

    assert abs(info.duration - SECONDS) < 1e-3
    assert (info.sample_rate, info.channels) == (SR, 2)


def test_a_stream_stopped_mid_frame_is_a_track_of_its_whole_frames(tmp_path):
    path = _unstated(tmp_path / "radio rip.flac", keep=0.6)

    info = probe(str(path))

    assert 0.5 * SECONDS < info.duration < SECONDS
    with sf.SoundFile(path) as snd:  # what the decoder delivers, no more
        decoded = sum(len(b) for b in _blocks(snd))
    assert abs(info.duration - decoded / SR) < 1e-6


def _blocks(snd):
    block = np.empty((4096, snd.channels), np.float32)
    pointer = sf._ffi.cast("float *", block.ctypes.data)
    while got := sf._snd.sf_readf_float(snd._file, pointer, len(block)):
        yield block[:got]


def test_the_scan_adds_flacs_of_unstated_length_with_no_error(conn, music):
    _unstated(music / "whole.flac")
    _unstated(music / "stopped.flac", keep=0.6)

    rep = scan_roots(conn, [str(music)])

    assert (rep.added, rep.errors) == (2, [])
    durations = dict(conn.execute("SELECT path, duration FROM tracks"))
    assert abs(durations[str(music / "whole.flac")] - SECONDS) < 1e-3
    assert 0.5 * SECONDS < durations[str(music / "stopped.flac")] < SECONDS
    assert conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0


def test_a_flac_of_unstated_length_with_no_audio_frames_is_unreadable(tmp_path):
    path = _unstated(tmp_path / "empty.flac")
    data = path.read_bytes()
    path.write_bytes(data[:data.index(b"\xff\xf8", 42)])  # the header alone: no frame

    with pytest.raises(UnreadableAudio, match="^no audio frames$"):
        probe(str(path))

"""A FLAC whose header states no length (a stream's encoder: STREAMINFO's total samples 0) is
counted by decoding it through, and the count stops where libFLAC loses sync. Zeros in its
middle (a download's missing pieces, a failing drive's sectors) stopped the count there: the
scan stored 6 s of a 20-s track with no note. It is refused with the zeros named, as ``embed``
names them. Zeros after its last whole frame (a tool's padding) are no damage: it was called
"holds zeroed bytes from 0:20 on", its length unknown to the padding check."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.library.flac_zeroed import zeroed_reason
from musicsage.library.scan import scan_roots
from musicsage.library.tags import UnreadableAudio, probe

SR = 44100
SECONDS = 20
ADVICE = "(a download that never finished, or a failing drive?)"
LIBSNDFILES_COUNT = 2**63 - 1
"""The frames libsndfile says such a file holds (what ``embed`` passes on)."""


def _streamed(path: Path, *zeroed: tuple[float, float], padding: int = 0) -> Path:
    """20 s of a tone with noise (a steady bit rate: 30 % of the bytes is some 6 s), its
    STREAMINFO's sample count made 0, each share of its bytes in ``zeroed`` made zeros in
    place, ``padding`` zeros appended."""
    t = np.arange(SECONDS * SR) / SR
    noise = 0.05 * np.random.default_rng(3).standard_normal(t.size)
    sf.write(path, (0.3 * np.sin(2 * np.pi * 220 * t) + noise).astype(np.float32), SR,
             format="FLAC")
    data = bytearray(path.read_bytes())
    data[8 + 13] &= 0xF0  # the 36-bit count ends STREAMINFO's 18th byte (after "fLaC", a head)
    data[8 + 14:8 + 18] = bytes(4)
    size = len(data)
    for lo, hi in zeroed:
        data[int(size * lo):int(size * hi)] = bytes(int(size * hi) - int(size * lo))
    path.write_bytes(bytes(data) + bytes(padding))
    return path


def test_padding_after_a_stream_is_no_zeroed_place(tmp_path):
    path = _streamed(tmp_path / "padded stream.flac", padding=1 << 20)
    assert zeroed_reason(str(path), SR, LIBSNDFILES_COUNT) is None
    assert zeroed_reason(str(path), SR, 0) is None


def test_the_scan_keeps_a_padded_stream_at_its_whole_length(tmp_path):
    path = _streamed(tmp_path / "padded stream.flac", padding=1 << 20)
    assert probe(str(path)).duration == pytest.approx(SECONDS, abs=1e-3)


def test_padding_after_zeros_in_a_stream_is_no_further_place(tmp_path):
    path = _streamed(tmp_path / "pieces missing.flac", (0.3, 0.4), padding=1 << 20)
    assert zeroed_reason(str(path), SR, LIBSNDFILES_COUNT) == (
        f"holds zeroed bytes from 0:05 to 0:08 {ADVICE}")


def test_the_scan_names_zeros_in_the_middle_of_a_stream(conn, music):
    path = _streamed(music / "pieces missing.flac", (0.3, 0.4))

    rep = scan_roots(conn, [str(music)])

    assert rep.added == 0
    assert rep.errors == [(str(path), f"holds zeroed bytes from 0:05 to 0:08 {ADVICE}")]
    assert conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 0


def test_a_stream_zeroed_to_its_end_is_refused_from_where_its_audio_stops(tmp_path):
    """A download that never finished: its bytes allocated, the rest never written."""
    path = _streamed(tmp_path / "never finished.flac", (0.45, 1.0))
    with pytest.raises(UnreadableAudio, match=r"^holds zeroed bytes from 0:0[89] on \("):
        probe(str(path))


def test_a_whole_stream_is_still_counted(tmp_path):
    """A guard: a stream with no zeros reads at its length, no error."""
    path = _streamed(tmp_path / "whole stream.flac")
    assert probe(str(path)).duration == pytest.approx(SECONDS, abs=1e-3)

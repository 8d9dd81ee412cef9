"""A FLAC zeroed in the middle (a download's missing pieces, a failing drive's sectors) plays
on after the zeros, and the scan keeps it: ``embed`` names the zeros with the time the audio
resumes ("from 0:05 to 0:08"), not "from 0:05 on", which said the rest of the song was lost.
Zeros after all the audio (a tool's padding) are no damage: not named, nor counted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode

SR = 44100
SECONDS = 20
ADVICE = "(a download that never finished, or a failing drive?)"


def _flac(path: Path) -> Path:
    """20 s of a tone with noise (a steady bit rate: 30 % of the bytes is some 6 s)."""
    t = np.arange(SECONDS * SR) / SR
    noise = 0.05 * np.random.default_rng(3).standard_normal(t.size)
    sf.write(path, (0.3 * np.sin(2 * np.pi * 220 * t) + noise).astype(np.float32), SR,
             format="FLAC")
    return path


def _zeroed(path: Path, *shares: tuple[float, float], padding: int = 0) -> Path:
    """``path``'s bytes in each share of its size made zeros in place, ``padding`` appended."""
    data = bytearray(path.read_bytes())
    size = len(data)
    for lo, hi in shares:
        data[int(size * lo):int(size * hi)] = bytes(int(size * hi) - int(size * lo))
    path.write_bytes(bytes(data) + bytes(padding))
    return path


def _reason(path: Path, at_s: float) -> str:
    """What ``embed`` records of ``path`` for its 4-s excerpt from ``at_s``."""
    with pytest.raises(decode.DecodeError) as err:
        decode.read_spans(path, [(at_s, 4.0)], sr=SR)
    return str(err.value).removeprefix(f"{path.name}: ")


def test_zeros_in_the_middle_are_named_up_to_where_the_audio_resumes(tmp_path):
    path = _zeroed(_flac(tmp_path / "pieces missing.flac"), (0.3, 0.4))
    assert _reason(path, 7.0) == f"holds zeroed bytes from 0:05 to 0:08 {ADVICE}"
    (after,) = decode.read_spans(path, [(9.0, 1.0)], sr=SR)  # it plays on: as said
    assert after.size == SR


def test_more_zeroed_places_after_the_first_are_counted(tmp_path):
    path = _zeroed(_flac(tmp_path / "failing drive.flac"), (0.3, 0.4), (0.6, 0.7))
    assert _reason(path, 7.0) == ("holds zeroed bytes from 0:05 to 0:08, and in 1 more place "
                                  f"after it {ADVICE}")


def test_padding_after_the_audio_is_no_further_zeroed_place(tmp_path):
    path = _zeroed(_flac(tmp_path / "padded.flac"), (0.3, 0.4), padding=1 << 20)
    assert _reason(path, 7.0) == f"holds zeroed bytes from 0:05 to 0:08 {ADVICE}"


def test_damage_in_a_padded_file_is_not_called_its_padding(tmp_path):
    """A frame spoiled by other bytes than zeros, in a whole file followed by 1 MiB of zeros:
    said where the damage is, not "holds zeroed bytes from 0:20 on" (its padding)."""
    path = _flac(tmp_path / "scratched.flac")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    spoiled = np.random.default_rng(4).integers(1, 255, 3000, np.uint8)  # (no zero bytes)
    data[middle:middle + 3000] = spoiled.tobytes()
    path.write_bytes(bytes(data) + bytes(1 << 20))
    assert _reason(path, 8.0) == "damaged audio data at 0:09 (a FLAC frame there does not decode)"

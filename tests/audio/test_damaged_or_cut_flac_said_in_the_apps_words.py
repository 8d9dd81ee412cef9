"""A FLAC the scan took that fails at ``embed`` says what is wrong in one line of the app's
own words: a frame damaged inside is named with the time it is at (not libsndfile's
"unknown error in flac decoder."), and a file cut short since the scan is "audio ends early",
as the scan says it (not "Internal psf_fseek() failed." or "flac decoder lost sync.")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library.db import connect
from musicsage.library.queries import list_errors
from musicsage.usecases.embedding import embed_library

SR = 22050
SECONDS = 10


def whole_flac(path: Path) -> bytes:
    rng = np.random.default_rng(1)
    t = np.arange(SECONDS * SR) / SR
    x = 0.3 * np.sin(2 * np.pi * 330 * t) + 0.05 * rng.standard_normal(t.size)
    sf.write(path, x.astype(np.float32), SR)
    return path.read_bytes()


@pytest.fixture
def damaged_inside(tmp_path) -> Path:
    """16 bytes of a frame halfway through flipped: that frame fails its check."""
    data = bytearray(whole_flac(tmp_path / "whole.flac"))
    middle = len(data) // 2
    for i in range(middle, middle + 16):
        data[i] ^= 0xA5
    path = tmp_path / "bit rot.flac"
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def cut_short(tmp_path) -> Path:
    path = tmp_path / "cut.flac"
    path.write_bytes(whole_flac(tmp_path / "whole.flac")[:250_000])  # ~ 7 s of the 10
    return path


@pytest.mark.parametrize("spans", [[(0.0, SECONDS)], [(0.0, 2.0), (4.0, 2.0), (8.0, 2.0)]])
def test_a_frame_damaged_inside_is_named_with_its_time(damaged_inside, spans):
    with pytest.raises(decode.DecodeError) as err:
        decode.read_spans(damaged_inside, spans, sr=SR)
    text = str(err.value)
    assert text.startswith("bit rot.flac: damaged audio data at 0:0")
    assert "a FLAC frame there does not decode" in text and "flac decoder" not in text
    seconds = int(text.split("at 0:")[1][:2])
    assert 3 <= seconds <= 6  # the damage is halfway through the 10 s


@pytest.mark.parametrize("spans", [[(0.0, SECONDS)], [(0.0, 2.0), (4.0, 2.0), (8.5, 1.0)],
                                   [(8.5, 1.0)]])
def test_a_flac_cut_short_ends_early_in_the_scans_words(cut_short, spans):
    with pytest.raises(decode.DecodeError) as err:
        decode.read_spans(cut_short, spans, sr=SR)
    assert str(err.value) == f"cut.flac: {AUDIO_ENDS_EARLY}"


def test_embed_records_both_in_those_words(ctx, damaged_inside, cut_short):
    conn = connect(ctx)
    for path in (damaged_inside, cut_short):
        conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), path.stem))
    report = embed_library(ctx, "spectral")
    assert (report.embedded, report.failed) == (0, 2)
    messages = sorted(e["message"] for e in list_errors(connect(ctx), "embed:spectral"))
    assert messages[0].startswith("bit rot.flac: damaged audio data at 0:0")
    assert messages[1] == f"cut.flac: {AUDIO_ENDS_EARLY}"

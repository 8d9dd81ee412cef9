"""A FLAC whose audio ends in zeroed bytes (a download never finished: its header is whole, the
rest of the file allocated as zeros; or what a failing drive read back) is refused at once, by
the scan and by ``embed``, with the time its audio stops: libFLAC, asked to seek there (the
scan's look at the last second, an excerpt of ``embed``), searched the zeros for a frame in a
time growing with the square of the file's size (90 s for one excerpt of a 5-minute file),
then the file was called "audio ends early"."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.library.db import connect
from musicsage.library.queries import list_errors
from musicsage.library.tags import UnreadableAudio, probe
from musicsage.usecases.embedding import embed_library

SR = 44100
SECONDS = 30
ZEROED_FROM = 0.45
"""Of the file's bytes: its audio (noise, a steady bit rate) stops at 13.5 s."""
REASON = "holds zeroed bytes from 0:13 on (a download that never finished, or a failing drive?)"
GENEROUS_S = 20.0
"""Far more than a refusal takes (well under a second), far less than libFLAC's search of a
long file's zeros."""


def _flac(path: Path, signal: np.ndarray) -> Path:
    sf.write(path, signal.astype(np.float32), SR, format="FLAC")
    return path


def _noise(seconds: float = SECONDS) -> np.ndarray:
    rng = np.random.default_rng(3)
    t = np.arange(int(seconds * SR)) / SR
    return 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size)


@pytest.fixture
def zeroed(tmp_path) -> Path:
    """A whole FLAC whose bytes from ``ZEROED_FROM`` of its size on were made zeros in place."""
    path = _flac(tmp_path / "never finished.flac", _noise())
    data = bytearray(path.read_bytes())
    cut = int(len(data) * ZEROED_FROM)
    data[cut:] = bytes(len(data) - cut)
    path.write_bytes(bytes(data))
    return path


def _timed(call):
    started = time.monotonic()
    with pytest.raises(Exception) as err:
        call()
    return err.value, time.monotonic() - started


def test_the_scan_names_the_zeroed_bytes_at_once(zeroed):
    err, took = _timed(lambda: probe(str(zeroed)))
    assert isinstance(err, UnreadableAudio)
    assert str(err) == REASON and took < GENEROUS_S


@pytest.mark.parametrize("spans", [[(20.0, 3.0)], [(1.0, 3.0), (20.0, 3.0)], [(12.0, 3.0)],
                                   [(0.0, SECONDS)]])
def test_an_excerpt_in_or_into_the_zeros_names_them_at_once(zeroed, spans):
    """Sought into the zeros (refused before libFLAC's search) or read into them from before."""
    err, took = _timed(lambda: decode.read_spans(zeroed, spans, sr=22050))
    assert isinstance(err, decode.DecodeError)
    assert str(err) == f"never finished.flac: {REASON}" and took < GENEROUS_S


def test_embed_records_the_zeroed_file_in_those_words(ctx, zeroed):
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(zeroed), zeroed.stem))
    started = time.monotonic()
    report = embed_library(ctx, "spectral")
    assert (report.embedded, report.failed) == (0, 1)
    assert [e["message"] for e in list_errors(connect(ctx), "embed:spectral")] == [
        f"never finished.flac: {REASON}"]
    assert time.monotonic() - started < 3 * GENEROUS_S


def test_a_long_digital_silence_is_no_zeroed_bytes(tmp_path):
    """FLAC codes silence in a few bytes a frame: 20 s of it hold no run of zero bytes, and
    the file is scanned and read whole, the silence too."""
    signal = _noise()
    signal[5 * SR:25 * SR] = 0.0
    path = _flac(tmp_path / "quiet middle.flac", signal)
    assert probe(str(path)).duration == pytest.approx(SECONDS, abs=0.01)
    (excerpt,) = decode.read_spans(path, [(15.0, 3.0)], sr=SR)
    assert excerpt.size == 3 * SR and not excerpt.any()


def test_no_seek_is_asked_of_libflac_into_the_zeros(zeroed, monkeypatch):
    """The search is what took minutes in a long file: neither the scan nor an excerpt asks
    libsndfile to seek past where the audio stops (13.5 s), however fast it is here."""
    sought: list[int] = []
    seek = sf.SoundFile.seek

    def spied(self, frames, whence=0):
        if whence == 0:  # (python-soundfile tells where a read ended by a relative one)
            sought.append(frames)
        return seek(self, frames, whence)

    monkeypatch.setattr(sf.SoundFile, "seek", spied)
    with pytest.raises(UnreadableAudio):
        probe(str(zeroed))
    with pytest.raises(decode.DecodeError):
        decode.read_spans(zeroed, [(1.0, 3.0), (20.0, 3.0), (27.0, 3.0)], sr=22050)
    assert sought and all(frames < 13 * SR for frames in sought), sought

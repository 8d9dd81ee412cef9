"""A chained Ogg file: several Ogg Vorbis streams one after another (a recorded radio stream,
files joined with ``cat``), as every Ogg player plays them, one part after the other.

libsndfile gives such a file a frame count of 2**63 - 1 ("not known") and reads only its first
part: the player said the track lasted 6,600 years, its bar's slider raised OverflowError on
every poll (position and length froze at 0:00), the track ended where the first part does, and
a seek into a later part ended it at once.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import PlaybackEngine, default_decoder, output

RATE = 8000
PART_SECONDS = 2.0
BLOCK = 4096


@pytest.fixture(autouse=True)
def _quick_worker(monkeypatch):
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(output, "_rescan", False)


def wait_for(cond, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)


def tone(freq: float, seconds: float = PART_SECONDS) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def chained(tmp_path, name: str = "radio.ogg", freqs=(440, 880)) -> str:
    """Ogg Vorbis files, 440 Hz then 880 Hz, joined byte for byte."""
    parts = []
    for i, freq in enumerate(freqs):
        part = tmp_path / f"part{i}.ogg"
        sf.write(part, tone(freq), RATE, format="OGG", subtype="VORBIS")
        parts.append(part.read_bytes())
    path = tmp_path / name
    path.write_bytes(b"".join(parts))
    return str(path)


def crossings(x: np.ndarray) -> int:
    """Zero crossings of the first channel: 2 * frequency * seconds for a tone."""
    return int(np.count_nonzero(np.diff(np.signbit(x[:, 0]))))


class PulledStream:
    def __init__(self, samplerate, channels, callback) -> None:
        self.channels, self.callback = channels, callback

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...

    def pull(self, frames: int = BLOCK) -> np.ndarray:
        out = np.zeros((frames, self.channels), np.float32)
        self.callback(out, frames, None, None)
        return out


def engine_for(path: str) -> tuple[PlaybackEngine, list[PulledStream]]:
    made: list[PulledStream] = []

    def factory(samplerate, channels, callback):
        made.append(PulledStream(samplerate, channels, callback))
        return made[-1]

    eng = PlaybackEngine(stream_factory=factory)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state != "loading")
    return eng, made


def test_every_part_is_decoded_and_the_length_is_not_absurd(tmp_path):
    header, blocks = default_decoder(chained(tmp_path))
    audio = np.concatenate(list(blocks))
    assert header.frames == pytest.approx(2 * RATE * PART_SECONDS, abs=RATE * 0.1)
    assert len(audio) == header.frames  # each part cut to its length (FFmpeg keeps its
    # last block whole: libsndfile trims it)
    second = audio[-RATE:]  # the last second: the second part's 880 Hz
    assert crossings(second) == pytest.approx(2 * 880, rel=0.05)


def test_the_track_plays_both_parts_and_ends_where_the_file_does(tmp_path):
    eng, made = engine_for(chained(tmp_path))
    try:
        assert eng.state == "playing"
        heard = []
        while eng.state == "playing":
            wait_for(lambda: eng.decoding_complete or eng.decoded_frames > eng.position + BLOCK)
            heard.append(made[-1].pull())
        assert eng.state == "ended", eng.error
        assert eng.duration_seconds == pytest.approx(2 * PART_SECONDS, abs=0.1)
        assert eng.position == eng.duration
        played = np.concatenate(heard)[:eng.duration]  # the last pull ends in silence
        assert crossings(played[-RATE:]) == pytest.approx(2 * 880, rel=0.05)
    finally:
        eng.close()


def test_a_seek_into_the_second_part_plays_it(tmp_path):
    eng, made = engine_for(chained(tmp_path))
    try:
        eng.seek(round(RATE * (PART_SECONDS + 0.5)))
        wait_for(lambda: eng.state != "playing" or eng.decoded_frames > eng.position + BLOCK)
        assert eng.state == "playing", eng.error
        assert eng.position == round(RATE * (PART_SECONDS + 0.5))
        heard = made[-1].pull()
        assert crossings(heard) == pytest.approx(2 * 880 * BLOCK / RATE, rel=0.05)
        assert np.abs(heard).max() == pytest.approx(0.3, abs=0.05)
    finally:
        eng.close()


def test_a_file_joined_with_itself_plays_both_parts(tmp_path):
    """``cat a.ogg a.ogg``: both parts have the same serial number; the second part's first
    page, a beginning of stream, is what tells them apart."""
    one = tmp_path / "one.ogg"
    sf.write(one, tone(440), RATE, format="OGG", subtype="VORBIS")
    twice = tmp_path / "twice.ogg"
    twice.write_bytes(one.read_bytes() * 2)
    header, blocks = default_decoder(str(twice))
    audio = np.concatenate(list(blocks))
    assert header.frames == len(audio) == 2 * round(RATE * PART_SECONDS)
    alone = sf.read(one, dtype="float32", always_2d=True)[0]
    assert np.abs(audio - np.concatenate([alone, alone])).max() < 1e-4
    eng, _made = engine_for(str(twice))
    try:
        assert eng.duration_seconds == pytest.approx(2 * PART_SECONDS)
    finally:
        eng.close()


def test_a_seek_decodes_only_the_part_it_lands_in_and_lands_exactly(tmp_path, monkeypatch):
    """A seek into the third part reads nothing of the second (it used to decode the file
    from its start: seconds per seek in an hour-long recording), and its first sample is the
    one the third part holds there."""
    from musicsage.playback import oggtail

    path = chained(tmp_path, freqs=(440, 660, 880))
    read_from: list[int] = []
    real_read = oggtail.PartFile.read

    def spied(self, n=-1):
        read_from.append(self._offset)
        return real_read(self, n)

    monkeypatch.setattr(oggtail.PartFile, "read", spied)
    parts = oggtail.ogg_parts(path)
    assert len(parts) == 3
    part_frames = round(RATE * PART_SECONDS)
    into = round(RATE * 0.75)
    header, blocks = default_decoder(path, 2 * part_frames + into)
    audio = np.concatenate(list(blocks))
    assert parts[1].offset not in read_from and parts[2].offset in read_from
    third = sf.read(tmp_path / "part2.ogg", dtype="float32", always_2d=True)[0]
    assert len(audio) == part_frames - into
    assert np.abs(audio - third[into:]).max() < 1e-4

"""A raw ADTS AAC file (.aac) whose sample rate changes part-way (a radio recording across a
programme change; two files joined): FFmpeg stamps every frame at the first frame's rate, so
a seek past the change landed far from its target, or past the end (nothing played), and the
slider's length was seconds short. A seek anywhere now plays what playing through plays
there, and the length is the one the frames hold."""

from __future__ import annotations

import numpy as np
import pytest
from changed_file_support import small_buffer  # noqa: F401 - a fixture
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, adts_rates, default_decoder

av = pytest.importorskip("av")

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")  # a seek re-opens

FIRST, THEN, SECONDS = 44100, 22050, 6


def _adts(path, rate: int, freq: float) -> bytes:
    """SECONDS of a tone at ``rate`` as raw ADTS frames."""
    out = av.open(str(path), "w", format="adts")
    stream = out.add_stream("aac", rate=rate)
    stream.layout = "stereo"
    t = np.arange(rate * SECONDS) / rate
    both = np.stack([0.3 * np.sin(2 * np.pi * freq * t)] * 2).astype(np.float32)
    for i in range(0, both.shape[1], 1024):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(both[:, i:i + 1024]),
                                           format=stream.codec_context.format.name,
                                           layout="stereo")
        frame.sample_rate, frame.pts = rate, i
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()
    return path.read_bytes()


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> tuple[bytes, bytes]:
    """A 44.1 kHz part and a 22.05 kHz one, as raw ADTS bytes."""
    folder = tmp_path_factory.mktemp("adts")
    return _adts(folder / "a.aac", FIRST, 440), _adts(folder / "b.aac", THEN, 880)


def _file_and_played_through(path, joined: bytes):
    """``path`` holding ``joined``, and what playing it through from the start plays."""
    path.write_bytes(joined)
    header, blocks = default_decoder(str(path))
    return path, header, np.concatenate(list(blocks))


@pytest.fixture(scope="module")
def song(tmp_path_factory, parts):
    """A 44.1 kHz part, a 22.05 kHz part, a 44.1 kHz one again, joined: one raw .aac file."""
    first, then = parts
    return _file_and_played_through(tmp_path_factory.mktemp("song") / "song.aac",
                                     first + then + first)


def _id3(size: int = 100) -> bytes:
    """An ID3v2.4 tag of ``size`` bytes after its header (a tagger's, at a file's start)."""
    return b"ID3\x04\x00\x00" + bytes([size >> 21 & 127, size >> 14 & 127, size >> 7 & 127,
                                        size & 127]) + b"\x00" * size


def test_the_first_sample_comes_without_the_file_read_whole(song, monkeypatch):
    """The frames were walked before the first sample: a one-hour file's 59 MB read (on a
    network share, seconds of silence), and again at each seek of a file being written."""
    path, _header, _whole = song
    walks = []
    walked = adts_rates._walked
    monkeypatch.setattr(adts_rates, "_seen", {})  # not walked yet
    monkeypatch.setattr(adts_rates, "_walked", lambda fh: walks.append(1) or walked(fh))
    _h, blocks = default_decoder(str(path))
    assert len(next(blocks)) > 0
    blocks.close()
    assert walks == []
    _h, blocks = default_decoder(str(path), start=9 * FIRST)  # a seek walks them, once
    assert len(next(blocks)) > 0
    blocks.close()
    assert walks == [1]


@pytest.mark.parametrize("seconds", [9.0, 15.0])
def test_files_joined_with_their_tags_seek_to_their_place(tmp_path, parts, seconds):
    """``cat`` of files each with its ID3 tag: the frames' walk stopped at the second tag,
    before the change, and FFmpeg's seek played the wrong place."""
    first, then = parts
    path, _header, whole = _file_and_played_through(
        tmp_path / "tagged.aac", _id3() + first + _id3() + then + _id3() + first)
    start = round(seconds * FIRST)
    _header, blocks = default_decoder(str(path), start=start)
    part = np.concatenate(list(blocks))
    assert len(part) == len(whole) - start
    np.testing.assert_allclose(part, whole[start:], atol=1e-3)


def test_a_seek_past_a_tag_after_the_change_decodes_only_near_its_place(tmp_path, parts,
                                                                         monkeypatch):
    """Past a tag between joined files, after the change, the walk had stopped: a seek there
    decoded every frame from the tag on (49 minutes of a one-hour file: seconds)."""
    first, then = parts
    path, _header, whole = _file_and_played_through(
        tmp_path / "joined.aac", first + then + _id3() + first * 4)
    start = len(whole) - 2 * FIRST
    opened_at = []
    frame_before = adts_rates.RateChange.frame_before
    monkeypatch.setattr(adts_rates.RateChange, "frame_before",
                        lambda self, s: opened_at.append(frame_before(self, s)) or opened_at[-1])
    _header, blocks = default_decoder(str(path), start=start)
    part = np.concatenate(list(blocks))
    np.testing.assert_allclose(part, whole[start:], atol=1e-3)
    [(_offset, began)] = opened_at
    assert began > start / FIRST - 1, f"decoded from {began:.1f} s, not near its place"


@pytest.mark.parametrize("seconds", [3.0, 5.95, 6.5, 9.0, 11.5, 14.0, 17.9])
def test_a_seek_plays_what_playing_through_plays_there(song, seconds):
    path, _header, whole = song
    start = round(seconds * FIRST)
    _header, blocks = default_decoder(str(path), start=start)
    part = np.concatenate(list(blocks))
    assert len(part) == len(whole) - start
    # (the decoder's overlap at the change, met from another place, differs by -70 dB)
    np.testing.assert_allclose(part, whole[start:], atol=1e-3)


def test_the_player_seeks_past_the_change_to_its_place(song):
    path, _header, whole = song
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    eng.seek_seconds(9.0)
    wait_for(lambda: eng.decoded_frames > 9 * FIRST + 4096 or eng.state != "playing")
    out = cards[0].pull(4096)
    np.testing.assert_allclose(out, whole[9 * FIRST:9 * FIRST + 4096] * eng.volume, atol=1e-3)
    eng.close()

"""The player's length of a track whose header does not tell it, as the library lists it: a
variable-bitrate raw AAC (ADTS) that opens quietly showed FFmpeg's guess from its first
frames' bit rate (3:38 for a 0:16 file: the slider's end and the length shown were minutes
late); its frames are counted now, as the scan counts them."""

from __future__ import annotations

import os

import numpy as np
import pytest
from adts_support import RATE, vbr_adts
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine
from musicsage.playback.decoders import default_decoder

pytestmark = pytest.mark.usefixtures("quick_worker")


def _whole(path) -> np.ndarray:
    """Every frame the decoder gives, from the start to where it stops."""
    return np.concatenate(list(default_decoder(str(path))[1]))


def _played_to_the_end(eng: PlaybackEngine, output: Output) -> None:
    card = output.cards[0]
    while eng.state == "playing":
        wait_for(lambda: eng.decoding_complete or eng.decoded_frames > eng.position + 4096)
        card.pull(4096)


def test_a_vbr_raw_aac_shows_its_counted_length_and_plays_it(tmp_path):
    path = tmp_path / "quiet intro.aac"
    vbr_adts(path)
    whole = _whole(path)
    assert 15.9 < len(whole) / RATE < 16.2
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state != "loading")
    assert eng.state == "playing", eng.error
    assert eng.duration == len(whole), "its frames' length, not the bit rate's guess"
    at = eng.seek_seconds(14.0)
    wait_for(lambda: eng.decoded_frames > at + RATE)
    np.testing.assert_allclose(output.cards[0].pull(RATE)[:, 0], whole[at:at + RATE, 0],
                               atol=1e-4)
    _played_to_the_end(eng, output)
    assert (eng.state, eng.error) == ("ended", "")
    eng.close()


def test_a_seek_does_not_count_the_frames_again(tmp_path, monkeypatch):
    """The decoder is opened again at every seek, and an hour's headers take half a second
    to walk: they are walked once, and again only once the file is written."""
    from musicsage.library import adts_frames

    path = tmp_path / "rip.aac"
    vbr_adts(path)
    walks = []
    count = adts_frames.counted_length
    monkeypatch.setattr(adts_frames, "counted_length", lambda p: walks.append(p) or count(p))
    lengths = set()
    for start in (0, 5 * RATE, 12 * RATE):
        header, blocks = default_decoder(str(path), start=start)
        blocks.close()
        lengths.add(header.frames)
    assert len(walks) == 1 and len(lengths) == 1
    os.utime(path, ns=(1, 1))  # written since (a tagger keeps the size, not the time)
    default_decoder(str(path))[1].close()
    assert len(walks) == 2

"""A track replaced on disk by a shorter one while it plays (trimmed, re-encoded by another
program): a seek that opens the file again says the file changed, not that its audio is
damaged — the new file is fine, only shorter than the slider still says. A tag added to it
(MP3Gain's APE tag) is no such change, though libsndfile's guess of an MP3's length grows."""

from __future__ import annotations

import os

import struct

import numpy as np
import pytest
import soundfile as sf
from mp3_support import encoded_mp3
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine

RATE = 8000


pytestmark = pytest.mark.usefixtures("quick_worker")


def tone(path, seconds: float) -> None:
    t = np.arange(round(seconds * RATE)) / RATE
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE)


@pytest.mark.parametrize("suffix", [".flac", ".wav"])
def test_a_seek_past_the_end_of_a_file_trimmed_while_it_plays_says_it_changed(tmp_path,
                                                                              suffix):
    path = tmp_path / f"song{suffix}"
    tone(path, 120)
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    cards[0].pull()
    tone(tmp_path / f"new{suffix}", 20)  # same rate and channels, a sixth of the length
    os.replace(tmp_path / f"new{suffix}", path)
    eng.seek_seconds(100)  # outside what is decoded: the file is opened again
    wait_for(lambda: cards[0].pull() is not None and eng.state != "playing")  # (a card plays on)
    assert eng.error_kind == "file"
    assert eng.error == (f"cannot play song{suffix}: the file changed on disk while playing; "
                         "start it again to play it as it is now")
    assert "damaged" not in eng.error
    eng.close()


def with_mp3gain_tag(path) -> None:
    """An APEv2 tag appended, as MP3Gain writes its undo information."""
    items = struct.pack("<II", 7, 0) + b"MP3GAIN_MINMAX\x00" + b"100,200"
    size = struct.pack("<II", 2000, len(items) + 32)
    with open(path, "ab") as out:
        out.write(b"APETAGEX" + size + struct.pack("<II", 1, 0xA0000000) + bytes(8)
                  + items + b"APETAGEX" + size + struct.pack("<II", 1, 0) + bytes(8))


def test_a_seek_after_a_tag_was_added_to_a_playing_mp3_plays_on(tmp_path, monkeypatch):
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "AHEAD_SECONDS", 2.0)  # 15 s in is outside what is held
    monkeypatch.setattr(engine, "REFILL_SECONDS", 1.0)
    path = tmp_path / "song.mp3"
    encoded_mp3(str(path), 20.0, {"b": "128k"}, noise_seconds=0.0)  # no Xing: length guessed
    guess = sf.info(str(path)).frames
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    cards[0].pull()
    with_mp3gain_tag(path)
    assert sf.info(str(path)).frames > guess  # libsndfile's guess grew
    eng.seek_seconds(15)
    wait_for(lambda: eng.decoded_frames > 16 * 44100 or eng.state != "playing")
    assert eng.state == "playing" and eng.error == ""
    assert np.abs(cards[0].pull(4096)).max() > 0.05  # the song plays on at 0:15
    eng.close()

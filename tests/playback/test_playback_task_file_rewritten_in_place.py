"""A track's file rewritten in place while it plays (``cp other.mp3 song.flac``, a tool that
trims or re-encodes into the same file): the decoder still reading it met the new bytes, or
their end, and the track just stopped there — "ended" at 0:06 of 0:20, the slider's length
cut to match, and the queue went on as if the song were over, without a word. Now the player
says the file changed on disk, as a seek that opens it again does.

A file replaced by another one (a new file moved over it) is no such change: the decoder reads
the file it opened, which is whole, and the track plays to its end."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import soundfile as sf
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine

RATE = 8000
SECONDS = 20
CHANGED = "the file changed on disk while playing; start it again to play it as it is now"

pytestmark = pytest.mark.usefixtures("quick_worker")


@pytest.fixture
def small_buffer(monkeypatch):
    """Two seconds decoded ahead: most of a 20-second file is read while it plays."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "AHEAD_SECONDS", 2.0)
    monkeypatch.setattr(engine, "REFILL_SECONDS", 1.0)
    monkeypatch.setattr(engine, "BEHIND_SECONDS", 0.5)


def tone(path, seconds: float = SECONDS, **kwargs) -> None:
    t = np.arange(round(seconds * RATE)) / RATE
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE,
             **kwargs)


def playing(path) -> tuple[PlaybackEngine, list[Card]]:
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    cards[0].pull()
    return eng, cards


def played_through(eng: PlaybackEngine, card: Card) -> None:
    """Pull the card until the track stops, as a sound card does, never faster than the
    decoder (a card pulled past what is decoded gets silence, and would spin)."""
    wait_for(lambda: (eng.decoded_frames - eng.position > 1024 or eng.decoding_complete)
             and card.pull(1024) is not None and eng.state != "playing")


@pytest.mark.parametrize("suffix", [".wav", ".flac"])
def test_a_file_cut_short_in_place_while_it_plays_says_it_changed(tmp_path, suffix,
                                                                  small_buffer):
    path = tmp_path / f"song{suffix}"
    tone(path)
    eng, cards = playing(path)
    with open(path, "r+b") as f:  # a third of it left, in the same file
        f.truncate(os.path.getsize(path) // 3)
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file")
    assert eng.error.startswith(f"cannot play song{suffix} past 0:0")
    assert eng.error.endswith(CHANGED)


def test_a_file_overwritten_by_another_format_while_it_plays_says_it_changed(tmp_path,
                                                                            small_buffer):
    path = tmp_path / "song.flac"
    tone(path)
    eng, cards = playing(path)
    tone(tmp_path / "other.ogg", format="OGG", subtype="VORBIS")
    shutil.copyfile(tmp_path / "other.ogg", path)  # written into the same file
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file")
    assert eng.error.endswith(CHANGED) and "damaged" not in eng.error


def test_a_file_replaced_by_another_file_while_it_plays_plays_to_its_end(tmp_path,
                                                                        small_buffer):
    path = tmp_path / "song.flac"
    tone(path)
    eng, cards = playing(path)
    tone(tmp_path / "new.flac", 5)
    os.replace(tmp_path / "new.flac", path)  # a new file: the one opened is still whole
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
    assert eng.position == SECONDS * RATE


def test_a_file_whose_header_says_more_than_it_holds_still_ends_quietly(tmp_path,
                                                                       small_buffer):
    """A download cut short long before it was played (not changed while playing) plays what
    it holds and ends, as before."""
    path = tmp_path / "song.wav"
    tone(path)
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) // 3)
    eng, cards = playing(path)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")

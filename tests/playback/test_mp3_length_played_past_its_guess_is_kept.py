"""An MP3 whose length libsndfile only guessed plays on past the guess, and the slider's length
grows with what was played. A seek back (outside what is held) started a new run of decoding,
and the length fell back to the guess with it: a seek past the guess then landed at the guess.
The furthest point ever reached is kept."""

from __future__ import annotations

import pytest
import soundfile as sf
from mp3_support import RATE, encoded_mp3
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine


@pytest.fixture(autouse=True)
def _small_bounds(monkeypatch, quick_worker):
    """Decode only 2 s ahead and keep 1 s behind: the file is never read to its end."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "AHEAD_SECONDS", 2.0)
    monkeypatch.setattr(engine, "REFILL_SECONDS", 1.0)
    monkeypatch.setattr(engine, "BEHIND_SECONDS", 1.0)


def _played_past_the_guess(tmp_path) -> tuple[PlaybackEngine, list[Card], float]:
    """An engine that played a 30-s MP3 from 1 s before libsndfile's guessed length to 2 s
    past it, with the cards its output was given and that guess in seconds."""
    path = tmp_path / "rip.mp3"
    encoded_mp3(str(path), 30.0)
    guess = sf.info(str(path)).frames / RATE
    assert guess < 24, "libsndfile's length is a short guess"
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(path, start_seconds=guess - 1, autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    while eng.position_seconds < guess + 2:  # played 2 s past the guess
        wait_for(lambda: eng.decoded_frames - eng.position > 4096)
        cards[0].pull(4096)
    return eng, cards, guess


def test_a_seek_back_keeps_the_length_played_past_the_guess(tmp_path):
    eng, cards, guess = _played_past_the_guess(tmp_path)
    reached = eng.duration_seconds
    assert reached > guess + 2
    eng.seek_seconds(0)  # far outside what is held: a new run from the start
    wait_for(lambda: eng.decoded_frames > 0)
    assert eng.duration_seconds >= reached, "the length played is kept"
    eng.seek_seconds(guess + 1.5)
    assert eng.position_seconds == pytest.approx(guess + 1.5, abs=0.01), "not clamped to the guess"
    eng.close()


def test_play_after_a_lost_device_past_an_mp3_guess_keeps_the_place(tmp_path):
    """Play after the device was lost loads the track again, whose new run knows only the
    guess: the place past it was clamped back to the guess (2:30:00 of a rip → 0:30:00)."""
    eng, cards, guess = _played_past_the_guess(tmp_path)
    cards[0].active = False  # the device went away
    wait_for(lambda: eng.state == "error")
    lost_at = eng.position_seconds
    assert lost_at > guess + 2
    eng.play()
    wait_for(lambda: eng.state == "playing" and len(cards) > 1 and cards[-1].active)
    assert eng.position_seconds == pytest.approx(lost_at, abs=0.01), "not back at the guess"
    assert eng.duration_seconds >= lost_at
    eng.close()

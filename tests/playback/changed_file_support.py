"""What the tests of a track's file changed while it plays share: a small decode-ahead buffer
(so most of the file is read after the change), a track started on a sound card pulled by
hand, and that card pulled until the track stops."""

from __future__ import annotations

import pytest
from playback_support import Card, wait_for

from musicsage.playback import PlaybackEngine

@pytest.fixture
def small_buffer(monkeypatch):
    """Two seconds decoded ahead: most of the file is read while it plays, after the change."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "AHEAD_SECONDS", 2.0)
    monkeypatch.setattr(engine, "REFILL_SECONDS", 1.0)
    monkeypatch.setattr(engine, "BEHIND_SECONDS", 0.5)


def playing(path) -> tuple[PlaybackEngine, list[Card]]:
    """``path`` loaded and playing on a hand-pulled card, its first block pulled."""
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(str(path), autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    cards[0].pull()
    return eng, cards


def played_through(eng: PlaybackEngine, card: Card) -> None:
    """Pull the card until the track stops, as a sound card does, never faster than the
    decoder (a card pulled past what is decoded gets silence, and would spin)."""
    wait_for(lambda: (eng.decoded_frames - eng.position > 1024 or eng.decoding_complete)
             and card.pull(1024) is not None and eng.state != "playing")

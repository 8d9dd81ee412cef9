"""A file whose header's length is an estimate a little past its audio (a raw ADTS .aac: the
decoder stops "short" of it on every play) was said to have "changed on disk while playing"
when, as it played, a new file was moved over it (a tagger's temporary file renamed, rsync) or
it was only touched: a track that played whole ended in an error, and the queue said so. The
decoder read the file it opened, whole; only a file written into (the same file, its size
changed) is no longer the track it played."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine
from musicsage.playback.decoders import default_decoder

av = pytest.importorskip("av")

RATE = 44100
SECONDS = 10
CHANGED = "the file changed on disk while playing; start it again to play it as it is now"

pytestmark = pytest.mark.usefixtures("quick_worker")


@pytest.fixture
def small_buffer(monkeypatch):
    """Two seconds decoded ahead: most of the file is read after the change."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "AHEAD_SECONDS", 2.0)
    monkeypatch.setattr(engine, "REFILL_SECONDS", 1.0)
    monkeypatch.setattr(engine, "BEHIND_SECONDS", 0.5)


def adts(path) -> None:
    """A raw ADTS AAC file (no container: its length is guessed from its size)."""
    out = av.open(str(path), "w", format="adts")
    stream = out.add_stream("aac", rate=RATE)
    stream.layout = "stereo"
    t = np.arange(RATE * SECONDS) / RATE
    y = (0.3 * np.sin(2 * np.pi * 440 * t * (1 + t))).astype(np.float32)
    y += (np.random.default_rng(0).standard_normal(len(y)) * 0.1 * (t % 2 > 1)).astype(
        np.float32)
    both, step = np.stack([y, y]), 1024  # an AAC frame
    for i in range(0, len(y), step):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(both[:, i:i + step]),
                                           format=stream.codec_context.format.name,
                                           layout="stereo")
        frame.sample_rate, frame.pts = RATE, i
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()


def playing(path) -> tuple[PlaybackEngine, list[Card]]:
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1])
    eng.load(str(path), autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    cards[0].pull()
    return eng, cards


def played_through(eng: PlaybackEngine, card: Card) -> None:
    """Pull the card until the track stops, never faster than the decoder."""
    wait_for(lambda: (eng.decoded_frames - eng.position > 1024 or eng.decoding_complete)
             and card.pull(1024) is not None and eng.state != "playing")


@pytest.fixture
def song(tmp_path):
    path = tmp_path / "song.aac"
    adts(path)
    header, blocks = default_decoder(str(path))
    decoded = sum(len(b) for b in blocks)
    assert header.frames and decoded < header.frames, "the header's length runs past its audio"
    return path


def test_a_new_file_moved_over_it_while_it_plays_plays_to_its_end(song, small_buffer):
    eng, cards = playing(song)
    shutil.copyfile(song, song.parent / "new.aac")  # a tagger's temporary file, renamed
    os.replace(song.parent / "new.aac", song)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")


def test_a_file_touched_while_it_plays_plays_to_its_end(song, small_buffer):
    eng, cards = playing(song)
    os.utime(song, ns=(1, 1))  # its time alone: a touch, tags edited within their padding
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")


def test_the_same_file_cut_short_while_it_plays_still_says_it_changed(song, small_buffer):
    eng, cards = playing(song)
    with open(song, "r+b") as f:
        f.truncate(os.path.getsize(song) // 3)
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file")
    assert eng.error.endswith(CHANGED)

"""The scan's note on a WAV whose header understates its audio said that musicsage "plays all
of it" for every such file, yet a WAV's 32-bit sizes cannot state 4 GiB or more, so the player
keeps the header's length there (a recorder killed past 4 GiB, or a 32-bit writer that wrapped
a longer take's sizes: 0:10 played of 6:45:57 stored). For such a file the note says that the
player, as most players, stops at the header's length, and how to rewrite it as RF64 (a WAV
cannot hold it, and sox writes no RF64); a smaller one's note still says it plays all of it."""

from __future__ import annotations

import os

from adts_support import RATE, understated_wav

from musicsage.library import wav_tail
from musicsage.library.paths import shell_word
from musicsage.playback.decoders import default_decoder

STATED_SECONDS = 10


def _wrapped_take(path) -> None:
    """A sparse 16-bit mono WAV of 4.3 GB whose sizes state its first 10 s (wrapped)."""
    understated_wav(path, seconds=STATED_SECONDS + 1.0, stated=STATED_SECONDS)
    with open(path, "r+b") as fh:
        fh.truncate(4_300_000_000)


def test_the_note_on_a_wav_of_4_gib_says_the_player_stops_at_the_header(tmp_path):
    path = tmp_path / "long take.wav"
    _wrapped_take(path)
    note = wav_tail.tail_note(str(path))
    assert note is not None
    assert "plays all of it" not in note
    assert "musicsage's player, as most players, stops at the header's length" in note
    fixed = shell_word(os.path.splitext(path)[0] + "-fixed.wav")
    assert f"-i {shell_word(str(path))} -c copy -rf64 auto {fixed}`" in note
    assert "sox" not in note
    header, blocks = default_decoder(str(path))
    blocks.close()
    assert header.frames == RATE * STATED_SECONDS, "what the note says of the player holds"


def test_a_smaller_ones_note_still_says_it_plays_all_of_it(tmp_path):
    path = tmp_path / "take.wav"
    understated_wav(path)
    note = wav_tail.tail_note(str(path))
    assert "musicsage analyses and plays all of it" in note and "sox --ignore-length" in note
    header, blocks = default_decoder(str(path))
    blocks.close()
    assert header.frames == RATE * 10

"""A raw AAC (ADTS) file's first play waited for all its frame headers to be walked (the whole
file: 5 s for an hour's mix on a slow network share) before a sound was heard. The count runs
on a thread of its own now: a slow one is waited for a moment, then the track plays, showing
the library's length (the scan counts the same frames), seeks within it, and ends at the
file's end; later opens (every seek) use the count once it is done. A count done in time
still gives the exact length, and a file whose frames cannot be counted FFmpeg's guess."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from adts_support import RATE, vbr_adts
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.library import adts_frames
from musicsage.playback import PlaybackEngine, adts_length
from musicsage.playback.decoders import default_decoder

pytestmark = pytest.mark.usefixtures("quick_worker")

RELEASED_AFTER = 5.0
"""When a test's slow count gives its answer at the latest (on HEAD the open waited so)."""


@pytest.fixture
def slow_count(monkeypatch):
    """Every frame count waits for the returned event (set at the latest after
    :data:`RELEASED_AFTER`), as a walk of an hour's headers on a slow share does; the paths
    counted are listed on the event (``walks``)."""
    release = threading.Event()
    release.walks = []
    count = adts_frames.counted_length

    def slow(path):
        release.walks.append(path)
        release.wait(RELEASED_AFTER)
        return count(path)

    monkeypatch.setattr(adts_frames, "counted_length", slow)
    yield release
    release.set()


def _whole(path) -> np.ndarray:
    """Every frame the decoder gives (its length FFmpeg's guess or the count: not looked at)."""
    return np.concatenate(list(default_decoder(str(path))[1]))


def test_the_first_play_starts_before_a_slow_count_ends_and_plays_whole(tmp_path, slow_count):
    path = tmp_path / "long mix.aac"
    vbr_adts(path)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    begun = time.monotonic()
    eng.load(path, autoplay=True, length_seconds=16.0)  # the library's
    wait_for(lambda: eng.state != "loading")
    assert time.monotonic() - begun < RELEASED_AFTER / 2, "it waited for the count"
    assert eng.state == "playing", eng.error
    assert eng.duration_seconds == 16.0, "the library's length, not the bit rate's guess"
    slow_count.set()
    whole = _whole(path)
    at = eng.seek_seconds(14.0)
    wait_for(lambda: eng.decoded_frames > at + RATE // 2)
    card = output.cards[0]
    np.testing.assert_allclose(card.pull(RATE // 2)[:, 0], whole[at:at + RATE // 2, 0],
                               atol=1e-4)
    while eng.state == "playing":
        wait_for(lambda: eng.decoding_complete or eng.decoded_frames > eng.position + 4096)
        card.pull(4096)
    assert (eng.state, eng.error) == ("ended", "")
    assert eng.position == eng.duration == len(whole), "it ends at the file's end"
    assert len(slow_count.walks) == 1, "the headers were walked once"
    eng.close()


def test_an_open_after_the_count_has_the_counted_length(tmp_path, slow_count):
    path = tmp_path / "rip.aac"
    vbr_adts(path)
    header, blocks = default_decoder(str(path))
    blocks.close()
    assert header.frames is None, "not known yet: the library's is shown"
    slow_count.set()
    counted = adts_frames.counted_length(str(path))
    header, blocks = default_decoder(str(path), start=5 * RATE)  # a seek's
    blocks.close()
    assert header.frames == counted[0]
    assert len(slow_count.walks) == 2, "walked once by the player (the test's own is the other)"


def test_a_count_done_in_time_gives_the_exact_length_at_once(tmp_path):
    path = tmp_path / "short.aac"
    vbr_adts(path)
    header, blocks = default_decoder(str(path))
    blocks.close()
    assert header.frames == adts_frames.counted_length(str(path))[0]


def test_frames_that_cannot_be_counted_leave_ffmpegs_guess(tmp_path, monkeypatch):
    path = tmp_path / "odd.aac"
    vbr_adts(path)
    monkeypatch.setattr(adts_frames, "counted_length", lambda p: None)
    assert adts_length.length_frames(str(path), RATE, 1234) == 1234

"""MP3 files joined end to end into one (a concatenated mix, a stream rip saved in parts),
without a Xing header: libsndfile guesses the length and stops there, and FFmpeg, taking over
from there, met the second file's tag as invalid data at 0:10 and gave up — the player said
"damaged audio data" at 0:20 though the file plays fine to 0:30. Invalid packets are skipped;
a file whose audio past the guess is nothing but damage still says so. A seek a few samples
before the guess kept only those few of libsndfile's to match FFmpeg's against, and in a tone
(four files joined: the guess lies in the third one's) a false match put it thousands off."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from mp3_support import (PAST_THE_GUESS_S, RATE, encoded_mp3, ffmpeg_decoded,
                          joined_with_the_guess_in)

from musicsage.library.mpeg_frames import frame_at
from musicsage.playback import DamagedAudio, default_decoder
from musicsage.playback.mpeg_length import first_frame_at, length_guessed


@pytest.mark.parametrize("part", ["noise", "tone"])  # tone: where a false match was made
def test_joined_vbr_mp3_files_play_to_the_end_of_the_last(tmp_path, part):
    one, path = str(tmp_path / "one.mp3"), str(tmp_path / "joined.mp3")
    encoded_mp3(one, 10.0)
    copies = joined_with_the_guess_in(one, path, part)  # the guess is the encoder's
    guess = sf.info(path).frames
    assert length_guessed(path) and guess < (10 * copies - PAST_THE_GUESS_S) * RATE, "short"
    _header, blocks = default_decoder(path)
    through = np.concatenate(list(blocks))  # no DamagedAudio
    whole = ffmpeg_decoded(path, skip_invalid=True)
    taken = where_ffmpeg_took_over(through[guess - 2000:guess], whole, guess)
    assert np.abs(through[guess:guess + 2000] - whole[taken:taken + 2000]).max() < 1e-4, \
        "FFmpeg's samples right after libsndfile's last ones: no gap, no repeat"
    assert len(through) == guess + len(whole) - taken > (10 * copies - 0.1) * RATE
    assert np.abs(through[-2 * RATE:-RATE]).max() > 0.1, "the last file's tone, heard"
    for start in (guess - 10, guess, guess + 1, guess + 3 * RATE):  # lands where playing got to
        _header, blocks = default_decoder(path, start)
        got = np.concatenate(list(blocks))
        assert len(got) == len(through) - start, start
        assert np.abs(got - through[start:]).max() < 1e-4, start


def where_ffmpeg_took_over(before: np.ndarray, whole: np.ndarray, guess: int) -> int:
    """Where in FFmpeg's decode libsndfile's last samples ``before`` end (libsndfile counts
    2,304 samples more per join than FFmpeg: they are the same music, not at the same count)."""
    for end in range(guess - 8 * 1152, guess + 8 * 1152):
        if np.abs(whole[end - len(before):end] - before).max() < 1e-4:
            return end
    raise AssertionError("libsndfile's last samples are nowhere near its guess in FFmpeg's")


def damaged_from(path: str, first_bad: int) -> None:
    """Every frame from the ``first_bad``-th on: its header kept, its data all ones."""
    data = bytearray(open(path, "rb").read())
    with open(path, "rb") as fh:
        at = first_frame_at(fh)
    n = 0
    while (frame := frame_at(bytes(data), at)) is not None:
        size = frame[0]
        if n >= first_bad:
            data[at + 4:at + size] = b"\xff" * (size - 4)
        at, n = at + size, n + 1
    open(path, "wb").write(bytes(data))


def test_an_mp3_damaged_all_the_way_past_the_guess_still_says_so(tmp_path):
    path = str(tmp_path / "rip.mp3")
    encoded_mp3(path, 10.0)
    guess = sf.info(path).frames
    damaged_from(path, guess // 1152)  # the frame the guess lies in, and all after it
    _header, blocks = default_decoder(path)
    got = []
    with pytest.raises(DamagedAudio, match="^rip.mp3: damaged audio data$"):
        got.extend(blocks)
    assert sum(map(len, got)) == guess  # everything libsndfile read, up to its guess

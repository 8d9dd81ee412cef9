"""An MP3 or MP2 stream whose sample rate changes once midway (44.1 kHz, then 48 kHz: a
broadcast recording whose programme changed, rips saved end to end, no length header).
Only the first rate's frames were counted, so its length read 0:10 of 0:20, and libsndfile
(which stops at the change) stopping there was taken for the track's end: the rest never
played, without a word. The frames of every rate are counted now (each as the samples of
the first rate it plays for), and the player goes on through FFmpeg at the change, the second
part at its own pitch; the scan stores the whole length, and the embedder's excerpts in the
second part are read at the right pitch (libsndfile's read, which stops at the change, said
the file ended early)."""

from __future__ import annotations

import numpy as np
import pytest
from mp3_support import RATE
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture
from test_playback_stream_turning_mono_plays_on import LEVEL, encoded

from musicsage.library.mpeg_frames import counted_length
from musicsage.playback import PlaybackEngine, default_decoder

SECONDS = 10
PITCHES = (440, 1000)


def rate_changed(tmp_path, codec: str, fmt: str, layouts=("stereo", "stereo"),
                 rates=(RATE, 48000)) -> str:
    """``SECONDS`` at 440 Hz, then as long at 1 kHz, each part at its rate and layout."""
    data = b""
    for i, (rate, layout, hz) in enumerate(zip(rates, layouts, PITCHES)):
        t = np.arange(SECONDS * rate) / rate
        y = (LEVEL * np.sin(2 * np.pi * hz * t)).astype(np.float32)
        encoded(tmp_path / f"{i}.tmp", y, layout, codec, fmt, rate)
        data += (tmp_path / f"{i}.tmp").read_bytes()
    path = tmp_path / f"broadcast.{fmt}"
    path.write_bytes(data)
    return str(path)


def pitch(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


@pytest.mark.parametrize("codec, fmt", [("libmp3lame", "mp3"), ("mp2", "mp2")])
def test_a_stream_changing_rate_midway_plays_to_its_end_at_its_pitch(tmp_path, codec, fmt):
    path = rate_changed(tmp_path, codec, fmt)
    samples, rate = counted_length(path)
    assert rate == RATE and abs(samples / RATE - 2 * SECONDS) < 0.2, samples / RATE
    header, blocks = default_decoder(path)
    assert abs(header.frames / RATE - 2 * SECONDS) < 0.2, "the slider's end: both parts"
    through = np.concatenate(list(blocks))
    assert len(through) > (2 * SECONDS - 0.2) * RATE, f"stopped at {len(through) / RATE:.2f} s"
    assert abs(pitch(through[2 * RATE:4 * RATE, 0], RATE) - PITCHES[0]) < 2
    assert abs(pitch(through[14 * RATE:16 * RATE, 0], RATE) - PITCHES[1]) < 2


def test_the_player_plays_past_the_change_to_the_end(tmp_path, quick_worker):
    path = rate_changed(tmp_path, "libmp3lame", "mp3")
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing")
    assert eng.duration_seconds > 2 * SECONDS - 0.2
    eng.seek_seconds(SECONDS - 1)
    wait_for(lambda: eng.decoded_frames > (SECONDS + 2) * RATE or eng.state != "playing")
    for _ in range(round(3 * RATE / 4096)):
        output.cards[-1].pull(4096)
    assert eng.state == "playing" and eng.error == "" and eng.note == ""
    assert eng.position_seconds > SECONDS + 1
    assert np.abs(output.cards[-1].pull(4096)).max() > LEVEL / 2, "the second part plays"
    eng.close()


@pytest.mark.parametrize("layouts, rates", [(("stereo", "stereo"), (RATE, 48000)),
                                            (("stereo", "mono"), (RATE, RATE))])
def test_the_embedders_excerpts_of_the_second_part_are_read_at_its_pitch(tmp_path, layouts,
                                                                        rates):
    """A stream turning mono midway was refused as "audio ends early (truncated or
    damaged file?)": libsndfile read it, and stopped at the change."""
    from musicsage.audio import decode

    path = rate_changed(tmp_path, "libmp3lame", "mp3", layouts, rates)
    info = decode.probe(path)
    assert abs(info.duration_s - 2 * SECONDS) < 0.2
    sr = 22050
    out = decode.read_spans(path, [(2.0, 1.0), (15.0, 1.0)], sr=sr)
    assert [len(x) for x in out] == [sr, sr]
    assert [round(pitch(x, sr)) for x in out] == list(PITCHES)

"""An MP3 without a Xing/Info header (a stream rip, an old encoder) shows its whole length from
the start of playing, the length its frames hold (as the library lists it), not libsndfile's
guess from the first frame's bitrate: the slider's end, the length label and where a seek may
go were that guess — a minute short of a 2-minute song — until playing got near it."""

from __future__ import annotations

import soundfile as sf
from mp3_support import RATE, encoded_mp3, ffmpeg_decoded, lame, tone
from playback_support import Output, quick_worker, wait_for  # noqa: F401 (a fixture)

from musicsage.playback import PlaybackEngine


def test_the_length_and_a_seek_past_the_guess_hold_from_the_start(tmp_path, quick_worker):
    path = str(tmp_path / "rip.mp3")
    encoded_mp3(path, seconds=70.0, noise_seconds=6.0)
    guess = sf.info(path).frames
    whole = len(ffmpeg_decoded(path))
    assert guess < whole - 20 * RATE, "libsndfile's guess is short by more than 20 s"
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing")
    assert eng.duration == whole, "the length its frames hold, before any is decoded there"
    assert eng.seek_seconds(65.0) == 65 * RATE, "a seek past the guess is not held back at it"
    wait_for(lambda: eng.decoded_frames > 65 * RATE)
    output.cards[-1].pull(512)
    assert eng.position == 65 * RATE + 512
    assert eng.duration == whole
    eng.close()


def test_a_tag_at_the_end_is_not_counted_as_minutes_of_song(tmp_path, quick_worker):
    """A constant-bitrate MP3 without the header, cover art in an APE tag at its end: the
    guess counted the tag's 2 MiB as 2 minutes of audio (2:31 shown for a 0:20 song, which
    then ended with the slider at an eighth of its way)."""
    path = tmp_path / "tagged.mp3"
    lame(str(path), tone(20.0), {"b": "128k"}, {"write_xing": "0"})
    art = 2 * 1024 * 1024
    with open(path, "ab") as fh:
        fh.write(b"APETAGEX" + (2000).to_bytes(4, "little") + art.to_bytes(4, "little")
                 + bytes(art))
    assert sf.info(str(path)).frames > 120 * RATE, "libsndfile's guess counts the tag"
    eng = PlaybackEngine(stream_factory=Output())
    eng.load(str(path), autoplay=True)
    wait_for(lambda: eng.state == "playing")
    assert 20 <= eng.duration_seconds < 20.1
    eng.close()

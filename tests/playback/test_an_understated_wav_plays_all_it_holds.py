"""A WAV whose header understates its audio (a recorder killed mid-write: its sizes say 4 s,
the file holds 10 s) is stored and analysed whole, but the player stopped at the header's 4 s:
a click played 4 s of a 10 s take, and the length shown and the seek bar disagreed with what
played. It plays all it holds now, its length the scan's and its seeks exact, read by
libsndfile as every WAV is; a WAV whose stated end is followed by a chunk keeps its length."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
import soundfile as sf
from adts_support import RATE, understated_wav
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.audio import decode
from musicsage.playback import PlaybackEngine
from musicsage.playback.decoders import default_decoder

pytestmark = pytest.mark.usefixtures("quick_worker")


def _tone(seconds: float) -> np.ndarray:
    """The audio :func:`understated_wav` writes, as its 16-bit samples read back."""
    tone = 0.5 * np.sin(np.arange(int(RATE * seconds)) * 0.2)
    return np.round(tone.astype(np.float32) * 32767) / 32768


def test_the_decoder_gives_all_it_holds_as_the_scan_counts_it(tmp_path):
    path = tmp_path / "take.wav"
    understated_wav(path)  # its header: 4 s of the 10
    header, blocks = default_decoder(str(path))
    audio = np.concatenate(list(blocks))
    assert header.frames == 10 * RATE == len(audio)
    assert abs(decode.probe(path).duration_s - header.frames / RATE) < 0.001, "the scan's"
    np.testing.assert_allclose(audio[:, 0], _tone(10), atol=1e-4)
    header, blocks = default_decoder(str(path), start=7 * RATE)  # a seek past the stated end
    np.testing.assert_allclose(np.concatenate(list(blocks))[:, 0], _tone(10)[7 * RATE:],
                               atol=1e-4)


def test_the_player_plays_it_to_its_end_and_seeks_past_the_stated_end(tmp_path):
    path = tmp_path / "long take.wav"
    understated_wav(path)
    tone = _tone(10)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state != "loading")
    assert eng.state == "playing", eng.error
    assert eng.duration_seconds == 10.0, "the length the track list shows"
    card = output.cards[0]
    np.testing.assert_allclose(card.pull(RATE)[:, 0], tone[:RATE], atol=1e-4)
    at = eng.seek_seconds(8.0)
    wait_for(lambda: eng.decoded_frames >= at + RATE)
    np.testing.assert_allclose(card.pull(RATE)[:, 0], tone[at:at + RATE], atol=1e-4)
    card.pull(RATE + 512)
    wait_for(lambda: eng.state == "ended")
    assert eng.error == "" and eng.position == 10 * RATE
    eng.close()


def test_a_chunk_after_the_stated_audio_keeps_the_stated_length(tmp_path):
    """A tag chunk after the audio (mutagen's ``id3 ``) is no audio: read as such, it was
    noise (see :mod:`musicsage.library.wav_tail`)."""
    buf = io.BytesIO()
    sf.write(buf, np.zeros(RATE * 4, np.float32), RATE, subtype="PCM_16", format="WAV")
    tag = np.random.default_rng(3).bytes(RATE * 4)
    data = bytearray(buf.getvalue()) + b"id3 " + len(tag).to_bytes(4, "little") + tag
    data[4:8] = (len(data) - 8).to_bytes(4, "little")
    path = tmp_path / "tagged.wav"
    path.write_bytes(bytes(data))
    header, blocks = default_decoder(str(path))
    assert header.frames == len(np.concatenate(list(blocks))) == 4 * RATE


@pytest.mark.usefixtures("small_buffer")
def test_one_copied_over_by_a_stereo_wav_while_it_plays_is_the_files_error(tmp_path):
    """Read through FFmpeg, the new bytes played as noise: its width is watched as any WAV's
    (:class:`~musicsage.playback.read_stops.OverwriteWatch`)."""
    path, other = tmp_path / "take.wav", tmp_path / "other.wav"
    understated_wav(path, seconds=60.0, stated=20.0)
    tone = _tone(60)
    sf.write(other, np.stack([tone, -tone], 1), RATE, subtype="PCM_16")
    eng, cards = playing(path)
    assert eng.duration_seconds == 60.0
    shutil.copyfile(other, path)  # as cp does: the file playing gets the new bytes
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file"), eng.error
    assert eng.error.endswith("the file changed on disk while playing; start it again to "
                              "play it as it is now")
    assert eng.position < 30 * RATE, "the new bytes were played at the old width"
    eng.close()

"""A track's length told right where the header does not tell it.

A raw AAC (ADTS) file has no length header: FFmpeg guessed it from the first frames' bit rate,
and a file that opens with silence was said to last ten times its length, so ``embed``'s
excerpts, spread over the guess, fell past the end. Its frames are counted now.

A WAV whose ``data`` chunk states less than follows it (a recorder that stopped before it
last fixed its header, audio appended) was read to the stated end only: the rest was never
heard. When the ``data`` chunk is the file's last, the rest is read too, and one line says
so. A WAV whose header states more than it holds (cut short) reads as what it holds, as before.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from adts_support import vbr_adts

from musicsage.audio import decode
from musicsage.audio.embedder import excerpt_spans
from musicsage.library import adts_frames, wav_tail

RATE = 22050


def _decoded_seconds(path: Path) -> float:
    """What a decode from start to end gives, in seconds (the truth probe must tell)."""
    import av

    with av.open(str(path)) as c:
        return sum(f.samples for f in c.decode(c.streams.audio[0])) / RATE


@pytest.fixture(scope="module")
def vbr_aac(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("aac") / "quiet intro.aac"
    vbr_adts(path)
    return path


def test_vbr_aac_length_is_its_frames_not_a_bit_rate_guess(vbr_aac):
    truth = _decoded_seconds(vbr_aac)
    assert 15.9 < truth < 16.2
    assert decode.probe(vbr_aac).duration_s == pytest.approx(truth, abs=0.01)


def test_vbr_aac_excerpts_are_spread_over_its_real_length(vbr_aac):
    info = decode.probe(vbr_aac)
    spans = excerpt_spans(info.duration_s, max_seconds=6.0, n_excerpts=3)
    got = decode.read_spans(vbr_aac, spans, sr=16000, info=info)
    assert [len(x) for x in got] == [32000] * 3, "every excerpt lies inside the audio"
    assert np.sqrt(np.mean(got[-1] ** 2)) > 0.1, "the last excerpt is the loud end"


def test_adts_count_skips_tags_and_bytes_that_are_no_frame(vbr_aac, tmp_path):
    samples, rate = adts_frames.counted_length(vbr_aac)
    data = vbr_aac.read_bytes()
    id3v2 = b"ID3\x04\x00\x00\x00\x00\x01\x00" + bytes(128)  # a 138-byte tag before
    middle = len(data) // 2
    messy = tmp_path / "tagged.aac"
    messy.write_bytes(id3v2 + data[:middle] + b"junk" * 50 + data[middle:]
                      + b"TAG" + bytes(125))
    again, again_rate = adts_frames.counted_length(messy)
    assert again_rate == rate == RATE
    assert abs(again - samples) <= 2 * 1024, "one frame hit by the junk at most"
    assert adts_frames.counted_length(tmp_path / "gone.aac") is None


def test_a_file_that_is_no_adts_is_not_counted(tmp_path):
    wav = tmp_path / "tone.wav"
    sf.write(wav, np.zeros(RATE, np.float32), RATE)
    assert adts_frames.counted_length(wav) is None


def _wav(seconds: float, *, after: bytes = b"") -> bytearray:
    """A mono 16-bit WAV: silence for its first half, then a loud tone."""
    n = int(RATE * seconds)
    tone = np.where(np.arange(n) < n // 2, 0.0, 0.5 * np.sin(np.arange(n) * 0.2))
    buf = io.BytesIO()
    sf.write(buf, tone.astype(np.float32), RATE, subtype="PCM_16", format="WAV")
    return bytearray(buf.getvalue()) + after


def _state_seconds(data: bytearray, seconds: float) -> bytearray:
    """``data`` with its ``data`` chunk (and RIFF) size saying ``seconds`` of audio."""
    at = data.index(b"data")
    size = int(RATE * seconds) * 2
    data[at + 4:at + 8] = size.to_bytes(4, "little")
    data[4:8] = (at + size).to_bytes(4, "little")
    return data


def test_wav_header_understating_its_audio_is_read_to_the_end(tmp_path):
    path = tmp_path / "take.wav"
    path.write_bytes(_state_seconds(_wav(10.0), 4.0))  # the loud half lies past the 4 s
    info = decode.probe(path)
    assert info.duration_s == pytest.approx(10.0, abs=0.01)
    whole = decode.load(path, sr=16000)
    assert len(whole) == pytest.approx(160000, abs=16)
    assert np.sqrt(np.mean(whole[-16000:] ** 2)) > 0.2, "the audio past the header is heard"
    centre = decode.read_span(path, 7.0, 1.0, sr=16000, info=info)
    assert len(centre) == 16000 and np.sqrt(np.mean(centre ** 2)) > 0.2
    note = wav_tail.tail_note(str(path))
    assert note and "6.0 s more" in note and "\n" not in note
    assert "--ignore-length" in note and str(path) in note, "how to mend it for players too"


@pytest.mark.parametrize("tags", [
    b"LIST" + (12).to_bytes(4, "little") + b"INFOIART\x00\x00\x00\x00",  # a chunk
    b"ID3\x03\x00\x00\x00\x03\x00\x00" + bytes(range(256)) * 200,  # a bare tag, 50 KB
], ids=["chunk", "bare-id3v2"])
def test_wav_with_tags_after_its_audio_keeps_its_stated_length(tmp_path, tags):
    path = tmp_path / "tagged.wav"
    data = _wav(4.0, after=tags)
    path.write_bytes(_state_seconds(data, 4.0))
    info = decode.probe(path)
    assert (info.backend, info.duration_s) == ("soundfile", pytest.approx(4.0))
    assert wav_tail.tail_note(str(path)) is None


def test_wav_cut_short_still_reads_what_it_holds(tmp_path):
    path = tmp_path / "cut.wav"
    data = _wav(10.0)
    at = data.index(b"data") + 8
    path.write_bytes(data[:at + int(RATE * 4.0) * 2])  # the header still says 10 s
    assert len(decode.load(path, sr=RATE)) == pytest.approx(4 * RATE, abs=2)
    assert wav_tail.tail_note(str(path)) is None

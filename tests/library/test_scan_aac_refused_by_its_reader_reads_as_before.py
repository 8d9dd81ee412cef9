"""A raw ``.aac`` that mutagen's AAC reader refuses is read as it was before that reader read
every ``.aac`` (with the ID3 tag at a raw AAC's start): an MP3 named ``.aac`` with bytes
between its ID3 tag and its first frame (its first bytes announce no format, so the
extension says "aac") was refused, "no valid stream found", and a library's track went to
its errors at its next scan once touched; a raw AAC whose ID3 tag claims more bytes than the
file holds was said to have bad audio ("sync not found"), not a tag cut short with what to
do."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from adts_support import vbr_adts
from mutagen.id3 import ID3, TALB, TIT2, TPE1

from musicsage.library.scan import scan_roots
from musicsage.library.tags import UnreadableAudio, probe

CUT_TAG = "its ID3 tag is cut short or damaged: copy or download the file again"


def _id3_tag(title: str) -> bytearray:
    tag = ID3()
    tag.add(TIT2(encoding=3, text=title))
    tag.add(TPE1(encoding=3, text="A"))
    tag.add(TALB(encoding=3, text="Al"))
    out = io.BytesIO()
    tag.save(out)
    return bytearray(out.getvalue())


def _syncsafe(size: int) -> bytes:
    return bytes([(size >> 21) & 127, (size >> 14) & 127, (size >> 7) & 127, size & 127])


def test_an_mp3_named_aac_with_a_gap_after_its_tag_is_read_as_before(conn, music):
    buf = io.BytesIO()
    tone = (0.3 * np.sin(np.arange(22050 * 6) * 0.05)).astype(np.float32)
    sf.write(buf, tone, 22050, format="MP3", subtype="MPEG_LAYER_III")
    path = music / "mp3gap.aac"
    path.write_bytes(bytes(_id3_tag("mp3gap")) + b"\0" * 64 + buf.getvalue())
    info = probe(str(path))
    assert info.tags["title"] == "mp3gap" and 5.9 < info.duration < 6.1
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1


def test_a_low_bitrate_mp3_named_aac_behind_its_tag_keeps_its_length(music):
    """A 16-kHz, 16-kbps MP3 (speech, a podcast): its small frames passed mutagen's AAC reader
    for three AAC frames (it looks at the 12 sync bits alone), stored at 25 s for 10 s."""
    import av

    buf, rate = io.BytesIO(), 16000
    tone = (0.2 * np.sin(np.arange(rate * 10) * 0.09)).astype(np.float32)[None, :]
    with av.open(buf, "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=rate, layout="mono")
        stream.bit_rate = 16000
        for at in range(0, tone.shape[1], 1152):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(tone[:, at:at + 1152]),
                                               format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    path = music / "talk.aac"
    path.write_bytes(bytes(_id3_tag("talk")) + b"\0" * 64 + buf.getvalue())
    info = probe(str(path))
    assert info.tags["title"] == "talk" and 9.9 < info.duration < 10.2, info.duration


@pytest.mark.parametrize("name", ["bigtag.aac", "cuttag.aac"])
def test_an_aac_whose_id3_tag_claims_more_than_the_file_says_so(music, tmp_path, name):
    vbr_adts(tmp_path / "plain.aac")
    tag = _id3_tag(name)
    if name == "bigtag.aac":  # the largest size an ID3 header can state
        tag[6:10] = b"\x7f\x7f\x7f\x7f"
        body = (tmp_path / "plain.aac").read_bytes()[:5000]
    else:  # a download cut inside its cover picture: 100 KB stated, zeros follow
        tag[6:10] = _syncsafe(len(tag) - 10 + 100_000)
        body = b"\0" * 5000
    path = music / name
    path.write_bytes(bytes(tag) + body)
    with pytest.raises(UnreadableAudio) as said:
        probe(str(path))
    assert CUT_TAG in str(said.value), str(said.value)

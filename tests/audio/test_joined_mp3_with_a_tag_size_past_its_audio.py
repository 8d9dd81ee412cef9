"""A tag between joined MP3 files is skipped to the end its own size states. A damaged size
(an APEv2 header's 0xFFFFFFF0: 4 GiB) made every later packet skipped, and the excerpts after
it came out empty and were dropped: three excerpts asked, one given, the file embedded from
its first part without a word. A size past the end of the file is not believed; one within it
that swallows the audio an excerpt asks for makes the file reported as damaged."""

from __future__ import annotations

import pytest
from test_mp3_read_past_libsndfile_damage_and_no_ffmpeg import (RATE, _ape_with_header,
                                                                 _id3_with_cover_art, _synchsafe,
                                                                 lame, tone)

from musicsage.audio import decode, mpeg_spans

SPANS = [(5.0, 2.0), (15.0, 2.0), (25.0, 2.0)]


def joined_parts(tmp_path) -> list[bytes]:
    parts = []
    for i, hz in enumerate((330.0, 550.0, 880.0)):
        one = tmp_path / f"part{i}.mp3"
        lame(one, tone(10.0, hz), {"b": "128k"}, {"id3v2_version": "0", "write_xing": "1"})
        parts.append(one.read_bytes())
    return parts


def test_an_ape_tag_claiming_4_gib_between_joined_files_skips_no_audio(tmp_path):
    parts = joined_parts(tmp_path)
    ape = bytearray(_ape_with_header(9000, 4))
    ape[12:16] = (0xFFFFFFF0).to_bytes(4, "little")  # its size damaged
    path = tmp_path / "mix.mp3"
    path.write_bytes(parts[0] + bytes(ape) + parts[1] + parts[2])
    info = decode.probe(str(path))
    assert info.backend == mpeg_spans.BACKEND
    excerpts = decode.read_spans(str(path), SPANS, sr=RATE, info=info)
    assert [len(x) for x in excerpts] == [2 * RATE] * 3, "every excerpt, none dropped"


def test_a_tag_whose_size_swallows_an_excerpts_audio_is_reported_as_damage(tmp_path):
    parts = joined_parts(tmp_path)
    tag = _id3_with_cover_art(20_000, 1)
    claimed = len(tag) - 10 + len(parts[1]) + len(parts[2]) // 2  # ends inside the third
    path = tmp_path / "mix.mp3"
    path.write_bytes(parts[0] + tag[:6] + _synchsafe(claimed) + tag[10:] + parts[1] + parts[2])
    info = decode.probe(str(path))
    assert info.backend == mpeg_spans.BACKEND and info.duration_s > 29.0
    with pytest.raises(decode.DecodeError,
                       match=r"^mix\.mp3: cannot decode \(damaged audio data\?\)$"):
        decode.read_spans(str(path), SPANS, sr=RATE, info=info)

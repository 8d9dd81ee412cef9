"""A text playlist saved as UTF-16 without a byte order mark is not read (musicsage reads UTF-16
with a BOM only), and says so and what to do: it was refused as "binary data (NUL bytes), not
text", which sent the user looking for a damaged file. Random bytes are still binary data."""

from __future__ import annotations

import codecs
import math
import random

import pytest

from musicsage.library.playlists import format_for
from musicsage.library.playlists.base import PlaylistError

TEXT = "#EXTM3U\r\n#EXTINF:12,Café – Intro\r\n../Music/Café/01 Intro.mp3\r\n"


@pytest.mark.parametrize("name", ["mix.m3u", "mix.m3u8", "mix.pls"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_said_as_such(name, codec):
    text = TEXT if name.endswith(("m3u", "m3u8")) else "[playlist]\r\nFile1=a.mp3\r\n"
    with pytest.raises(PlaylistError) as caught:
        format_for(name).parse(text.encode(codec), name)
    said = str(caught.value)
    assert "UTF-16 text without a byte order mark" in said and "save it again as UTF-8" in said
    assert "binary" not in said


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_a_bom_is_read_as_before(codec, bom):
    parsed = format_for("mix.m3u").parse(bom + TEXT.encode(codec), "mix.m3u")
    assert [(e.raw, e.title) for e in parsed.entries] == [("../Music/Café/01 Intro.mp3",
                                                           "Café – Intro")]


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_still_binary_data(seed):
    data = random.Random(seed).randbytes(4096)
    with pytest.raises(PlaylistError, match="binary data"):
        format_for("x.m3u").parse(data, "x.m3u")


def _samples(values) -> bytes:
    return b"".join(v.to_bytes(2, "little", signed=True) for v in values)


_RNG = random.Random(1)


@pytest.mark.parametrize("data", [
    _samples(_RNG.choice([-1, 1]) * _RNG.randint(1, 200) for _ in range(2000)),  # quiet PCM
    _samples(int(100 * math.sin(i / 10)) | 1 for i in range(4000)),  # a low sine
    b"ab\0\n" * 50])                                                 # not UTF-16 text either
def test_pcm_and_other_nul_holding_bytes_are_still_binary_data(data):
    """Audio data renamed ``.m3u`` (quiet 16-bit samples: a zero high byte in most) was said
    to be UTF-16 text without a BOM: "save it again as UTF-8" of a file that is no text."""
    with pytest.raises(PlaylistError, match="binary data"):
        format_for("x.m3u").parse(data, "x.m3u")

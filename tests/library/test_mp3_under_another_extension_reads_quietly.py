"""An MP3 under another audio extension (``.flac``, as download tools leave them) is read as
MP3 by its content, and libmpg123's chatter stays off the terminal as it does for any MP3:
muted by the file's name alone, it broke the scan's progress line."""

from __future__ import annotations

import os
import random

import pytest
from library_audio import write_audio

from musicsage.library import tags as tags_mod

CHATTER = ("libmpg123", "Illegal Audio-MPEG-Header", "resync", "part2_3_length")


def _damaged_mp3_named(music, ext: str):
    """A 4-s MP3 with a few random bytes in its middle (libmpg123 meets bad frames there),
    renamed to ``ext``."""
    import soundfile as sf

    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    made = write_audio(music / "song.mp3", seconds=4.0, tags={"title": "Misnamed"})
    data = bytearray(open(made, "rb").read())
    rng = random.Random(1)
    middle = len(data) // 2
    data[middle:middle + 600] = bytes(rng.randrange(256) for _ in range(600))
    target = music / f"song.{ext}"
    target.write_bytes(bytes(data))
    os.remove(made)
    return target


def test_an_mp3_named_flac_is_read_without_libmpg123_chatter(music, capfd):
    path = _damaged_mp3_named(music, "flac")
    try:
        info = tags_mod.probe(str(path))
    except tags_mod.UnreadableAudio:
        info = None  # a reason of its own is fine; the chatter is not
    said = capfd.readouterr()
    if info is not None:
        assert info.format == "mp3" and info.note and "MP3 audio" in info.note
    for noise in CHATTER:
        assert noise not in said.err + said.out, said.err

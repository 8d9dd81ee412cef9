"""A MusiCNN wheel damaged inside (a bad sector, a copy cut mid-member) is named by its path.

The wheel is a zip: one whose member no longer matches its CRC is still "a zip" (its central
directory is intact), so it counts as present, and reading its checkpoint failed with
``musicnn-0.1.0-py3-none-any.whl: … is corrupted …; delete the wheel and fetch it again`` —
which of the folders it may lie in (``models/``, the user cache) was left out, and how to
fetch it was not said.
"""

from __future__ import annotations

import zipfile

import pytest

from musicsage.audio.musicnn import wheel as W
from musicsage.errors import MusicsageError

MEMBER = "musicnn/MSD_musicnn/.data-00000-of-00001"


def test_a_member_that_fails_its_crc_names_the_wheel_path_and_the_way_back(tmp_path):
    path = tmp_path / "cache" / W.WHEEL_NAME
    path.parent.mkdir()
    payload = bytes(range(256)) * 64
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(MEMBER, payload)
    raw = bytearray(path.read_bytes())
    at = raw.index(payload) + 1000
    raw[at:at + 16] = bytes(16)  # damaged in place: the central directory still lists it
    path.write_bytes(bytes(raw))
    assert zipfile.is_zipfile(path)
    with W.MusicnnWheel(path) as opened, pytest.raises(MusicsageError) as caught:
        opened.read(MEMBER)
    text = str(caught.value)
    assert text.startswith(f"{path}: ") and "corrupted" in text, text
    assert "delete it (the next use downloads it again)" in text and "\n" not in text
    assert path.exists()  # the user deletes it: the app never does
    with W.MusicnnWheel(path, "musicnn-mtt-max_pool") as opened, \
            pytest.raises(MusicsageError) as caught:  # an embedder's: its own model named
        opened.read(MEMBER)
    assert "(embed --model musicnn-mtt-max_pool downloads it again)" in str(caught.value)

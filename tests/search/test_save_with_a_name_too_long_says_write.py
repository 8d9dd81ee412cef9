"""Saving a list under a name too long for the file system ("Save as playlist…" with a
300-character name) says it cannot be written. It said "cannot read playlist … to back it up:
File name too long", of a file that was never there."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.search.m3u import write_m3u


def test_a_name_too_long_is_a_write_refusal(tmp_path):
    dest = tmp_path / ("a" * 300 + ".m3u8")
    tracks = [{"path": str(tmp_path / "x.wav"), "title": "x", "artist": "y", "duration": 1.0}]
    with pytest.raises(MusicsageError) as err:
        write_m3u(dest, tracks, overwrite=True, backup_root=tmp_path / "backups")
    assert str(err.value).startswith(f"cannot write playlist {dest}: File name too long")

"""What the embed job asks of a track's file on disk (audio/embed_files.py): which file a path
holds now, so a file replaced while it was analysed is told from the one decoded; whether a
failed track's file is gone, not merely unreadable; and the short name its progress shows."""

from __future__ import annotations

import os
from pathlib import Path

from musicsage.audio.embed_files import file_gone, file_identity, short_name


def test_a_file_replaced_under_its_name_is_another_file(tmp_path: Path):
    song = tmp_path / "song.wav"
    song.write_bytes(b"RIFF" + bytes(100))
    decoded = file_identity(str(song))
    assert decoded is not None and file_identity(str(song)) == decoded  # untouched: the same
    new = tmp_path / "new.wav"
    new.write_bytes(b"RIFF" + bytes(100))  # the same size, saved through a new file
    os.utime(new, ns=(os.stat(song).st_mtime_ns,) * 2)
    new.replace(song)
    assert file_identity(str(song)) != decoded


def test_a_file_not_there_has_no_identity_and_is_gone(tmp_path: Path):
    song = tmp_path / "song.wav"
    assert file_identity(str(song)) is None and file_gone(str(song))
    song.write_bytes(b"RIFF")
    assert not file_gone(str(song))
    assert file_gone(str(song / "inside.wav"))  # its "folder" is a file now


def test_progress_shows_the_files_name_only_and_at_most_sixty_characters():
    long = "/music/Artist/Album/" + "x" * 80 + ".flac"
    assert short_name("/music/Artist/Album/01 Song.flac") == "01 Song.flac"
    assert short_name(long) == "x" * 60

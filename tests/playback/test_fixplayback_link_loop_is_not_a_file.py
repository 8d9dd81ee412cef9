"""A track that is a link to itself, or one of two links to each other (a music folder can hold
such loops: tests/robustness/test_filesystem_traps.py), said "file not found: …/loop.wav (a link
to …/loop.wav, which is gone)": nothing is gone, the link leads back to itself. It is not a
file, and the line says it leads round a loop; a broken link is still "file not found"."""

from __future__ import annotations

import os

import pytest
from playback_support import LOOP, player_error, quick_worker  # noqa: F401 - a fixture


def test_a_link_to_itself_is_not_a_file_and_not_gone(tmp_path, quick_worker):
    loop = tmp_path / "loop.wav"
    os.symlink("loop.wav", loop)
    assert player_error(loop) == ("file", f"not a file: {loop} {LOOP}")


@pytest.mark.parametrize("first", [True, False])
def test_two_links_to_each_other_and_a_link_into_them(tmp_path, quick_worker, first):
    a, b, into = tmp_path / "a.wav", tmp_path / "b.wav", tmp_path / "into.wav"
    os.symlink("b.wav", a)
    os.symlink("a.wav", b)
    os.symlink(a, into)
    path = a if first else into
    assert player_error(path) == ("file", f"not a file: {path} {LOOP}")


def test_a_chain_of_links_to_nowhere_still_names_where_it_ends(tmp_path, quick_worker):
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    os.symlink(second, first)
    os.symlink(tmp_path / "drive" / "song.wav", second)  # the drive is not mounted
    assert player_error(first) == (
        "file", f"file not found: {first} (a link to {tmp_path / 'drive' / 'song.wav'}, "
                "which is gone)")

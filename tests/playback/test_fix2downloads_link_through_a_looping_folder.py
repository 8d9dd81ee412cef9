"""A track reached through a folder link that leads to itself leads round a loop, not to a file
that is gone.

``via.wav -> loopdir/song.wav`` with ``loopdir -> loopdir`` (a music folder can hold such a
loop: tests/robustness/test_filesystem_traps.py) said "file not found: …/via.wav (a link to
…/loopdir/song.wav, which is gone)": ``realpath`` stops inside the loop, on a name that is no
link. The kernel says ELOOP; the line now says it is not a file and leads round a loop of
links, as for a link to itself. A track named inside the looping folder says the same, not
a bare "file not found"."""

from __future__ import annotations

import os

import pytest
from playback_support import LOOP, player_error, quick_worker  # noqa: F401 - a fixture


@pytest.mark.parametrize("through", [True, False])
def test_a_track_through_a_folder_link_to_itself_leads_round_a_loop(tmp_path, quick_worker,
                                                                   through):
    os.symlink("loopdir", tmp_path / "loopdir")
    inside = tmp_path / "loopdir" / "song.wav"
    os.symlink(inside, tmp_path / "via.wav")
    path = tmp_path / "via.wav" if through else inside
    assert player_error(path) == ("file", f"not a file: {path} {LOOP}")


def test_a_long_chain_of_links_is_no_loop(tmp_path, quick_worker):
    """The kernel's ELOOP also ends a chain of more than 40 links that is no loop: such a chain
    to a file that is gone was said to lead round a loop (review of fix2_downloads)."""
    os.symlink(tmp_path / "nothing.wav", tmp_path / "l0")
    for i in range(1, 42):
        os.symlink(tmp_path / f"l{i - 1}", tmp_path / f"l{i}")
    kind, line = player_error(tmp_path / "l41")
    assert LOOP not in line and "which is gone" in line, line


def test_a_chain_of_links_past_the_systems_limit_to_a_file_says_so(tmp_path, quick_worker):
    """A chain of 41 links to a file that is there: the kernel follows 40, so the track cannot
    be opened; the line said a bare "not a file" (review of 6563652)."""
    (tmp_path / "song.wav").write_bytes(b"RIFF")
    os.symlink(tmp_path / "song.wav", tmp_path / "l0")
    for i in range(1, 42):
        os.symlink(tmp_path / f"l{i - 1}", tmp_path / f"l{i}")
    kind, line = player_error(tmp_path / "l41")
    assert "more links than the system follows" in line and LOOP not in line, line

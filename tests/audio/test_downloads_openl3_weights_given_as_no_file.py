"""``--openl3-weights`` given something that is there but is no file says what it is.

``/dev/null``, a named pipe or a socket was said to be "not found", though it is there: the
user looked for a typo. A link to a file that is gone (an unplugged drive's) is there too,
as a link, and is named as one with where it leads.
"""

from __future__ import annotations

import os
import socket

import pytest

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import weights_file


def _said(path) -> str:
    with pytest.raises(MissingWeights) as caught:
        weights_file(path, None)
    text = str(caught.value)
    assert "\n" not in text and "not found" not in text, text
    return text


def test_dev_null_is_named_a_device():
    assert _said("/dev/null") == ("OpenL3 weights /dev/null is not a regular file (a device): "
                                  "give the weights file (a .h5 or .h5.gz file)")


def test_a_named_pipe_and_a_socket_are_named(tmp_path):
    pipe = tmp_path / "weights.h5"
    os.mkfifo(pipe)
    assert "is not a regular file (a named pipe)" in _said(pipe)
    listening = socket.socket(socket.AF_UNIX)
    try:
        listening.bind(str(tmp_path / "s.h5"))
        assert "is not a regular file (a socket)" in _said(tmp_path / "s.h5")
    finally:
        listening.close()


def test_a_link_to_a_file_that_is_gone_says_where_it_leads(tmp_path):
    link = tmp_path / "weights.h5"
    link.symlink_to(tmp_path / "drive" / "weights.h5")
    text = _said(link)
    assert f"is a link to {tmp_path / 'drive' / 'weights.h5'}, which is not there" in text, text


def test_a_chain_of_links_names_where_it_ends(tmp_path):
    """It named the next link ("a link to …/hop2.h5, which is not there"), which is there."""
    (tmp_path / "hop2.h5").symlink_to(tmp_path / "drive" / "weights.h5")
    (tmp_path / "hop1.h5").symlink_to("hop2.h5")
    text = _said(tmp_path / "hop1.h5")
    assert f"is a link to {tmp_path / 'drive' / 'weights.h5'}, which is not there" in text, text


def test_a_loop_of_links_is_said(tmp_path):
    """A link to itself was "a link to itself, which is not there: plug in the drive …"."""
    (tmp_path / "loop.h5").symlink_to(tmp_path / "loop.h5")
    (tmp_path / "a.h5").symlink_to("b.h5")
    (tmp_path / "b.h5").symlink_to("a.h5")
    for link in ("loop.h5", "a.h5"):
        assert _said(tmp_path / link) == (f"OpenL3 weights file {tmp_path / link} leads round "
                                          "a loop of links: give the file itself")


def test_a_file_that_is_not_there_is_still_not_found(tmp_path):
    with pytest.raises(MissingWeights, match="not found$"):
        weights_file(tmp_path / "typo.h5", None)

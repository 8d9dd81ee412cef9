"""Each entry of an M3U8 that ``--m3u`` or the window's Save writes names its file exactly when
read back, whatever the name holds: spaces, ``#``, ``%``, ``?``, accents and CJK, bytes that
are not UTF-8, a line break, and a space at the end (readers strip a line's ends: ``a.wav ``
was written plain and read back as ``a.wav``, another file or none). A name written as a URI
is written as ``--json``'s ``uri`` for it, so a script holding one finds it in the playlist."""

from __future__ import annotations

import os

import pytest

from musicsage.library.paths import file_uri, from_fs
from musicsage.library.playlists.m3u import parse_m3u
from musicsage.library.playlists.resolve import local_file_uri_path
from musicsage.search.m3u import m3u_text

NAMES = [b"a b.wav", b"#1 hit.wav", b"50% off.wav", b"why?.wav", "café 日本.wav".encode(),
         b"caf\xe9.wav", b"x\ny.wav", b"%41 #2 ?.wav", b"file:odd.wav", b"end .wav ",
         "nbsp\u00a0".encode(), b"\xff tail ", b"tab\t"]


@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_entry_reads_back_as_its_file(tmp_path, name):
    stored = from_fs(os.path.join(os.fsencode(tmp_path), b"sub dir", name))
    text, count = m3u_text([{"path": stored, "title": "t", "artist": None, "duration": 1.0}],
                           name="list")
    assert count == 1
    [entry] = parse_m3u(text.encode("utf-8"), "list.m3u8").entries
    location = entry.raw
    if location.startswith("file:"):
        assert location == file_uri(stored)  # the one URI of this file, as --json writes it
        assert local_file_uri_path(location) == stored
    else:
        assert location == stored

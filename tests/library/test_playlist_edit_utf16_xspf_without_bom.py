"""An XSPF in UTF-16 without a byte order mark (the XML reader tells it by its first bytes,
as XML 1.0 says: ``<?`` of a declaration, or ``<playlist`` of a file without one) is added to
and removed from in its own encoding: an add read it as UTF-8 and refused it with "the XSPF
has no <trackList>", which it plainly has."""

from __future__ import annotations

import pytest
from scan_support import library_with_a_playlist

from musicsage.usecases.library import playlist_track_ids
from musicsage.usecases.suggest import add_to_playlist, remove_from_playlist

XSPF = ('<?xml version="1.0" encoding="UTF-16"?>\r\n'
        '<playlist version="1" xmlns="http://xspf.org/ns/0/">\r\n'
        '  <!-- kept as it is -->\r\n'
        '  <trackList>\r\n'
        '    <track><location>first.wav</location></track>\r\n'
        '  </trackList>\r\n'
        '</playlist>\r\n')


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "no declaration"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_add_then_remove_keeps_a_bom_less_utf16_xspf(ctx, tmp_path, codec, declared):
    xspf = XSPF if declared else XSPF.split("\r\n", 1)[1]
    original = xspf.encode(codec)
    pid, ids, path = library_with_a_playlist(ctx, tmp_path, "mix.xspf", original)

    added = add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert added.added == [ids["second.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"], ids["second.wav"]]
    text = path.read_bytes().decode(codec)  # still that encoding, no BOM put in front
    assert text.startswith(xspf[:60]) and "<!-- kept as it is -->" in text
    assert text.index("second.wav") < text.index("</trackList>")

    remove_from_playlist(ctx, pid, [ids["second.wav"]])

    assert path.read_bytes() == original
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]

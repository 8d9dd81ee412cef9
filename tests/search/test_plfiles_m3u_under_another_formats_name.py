"""``--m3u mix.pls`` (or ``.xspf``) wrote M3U8 text under a PLS's name: no player read it as a
playlist, nor did the library's own scan ("not a PLS playlist"). It is refused before anything
is written, with the name to give; ``.m3u``, ``.m3u8`` and other names are written as before."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.playlists import format_for
from musicsage.search.m3u import check_replaceable, write_m3u

TRACKS = [{"path": "/music/a.flac", "title": "A", "artist": None, "duration": 3.0}]


@pytest.mark.parametrize("name", ["mix.pls", "mix.xspf", "Mix.PLS"])
def test_a_name_of_another_playlist_format_is_refused(tmp_path, name):
    dest = tmp_path / name
    with pytest.raises(MusicsageError) as caught:
        check_replaceable(dest)
    with pytest.raises(MusicsageError):
        write_m3u(dest, TRACKS, name="mix")
    assert not dest.exists()
    said = str(caught.value)
    assert said.startswith(f"cannot write playlist {dest}: ") and "nothing was written" in said
    assert f"{name.rsplit('.', 1)[0]}.m3u8" in said


@pytest.mark.parametrize("name", ["mix.m3u8", "mix.m3u", "mix.txt", "Mr. Brightside"])
def test_other_names_are_written_and_read_back(tmp_path, name):
    dest = tmp_path / name
    write_m3u(dest, TRACKS, name="mix")
    parser = format_for("x.m3u8")
    assert [e.raw for e in parser.parse(dest.read_bytes(), "x.m3u8").entries] == ["/music/a.flac"]

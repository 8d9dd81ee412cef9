"""A hard-linked playlist rewritten shorter and killed between its write and its cut is
still the new playlist (blank lines after it), never the new entries with the old tail."""

from __future__ import annotations

import os

import pytest

from musicsage.library.playlists import edit
from musicsage.library.playlists.m3u import parse_m3u
from musicsage.library.playlists.pls import parse_pls
from musicsage.library.playlists.xspf import parse_xspf


def _m3u(n: int) -> bytes:
    return ("#EXTM3U\n" + "".join(f"/music/t{i}.flac\n" for i in range(n))).encode()


def _m3u_utf16(n: int) -> bytes:
    text = "\ufeff#EXTM3U\r\n" + "".join(f"/music/t{i}.flac\r\n" for i in range(n))
    return text.encode("utf-16-le")


def _pls(n: int) -> bytes:
    return ("[playlist]\n" + "".join(f"File{i + 1}=/music/t{i}.flac\n" for i in range(n))
            + f"NumberOfEntries={n}\nVersion=2\n").encode()


def _xspf(n: int) -> bytes:
    tracks = "".join(f"    <track><location>file:///music/t{i}.flac</location></track>\n"
                     for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" '
            f'xmlns="http://xspf.org/ns/0/">\n  <trackList>\n{tracks}  </trackList>\n'
            '</playlist>\n').encode()


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler, no put-back."""


def _entries(parse, data: bytes, name: str) -> list[str]:
    return [e.raw for e in parse(data, name).entries]


@pytest.mark.parametrize("name, make, parse", [
    ("Mix.m3u", _m3u, parse_m3u), ("Mix.m3u", _m3u_utf16, parse_m3u),
    ("Mix.pls", _pls, parse_pls), ("Mix.xspf", _xspf, parse_xspf)])
def test_a_kill_before_the_cut_leaves_the_new_playlist(tmp_path, monkeypatch, name, make,
                                                       parse):
    path = tmp_path / name
    old, new = make(6), make(2)
    path.write_bytes(old)
    os.link(path, tmp_path / f"other-player-{name}")
    _, stamp = edit.read_with_stamp(str(path))

    def killed(_fd, _length):
        raise Killed

    monkeypatch.setattr(os, "ftruncate", killed)
    with pytest.raises(Killed):
        edit.write_in_place(str(path), new, expected=stamp, name="Mix", previous=old,
                            backup=None)
    left = path.read_bytes()
    assert len(left) >= len(old), "the old tail is covered"
    assert _entries(parse, left, name) == _entries(parse, new, name) == _entries(
        parse, old, name)[:2]


def test_a_whole_shorter_write_has_no_padding_left(tmp_path):
    path = tmp_path / "Mix.m3u"
    path.write_bytes(_m3u(6))
    os.link(path, tmp_path / "other.m3u")
    _, stamp = edit.read_with_stamp(str(path))
    edit.write_in_place(str(path), _m3u(1), expected=stamp, name="Mix", previous=_m3u(6),
                        backup=None)
    assert path.read_bytes() == (tmp_path / "other.m3u").read_bytes() == _m3u(1)

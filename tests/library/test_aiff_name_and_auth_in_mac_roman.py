"""An AIFF's NAME and AUTH chunks as the old Mac tools that wrote them encoded them, Mac OS
Roman: read as Windows-1252, "Björk" came out "Bjšrk" (a second artist beside the Björk of
the same albums in other formats). Windows tools wrote them in Windows-1252, which Mac OS
Roman alone read "Bjˆrk": each chunk is read in the one of the two that reads most like
words. UTF-8, what current tools write, still comes first."""

from __future__ import annotations

import struct

import numpy as np
import soundfile as sf

from musicsage.library import tags as tags_mod


def _aiff(path, name: bytes, auth: bytes) -> str:
    t = np.arange(8000) / 8000
    sf.write(path, (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), 8000, "PCM_16")
    body = path.read_bytes()[12:]
    for cid, data in ((b"NAME", name), (b"AUTH", auth)):
        body += cid + struct.pack(">I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")
    path.write_bytes(b"FORM" + struct.pack(">I", 4 + len(body)) + b"AIFF" + body)
    return str(path)


def test_mac_roman_name_and_auth_read_as_written(music):
    path = _aiff(music / "mac.aiff", "Café Crème".encode("mac_roman"),
                 "Björk".encode("mac_roman"))
    assert tags_mod.probe(path).tags == {"title": "Café Crème", "artist": "Björk"}


def test_utf8_name_and_auth_still_read_as_utf8(music):
    path = _aiff(music / "new.aiff", "Café Crème".encode(), "Björk".encode())
    assert tags_mod.probe(path).tags == {"title": "Café Crème", "artist": "Björk"}


def test_windows_1252_name_and_auth_read_as_written(music):
    path = _aiff(music / "win.aiff", "Don’t Stop – Café".encode("cp1252"),
                 "Björk".encode("cp1252"))
    assert tags_mod.probe(path).tags == {"title": "Don’t Stop – Café", "artist": "Björk"}


def test_mac_roman_quote_and_capitals_read_as_written(music):
    path = _aiff(music / "mac2.aiff", "Don’t Stop – CAFÉ".encode("mac_roman"),
                 "Sigur Rós".encode("mac_roman"))
    assert tags_mod.probe(path).tags == {"title": "Don’t Stop – CAFÉ", "artist": "Sigur Rós"}

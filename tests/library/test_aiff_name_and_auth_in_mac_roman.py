"""An AIFF's NAME and AUTH chunks as the tools that wrote them encoded them. Old Mac tools
wrote Mac OS Roman: read as Windows-1252, "Björk" came out "Bjšrk" (a second artist beside
the Björk of the same albums in other formats). Windows tools wrote Windows-1252, which Mac
OS Roman alone read "Donít", "‹ber", "CAF…": each chunk is read in the one of the two that
reads most like words, and where neither does more, in Windows-1252 — what versions before
1cd73f6 read, so what a library holds (the re-read of the next scan leaves it). UTF-8, what
current tools write, still comes first."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf

from musicsage.library import tags as tags_mod
from musicsage.library.riff_tags import reads_better

WINDOWS_1252 = ["Über", "Ennio Morricone – Le Vent", "CAFÉ", "cœur", "Don’t", "Øresund", "Ça",
                "Škoda", "Straße"]
"""Titles Mac OS Roman misreads: "‹ber", "A ñ B", "CAF…", "cúur", "Donít", "ÿresund", "«a",
"äkoda", "Straﬂe"."""
MAC_ROMAN = ["Björk", "Œuvre", "Café", "Sigur Rós", "Røyksopp", "Bäume", "A – B", "María"]
"""Titles Windows-1252 misreads: "Bjšrk", "Îuvre", "CafŽ", "Sigur R—s", "R¿yksopp", "BŠume",
"A Ð B", "Mar’a"."""


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


@pytest.mark.parametrize("encoding, title", [*(("cp1252", t) for t in WINDOWS_1252),
                                             *(("mac_roman", t) for t in MAC_ROMAN)])
def test_a_title_reads_as_written_in_either_encoding(music, encoding, title):
    path = _aiff(music / "t.aiff", title.encode(encoding), b"Artist")
    assert tags_mod.probe(path).tags["title"] == title


def test_a_value_read_again_replaces_a_stored_one_only_when_it_reads_clearly_better():
    assert reads_better("Björk", "Bjšrk")  # Mac OS Roman stored as Windows-1252 read it
    assert reads_better("Œuvre", "Îuvre")
    assert not reads_better("Donít", "Don’t")  # a right title stays
    assert not reads_better("‹ber", "Über")
    assert not reads_better("Don’t", "Don’t")

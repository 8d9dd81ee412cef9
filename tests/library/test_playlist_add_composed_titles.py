"""A title added to a Windows-1252 playlist is written composed (NFC): one taken from a macOS
file name is decomposed ("e" + U+0301), which cp1252 cannot hold, so "Café" became "Cafe?"
in the user's Winamp list although "é" is one of its characters."""

from __future__ import annotations

import unicodedata

import pytest

from musicsage.library.playlists.append import append_tracks

DECOMPOSED = unicodedata.normalize("NFD", "Café Noir")


@pytest.mark.parametrize("filename, title_line", [("mix.m3u", b"#EXTINF:61,Caf\xe9 Noir"),
                                                  ("mix.pls", b"Title2=Caf\xe9 Noir")])
def test_a_decomposed_title_keeps_its_accent_in_a_cp1252_file(tmp_path, filename, title_line):
    head = (b"#EXTM3U\r\n#EXTINF:1,Tr\xe8s\r\n" if filename.endswith(".m3u")
            else b"[playlist]\r\nFile1=Tr\xe8s.mp3\r\nNumberOfEntries=1\r\n")
    data = head + (b"Tr\xe8s.mp3\r\n" if filename.endswith(".m3u") else b"")
    track = {"path": str(tmp_path / "Song.mp3"), "title": DECOMPOSED, "artist": None,
             "duration": 61.0}

    out = append_tracks(data, str(tmp_path / filename), [track])

    kept = data.split(b"NumberOfEntries")[0]  # PLS: the one line that changes is the count
    assert out.startswith(kept)  # the user's bytes stay as they were
    assert title_line + b"\r\n" in out and b"?" not in out[len(kept):]

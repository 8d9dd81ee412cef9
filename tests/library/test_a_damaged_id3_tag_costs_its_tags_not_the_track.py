"""An ID3 tag whose header claims more bytes than the file holds. In an AIFF (an ``ID3 ``
chunk beside the audio, which decodes fine) the whole file was refused for it, "not a
readable aiff file (error)": it is a track without those tags now, and the scan's note says
why it has none and what to do (the track's artist and album were gone without a word). In an
MP3 the tag comes first and the decoders cannot find the audio either: still refused, but
saying why and what to do, not "(error)"."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio

from musicsage.library import tags as tags_mod
from musicsage.library.scan import resolve_roots, scan_roots


def _id3_size_claims_too_much(path, tag_at: int) -> None:
    """The ID3 header at ``tag_at`` given a size of about 2 MB (syncsafe 0x00 7f 7f 7f)."""
    raw = bytearray(open(path, "rb").read())
    assert raw[tag_at:tag_at + 3] == b"ID3"
    raw[tag_at + 6:tag_at + 10] = b"\x00\x7f\x7f\x7f"
    open(path, "wb").write(bytes(raw))


@pytest.mark.parametrize("name, chunk_id", [("a.aiff", b"ID3 "), ("a.wav", b"id3 ")])
def test_a_damaged_id3_chunk_is_scanned_without_its_tags_and_said(conn, music, name,
                                                                    chunk_id):
    path = os.fspath(write_audio(music / name, seconds=2.0,
                                 tags={"title": "Night Bus", "artist": "The Lamps"}))
    chunk = open(path, "rb").read().rindex(chunk_id)
    _id3_size_claims_too_much(path, chunk + 8)
    rep = scan_roots(conn, resolve_roots([music]))
    assert (rep.added, rep.errors) == (1, [])
    row = conn.execute("SELECT artist, duration FROM tracks").fetchone()
    assert row[0] is None and row[1] == pytest.approx(2.0, abs=0.01)
    assert [(os.path.basename(str(p)), note) for p, note in rep.notes] == [
        (name, "its ID3 tag is damaged: scanned without its tags (retag it to read them)")]


def test_a_whole_aiff_has_no_note(conn, music):
    write_audio(music / "a.aiff", seconds=2.0, tags={"title": "Night Bus"})
    rep = scan_roots(conn, resolve_roots([music]))
    assert (rep.added, rep.notes) == (1, [])


def test_an_mp3_whose_id3_tag_is_cut_short_says_so(music):
    path = os.fspath(write_audio(music / "a.mp3", tags={"title": "Night Bus"}))
    _id3_size_claims_too_much(path, 0)
    with pytest.raises(tags_mod.UnreadableAudio) as refused:
        tags_mod.probe(path)
    assert str(refused.value) == ("not a readable mp3 file (its ID3 tag is cut short or damaged:"
                                  " copy or download the file again)")

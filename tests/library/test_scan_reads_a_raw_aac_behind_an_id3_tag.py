"""A raw AAC (ADTS) file with an ID3v2 tag at its start, as stream rippers and some encoders
write it, was refused by the scan ("not a readable aac file (can't sync to MPEG frame)"):
mutagen took it for an MP3, its ID3 header outscoring the ``.aac`` extension, though the
decoder reads it. It is stored now, its tags from the ID3 tag, its length counted from its
frames. Real MP3s behind an ID3 tag, and an MP3 named ``.aac``, are told as before."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf
from mutagen.id3 import ID3, TALB, TIT2, TPE1
from adts_support import vbr_adts

from musicsage.library.scan import scan_roots
from musicsage.library.tags import probe


def _id3_tag(title: str) -> bytes:
    """An ID3v2.4 tag, as bytes to put before the audio."""
    tag = ID3()
    tag.add(TIT2(encoding=3, text=title))
    tag.add(TPE1(encoding=3, text="The Station"))
    tag.add(TALB(encoding=3, text="Saturday Night"))
    out = io.BytesIO()
    tag.save(out)
    return out.getvalue()


def _ripped_aac(path, title: str = "Caller Hour") -> None:
    """A variable-bitrate raw AAC of 16 s (a quiet intro) behind an ID3v2 tag."""
    vbr_adts(path)
    path.write_bytes(_id3_tag(title) + path.read_bytes())


def test_a_raw_aac_behind_an_id3_tag_is_stored_with_its_tags_and_length(conn, music):
    path = music / "rip.aac"
    _ripped_aac(path)
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    row = conn.execute("SELECT format, title, artist, album, duration FROM tracks").fetchone()
    assert tuple(row[:4]) == ("aac", "Caller Hour", "The Station", "Saturday Night")
    assert 15.9 < row[4] < 16.2, f"its frames' 16 s, not a bit-rate guess: {row[4]}"
    assert rep.notes == []


def test_such_a_file_named_mp3_is_read_as_aac_with_its_tags(music):
    path = music / "rip.mp3"
    _ripped_aac(path, "Misnamed Rip")
    info = probe(str(path))
    assert info.format == "aac" and info.tags["title"] == "Misnamed Rip"
    assert 15.9 < info.duration < 16.2
    assert info.note == "AAC audio under the extension .mp3 (read as AAC)"


def _tagged_mp3(path) -> None:
    buf = io.BytesIO()
    tone = (0.3 * np.sin(np.arange(22050 * 2) * 0.05)).astype(np.float32)
    sf.write(buf, tone, 22050, format="MP3", subtype="MPEG_LAYER_III")
    path.write_bytes(_id3_tag("Real MP3") + buf.getvalue())


def test_a_real_mp3_behind_an_id3_tag_is_still_an_mp3(music):
    """A guard (as before the change): the ID3 tag does not make every file an AAC."""
    path = music / "song.mp3"
    _tagged_mp3(path)
    info = probe(str(path))
    assert (info.format, info.tags["title"], info.note) == ("mp3", "Real MP3", None)


def test_an_mp3_named_aac_is_still_said_to_be_an_mp3(music):
    """A guard (as before the change): the content, not the extension, decides."""
    path = music / "song.aac"
    _tagged_mp3(path)
    info = probe(str(path))
    assert (info.format, info.tags["title"]) == ("mp3", "Real MP3")
    assert info.note == "MP3 audio under the extension .aac (read as MP3)"

"""What the scan says of an M4A cut before its index, a NUL inside a tag value and a title
taken from a file name."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.library import tags as tags_mod
from musicsage.library.scan import scan_roots

RATE = 44100


def test_m4a_cut_before_its_index_is_said_cut_short(conn, music):
    av = pytest.importorskip("av")
    path = music / "song.m4a"
    signal = (0.3 * np.sin(np.arange(5 * RATE) / RATE * 2 * np.pi * 440)).astype(np.float32)
    with av.open(str(path), "w", format="mp4") as out:  # FFmpeg writes moov after the audio
        stream = out.add_stream("aac", rate=RATE)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(signal[None, :], format="flt", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    rep = scan_roots(conn, [str(music)])
    [(_path, reason)] = rep.errors
    assert reason.startswith("audio ends early") and "not a MP4 file" not in reason, reason


@pytest.mark.parametrize("ext", ["flac", "ogg", "m4a"])
def test_a_nul_inside_a_vorbis_or_mp4_value_separates_two_artists(music, ext):
    """FLAC and Vorbis-in-Ogg comments and MP4 text atoms, each read by its own reader."""
    from library_audio import write_audio, write_tags

    path = write_audio(music / f"two.{ext}")
    write_tags(bytes(path), ext, {"artist": ["B1\x00B2"], "title": ["\x00Title\x00"]})
    read = tags_mod.probe(str(path)).tags
    assert (read["artist"], read["title"]) == ("B1", "Title")  # was "B1 B2", a made-up artist


def test_a_title_taken_from_a_file_name_with_a_newline_is_one_line(conn, music):
    t = np.arange(RATE) / RATE
    sf.write(str(music / "live\tset\nencore.flac"),
             (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE)
    assert scan_roots(conn, [str(music)]).added == 1
    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "live set encore"

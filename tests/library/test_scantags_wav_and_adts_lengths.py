"""Lengths the scan stores for raw AAC and for a WAV whose header understates its audio.

A VBR raw AAC (ADTS) file with a quiet intro was stored many times its length (mutagen's
guess from the bit rate of its first frames: 17:41 for 1:00); one of two frames, a click,
was refused "not a readable aac file (sync not found)" where it is only too short; a WAV whose
``data`` chunk states half the audio that follows it was stored, played and analysed as
half, with no word that the rest is there.
"""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf

from musicsage.library import tags as tags_mod
from musicsage.library.scan import scan_roots

RATE = 44100


def _adts(path, signal: np.ndarray) -> None:
    """``signal`` (mono float) encoded as raw AAC by FFmpeg (PyAV)."""
    av = pytest.importorskip("av")
    with av.open(str(path), "w", format="adts") as out:
        stream = out.add_stream("aac", rate=RATE)
        stream.layout = "mono"
        for at in range(0, len(signal), 1024):
            frame = av.AudioFrame.from_ndarray(signal[at:at + 1024][None, :], format="flt",
                                               layout="mono")
            frame.sample_rate, frame.pts = RATE, at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def test_vbr_raw_aac_with_a_quiet_intro_is_stored_at_its_length(conn, music):
    noise = np.random.default_rng(0).standard_normal(40 * RATE).astype(np.float32) * 0.3
    _adts(music / "intro.aac", np.concatenate([np.zeros(4 * RATE, np.float32), noise]))
    import mutagen

    assert mutagen.File(str(music / "intro.aac")).info.length > 60  # the guess is far off
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    duration = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 44.0 <= duration < 44.1


def test_raw_aac_of_two_frames_is_scanned_not_called_unreadable(conn, music):
    _adts(music / "click.aac", np.full(100, 0.2, np.float32))
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    assert conn.execute("SELECT duration FROM tracks").fetchone()[0] < 0.1


def test_damaged_raw_aac_is_still_refused(music):
    path = music / "noise.aac"
    path.write_bytes(b"\xff\xf1" + bytes(range(256)) * 8)
    with pytest.raises(tags_mod.UnreadableAudio):
        tags_mod.probe(str(path))


def _understated_wav(path, seconds: float, stated: float) -> None:
    t = np.arange(int(seconds * RATE)) / RATE
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE, "PCM_16")
    data = bytearray(path.read_bytes())
    at = data.find(b"data")
    data[at + 4:at + 8] = struct.pack("<I", int(stated * RATE) * 2)
    path.write_bytes(bytes(data))


def test_wav_whose_header_understates_its_audio_is_said(conn, music):
    _understated_wav(music / "take.wav", 6.0, 2.0)
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    assert conn.execute("SELECT duration FROM tracks").fetchone()[0] == pytest.approx(2.0)
    [(_path, note)] = rep.notes
    assert "header says 2.0 s of audio, though 4.0 s more follow" in note
    assert "-ignore_length 1" in note and "take-fixed.wav" in note


def test_wav_with_a_chunk_after_its_audio_gets_no_note(music):
    path = music / "tagged.wav"
    _understated_wav(path, 2.0, 2.0)
    with open(path, "ab") as fh:  # a LIST chunk of 2 s of bytes after the audio
        fh.write(b"LIST" + struct.pack("<I", 2 * RATE * 2) + b"INFO" + bytes(2 * RATE * 2 - 4))
    assert tags_mod.probe(str(path)).note is None


def test_an_older_scans_guessed_aac_length_is_counted_once(conn, music):
    from musicsage.library import queries as q
    from musicsage.library.aac_recount import RECOUNT_KEY

    noise = np.random.default_rng(1).standard_normal(20 * RATE).astype(np.float32) * 0.3
    _adts(music / "old.aac", np.concatenate([np.zeros(3 * RATE, np.float32), noise]))
    scan_roots(conn, [str(music)])
    with conn:  # as an older scan left it: the bit-rate guess, the count not yet run
        conn.execute("UPDATE tracks SET duration = 400.0, needs_analysis = 0")
        conn.execute("DELETE FROM settings WHERE key = ?", (RECOUNT_KEY,))
    rep = scan_roots(conn, [str(music)])
    assert rep.unchanged == 1 and rep.updated == 0
    assert conn.execute("SELECT duration FROM tracks").fetchone()[0] \
        == pytest.approx(23.0, abs=0.1)
    assert conn.execute("SELECT needs_analysis FROM tracks").fetchone()[0] == 0
    [(_path, note)] = rep.notes
    assert "counted from its frames is 0:23 (stored: 6:40" in note
    assert q.get_setting(conn, RECOUNT_KEY) == []
    assert scan_roots(conn, [str(music)]).notes == []  # once


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


def test_a_nul_inside_a_vorbis_or_mp4_value_separates_two_artists(music):
    from mutagen.flac import FLAC

    path = music / "two.flac"
    t = np.arange(RATE) / RATE
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE)
    tags = FLAC(str(path))
    tags["artist"], tags["title"] = ["B1\x00B2"], ["\x00Title\x00"]
    tags.save()
    read = tags_mod.probe(str(path)).tags
    assert (read["artist"], read["title"]) == ("B1", "Title")  # was "B1 B2", a made-up artist


def test_a_title_taken_from_a_file_name_with_a_newline_is_one_line(conn, music):
    t = np.arange(RATE) / RATE
    sf.write(str(music / "live\tset\nencore.flac"),
             (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE)
    assert scan_roots(conn, [str(music)]).added == 1
    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "live set encore"

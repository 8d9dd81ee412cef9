"""WAV variants libsndfile reads and mutagen does not (or misjudges), tags kept in WAV/AIFF
chunks and in front of a FLAC, and two neighbours of the same review: ADTS AAC under ``.mp3``
and an MP3 cut after the scan.

RF64/Wave64 were refused ("Root chunk must be a RIFF chunk"), GSM 6.10 / G.721 WAVs called
truncated (libsndfile cannot seek in them), ADPCM WAVs stored as 0.004 s long (mutagen's
length from 4 bits per sample), and RIFF INFO titles ignored.
"""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import soundfile as sf
from library_audio import write_tags

from musicsage.audio import decode
from musicsage.library import tags as tags_mod
from musicsage.library.scan import scan_roots
from musicsage.playback.decoders import soundfile_blocks

SR = 8000


def _tone(seconds: float, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)


def test_rf64_and_wave64_wavs_are_stored_from_what_libsndfile_reads(conn, music):
    stereo = np.stack([_tone(3.0, 44100)] * 2, axis=1)
    sf.write(music / "big.wav", stereo, 44100, "PCM_16", format="RF64")
    sf.write(music / "sony.wav", stereo, 44100, "PCM_24", format="W64")
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 2
    rows = conn.execute("SELECT format, duration, sample_rate, channels, title FROM tracks "
                        "ORDER BY path").fetchall()
    assert [tuple(r) for r in rows] == [("wav", 3.0, 44100, 2, "big"), ("wav", 3.0, 44100, 2, "sony")]


@pytest.mark.parametrize("subtype", ["GSM610", "G721_32"])
def test_unseekable_wav_codecs_scan_and_play_from_a_later_start(music, subtype):
    path = str(music / f"{subtype}.wav")
    sf.write(path, _tone(6.0), SR, subtype, format="WAV")
    info = tags_mod.probe(path)  # was "audio ends early": the tail check's seek failed
    assert abs(info.duration - 6.0) < 0.1
    whole = np.concatenate(list(soundfile_blocks(path)[1]))
    later = np.concatenate(list(soundfile_blocks(path, 3 * SR)[1]))  # was DamagedAudio
    np.testing.assert_array_equal(later, whole[3 * SR:])


def _encode(path, codec: str, container: str, seconds: float) -> None:
    """Mono audio through FFmpeg (PyAV): what libsndfile cannot write."""
    av = pytest.importorskip("av")
    with open(path, "wb") as fh, av.open(fh, "w", format=container) as out:
        stream = out.add_stream(codec, rate=44100)
        frame = av.AudioFrame.from_ndarray(_tone(seconds, 44100)[None, :], format="fltp",
                                           layout="mono")
        frame.sample_rate = 44100
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)


@pytest.mark.parametrize("subtype", ["IMA_ADPCM", "MS_ADPCM", "MPEG_LAYER_III"])
def test_compressed_wavs_have_the_duration_of_their_audio(music, subtype):
    path = str(music / f"{subtype}.wav")
    if subtype == "MPEG_LAYER_III":  # MP3 in RIFF, as old Windows tools made it
        _encode(path, "libmp3lame", "wav", 8.0)
    else:
        sf.write(path, _tone(8.0, 44100), 44100, subtype, format="WAV")
    assert abs(tags_mod.probe(path).duration - 8.0) < 0.1  # not 0.004 s


def test_riff_info_tags_are_read_and_id3_wins_over_them(music):
    path = music / "info.wav"
    with sf.SoundFile(path, "w", SR, 1, "PCM_16") as f:  # LIST INFO, as Audacity writes
        f.title, f.artist, f.album, f.genre = "Info Títle", "Info Artist", "Info Album", "Jazz"
        f.date, f.tracknumber = "1999-04-01", "4/10"
        f.write(_tone(1.0))
    assert tags_mod.probe(str(path)).tags == {
        "title": "Info Títle", "artist": "Info Artist", "album": "Info Album", "genre": "Jazz",
        "year": 1999, "track_number": 4}
    write_tags(bytes(path), "wav", {"title": "ID3 Title"})  # an id3 chunk, as mp3tag adds
    tags = tags_mod.probe(str(path)).tags
    assert tags["title"] == "ID3 Title" and tags["artist"] == "Info Artist"


def _chunk(cid: bytes, data: bytes, order: str) -> bytes:
    size = struct.pack(">I" if order == "big" else "<I", len(data))
    return cid + size + data + (b"\x00" if len(data) & 1 else b"")


def test_cp1252_info_and_aiff_name_auth_chunks_are_read(music):
    wav = music / "old.wav"
    sf.write(wav, _tone(1.0), SR, "PCM_16")
    info = _chunk(b"INAM", "Café Crème".encode("cp1252"), "little")
    body = wav.read_bytes()[12:] + _chunk(b"LIST", b"INFO" + info, "little")
    wav.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    assert tags_mod.probe(str(wav)).tags == {"title": "Café Crème"}

    aiff = music / "mac.aiff"
    sf.write(aiff, _tone(1.0), SR, "PCM_16")
    body = aiff.read_bytes()[12:] + _chunk(b"NAME", b"Old Mac Song", "big") \
        + _chunk(b"AUTH", b"Someone", "big")
    aiff.write_bytes(b"FORM" + struct.pack(">I", 4 + len(body)) + b"AIFF" + body)
    assert tags_mod.probe(str(aiff)).tags == {"title": "Old Mac Song", "artist": "Someone"}


def test_an_id3_tag_in_front_of_a_flac_gives_its_tags(music):
    from mutagen.id3 import ID3, TIT2, TPE1

    path = music / "tagged.flac"
    sf.write(path, _tone(1.0), SR, "PCM_16")
    tag, head = ID3(), io.BytesIO()
    tag.add(TIT2(encoding=3, text=["Tagged by an MP3 tool"]))
    tag.add(TPE1(encoding=3, text=["Artist"]))
    tag.save(head)
    path.write_bytes(head.getvalue() + path.read_bytes())
    info = tags_mod.probe(str(path))
    assert info.tags == {"title": "Tagged by an MP3 tool", "artist": "Artist"}
    assert abs(info.duration - 1.0) < 0.01


def test_adts_aac_named_mp3_is_read_as_aac(music):
    path = music / "song.mp3"
    _encode(path, "aac", "adts", 2.0)
    info = tags_mod.probe(str(path))  # was "not a readable mp3 file (can't sync…)"
    assert info.format == "aac" and "AAC audio under the extension .mp3" in info.note


def test_an_mp3_cut_after_the_scan_is_an_error_when_embedded(music):
    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    path = music / "cut.mp3"
    sf.write(path, _tone(8.0, 44100), 44100, format="MP3")
    info = decode.probe(str(path))  # as the embed job has it from before the cut
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(decode.DecodeError, match=r"cut\.mp3: audio ends early \(truncated"):
        decode.read_spans(str(path), [(1.0, 1.0), (5.0, 1.0)], sr=16000, info=info)
    assert len(decode.read_spans(str(path), [(0.5, 1.0)], sr=16000)[0]) == 16000

"""WMA, WavPack and TTA are scanned, embedded and played (through PyAV, like M4A); audio
formats the scan cannot read here (APE, Musepack, DSD…) are counted and said, not skipped in
silence."""

from __future__ import annotations

import os

import numpy as np
import pytest
from library_audio import tone

from musicsage.audio import decode
from musicsage.library import tags as tags_mod
from musicsage.library.content_format import content_format
from musicsage.library.scan import scan_roots
from musicsage.library.walk import skipped_formats_text, walk_audio_files
from musicsage.playback.decoders import default_decoder

# extension -> (PyAV muxer, encoder, sample format the encoder takes)
PYAV_MADE = {"wma": ("asf", "wmav2", "fltp"), "wv": ("wv", "wavpack", "s16p"),
             "tta": ("tta", "tta", "s16")}
TAGS = {"title": "Night Bus", "artist": "The Lamps", "album": "Late", "albumartist": "Various",
        "genre": "Jazz", "track_number": 3, "year": 2009}
WMA_KEYS = {"title": "Title", "artist": "Author", "album": "WM/AlbumTitle",
            "albumartist": "WM/AlbumArtist", "genre": "WM/Genre", "track_number": "WM/TrackNumber",
            "year": "WM/Year"}
APE_KEYS = {"title": "Title", "artist": "Artist", "album": "Album", "albumartist": "Album Artist",
            "genre": "Genre", "track_number": "Track", "year": "Year"}


def _encode(path: str, seconds: float) -> None:
    """A stereo tone in the format the extension names, written by FFmpeg's own encoder."""
    import av

    muxer, codec, sample_format = PYAV_MADE[os.path.splitext(path)[1].lstrip(".")]
    sr = 44100
    pcm = (tone(seconds, sr, 2) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(path, "w", format=muxer) as out:
        stream = out.add_stream(codec, rate=sr)
        stream.layout = "stereo"
        if codec == "wmav2":
            stream.bit_rate = 128000  # the encoder refuses to open without one
        resampler = av.AudioResampler(format=sample_format, layout="stereo", rate=sr)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
        frame.sample_rate = sr
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def _tag(path: str) -> None:
    """The tags as the usual taggers write them: ASF attributes (WMA), APEv2 (WavPack, and
    appended to TTA, which mutagen's TrueAudio does not read)."""
    if path.endswith(".wma"):
        from mutagen.asf import ASF

        f, keys = ASF(path), WMA_KEYS
    else:
        from mutagen.apev2 import APEv2

        f, keys = APEv2(), APE_KEYS
    for key, value in TAGS.items():
        f[keys[key]] = str(value)
    f.save(path)


def _made(music, ext: str, seconds: float = 3.0) -> str:
    path = str(music / f"song.{ext}")
    _encode(path, seconds)
    _tag(path)
    return path


@pytest.mark.parametrize("ext", list(PYAV_MADE))
def test_a_file_is_scanned_with_its_tags_embedded_and_played(conn, music, ext):
    path = _made(music, ext)
    rep = scan_roots(conn, [str(music)])
    assert (rep.files, rep.added, rep.errors) == (1, 1, [])
    row = dict(conn.execute("SELECT format, title, artist, album, albumartist, genre, "
                            "track_number, year, duration, channels FROM tracks").fetchone())
    assert row.pop("format") == ext and abs(row.pop("duration") - 3.0) < 0.1
    assert row == {**TAGS, "channels": 2}
    # the embedder's reader: 1 s at 16 kHz from 1 s in, the tone's level (0.2 peak)
    span = decode.read_span(path, 1.0, 1.0, sr=16000)
    assert span.shape == (16000,) and 0.1 < float(np.abs(span).max()) < 0.3
    # …and no jumps in the tone: following WMA's 1-ms time stamps frame by frame overlapped and
    # skipped ~20 samples a frame (a step of 0.09 where the sine's largest is 0.035)
    assert float(np.abs(np.diff(span)).max()) < 0.06
    # the player's decoder, from 2 s in
    header, blocks = default_decoder(path, 2 * 44100)
    played = np.concatenate(list(blocks))
    assert header.samplerate == 44100 and header.channels == 2
    assert abs(len(played) - 44100) < 4096 and float(np.abs(played).max()) > 0.1


def test_a_wavpack_named_flac_and_a_wma_named_mp3_read_by_their_content(conn, music):
    os.rename(_made(music, "wv"), music / "a.flac")
    os.rename(_made(music, "wma"), music / "b.mp3")
    rep = scan_roots(conn, [str(music)])
    assert rep.added == 2 and rep.errors == []
    assert [n for _, n in rep.notes] == [
        "WavPack audio under the extension .flac (read as WavPack)",
        "WMA audio under the extension .mp3 (read as WMA)"]
    assert [r[0] for r in conn.execute("SELECT format FROM tracks ORDER BY path")] == ["wv", "wma"]


@pytest.mark.parametrize("head, fmt", [
    (bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c"), "wma"), (b"wvpk", "wv"),
    (b"TTA1", "tta"), (b"MAC \x96\x0f", "ape"), (b"MPCK", "mpc"), (b"MP+\x17", "mpc"),
    (b"DSD \x1c\x00", "dsf"), (b"FRM8" + bytes(8) + b"DSD ", "dff")])
def test_the_signatures_are_told(tmp_path, head, fmt):
    path = tmp_path / "x.bin"
    path.write_bytes(head + bytes(64))
    assert content_format(path) == fmt


def test_an_ape_named_mp3_is_refused_as_what_it_is(conn, music):
    (music / "song.mp3").write_bytes(b"MAC \x96\x0f" + bytes(4000))
    rep = scan_roots(conn, [str(music)])
    assert [why for _, why in rep.errors] == [
        "Monkey's Audio (APE) audio under the extension .mp3: format not supported "
        "(convert it to FLAC/MP3/Ogg)"]


def test_unsupported_audio_files_are_counted_by_the_walk_and_said_in_one_line(music):
    for name in ("a.ape", "b.APE", "c.dsf", "._d.ape", "cover.jpg", "notes.txt"):
        (music / name).write_bytes(b"x" * 10)
    (music / "sub").mkdir()
    (music / "sub" / "e.mpc").write_bytes(b"x")
    others: list[str] = []
    skipped: dict[str, int] = {}
    found = list(walk_audio_files(str(music), on_error=lambda *a: None, skipped=skipped,
                                  on_other_file=others.append))
    assert found == [] and skipped == {".ape": 2, ".dsf": 1, ".mpc": 1}
    assert len(others) == 7  # the playlist scan still hears of every other file
    assert skipped_formats_text(skipped) == (
        "2 .ape files, 1 .dsf file and 1 .mpc file skipped: format not supported "
        "(convert them to FLAC/MP3/Ogg)")
    assert skipped_formats_text({".dsf": 1}) == (
        "1 .dsf file skipped: format not supported (convert it to FLAC/MP3/Ogg)")
    assert skipped_formats_text({}) is None


def test_a_scan_of_unsupported_audio_says_so_in_the_cli_its_json_and_the_window(tmp_path, capsys):
    """A folder of .ape/.mpc rips scanned as "0 audio files … 0 errors" in the terminal and
    "no music files found" in the window, with no word of why."""
    import json

    from musicsage.cli import main
    from musicsage.controllers.summaries import describe_scan
    from musicsage.library.scan_report import ScanReport

    music = tmp_path / "rips"
    music.mkdir()
    for name in ("a.ape", "b.ape", "c.mpc"):
        (music / name).write_bytes(b"x" * 10)
    line = ("2 .ape files and 1 .mpc file skipped: format not supported "
            "(convert them to FLAC/MP3/Ogg)")
    assert main(["--data-dir", str(tmp_path / "data"), "scan", str(music)]) == 0
    assert f"note: {line}" in capsys.readouterr().out.splitlines()
    assert main(["--data-dir", str(tmp_path / "data"), "scan", str(music), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["skipped_formats"] == {".ape": 2, ".mpc": 1}
    said = describe_scan(ScanReport(roots=[str(music)], skipped_formats={".ape": 2, ".mpc": 1}))
    assert said == f"Scan finished: {line}"

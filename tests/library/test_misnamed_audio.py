"""Audio under another format's extension (a FLAC named .mp3): read by its content, said once."""

from __future__ import annotations

import os

from library_audio import write_audio

from musicsage.audio import decode
from musicsage.library import tags as tags_mod
from musicsage.library.content_format import content_format
from musicsage.library.scan import scan_roots


def _misnamed(music, real: str, shown: str):
    """A ``real`` file renamed to the ``shown`` extension, as a download tool leaves it."""
    made = write_audio(music / f"song.{real}", seconds=2.0, tags={"title": "Misnamed"})
    target = music / f"song.{shown}"
    os.rename(made, target)
    return target


def test_a_flac_named_mp3_is_stored_as_flac_with_a_note_and_decodes(conn, music):
    path = _misnamed(music, "flac", "mp3")
    rep = scan_roots(conn, [str(music)])
    assert rep.added == 1 and rep.errors == []
    row = conn.execute("SELECT format, title, duration FROM tracks").fetchone()
    assert (row["format"], row["title"]) == ("flac", "Misnamed")
    assert abs(row["duration"] - 2.0) < 0.05
    assert rep.notes == [(str(path), "FLAC audio under the extension .mp3 (read as FLAC)")]
    assert rep.to_dict()["notes"][0]["note"].startswith("FLAC audio")
    # the embedder reads it too (the decoder goes by content, not by name)
    assert decode.read_spans(str(path), [(0.5, 1.0)], sr=16000)[0].shape == (16000,)
    assert scan_roots(conn, [str(music)]).notes == []  # unchanged: said once, not every scan


def test_a_wav_named_ogg_is_stored_as_wav_with_a_note(conn, music):
    _misnamed(music, "wav", "ogg")
    rep = scan_roots(conn, [str(music)])
    assert conn.execute("SELECT format FROM tracks").fetchone()[0] == "wav"
    assert [note for _, note in rep.notes] == ["WAV audio under the extension .ogg (read as WAV)"]


def test_an_mp3_named_flac_reads_too(music):
    info = tags_mod.probe(str(_misnamed(music, "mp3", "flac")))
    assert info.format == "mp3" and info.tags["title"] == "Misnamed"
    assert "MP3 audio under the extension .flac" in info.note


def test_a_well_named_file_has_no_note_and_opus_in_ogg_is_no_misnaming(music):
    assert tags_mod.probe(str(write_audio(music / "a.flac"))).note is None
    info = tags_mod.probe(str(_misnamed(music, "opus", "ogg")))
    assert info.note is None


def test_what_is_not_audio_stays_an_error_named_by_its_signature_or_extension(conn, music):
    (music / "fake.mp3").write_bytes(b"fLaC" + b"\x00" * 4000)  # a FLAC signature, no audio
    (music / "text.mp3").write_bytes(b"just some notes\n" * 200)
    rep = scan_roots(conn, [str(music)])
    reasons = dict(rep.errors)
    assert rep.added == 0 and rep.notes == []
    assert reasons[str(music / "fake.mp3")].startswith(
        "FLAC audio under the extension .mp3: not a readable flac file")
    assert reasons[str(music / "text.mp3")].startswith("not a readable mp3 file")


def test_content_format_sees_through_an_id3_tag(music):
    path = music / "tagged.bin"
    flac = (music / "x.flac")
    write_audio(flac)
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\x00" * 5  # a 5-byte ID3v2.4 tag
    path.write_bytes(tag + flac.read_bytes())
    assert content_format(str(path)) == "flac"
    assert content_format(str(write_audio(music / "x.mp3"))) == "mp3"


def test_scan_says_once_that_a_file_was_read_by_its_content(ctx, music, capsys):
    from musicsage.cli import main

    _misnamed(music, "flac", "mp3")
    assert main(["scan", str(music), "--data-dir", str(ctx.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "1 new" in out and "0 errors" in out and "error:" not in err
    assert f"  note: {music / 'song.mp3'}: FLAC audio under the extension .mp3" in out
    assert main(["scan", str(music), "--data-dir", str(ctx.data_dir)]) == 0
    assert "note:" not in capsys.readouterr().out

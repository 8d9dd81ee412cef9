"""A damaged file under another format's extension (a cut MP3 named ``.flac``) is refused with
its own format's reason, that format named as in the note a readable one gets: the extension's
reader's reason ("not a valid FLAC file") sent the user looking for a broken FLAC."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio

from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library import tags as tags_mod
from musicsage.library.scan import scan_roots


def _mp3_bytes(music, *, tagged: bool = True) -> bytes:
    """A 4-s MP3 written by libsndfile (with its Xing header: the length is known), an ID3v2
    tag in front if ``tagged``."""
    import soundfile as sf

    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    made = write_audio(music / "made.mp3", seconds=4.0, tags={"title": "Cut"} if tagged else None)
    data = open(made, "rb").read()
    os.remove(made)
    return data


def test_a_cut_mp3_named_flac_is_refused_as_a_cut_mp3(conn, music):
    data = _mp3_bytes(music)
    (music / "cut.flac").write_bytes(data[: len(data) // 2])
    (music / "cut.mp3").write_bytes(data[: len(data) // 2])
    rep = scan_roots(conn, [str(music)])
    reasons = dict(rep.errors)
    assert rep.added == 0 and rep.notes == []
    assert reasons[str(music / "cut.mp3")] == AUDIO_ENDS_EARLY
    assert reasons[str(music / "cut.flac")] == (
        f"MP3 audio under the extension .flac: {AUDIO_ENDS_EARLY}")


def test_an_mp3_whose_frames_are_gone_named_flac_gives_the_mp3_readers_reason(music):
    data = _mp3_bytes(music, tagged=False)
    assert data[0] == 0xFF  # a frame sync first: the bytes announce MP3
    path = music / "head.flac"
    path.write_bytes(data[:4] + b"\x00" * 400)  # one frame header, then nothing of the audio
    with pytest.raises(tags_mod.UnreadableAudio) as caught:
        tags_mod.probe(str(path))
    reason = str(caught.value)
    assert reason.startswith("MP3 audio under the extension .flac: ")
    assert "FLAC" not in reason.split(": ", 1)[1] and "\n" not in reason


def test_scan_prints_the_mp3_reason_for_a_cut_mp3_named_flac(ctx, music, capsys):
    from musicsage.cli import main

    data = _mp3_bytes(music)
    (music / "cut.flac").write_bytes(data[: len(data) // 2])
    assert main(["scan", str(music), "--data-dir", str(ctx.data_dir)]) == 0
    err = capsys.readouterr().err
    assert (f"error: {music / 'cut.flac'}: MP3 audio under the extension .flac: "
            f"{AUDIO_ENDS_EARLY}") in err
    assert "not a valid FLAC file" not in err


@pytest.mark.parametrize("real, shown", [("wav", "ogg"), ("wav", "mp3"), ("aiff", "ogg")])
def test_a_cut_file_named_as_another_format_is_refused_not_stored_whole(conn, music, real,
                                                                       shown):
    """The extension's reader, tried after the content's refused the file, checks less: a WAV
    cut in half named .ogg was stored as a whole 4-s Ogg track, with no note."""
    made = write_audio(music / f"made.{real}", seconds=4.0)
    data = open(made, "rb").read()
    os.remove(made)
    path = music / f"cut.{shown}"
    path.write_bytes(data[: len(data) // 2])
    rep = scan_roots(conn, [str(music)])
    assert rep.added == 0 and rep.notes == []
    assert conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 0
    shown_format = {"wav": "WAV", "aiff": "AIFF"}[real]
    assert dict(rep.errors)[str(path)] == (
        f"{shown_format} audio under the extension .{shown}: {AUDIO_ENDS_EARLY[:-1]}: the "
        "header says 4.0 s, the file holds 2.0 s)")

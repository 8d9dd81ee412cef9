"""A WAV whose header was never written (a recorder that crashed): its ``data`` chunk says 0
bytes though the audio follows. The scan says so and how to rewrite the header, but decoding
it (``musicsage tags take.wav``) said "no audio could be decoded (empty or truncated file)",
which hid that the audio is there. Decoding now says what the scan says; a WAV that truly
holds no audio keeps the old words."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio.decode import DecodeError, load

RATE = 8000


def _wav(seconds: float) -> bytearray:
    buf = io.BytesIO()
    tone = 0.3 * np.sin(np.arange(int(RATE * seconds)) * 0.2)
    with sf.SoundFile(buf, "w", RATE, 1, "PCM_16", format="WAV") as out:
        out.write(tone)
    return bytearray(buf.getvalue())


def _data_size_zero(data: bytearray) -> bytearray:
    """``data`` as a recorder that died leaves it: the RIFF and ``data`` sizes still 0."""
    at = data.index(b"data")
    data[4:8] = data[at + 4:at + 8] = bytes(4)
    return data


def _decode_refusal(path: Path) -> str:
    with pytest.raises(DecodeError) as refused:
        load(str(path), sr=16000)
    return str(refused.value)


def test_decoding_says_the_audio_is_there_and_how_to_mend_it(tmp_path):
    take = tmp_path / "take 3.wav"
    take.write_bytes(_data_size_zero(_wav(3.0)))
    said = _decode_refusal(take)
    assert said.startswith("take 3.wav: its header says it holds no audio, though 3.0 s of "
                           "audio (48,000 bytes) follow it"), said
    assert f"`ffmpeg -i '{take}' -c copy '{tmp_path}/take 3-fixed.wav'`" in said
    assert "truncated" not in said and "\n" not in said
    assert said.endswith(", then replace it with the fixed file and scan again"), said


def test_a_library_track_is_told_to_replace_it_and_scan_again(tmp_path):
    """The embed job and the window's tagger read a library track's spans: the fixed file is
    a new one the library does not hold, so the advice ends as the scan's does, not with
    "then try the fixed file" (``tags FILE``'s ending)."""
    from musicsage.audio.decode import read_spans

    take = tmp_path / "take.wav"
    take.write_bytes(_data_size_zero(_wav(2.0)))
    with pytest.raises(DecodeError) as refused:
        read_spans(str(take), [(0.0, 1.0)], sr=16000)
    assert str(refused.value).endswith("then replace it with the fixed file and scan again")


def test_a_wav_that_truly_holds_no_audio_is_still_called_empty(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(_data_size_zero(_wav(0.0)))
    assert _decode_refusal(empty) == ("empty.wav: no audio could be decoded (empty or "
                                      "truncated file)")


def test_the_tags_command_says_it_in_one_line(tmp_path, capsys):
    from musicsage.cli import main

    take = tmp_path / "take.wav"
    take.write_bytes(_data_size_zero(_wav(2.0)))
    assert main(["--data-dir", str(tmp_path / "lib"), "tags", str(take)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("musicsage tags: take.wav: its header says it holds no audio"), err
    assert f"`sox --ignore-length {take} {tmp_path}/take-fixed.wav`" in err and "\n" not in err
    assert err.endswith(", then try the fixed file"), err  # FILE is read as given: no scan

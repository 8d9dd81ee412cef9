"""A WAV recording cut off before its header was written (a recorder that crashed, a full
card): its ``data`` chunk says 0 bytes, though the audio follows. libsndfile, the reader of
the scan and the player, reads 0 frames, and the scan said only "no audio frames": nothing
told the user that the audio is there, nor how to get it back. The refusal now says both;
a WAV that truly holds no audio is refused as before."""

from __future__ import annotations

import io
import shlex
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from musicsage.library.tags import UnreadableAudio, probe

RATE = 8000


def _wav(seconds: float = 3.0) -> bytearray:
    buf = io.BytesIO()
    tone = 0.3 * np.sin(np.arange(int(RATE * seconds)) * 0.2)
    with sf.SoundFile(buf, "w", RATE, 1, "PCM_16", format="WAV") as out:
        out.write(tone)
    return bytearray(buf.getvalue())


def _header_never_written(data: bytearray) -> bytearray:
    """``data`` as a recorder that died leaves it: the RIFF and ``data`` sizes still 0."""
    at = data.index(b"data")
    data[4:8] = data[at + 4:at + 8] = bytes(4)
    return data


def _refusal(path: Path) -> str:
    with pytest.raises(UnreadableAudio) as refused:
        probe(str(path))
    return str(refused.value)


def test_the_refusal_says_the_audio_is_there_and_how_to_mend_it(tmp_path):
    take = tmp_path / "take 3.wav"
    take.write_bytes(_header_never_written(_wav()))
    said = _refusal(take)
    assert said.startswith("its header says it holds no audio, though 3.0 s of audio "
                           "(48,000 bytes) follow it (a recording cut off")
    assert f"`ffmpeg -i '{take}' -c copy '{tmp_path}/take 3-fixed.wav'`" in said
    assert f"`sox --ignore-length '{take}' '{tmp_path}/take 3-fixed.wav'`" in said
    assert said.endswith(", then replace it with the fixed file and scan again")
    assert "\n" not in said
    _remuxed_as_ffmpeg_copies(take, tmp_path / "take 3-fixed.wav")
    assert probe(str(tmp_path / "take 3-fixed.wav")).duration == pytest.approx(3.0)


def _remuxed_as_ffmpeg_copies(given: Path, fixed: Path) -> None:
    """What the advice's ``ffmpeg -i GIVEN -c copy FIXED`` does (FFmpeg's WAV reader and
    writer, through PyAV): the file it gives is one the scan takes with all of its audio."""
    with av.open(str(given)) as source, av.open(str(fixed), "w", format="wav") as out:
        stream = out.add_stream_from_template(source.streams.audio[0])
        for packet in source.demux(source.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)


def test_the_scan_records_the_advice(tmp_path):
    from musicsage.context import AppContext
    from musicsage.library.db import connect
    from musicsage.library.queries import read_failure
    from musicsage.usecases.library import scan_library

    music = tmp_path / "music"
    music.mkdir()
    (music / "take.wav").write_bytes(_header_never_written(_wav()))
    ctx = AppContext.create(tmp_path / "lib")
    scan_library(ctx, [str(music)])
    failure = read_failure(connect(ctx), [str(music / "take.wav")])
    assert failure is not None and (f"`ffmpeg -i {music}/take.wav -c copy {music}/take-fixed.wav`"
                                    in failure["message"])


def test_the_advice_names_the_file_from_any_folder(tmp_path):
    """The commands name the file by its whole path, quoted: the bare name, pasted in another
    folder, named no file, and one starting with ``-`` was read as an option."""
    take = tmp_path / "-take é.wav"
    take.write_bytes(_header_never_written(_wav()))
    said = _refusal(take)
    ffmpeg = shlex.split(said.split("`")[1])
    sox = shlex.split(said.split("`")[3])
    fixed = str(tmp_path / "-take é-fixed.wav")
    assert ffmpeg == ["ffmpeg", "-i", str(take), "-c", "copy", fixed]
    assert sox == ["sox", "--ignore-length", str(take), fixed]


@pytest.mark.parametrize("after", [b"", b"id3 \x0a\x00\x00\x00ID3\x04\x00\x00\x00\x00\x00\x00"],
                         ids=["nothing after", "a tag chunk after"])
def test_only_a_cut_recording_is_told_to_mend_its_header(tmp_path, after):
    """An empty recording (its tags, if any, in a chunk after the empty ``data`` one) has
    no audio after its header, which is right: refused as before, with no advice; the same
    file with audio after an unwritten header gets it."""
    data = _wav(0) + after
    data[4:8] = (len(data) - 8).to_bytes(4, "little")
    (tmp_path / "empty.wav").write_bytes(data)
    (tmp_path / "cut.wav").write_bytes(_wav(0) + _wav(1)[44:])
    assert _refusal(tmp_path / "empty.wav") == "no audio frames"
    assert _refusal(tmp_path / "cut.wav").startswith(
        "its header says it holds no audio, though 1.0 s of audio (16,000 bytes) follow")

"""A damaged MP3 gets the app's one line, not libmpg123's resync chatter on the terminal —
and nothing else written to the terminal meanwhile is lost (musicsage/decoder_noise.py)."""

from __future__ import annotations

import os
import random
import re
import struct
import threading

import pytest
from robust_support import cli, lines, write_audio

from musicsage.decoder_noise import decoder_noise_muted, real_stderr

CHATTER = ("libmpg123", "Illegal Audio-MPEG-Header", "resync")


def damaged_mp3(path, damage: int = 4000):
    """A 20-s MP3 whose middle ``damage`` bytes are random: libmpg123 meets bad frames there.
    Rewritten in place, same size and time stamp, where ``path`` exists (a file that broke
    after the scan)."""
    import soundfile as sf

    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    if not path.exists():
        write_audio(path, seconds=20)
    stamp = path.stat()
    data = bytearray(path.read_bytes())
    rng = random.Random(1)
    middle = len(data) // 2
    data[middle:middle + damage] = bytes(rng.randrange(256) for _ in range(damage))
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    return path


def test_scanning_and_embedding_a_damaged_mp3_print_no_decoder_chatter(tmp_path):
    music = tmp_path / "music"
    damaged_mp3(music / "damaged.mp3")
    write_audio(music / "fine.wav")
    data_dir = tmp_path / "lib"
    scan = cli("scan", str(music), data_dir=data_dir)
    embed = cli("embed", "--model", "spectral", data_dir=data_dir)
    assert scan.returncode == 0, scan.stderr[-2000:]
    said = "\n".join(lines(scan.stdout + scan.stderr + embed.stdout + embed.stderr))
    for noise in CHATTER:
        assert noise not in said, said
    # the app's own line for it is still there (the scan's or, if it passed, the embed's)
    assert re.search(r"(error|failed): \S*damaged\.mp3: ", said), said


def test_a_player_reading_a_damaged_mp3_prints_no_decoder_chatter(tmp_path, capfd):
    from musicsage.playback.decoders import soundfile_blocks

    path = damaged_mp3(tmp_path / "damaged.mp3")
    _, blocks = soundfile_blocks(str(path))
    try:
        for _ in blocks:
            pass
    except RuntimeError:
        pass  # libsndfile may give up at the damage; what matters here is the terminal
    err = capfd.readouterr().err
    for noise in CHATTER:
        assert noise not in err, err


def test_other_output_written_while_muted_arrives_after_and_only_the_chatter_goes(capfd):
    with decoder_noise_muted():
        os.write(2, b"Note: Illegal Audio-MPEG-Header 0x00 at offset 1.\n")
        os.write(2, b"first message\n")
        with decoder_noise_muted():  # nested, as a read inside a read
            os.write(2, b"[src/libmpg123/parse.c:wetwork():1349] error: Giving up resync\n")
        os.write(2, b"second message, no newline")
        assert capfd.readouterr().err == ""  # held back while the read goes on
    assert capfd.readouterr().err == "first message\nsecond message, no newline"


def test_nothing_is_muted_when_asked_not_to(capfd):
    with decoder_noise_muted(False):
        os.write(2, b"Warning: shown as it is\n")
    assert capfd.readouterr().err == "Warning: shown as it is\n"


def test_a_child_process_starts_only_with_the_real_stderr():
    real = os.fstat(2).st_ino
    reading, finish_reading, started = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []

    def read_an_mp3():
        with decoder_noise_muted():
            reading.set()
            finish_reading.wait(10)

    def start_a_child():
        with real_stderr():
            seen.append(os.fstat(2).st_ino)
            started.set()

    reader = threading.Thread(target=read_an_mp3)
    reader.start()
    assert reading.wait(10)
    assert os.fstat(2).st_ino != real  # the read holds descriptor 2
    starter = threading.Thread(target=start_a_child)
    starter.start()
    assert not started.wait(0.3)  # the child waits for the read to end
    finish_reading.set()
    assert started.wait(10)
    reader.join(10)
    starter.join(10)
    assert seen == [real]


def test_a_damaged_mp3_is_called_damaged_in_one_line_by_scan_and_by_embed(tmp_path):
    """libsndfile says "Unspecified internal error." about frames it cannot decode; the scan
    printed that as the reason, and embed printed the file's name twice ("failed:
    …/late.mp3: late.mp3: cannot decode (Unspecified internal error.)")."""
    music, data_dir = tmp_path / "music", tmp_path / "lib"
    damaged_mp3(music / "early.mp3", damage=20000)
    write_audio(music / "late.mp3", seconds=20)
    scan = cli("scan", str(music), data_dir=data_dir)
    assert scan.returncode == 0, scan.stderr[-2000:]
    damaged_mp3(music / "late.mp3", damage=20000)  # breaks after the scan: embed meets it
    embed = cli("embed", "--model", "spectral", data_dir=data_dir)
    said = lines(scan.stderr + embed.stderr)
    early = [line for line in said if "early.mp3" in line]
    late = [line for line in said if "late.mp3" in line]
    assert early == [f"error: {music / 'early.mp3'}: cannot decode (damaged audio data?)"], said
    assert late == [f"failed: {music / 'late.mp3'}: cannot decode (damaged audio data?)"], said


def _mp3_named(path, damage: int = 4000):
    """A damaged MP3 (:func:`damaged_mp3`) under the name ``path``: libsndfile goes by the
    bytes, so libmpg123 reads it whatever its name says. A ``.wav`` one holds the MP3's frames
    in a WAV (format tag 0x55, after a JUNK chunk, as some recorders write them)."""
    made = damaged_mp3(path.with_name(path.name + ".tmp.mp3"), damage)
    if path.suffix != ".wav":
        made.rename(path)
        return path
    import soundfile as sf

    info, frames = sf.info(str(made)), made.read_bytes()
    made.unlink()
    if frames[:3] == b"ID3":
        frames = frames[10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(frames[6:10])):]
    fmt = struct.pack("<HHIIHHHHIHHH", 0x55, info.channels, info.samplerate, 4000, 1, 0, 12,
                      1, 2, 417, 1, 0)  # MPEGLAYER3WAVEFORMAT
    chunks = [(b"JUNK", bytes(28)), (b"fmt ", fmt), (b"fact", struct.pack("<I", info.frames)),
              (b"data", frames)]
    body = b"WAVE" + b"".join(name + struct.pack("<I", len(data)) + data + bytes(len(data) & 1)
                              for name, data in chunks)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


@pytest.mark.parametrize("name", ["song.flac", "song.ogg", "song", "song.wav"])
def test_an_mp3_under_another_name_is_read_without_decoder_chatter(tmp_path, capfd, name):
    """Muted by its name alone, an MP3 named ``.flac`` (or with no extension, or inside a
    WAV) spilled libmpg123's lines through the player's and the embedder's reads."""
    from musicsage.audio import decode
    from musicsage.playback.decoders import soundfile_blocks

    path = str(_mp3_named(tmp_path / name))
    try:
        _, blocks = soundfile_blocks(path)
        for _ in blocks:
            pass
    except RuntimeError:
        pass  # damaged: the player says so in its own words
    with pytest.raises(decode.DecodeError, match="cannot decode"):
        decode.read_spans(path, [(0.0, 20.0)], sr=16000)
    err = capfd.readouterr().err
    for noise in CHATTER:
        assert noise not in err, err


def test_embedding_an_mp3_named_flac_prints_one_line_and_no_chatter(tmp_path):
    music, data_dir = tmp_path / "music", tmp_path / "lib"
    music.mkdir()
    write_audio(music / "fine.wav")
    write_audio(tmp_path / "late.mp3", seconds=20)
    (tmp_path / "late.mp3").rename(music / "late.flac")
    scan = cli("scan", str(music), data_dir=data_dir)
    assert scan.returncode == 0, scan.stderr[-2000:]
    damaged_mp3(music / "late.flac", damage=20000)  # breaks after the scan: embed meets it
    embed = cli("embed", "--model", "spectral", data_dir=data_dir)
    said = "\n".join(lines(embed.stdout + embed.stderr))
    for noise in CHATTER:
        assert noise not in said, said
    assert f"failed: {music / 'late.flac'}: cannot decode (damaged audio data?)" in said, said


def test_might_be_noisy_looks_at_the_bytes_and_never_waits_or_raises(tmp_path):
    from musicsage.decoder_noise import might_be_noisy

    assert might_be_noisy(_mp3_named(tmp_path / "mp3.flac"))
    assert might_be_noisy(os.fsencode(_mp3_named(tmp_path / "no_extension")))
    assert might_be_noisy(_mp3_named(tmp_path / "mp3_frames_in.wav"))
    write_audio(tmp_path / "real.flac")
    write_audio(tmp_path / "real.wav")
    assert not might_be_noisy(tmp_path / "real.flac")
    assert not might_be_noisy(tmp_path / "real.wav")
    assert might_be_noisy(tmp_path / "missing.mp3")  # the name still counts
    assert not might_be_noisy(tmp_path / "missing.flac")
    assert not might_be_noisy(str(tmp_path / "nul\0.flac"))
    assert not might_be_noisy(tmp_path)  # a folder
    os.mkfifo(tmp_path / "pipe.flac")
    answers: list[bool] = []
    looker = threading.Thread(target=lambda: answers.append(might_be_noisy(tmp_path / "pipe.flac")),
                              daemon=True)
    looker.start()
    looker.join(5)
    if looker.is_alive():  # stuck opening the pipe: a writer lets it go
        os.close(os.open(tmp_path / "pipe.flac", os.O_WRONLY | os.O_NONBLOCK))
    assert answers == [False]

"""MP3 files made for the tests: LAME through FFmpeg (without the Xing header that holds the
length: old encoders, stream rips), libsndfile's joined end to end, and FFmpeg's own plain
decode to compare with."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

RATE = 44100
PAST_THE_GUESS_S = 3.0
"""The least audio :func:`joined_with_the_guess_in` leaves past libsndfile's guess (a test
seeks that far past it)."""


def tone(seconds: float, hz: float = 440.0) -> np.ndarray:
    """A mono sine at ``hz``, float32 at :data:`RATE`."""
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def joined(path, parts: list[np.ndarray]) -> None:
    """MP3 files written by libsndfile (each with its Xing/Info header), joined by bytes."""
    data = b""
    for i, part in enumerate(parts):
        one = path.with_name(f"part{i}.tmp")
        sf.write(one, part, RATE, format="MP3", subtype="MPEG_LAYER_III")
        data += one.read_bytes()
        one.unlink()
    path.write_bytes(data)


def lame(path, y: np.ndarray, options: dict, muxer: dict, *, rate: int = RATE) -> None:
    """``y`` as a stereo MP3 at ``rate`` Hz by LAME through FFmpeg, with the encoder's
    ``options`` and the muxer's ``muxer`` options (``{"write_xing": "0"}``: no length header)."""
    av = pytest.importorskip("av")
    if "libmp3lame" not in av.codecs_available:
        pytest.skip("this FFmpeg has no MP3 encoder")
    pcm = (np.clip(np.stack([y, y], 1), -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(str(path), "w", format="mp3", options=muxer) as out:
        stream = out.add_stream("libmp3lame", rate=rate, options=options)
        stream.layout = "stereo"
        resampler = av.AudioResampler(format="s16p", layout="stereo", rate=rate)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
        frame.sample_rate = rate
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)


def encoded_mp3(path: str, seconds: float = 12.0, options: dict | None = None, *,
                noise_seconds: float = 3.0, id3: bool = True, rate: int = RATE) -> None:
    """Noise first (the first frames take a high bitrate: a VBR guess comes out short), then
    a gliding tone, encoded by LAME (at an average bitrate unless ``options`` say otherwise),
    without a Xing/Info header; an ID3v2 tag first unless not ``id3``; at ``rate`` Hz (22,050:
    MPEG-2, whose frames hold 576 samples, not 1,152)."""
    n = round(seconds * rate)
    t = np.arange(n) / rate
    noise = 0.5 * np.random.default_rng(0).standard_normal(n)
    y = np.where(t < noise_seconds, noise, 0.2 * np.sin(2 * np.pi * (330 + 20 * t) * t))
    muxer = {"write_xing": "0", **({} if id3 else {"id3v2_version": "0"})}
    lame(path, y, options or {"abr": "1", "b": "128k"}, muxer, rate=rate)


def joined_with_the_guess_in(one: str, path: str, part: str, *, seconds: float = 10.0,
                             noise_seconds: float = 3.0) -> int:
    """``one`` (an :func:`encoded_mp3` of ``seconds``: noise, then a tone) joined to itself
    into ``path``, three times or more, until libsndfile's guess of the length (from the first
    frames' bitrate: short) lies in ``part`` ("noise" or "tone") of a copy, with a tone's
    :data:`PAST_THE_GUESS_S` or more of audio after it; how many copies. Where the guess falls
    is the encoder's doing (PyAV 18.1.0's LAME: 20.x s of three copies, in noise, 27.x s of
    four, in a tone; 18.1.1's: 16.8 s of three, in a tone, 22.4 s of four, in noise), so the
    count is looked for, not written down."""
    data = open(one, "rb").read()
    for copies in range(3, 9):
        with open(path, "wb") as out:
            out.write(data * copies)
        guess = sf.info(path).frames / RATE
        in_noise = guess % seconds < noise_seconds
        if guess < copies * seconds - PAST_THE_GUESS_S and in_noise == (part == "noise"):
            return copies
    raise AssertionError(f"no joined copies put libsndfile's guess in {part}")


def ffmpeg_decoded(path: str, *, skip_invalid: bool = False, rate: int = RATE) -> np.ndarray:
    """The whole file decoded by FFmpeg from its start to its end, float32 stereo; packets
    FFmpeg finds invalid skipped only where ``skip_invalid`` says so."""
    import av

    out: list[np.ndarray] = []
    with av.open(path) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="stereo", rate=rate)
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.InvalidDataError:
                if not skip_invalid:
                    raise
                continue
            for frame in frames:
                out += [o.to_ndarray().reshape(-1, 2) for o in resampler.resample(frame)]
        out += [o.to_ndarray().reshape(-1, 2) for o in resampler.resample(None)]
    return np.concatenate(out)

"""Files made for the tests of lengths a header does not tell: a variable-bitrate raw AAC
(ADTS) file that opens quietly (its first frames' bit rate makes any guess ten times too long)
and a WAV whose ``data`` chunk states less audio than follows it."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

RATE = 22050


def vbr_adts(path, silence_s: float = 12.0, noise_s: float = 4.0) -> None:
    """Silence (tiny frames) then loud noise, as raw AAC: the first frames' rate misleads."""
    import av

    noise = np.random.default_rng(1).standard_normal(int(RATE * noise_s)) * 0.3
    audio = np.concatenate([np.zeros(int(RATE * silence_s)), noise]).astype(np.float32)
    with av.open(str(path), "w", format="adts") as out:
        stream = out.add_stream("aac", rate=RATE, layout="mono")
        stream.bit_rate = 96000
        for at in range(0, len(audio), 1024):
            frame = av.AudioFrame.from_ndarray(audio[None, at:at + 1024], format="flt",
                                               layout="mono")
            frame.sample_rate, frame.pts = RATE, at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def understated_wav(path, seconds: float = 10.0, stated: float = 4.0) -> None:
    buf = io.BytesIO()
    tone = 0.5 * np.sin(np.arange(int(RATE * seconds)) * 0.2)
    sf.write(buf, tone.astype(np.float32), RATE, subtype="PCM_16", format="WAV")
    data = bytearray(buf.getvalue())
    at = data.index(b"data")
    size = int(RATE * stated) * 2
    data[at + 4:at + 8] = size.to_bytes(4, "little")
    data[4:8] = (at + size).to_bytes(4, "little")
    path.write_bytes(bytes(data))

"""The scan stores a track's real length where its header does not tell it: a raw AAC
(ADTS) file that opens quietly was stored at mutagen's guess from its first frames' bit rate
(ten times too long: the track list and ``stats`` showed minutes for seconds), and a WAV whose
``data`` chunk states less audio than follows it was stored at the stated length without a
word. The AAC's frames are counted; the WAV is stored whole, with one note saying why."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

from musicsage.library.scan import scan_roots

RATE = 22050


def _vbr_adts(path, silence_s: float = 12.0, noise_s: float = 4.0) -> None:
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


def _understated_wav(path, seconds: float = 10.0, stated: float = 4.0) -> None:
    buf = io.BytesIO()
    tone = 0.5 * np.sin(np.arange(int(RATE * seconds)) * 0.2)
    sf.write(buf, tone.astype(np.float32), RATE, subtype="PCM_16", format="WAV")
    data = bytearray(buf.getvalue())
    at = data.index(b"data")
    size = int(RATE * stated) * 2
    data[at + 4:at + 8] = size.to_bytes(4, "little")
    data[4:8] = (at + size).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_a_vbr_raw_aac_is_stored_at_its_counted_length(conn, music):
    _vbr_adts(music / "quiet intro.aac")
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 15.9 < stored < 16.2, f"the frames' 16 s, not a bit-rate guess: {stored}"


def test_a_wav_understating_its_audio_is_stored_whole_and_said(conn, music):
    path = music / "take.wav"
    _understated_wav(path)
    before = path.read_bytes()
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.added == 1
    stored = conn.execute("SELECT duration FROM tracks").fetchone()[0]
    assert 9.99 < stored < 10.01, f"all the audio, not the header's 4 s: {stored}"
    said = [note for _, note in rep.notes if "states less audio" in note]
    assert len(said) == 1 and "6.0 s more" in said[0] and "\n" not in said[0]
    assert path.read_bytes() == before, "the user's file is not rewritten"

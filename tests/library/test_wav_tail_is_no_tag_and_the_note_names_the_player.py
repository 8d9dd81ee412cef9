"""What follows a WAV's stated audio is taken as more audio only where it is no chunk or tag.

Python's ``wave`` writes an odd-sized ``data`` chunk (24-bit mono, an odd frame count) without
the pad byte the format asks for, and mutagen (Picard's and beets' tagger) then appends its
``id3 `` chunk right after the audio: the chunk was looked for one byte too far, not found, and
the cover picture was stored and analysed as 0.6 s of noise past full scale, with a note
telling the user to "rewrite the header" (which bakes the noise into the copy). A trailing
chunk cut off by the file's end did the same. A WAV whose header does understate its audio is
still stored whole, and its note says that musicsage plays it whole, but other players stop
at the header's length until the header is rewritten.
"""

from __future__ import annotations

import io
import wave

import numpy as np
import soundfile as sf

from musicsage.audio import decode
from musicsage.library import wav_tail
from musicsage.library.scan import scan_roots
from musicsage.playback.decoders import default_decoder

RATE = 22050


def _pywave24(path, frames: int) -> None:
    """A 24-bit mono WAV of a quiet tone as Python's ``wave`` writes it (no pad byte)."""
    tone = (0.4 * np.sin(np.arange(frames) * 0.05) * (2 ** 23 - 1)).astype("<i4")
    raw = b"".join(int(v).to_bytes(4, "little", signed=True)[:3] for v in tone)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(3)
        w.setframerate(RATE)
        w.writeframes(raw)


def _tag_with_cover(path) -> None:
    """A title and an 80 KB cover, as mutagen writes them into a WAV (an ``id3 `` chunk)."""
    from mutagen.id3 import APIC, TIT2
    from mutagen.wave import WAVE

    audio = WAVE(str(path))
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text="take"))
    cover = np.random.default_rng(2).bytes(80_000)
    audio.tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="", data=cover))
    audio.save()


def _stored(conn) -> tuple[float, str | None]:
    return conn.execute("SELECT duration, title FROM tracks").fetchone()


def test_a_tag_after_an_odd_sized_unpadded_data_chunk_is_no_audio(conn, music):
    path = music / "take.wav"
    _pywave24(path, 10 * RATE - 1)
    _tag_with_cover(path)
    data = path.read_bytes()
    at = data.index(b"data") + 8
    assert data[at + 3 * (10 * RATE - 1):][:4] == b"id3 ", "the chunk follows with no pad byte"
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == [] and rep.notes == []
    duration, title = _stored(conn)
    assert abs(duration - 10.0) < 0.001 and title == "take"
    whole = decode.load(path, sr=RATE)
    assert abs(len(whole) - 10 * RATE) <= 1, "the cover is not read as audio"
    assert np.abs(whole).max() < 0.5


def test_a_chunk_cut_off_by_the_files_end_is_no_audio(conn, music):
    buf = io.BytesIO()
    sf.write(buf, np.zeros(RATE * 4, np.float32), RATE, subtype="PCM_16", format="WAV")
    cover = np.random.default_rng(3).bytes(60_000)
    chunk = b"id3 " + len(cover).to_bytes(4, "little") + cover
    data = bytearray(buf.getvalue()) + chunk[:30_000]  # the copy stopped inside it
    data[4:8] = (len(data) - 8).to_bytes(4, "little")
    path = music / "cut.wav"
    path.write_bytes(bytes(data))
    assert wav_tail.unstated_tail_seconds(str(path)) is None
    assert decode.probe(path).duration_s == 4.0
    rep = scan_roots(conn, [str(music)])
    assert [n for _, n in rep.notes if "states less audio" in n] == []
    assert abs(_stored(conn)[0] - 4.0) < 0.001


def test_the_note_on_an_understated_wav_says_other_players_stop_at_the_header(conn, music):
    buf = io.BytesIO()
    tone = (0.3 * np.sin(np.arange(RATE * 10) * 0.2)).astype(np.float32)
    sf.write(buf, tone, RATE, subtype="PCM_16", format="WAV")
    data = bytearray(buf.getvalue())
    at = data.index(b"data")
    data[at + 4:at + 8] = (RATE * 4 * 2).to_bytes(4, "little")  # says 4 s of the 10
    path = music / "long take.wav"
    path.write_bytes(bytes(data))
    rep = scan_roots(conn, [str(music)])
    said = [note for _, note in rep.notes if "states less audio" in note]
    assert len(said) == 1 and abs(_stored(conn)[0] - 10.0) < 0.001
    assert "musicsage analyses and plays all of it" in said[0], said[0]
    assert "other players stop at the header's length until the header is rewritten" in said[0]
    header, blocks = default_decoder(str(path))
    blocks.close()
    assert header.frames == RATE * 10, "what the note says of the player holds"


def test_audio_whose_bytes_spell_a_chunk_id_at_the_stated_end_is_still_read_whole(tmp_path):
    """Loud audio often begins with four bytes a chunk id is made of (``M8M8`` in 16-bit
    stereo, a quarter of all places in 8-bit audio): taken for a chunk, the file was stored at
    its header's length again, silently. Such bytes count as a chunk only where the size
    after them fits in the file (or the id is one writers put after the audio)."""
    frames = RATE * 10
    tone = (0.5 * np.sin(np.arange(frames) * 0.2) * 32767).astype("<i2")
    stereo = np.repeat(tone[:, None], 2, axis=1)
    stated = RATE * 4
    stereo[stated] = int.from_bytes(b"M8", "little")  # the stated end reads "M8M8"
    buf = io.BytesIO()
    sf.write(buf, stereo, RATE, subtype="PCM_16", format="WAV")
    data = bytearray(buf.getvalue())
    at = data.index(b"data")
    data[at + 4:at + 8] = (stated * 4).to_bytes(4, "little")
    data[4:8] = (at + stated * 4).to_bytes(4, "little")
    assert data[at + 8 + stated * 4:at + 12 + stated * 4] == b"M8M8"
    path = tmp_path / "loud take.wav"
    path.write_bytes(bytes(data))
    assert abs(decode.probe(path).duration_s - 10.0) < 0.01
    assert "6.0 s more" in wav_tail.tail_note(str(path))


def test_audio_spelling_an_id_and_a_size_that_fits_is_still_read_whole(tmp_path):
    """In a long recording the four bytes after an id-like start read as a size that fits in
    the file a quarter of the time or more (a 1-hour take was stored at its header's 4 s):
    an id counts as a chunk only where the chunks from it lead to the file's end."""
    frames = RATE * 10
    tone = (0.5 * np.sin(np.arange(frames) * 0.2) * 32767).astype("<i2")
    stereo = np.repeat(tone[:, None], 2, axis=1)
    stated = RATE * 4
    stereo[stated] = int.from_bytes(b"M8", "little")
    stereo[stated + 1] = (16, 0)  # "M8M8", then a size of 16 bytes: it fits
    buf = io.BytesIO()
    sf.write(buf, stereo, RATE, subtype="PCM_16", format="WAV")
    data = bytearray(buf.getvalue())
    at = data.index(b"data")
    data[at + 4:at + 8] = (stated * 4).to_bytes(4, "little")
    data[4:8] = (at + stated * 4).to_bytes(4, "little")
    path = tmp_path / "long take.wav"
    path.write_bytes(bytes(data))
    assert abs(decode.probe(path).duration_s - 10.0) < 0.01
    assert "6.0 s more" in wav_tail.tail_note(str(path))

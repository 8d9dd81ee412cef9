"""A FLAC whose header states no length (a stream's encoder: STREAMINFO's total samples 0) is
counted by decoding it through. A frame damaged in its middle (bit rot, not zeros) stopped the
count there: the scan stored the part before the damage as the whole track, without a word,
and ``embed`` then failed it "damaged audio data at 0:02". The scan now refuses it in those
same words, as it refuses zeros there, and ``embed`` names the time the scan names (read to a
block, it said 0:01 where the scan said 0:02). A stream's own end is no damage: its cut last
frame, an ID3v1 or APEv2 tag, a text trailer or 0xFF padding after its last frame — the scan,
``embed`` and the player all take the whole stream (they said "damaged audio data at 0:06").

Also: the zeroed-bytes check guards every seek through ``decode.sf_seek`` (``embed``'s, the
player's and the player's read again after a failed block alike); a FLAC has its metadata
read once per open file, not at every seek (the zeroed-bytes check read it at each); ``embed``
decodes a stream once to count it, not twice (its decoder's probe, then the scan's check)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import damage, decode
from musicsage.library import flac_zeroed, unstated_length
from musicsage.library.scan import scan_roots
from musicsage.library.tags import UnreadableAudio, probe
from musicsage.playback.decoders import soundfile_blocks

SR = 22050
SECONDS = 6.0
DAMAGED = "damaged audio data at 0:0"


def _stream(path: Path, *, flipped_at: float | None = None, tail: bytes = b"",
            level: int | None = None, stated: bool = False) -> Path:
    """6 s of a tone with noise as a FLAC whose STREAMINFO states no length (``stated``: as
    written); 16 bytes at the share ``flipped_at`` of its bytes flipped (a frame there fails
    its check); ``tail`` appended. ``level``: the encoder's (0: frames of 1,152 samples)."""
    t = np.arange(int(SECONDS * SR)) / SR
    noise = 0.05 * np.random.default_rng(1).standard_normal(t.size)
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) + noise
    sf.write(path, tone.astype(np.float32), SR, format="FLAC",
             **({} if level is None else {"compression_level": level}))
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO first, as written
    if not stated:
        data[21] &= 0xF0  # the 36-bit total samples end STREAMINFO's 18th byte
        data[22:26] = bytes(4)
    if flipped_at is not None:
        at = int(len(data) * flipped_at)
        data[at:at + 16] = bytes(b ^ 0xA5 for b in data[at:at + 16])
    path.write_bytes(bytes(data) + tail)
    return path


def test_a_stream_damaged_inside_is_refused_in_embeds_words(tmp_path):
    path = _stream(tmp_path / "live set.flac", flipped_at=0.5)

    with pytest.raises(UnreadableAudio) as refused:
        probe(str(path))

    said = str(refused.value)
    assert said.startswith(DAMAGED) and said.endswith("(a FLAC frame there does not decode)")
    with pytest.raises(decode.DecodeError) as embed_said:
        decode.read_spans(path, [(0.0, 30.0)], sr=SR)
    assert str(embed_said.value) == f"live set.flac: {said}"  # one verdict, one wording


def test_the_scan_records_the_damaged_stream_not_a_short_track(conn, music):
    _stream(music / "live set.flac", flipped_at=0.5)
    _stream(music / "whole.flac")

    rep = scan_roots(conn, [str(music)])

    assert rep.added == 1
    assert [Path(p).name for (p,) in conn.execute("SELECT path FROM tracks")] == ["whole.flac"]
    (message,) = [m for (m,) in conn.execute("SELECT message FROM errors")]
    assert DAMAGED in message


def test_an_id3v1_tag_after_a_whole_stream_is_no_damage(tmp_path):
    tag = b"TAG" + b"Live set".ljust(30, b"\0") + bytes(128 - 33)
    path = _stream(tmp_path / "tagged.flac", tail=tag)

    assert probe(str(path)).duration == pytest.approx(SECONDS, abs=1e-3)


def _apev2(path: Path) -> None:
    from mutagen.apev2 import APEv2

    tag = APEv2()
    tag["Title"], tag["Artist"] = "Live set", "The Lamps"
    tag.save(os.fspath(path))


TAILS = {"a text trailer": b"\nEncoded by streamripper\n", "0xFF padding": b"\xff" * 300,
         "an APEv2 tag": _apev2}


@pytest.mark.parametrize("stated", [False, True], ids=["unstated", "stated"])
@pytest.mark.parametrize("tail", TAILS.values(), ids=TAILS.keys())
def test_bytes_after_a_whole_stream_are_its_end_for_scan_embed_and_player(tmp_path, tail,
                                                                          stated):
    path = _stream(tmp_path / "live set.flac", tail=tail if isinstance(tail, bytes) else b"",
                   stated=stated)
    if callable(tail):
        tail(path)
    whole = int(SECONDS * SR)

    assert probe(str(path)).duration == pytest.approx(SECONDS, abs=1e-3)
    (excerpt,) = decode.read_spans(path, [(0.0, 30.0)], sr=SR)
    assert len(excerpt) == whole
    _header, blocks = soundfile_blocks(str(path))
    assert sum(len(block) for block in blocks) == whole


def test_a_stream_damaged_inside_with_a_trailer_is_still_refused(tmp_path):
    path = _stream(tmp_path / "live set.flac", flipped_at=0.5, tail=TAILS["a text trailer"])

    with pytest.raises(UnreadableAudio, match=DAMAGED):
        probe(str(path))


@pytest.mark.parametrize("level", [0, None], ids=["1152-sample frames", "default frames"])
def test_embed_names_the_time_the_scan_names(tmp_path, level):
    said = []
    for share in np.arange(0.10, 0.90, 0.04):
        path = _stream(tmp_path / "live set.flac", flipped_at=share, level=level)
        with pytest.raises(UnreadableAudio) as scan:
            probe(str(path))
        with pytest.raises(decode.DecodeError) as embed:
            decode.read_spans(path, [(0.0, 30.0)], sr=SR)
        said.append((str(embed.value), f"live set.flac: {scan.value}"))
    assert [embed for embed, _scan in said] == [scan for _embed, scan in said]


def test_every_seek_through_sf_seek_is_refused_in_zeroed_bytes(tmp_path, monkeypatch):
    """The player's read again after a failed block seeks through ``sf_seek`` too: the check
    sits there, not beside each caller, and libsndfile is never asked to seek there."""
    rng = np.random.default_rng(3)
    path = tmp_path / "download.flac"
    sf.write(path, (0.3 * rng.standard_normal(60 * 8000)).astype(np.float32), 8000)
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(bytes(size - size // 2))
    sought: list[int] = []
    seek = sf.SoundFile.seek
    monkeypatch.setattr(sf.SoundFile, "seek", lambda self, frames, whence=0: (
        sought.append(frames) if whence == 0 else None, seek(self, frames, whence))[1])

    with sf.SoundFile(os.fsencode(path)) as f:
        with pytest.raises(damage.ZeroedSeek):
            decode.sf_seek(f, 45 * 8000)
        decode.sf_seek(f, 10 * 8000)  # good audio: sought as before

    assert sought == [10 * 8000]


def test_a_streams_metadata_is_read_once_per_open_file(tmp_path, monkeypatch):
    """Both checks at each seek (where a frame begins, whether the place is zeroed) read it
    from the one reading."""
    path = _stream(tmp_path / "live set.flac")
    assert os.path.getsize(path) > flac_zeroed.ZERO_RUN  # (else the zeros are not looked for)
    reads: list[int] = []
    real = flac_zeroed.audio_start
    for module in (damage, flac_zeroed):
        monkeypatch.setattr(module, "audio_start", lambda fh: (reads.append(1), real(fh))[1])

    with sf.SoundFile(os.fsencode(path)) as f:
        for second in (1, 2, 3, 4, 1):
            decode.sf_seek(f, second * SR)
            assert len(decode.sf_read(f, 16)) == 16

    assert len(reads) == 1


def test_a_long_stream_is_embedded_from_excerpts_spread_over_it(ctx, tmp_path):
    """Its length unknown, ``embed`` took one excerpt from the start (the first 30 s of a
    2-minute stream) where the same audio with its length stated gets three spread over it:
    two copies of one recording got different vectors. Now both are read alike."""
    from musicsage.library.db import connect
    from musicsage.library.queries import get_embeddings
    from musicsage.usecases.embedding import embed_library

    t = np.arange(120 * 8000) / 8000
    freq = np.where(t < 40, 220.0, np.where(t < 80, 660.0, 1760.0))  # a part per third
    audio = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    stated, stream = tmp_path / "stated.flac", tmp_path / "stream.flac"
    sf.write(stated, audio, 8000, format="FLAC")
    data = bytearray(stated.read_bytes())
    data[21] &= 0xF0
    data[22:26] = bytes(4)
    stream.write_bytes(bytes(data))

    assert decode.probe(stream).duration_s == pytest.approx(120.0)
    conn = connect(ctx)
    for path in (stated, stream):
        conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), path.stem))
    assert embed_library(ctx, "spectral").embedded == 2
    _ids, vectors = get_embeddings(connect(ctx), "spectral")
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)


def test_embed_decodes_a_stream_once_to_count_it(ctx, tmp_path, monkeypatch):
    """``embed`` counts a stream's length (its decoder's probe) and asks the scan's check of
    it: each decoded the whole file (an hour's live set twice). A file changed is counted
    again."""
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import embed_library

    path = _stream(tmp_path / "live set.flac")
    counts: list[int] = []
    real = unstated_length._decoded_frames
    monkeypatch.setattr(unstated_length, "_decoded_frames",
                        lambda snd: (counts.append(1), real(snd))[1])
    connect(ctx).execute("INSERT INTO tracks(path, title) VALUES (?, ?)", (str(path), "set"))

    assert embed_library(ctx, "spectral").embedded == 1
    assert len(counts) == 1
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert probe(str(path)).duration == pytest.approx(SECONDS, abs=1e-3)
    assert len(counts) == 2

"""A WMA's year written by FFmpeg (``date``/``year``, not ``WM/Year``) is read; a file whose
own tags hold every field the fallback readers could add is not opened again for them."""

from __future__ import annotations

import os

import mutagen.id3
import numpy as np
import pytest
from library_audio import tone, write_audio

from musicsage.library import tag_fields
from musicsage.library import tags as tags_mod
from musicsage.library.scan import scan_roots

ALL = {"title": "Night Bus", "artist": "The Lamps", "album": "Late", "albumartist": "Various",
       "genre": "Jazz", "tracknumber": "3", "date": "2009"}


def _wma(path: str, metadata: dict[str, str]) -> str:
    """A short WMA written by FFmpeg's own muxer, with ``metadata`` as FFmpeg stores it."""
    import av

    sr = 44100
    pcm = (tone(2.0, sr, 2) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(path, "w", format="asf") as out:
        out.metadata.update(metadata)
        stream = out.add_stream("wmav2", rate=sr)
        stream.layout, stream.bit_rate = "stereo", 128000
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=sr)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
        frame.sample_rate = sr
        for part in (*resampler.resample(frame), *resampler.resample(None), None):
            for packet in stream.encode(part):
                out.mux(packet)
    return path


@pytest.mark.parametrize("key", ["date", "year", "WM/Year"])
def test_a_wma_made_by_ffmpeg_shows_its_year(conn, music, key):
    _wma(str(music / "song.wma"), {"title": "Night Bus", key: "2009-05-03"})
    rep = scan_roots(conn, [str(music)])
    assert (rep.added, rep.errors) == (1, [])
    assert tuple(conn.execute("SELECT title, year FROM tracks").fetchone()) == ("Night Bus", 2009)


def test_wm_year_wins_over_ffmpegs_date(music):
    path = _wma(str(music / "song.wma"), {"date": "1999", "WM/Year": "2009"})
    assert tags_mod.probe(path).tags["year"] == 2009


class _Opened(list):
    spy_id3: object


@pytest.fixture
def fallback_opens(monkeypatch):
    """The files the fallback readers open: a WAV's chunks; with ``spy_id3()`` also the ID3
    in front of a FLAC (only then: mutagen's WAV tags must stay instances of the real ID3)."""
    opened = _Opened()

    class SpyID3(mutagen.id3.ID3):
        def __init__(self, path=None, *args, **kwargs):
            opened.append(path)
            super().__init__(path, *args, **kwargs)

    def spy_chunks(path, fmt):
        opened.append(path)
        return real_chunks(path, fmt)

    real_chunks = tag_fields.chunk_texts  # the fallback readers live there
    monkeypatch.setattr(tag_fields, "chunk_texts", spy_chunks)
    opened.spy_id3 = lambda: monkeypatch.setattr(mutagen.id3, "ID3", SpyID3)
    return opened


@pytest.mark.parametrize("ext", ["flac", "wav"])
def test_a_fully_tagged_file_is_not_opened_again_for_fallback_tags(music, fallback_opens, ext):
    path = str(write_audio(music / f"a.{ext}", tags=ALL))
    if ext == "flac":
        fallback_opens.spy_id3()
    info = tags_mod.probe(path)
    assert info.tags["title"] == "Night Bus" and info.tags["year"] == 2009
    assert fallback_opens == []


def test_a_wav_missing_a_field_still_takes_it_from_its_riff_info(music, fallback_opens):
    import soundfile as sf

    path = str(music / "a.wav")
    sf.write(path, tone(1.0, 44100), 44100, format="WAV", subtype="PCM_16")
    with sf.SoundFile(path, "r+") as snd:  # libsndfile writes a RIFF LIST/INFO chunk
        snd.title, snd.artist = "Night Bus", "The Lamps"
    assert tags_mod.probe(path).tags == {"title": "Night Bus", "artist": "The Lamps"}
    assert fallback_opens == [path]


def test_the_fallback_fields_are_those_the_chunk_readers_give():
    from musicsage.library import riff_tags

    assert tags_mod._FALLBACK_FIELDS["wav"] == set(riff_tags._INFO_KEYS.values())
    assert tags_mod._FALLBACK_FIELDS["aiff"] == set(riff_tags._AIFF_KEYS.values())

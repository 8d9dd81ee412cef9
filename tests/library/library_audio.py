"""Generated audio for the library tests: numpy + soundfile (PyAV for AAC), tags with mutagen.

No binary fixtures: every file is written by the test that needs it. A plain module (not
conftest) with a name unique across tests/, so ``from library_audio import …`` is unambiguous.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# extension -> (soundfile format, subtype, sample rate); m4a is written with PyAV instead
SOUNDFILE_FORMATS = {
    "wav": ("WAV", "PCM_16", 22050),
    "flac": ("FLAC", "PCM_16", 22050),
    "ogg": ("OGG", "VORBIS", 22050),
    "opus": ("OGG", "OPUS", 48000),
    "mp3": ("MP3", "MPEG_LAYER_III", 22050),
    "aiff": ("AIFF", "PCM_16", 22050),
}
ALL_FORMATS = [*SOUNDFILE_FORMATS, "m4a"]


def tone(seconds: float, sr: int, channels: int = 1, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    x = 0.2 * np.sin(2 * np.pi * freq * t).astype(np.float32)
    return np.stack([x] * channels, axis=1) if channels > 1 else x


def _write_m4a(path: bytes, seconds: float, channels: int) -> None:
    import av

    sr = 44100
    layout = "stereo" if channels == 2 else "mono"
    with open(path, "wb") as fh, av.open(fh, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=sr)
        stream.layout = layout
        data = tone(seconds, sr, channels).reshape(-1, channels).T.copy()
        frame = av.AudioFrame.from_ndarray(data, format="fltp", layout=layout)
        frame.sample_rate = sr
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def write_tags(path: bytes, ext: str, tags: dict[str, str]) -> None:
    """Write title/artist/album/albumartist/genre/tracknumber/date with the format's tag kind."""
    fs = os.fsdecode(path)
    if ext in ("flac", "ogg", "opus"):
        from mutagen.flac import FLAC
        from mutagen.oggopus import OggOpus
        from mutagen.oggvorbis import OggVorbis

        f = {"flac": FLAC, "ogg": OggVorbis, "opus": OggOpus}[ext](fs)
        for k, v in tags.items():
            f[k] = v
        f.save()
    elif ext == "m4a":
        from mutagen.mp4 import MP4

        keys = {"title": "\xa9nam", "artist": "\xa9ART", "album": "\xa9alb", "albumartist": "aART",
                "genre": "\xa9gen", "date": "\xa9day"}
        f = MP4(fs)
        for k, v in tags.items():
            if k == "tracknumber":
                n, _, total = v.partition("/")
                f["trkn"] = [(int(n), int(total or 0))]
            else:
                f[keys[k]] = v
        f.save()
    else:  # mp3, wav, aiff: ID3
        import mutagen
        from mutagen import id3

        frames = {"title": id3.TIT2, "artist": id3.TPE1, "album": id3.TALB, "albumartist": id3.TPE2,
                  "genre": id3.TCON, "tracknumber": id3.TRCK, "date": id3.TDRC}
        f = mutagen.File(fs)
        if f.tags is None:
            f.add_tags()
        for k, v in tags.items():
            f.tags.add(frames[k](encoding=3, text=[v]))
        f.save()


def write_audio(path, *, seconds: float = 1.0, channels: int = 1, tags: dict | None = None,
                freq: float = 440.0) -> Path | bytes:
    """Write an audio file whose format follows the extension; ``path`` may be bytes (odd names)."""
    raw = os.fsencode(path)
    ext = os.path.splitext(raw)[1].decode().lstrip(".").lower()
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    if ext == "m4a":
        _write_m4a(raw, seconds, channels)
    else:
        import soundfile as sf

        fmt, subtype, sr = SOUNDFILE_FORMATS[ext]
        sf.write(raw, tone(seconds, sr, channels, freq), sr, format=fmt, subtype=subtype)
    if tags:
        write_tags(raw, ext, tags)
    return path

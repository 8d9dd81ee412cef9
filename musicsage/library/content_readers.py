"""Reading a file as the format its first bytes announce (:mod:`.content_format`), not as its
extension says: mutagen's readers for that format, and the reason given when the file does not
read as that format either.

A damaged MP3 named ``.flac`` was refused with the FLAC reader's reason ("not a valid FLAC
file"), which sent the user looking for a broken FLAC; its own reader's reason ("audio ends
early") says what is wrong, and the prefix says what the file is, in the words of the note a
readable one gets (``MP3 audio under the extension .flac (read as MP3)``).
"""

from __future__ import annotations

import os
from typing import Any

from musicsage.library.audio_hash import after_id3v2
from musicsage.library.content_format import FORMAT_NAMES, mpeg_format


def mutagen_kinds(fmt: str) -> list:
    """mutagen's readers for a format the content announced (not the extension's guess)."""
    from mutagen import (aac, aiff, asf, flac, mp3, mp4, oggflac, oggopus, oggvorbis,
                         trueaudio, wave, wavpack)

    kinds = {"mp3": [mp3.MP3], "flac": [flac.FLAC], "opus": [oggopus.OggOpus],
             "ogg": [oggvorbis.OggVorbis, oggflac.OggFLAC], "wav": [wave.WAVE],
             "aiff": [aiff.AIFF], "m4a": [mp4.MP4], "aac": [aac.AAC], "wma": [asf.ASF],
             "wv": [wavpack.WavPack], "tta": [trueaudio.TrueAudio]}
    return kinds.get(fmt, [])


def aac_with_id3(fs_path: str) -> tuple[Any, Exception | None]:
    """mutagen's reading of a raw AAC (ADTS) file, with the tags of the ID3v2 tag that stream
    rippers and some encoders put at its start (or of an ID3v1 tag at its end); and the ID3
    reader's error where that tag is damaged, the audio read all the same. mutagen's AAC
    reader skips the tag but reads no tags, and ``mutagen.File`` took such a file for an MP3
    (the ID3 header outscores the extension): it was refused, "can't sync to MPEG frame"."""
    from mutagen.aac import AAC
    from mutagen.id3 import ID3, ID3NoHeaderError

    if _mpeg_audio_after_id3(fs_path):
        raise ValueError("MPEG audio behind the ID3 tag: no ADTS stream")
    mfile = AAC(fs_path)
    try:
        mfile.tags = ID3(fs_path)
    except ID3NoHeaderError:  # no tag: the usual raw AAC
        return mfile, None
    except Exception as exc:  # mutagen raises many types for a damaged tag
        return mfile, exc
    return mfile, None


def _mpeg_audio_after_id3(fs_path: str) -> bool:
    """Whether the first frame sync after an ID3v2 tag at the file's start is MPEG audio's
    (:func:`~.content_format.mpeg_format`: layer bits not 00), not an ADTS header's. mutagen's
    AAC reader looks at the 12 sync bits alone, and the small frames of a low-bitrate MP3
    (16–24 kHz, 8–32 kbps: speech, podcasts) named ``.aac`` passed for three AAC frames:
    stored at 25 s for 10 s."""
    with open(fs_path, "rb") as fh:
        head = fh.read(10)
        if not head.startswith(b"ID3"):
            return False
        fh.seek(after_id3v2(fh, head))
        data = fh.read(1 << 16)
    for at in range(len(data) - 1):
        if data[at] == 0xFF and data[at + 1] & 0xF0 == 0xF0:
            return mpeg_format(data[at:at + 2]) == "mp3"
    return False


def misnamed_reason(name: str, by_content: str, reason: str) -> str:
    """Why a misnamed file does not read as the format its bytes announce, that format named
    first: ``MP3 audio under the extension .flac: audio ends early (truncated or damaged
    file?)``."""
    shown = FORMAT_NAMES.get(by_content, by_content)
    return f"{shown} audio under the extension {os.path.splitext(name)[1].lower()}: {reason}"

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

from musicsage.library.content_format import FORMAT_NAMES


def mutagen_kinds(fmt: str) -> list:
    """mutagen's readers for a format the content announced (not the extension's guess)."""
    from mutagen import (aac, aiff, asf, flac, mp3, mp4, oggflac, oggopus, oggvorbis,
                         trueaudio, wave, wavpack)

    kinds = {"mp3": [mp3.MP3], "flac": [flac.FLAC], "opus": [oggopus.OggOpus],
             "ogg": [oggvorbis.OggVorbis, oggflac.OggFLAC], "wav": [wave.WAVE],
             "aiff": [aiff.AIFF], "m4a": [mp4.MP4], "aac": [aac.AAC], "wma": [asf.ASF],
             "wv": [wavpack.WavPack], "tta": [trueaudio.TrueAudio]}
    return kinds.get(fmt, [])


def misnamed_reason(name: str, by_content: str, reason: str) -> str:
    """Why a misnamed file does not read as the format its bytes announce, that format named
    first: ``MP3 audio under the extension .flac: audio ends early (truncated or damaged
    file?)``."""
    shown = FORMAT_NAMES.get(by_content, by_content)
    return f"{shown} audio under the extension {os.path.splitext(name)[1].lower()}: {reason}"

"""The audio format a file's first bytes announce, whatever its name says.

Files in real libraries carry wrong extensions (a FLAC saved as ``.mp3`` by a download tool, a
WAV renamed ``.ogg``). mutagen picks its reader by extension first, so such a file failed with
"can't sync to MPEG frame" although the audio is fine. The scan asks :func:`content_format`
what the bytes are and reads the file as that when it differs from the extension.

Only unambiguous signatures count (``fLaC``, ``OggS``, ``RIFF…WAVE``, ``FORM…AIFF``, ``ftyp``,
WMA's ASF header GUID, ``wvpk``, ``TTA1``, an MPEG/ADTS frame sync, each possibly after an ID3v2
tag); anything else is None and the extension decides, as before. The signatures of formats
the scan cannot read (``MAC ``, ``MPCK``/``MP+``, ``DSD ``, ``FRM8``) are told too
(:data:`UNREADABLE_CONTENT`), so that an APE named ``.flac`` is refused as what it is instead
of as a damaged FLAC.
"""

from __future__ import annotations

import os

HEAD_BYTES = 40
"""Enough for every signature below: an Ogg page header is 27 bytes + segment table, and the
codec's id packet (``OpusHead``) follows it."""

FORMAT_NAMES: dict[str, str] = {
    "mp3": "MP3", "flac": "FLAC", "ogg": "Ogg", "opus": "Opus", "wav": "WAV",
    "aiff": "AIFF", "m4a": "MP4", "aac": "AAC", "wma": "WMA", "wv": "WavPack", "tta": "TTA",
    "ape": "Monkey's Audio (APE)", "mpc": "Musepack", "dsf": "DSD (DSF)", "dff": "DSD (DFF)",
}
"""``tracks.format`` value → how a message names it."""

UNREADABLE_CONTENT = frozenset({"ape", "mpc", "dsf", "dff"})
"""Formats :func:`content_format` tells that the scan does not read
(:data:`~musicsage.library.tags.UNSUPPORTED_EXTENSIONS`)."""

_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
"""The ASF header object's GUID, the first 16 bytes of every WMA (and WMV) file."""

_MAGIC = ((b"fLaC", "flac"), (b"wvpk", "wv"), (b"TTA1", "tta"), (b"MAC ", "ape"),
          (b"MPCK", "mpc"), (b"MP+", "mpc"), (b"DSD ", "dsf"))
"""Signatures at the very start of a file → its format."""

_SAME_FAMILY = {frozenset({"ogg", "opus"})}
"""Formats one extension legitimately holds: Opus in an ``.ogg`` is an Ogg file, not a
misnamed one."""


def content_format(fs_path: str | bytes | os.PathLike) -> str | None:
    """The format (a ``tracks.format`` value) the file's bytes announce, or None when they
    announce none clearly; OSError when it cannot be read."""
    with open(fs_path, "rb") as fh:
        return format_of_open_file(fh, fh.read(HEAD_BYTES))


def format_of_open_file(fh, head: bytes) -> str | None:
    """:func:`content_format` of a file open for binary reading whose first ``head`` bytes
    (up to 40) were just read, so that a caller that reads them anyway opens it once."""
    if head[:3] == b"ID3" and len(head) >= 10:
        size = 0
        for byte in head[6:10]:  # synchsafe: 7 bits a byte
            size = (size << 7) | (byte & 0x7F)
        fh.seek(10 + size + (10 if head[5] & 0x10 else 0))
        return _format_after_id3(fh.read(HEAD_BYTES))
    return _format_of(head)


def _format_after_id3(head: bytes) -> str | None:
    """What follows an ID3v2 tag: MP3 usually, but taggers put ID3 before FLAC, AAC, TTA and
    APE too."""
    return _magic_format(head) or mpeg_format(head)


def _magic_format(head: bytes) -> str | None:
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    return None


def _format_of(head: bytes) -> str | None:
    by_magic = _magic_format(head)
    if by_magic is not None:
        return by_magic
    if head[:16] == _ASF_GUID:
        return "wma"
    if head[:4] == b"FRM8" and head[12:16] == b"DSD ":
        return "dff"
    if head[:4] == b"OggS":
        return "opus" if b"OpusHead" in head[26:] else "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] == b"ftyp":
        return "m4a"
    return mpeg_format(head)


def mpeg_format(head: bytes) -> str | None:
    """An MPEG audio frame sync: layer bits 0 mean ADTS (AAC), others MPEG layer I–III."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    return "aac" if (head[1] >> 1) & 0x3 == 0 else "mp3"


def misnamed(by_name: str | None, by_content: str | None) -> bool:
    """Whether the content is another audio format than the extension says."""
    if by_name is None or by_content is None or by_name == by_content:
        return False
    return frozenset({by_name, by_content}) not in _SAME_FAMILY


def misnamed_note(name: str, by_content: str, *, readable: bool = True) -> str:
    """The one line that tells of a misnamed file: ``FLAC audio under the extension .mp3
    (read as FLAC)``; with ``readable`` False, one the scan cannot read: ``Musepack audio
    under the extension .mp3: format not supported (convert it to FLAC/MP3/Ogg)``."""
    shown = FORMAT_NAMES.get(by_content, by_content)
    ext = os.path.splitext(name)[1].lower()
    if not readable:
        return (f"{shown} audio under the extension {ext}: format not supported "
                "(convert it to FLAC/MP3/Ogg)")
    return f"{shown} audio under the extension {ext} (read as {shown})"

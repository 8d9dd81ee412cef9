"""What a WAV header's sizes say against the bytes the file holds, for the scan's probe
(:mod:`.tags`), which would otherwise misjudge two kinds of recording:

- written to a pipe (``ffmpeg … -f wav - > take.wav``): the writer cannot go back to fill in
  the sizes and leaves 0xFFFFFFFF in them (:func:`length_left_open`); libsndfile reads all of
  the audio, but mutagen took it for 74 hours, and the scan refused it as truncated;
- cut off before its header was written (a recorder that crashed, a full card): the ``data``
  chunk still says 0 bytes though the audio follows (:func:`unwritten_header`); libsndfile,
  the scan's and the player's reader, reads 0 frames, and "no audio frames" told the user
  neither that the audio is there nor how to get it back. FFmpeg reads such a file to its
  end, and ``sox --ignore-length`` is made for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from musicsage.library.paths import shell_word

SIZE_LEFT_OPEN = 0xFFFFFFFF
"""What a WAV writer that cannot seek back puts in the RIFF and ``data`` sizes."""
_MOST_CHUNKS = 64
"""The chunks looked through before the audio (fmt, LIST, bext…): a header is no longer."""


@dataclass(frozen=True)
class WavSizes:
    """A WAV header's sizes, and where its audio begins."""

    riff_size: int
    data_at: int | None
    """Offset of the audio bytes; None when no ``data`` chunk was found."""
    data_size: int | None
    byte_rate: int | None
    file_size: int


def wav_sizes(fs_path: str) -> WavSizes | None:
    """The sizes in the header of the WAV (RIFF/WAVE) at ``fs_path``; None for another file
    or one that cannot be read."""
    try:
        with open(fs_path, "rb") as fh:
            head = fh.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            data_at, data_size, byte_rate = _data_chunk(fh)
            return WavSizes(int.from_bytes(head[4:8], "little"), data_at, data_size,
                            byte_rate, os.fstat(fh.fileno()).st_size)
    except OSError:
        return None


def _data_chunk(fh: BinaryIO) -> tuple[int | None, int | None, int | None]:
    """Where the ``data`` chunk's bytes begin, the size it states and the ``fmt`` chunk's
    byte rate (when it came first), walking the chunks from ``fh``'s place."""
    byte_rate = None
    for _ in range(_MOST_CHUNKS):
        chunk = fh.read(8)
        if len(chunk) < 8:
            break
        size = int.from_bytes(chunk[4:], "little")
        if chunk[:4] == b"data":
            return fh.tell(), size, byte_rate
        skip = size + (size & 1)
        if chunk[:4] == b"fmt " and size >= 16:
            byte_rate = int.from_bytes(fh.read(16)[8:12], "little") or None
            skip -= 16
        fh.seek(skip, os.SEEK_CUR)
    return None, None, byte_rate


def length_left_open(fs_path: str) -> bool:
    """Whether a WAV's header leaves its length open (0xFFFFFFFF in the RIFF or ``data``
    size: written to a pipe), so that the audio, not the header, tells its length."""
    sizes = wav_sizes(fs_path)
    return sizes is not None and SIZE_LEFT_OPEN in (sizes.riff_size, sizes.data_size)


SCAN_AGAIN = "then replace it with the fixed file and scan again"
"""What the scan's advice ends with: the fixed file is a new one the library does not hold."""
TRY_FIXED = "then try the fixed file"
"""How ``tags FILE`` ends the advice: it reads the file given, and scans nothing."""


def unwritten_header(fs_path: str, then: str = SCAN_AGAIN) -> str | None:
    """Why a WAV whose ``data`` chunk says 0 bytes while audio follows it reads as no audio,
    and how to mend it, in one line ending with ``then`` (what to do with the fixed file);
    None for any other file (a WAV truly empty, or whose empty ``data`` chunk is followed by
    another chunk, not audio). The commands name the file by its whole path, quoted: its bare
    name, pasted in another folder, named no file, and one starting with ``-`` read as an
    option."""
    sizes = wav_sizes(fs_path)
    if sizes is None or sizes.data_size != 0 or sizes.data_at is None:
        return None
    follow = sizes.file_size - sizes.data_at
    if follow < 8 or _next_is_a_chunk(fs_path, sizes.data_at, follow):
        return None
    amount = (f"{follow / sizes.byte_rate:.1f} s of audio ({follow:,} bytes)"
              if sizes.byte_rate else f"{follow:,} bytes of audio")
    whole = os.path.abspath(fs_path)
    given, fixed = shell_word(whole), shell_word(os.path.splitext(whole)[0] + "-fixed.wav")
    return (f"its header says it holds no audio, though {amount} follow it (a recording "
            "cut off before its header was written?): rewrite the header, e.g. "
            f"`ffmpeg -i {given} -c copy {fixed}` or `sox --ignore-length {given} {fixed}`, "
            f"{then}")


def _next_is_a_chunk(fs_path: str, at: int, follow: int) -> bool:
    """Whether the bytes after an empty ``data`` chunk are a chunk (``LIST``, ``id3 ``: an
    empty recording's tags), not audio: four letters and a size the file holds."""
    try:
        with open(fs_path, "rb") as fh:
            fh.seek(at)
            head = fh.read(8)
    except OSError:
        return False
    size = int.from_bytes(head[4:], "little")
    return (len(head) == 8 and all(0x20 <= b < 0x7F for b in head[:4])
            and 8 + size <= follow + 1)

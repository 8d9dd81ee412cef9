"""Whether a file's ends hold a tag an older version's reader did not read, for the tags
read again once (:mod:`.tag_reread`): a look at a few hundred bytes decides whether a track
whose stored tags are empty is worth a whole read, so that a library's thousands of MP3s
without a genre, or raw AAC files without tags, are not each read again in full.

- An MP3's APEv2 tag (foobar2000's, Mp3tag's), at its end, or before an ID3v1 tag (a
  Lyrics3v2 block between them): older versions read its ID3 tags only.
- A raw AAC (ADTS) file's ID3 tag, ID3v2 at its start (stream rippers, some encoders) or
  ID3v1 at its end: mutagen's AAC reader reads no tags, and a raw AAC named ``.mp3`` was
  stored untagged (:func:`~.content_readers.aac_with_id3` reads them now).
"""

from __future__ import annotations

import os

from musicsage.library import paths as P

APE_TAIL_BYTES = 512
"""The bytes at an MP3's end that hold an APEv2 tag's footer: the last 32, or the 32 before
an ID3v1 tag (128 bytes)."""
LYRICS3V2_END = b"LYRICS200"
"""The end of a Lyrics3v2 block, which some taggers put between an APEv2 tag and the ID3v1
tag: the APEv2 footer is then before it, out of :data:`APE_TAIL_BYTES` (mutagen finds it)."""
ID3V1_BYTES = 128
"""An ID3v1 tag's size, at a file's end; it begins ``TAG``."""


def tag_unread_in(path: str, fmt: str | None) -> bool:
    """Whether the file of the track stored at ``path`` (format ``fmt``) holds a tag an
    older version did not read (module doc); True when the file cannot be read (read again:
    told then), False for a track with no file or of another format."""
    if not P.is_file_path(path) or fmt not in ("mp3", "aac"):
        return False
    try:
        with open(P.to_fs(path), "rb") as fh:
            head = fh.read(3)
            fh.seek(max(0, os.fstat(fh.fileno()).st_size - APE_TAIL_BYTES))
            tail = fh.read(APE_TAIL_BYTES)
    except (OSError, ValueError):
        return True
    id3v1 = tail[-ID3V1_BYTES:-ID3V1_BYTES + 3] == b"TAG"
    if fmt == "aac":
        return head == b"ID3" or id3v1
    lyrics_at = len(tail) - ID3V1_BYTES - len(LYRICS3V2_END)
    return b"APETAGEX" in tail or (
        id3v1 and tail[lyrics_at:lyrics_at + len(LYRICS3V2_END)] == LYRICS3V2_END)

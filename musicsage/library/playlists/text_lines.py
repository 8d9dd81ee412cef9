"""A text playlist (M3U, PLS) cut into lines as (the text its reader reads, the line's own
bytes): what adding to and removing from the user's file work on line by line, so that every
byte of a line they do not change stays as it was — a UTF-16 lone surrogate too."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from musicsage.library.playlists.base import PlaylistError, cp1252_text, split_lines

if TYPE_CHECKING:
    from musicsage.library.playlists.append import TextForm

BYTE_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
"""A line of a byte string, its ending kept (CRLF, LF or CR; the last may have none)."""

PLS_COUNT = re.compile(r"^(\s*numberofentries\s*=\s*)(\d*)(.*)$", re.IGNORECASE | re.DOTALL)
"""A PLS ``NumberOfEntries`` line (group 2: its number), which adding and removing update."""


def refuse_cut_utf16(data: bytes, form: "TextForm", message: str) -> None:
    """Refuse (:class:`PlaylistError`, ``message``) a UTF-16 playlist cut short: an odd byte
    count put the entries after it out of step (text no player reads), and :func:`text_lines`
    needs whole code units. A lone surrogate is not refused: it is kept, byte for byte, and
    read as the reader reads it (an add wrote to it: refusing the remove left no way back)."""
    if form.codec.startswith("utf-16") and len(data[form.bom:]) % 2:
        raise PlaylistError(message)


def text_lines(data: bytes, form: "TextForm") -> list[tuple[str, bytes]]:
    """Every line of ``data`` (after the BOM, line end included). 8-bit lines are cut from
    the file itself (odd bytes stay); cp1252 text is read as the reader reads it (its five
    undefined bytes as Latin-1). UTF-16 is decoded keeping a lone surrogate ("surrogatepass":
    a strict decode refused the file, though add and the reader take it), each line's bytes
    encoded back the same way (lossless) and its text decoded as the reader decodes it
    (U+FFFD there). A UTF-16 body of odd length is the caller's to refuse first."""
    body = data[form.bom:]
    if form.codec.startswith("utf-16"):
        raws = [line.encode(form.codec, "surrogatepass") for line in
                split_lines(body.decode(form.codec, "surrogatepass"), keepends=True)]
        return [(raw.decode(form.codec, "replace"), raw) for raw in raws]
    if form.codec == "cp1252":
        return [(cp1252_text(m.group(0)), m.group(0)) for m in BYTE_LINE.finditer(body)]
    return [(m.group(0).decode(form.codec, "replace"), m.group(0))
            for m in BYTE_LINE.finditer(body)]


def respliced(text: str, raw: bytes, span: tuple[int, int], digits: str,
              form: "TextForm") -> bytes:
    """``raw`` (the line ``text`` of :func:`text_lines`) with the ASCII digits at ``span`` of
    ``text`` replaced, the rest of its bytes kept: re-encoding the text wrote U+FFFD for a
    lone surrogate, and failed on a cp1252 byte the codec leaves undefined."""
    start, end = span
    at = start if form.codec == "cp1252" else len(form.encode(text[:start]))
    return raw[:at] + form.encode(digits) + raw[at + len(form.encode(text[start:end])):]

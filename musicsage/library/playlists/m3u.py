"""M3U / M3U8: one location per line; ``#EXTINF:<seconds>,<title>`` gives the next entry's title.

Other ``#`` lines (``#EXTM3U``, ``#PLAYLIST:``, ``#EXTGRP``…) are directives or comments;
``#PLAYLIST:`` names the playlist. CRLF, CR and LF line ends are all accepted.
"""

from __future__ import annotations

from musicsage.library.playlists.base import (ParsedPlaylist, PlaylistFormat, RawEntry,
                                               decode_text, decode_utf8_text, register,
                                               split_lines)


def parse_m3u(data: bytes, filename: str) -> ParsedPlaylist:
    out = ParsedPlaylist(format="m3u")
    if filename.lower().endswith(".m3u8"):
        text, note = decode_utf8_text(data)
        out.notes += [note] if note else []
    else:
        text = decode_text(data, legacy_fallback=True)
    title: str | None = None
    for line in split_lines(text):
        line = m3u_line(line)
        if not line:
            continue
        if line.startswith("#"):
            upper = line.upper()
            if upper.startswith("#EXTINF:"):
                _, _, rest = line.partition(",")
                title = rest.strip() or None
            elif upper.startswith("#PLAYLIST:"):
                out.name = line.partition(":")[2].strip() or out.name
            continue
        out.entries.append(RawEntry(line, title))
        title = None
    return out


UTF8_BOM_AS_CP1252 = "\ufeff".encode("utf-8").decode("cp1252")
""""ï»¿": a UTF-8 byte order mark in a file read as Windows-1252."""


def m3u_line(line: str) -> str:
    """A line as read: without the spaces around it, nor a byte order mark (U+FEFF) — two
    playlists joined with ``cat`` carry the second one's mid-file, and its ``#EXTM3U`` after
    the mark was read as an entry naming no file. Read as Windows-1252 (the first playlist's
    encoding), the mark is "ï»¿": stripped too, in any file (in a UTF-8 one it is such a
    mark saved again, never a file's name). (:mod:`.remove` reads lines the same way.)"""
    line = line.strip().lstrip("\ufeff")
    return line.removeprefix(UTF8_BOM_AS_CP1252).strip()


M3U = register(PlaylistFormat("m3u", (".m3u", ".m3u8"), parse_m3u))


def shown_format(path: str, stored_format: str | None) -> str | None:
    """A playlist's format as its file names it, for every output that shows one (the scan's
    line, ``playlists --json``): a ``.m3u8`` is read and stored as an m3u, but the scan said
    "m3u8" and ``playlists`` "m3u" of the same file."""
    if stored_format == M3U.name and str(path).lower().endswith(".m3u8"):
        return "m3u8"
    return stored_format

"""PLS: an INI-like file, ``FileN=`` locations with optional ``TitleN=``, ordered by N.

Parsed by hand rather than with configparser: PLS keys are case-insensitive in practice,
values may contain ``%`` and ``;``, and players write files configparser rejects (duplicate keys,
no section header). An empty file (0 bytes, or blank lines) is an empty playlist, as an empty
``.m3u`` is: a player that made a new list wrote nothing yet.
"""

from __future__ import annotations

import re

from musicsage.library.playlists.base import (ParsedPlaylist, PlaylistError, PlaylistFormat,
                                               RawEntry, decode_text, register, split_lines)

_KEY = re.compile(r"^(file|title)(\d{1,9})$", re.IGNORECASE)  # (a 5000-digit N is no index)


def parse_pls(data: bytes, filename: str) -> ParsedPlaylist:
    text = decode_text(data, legacy_fallback=True)
    files: dict[int, str] = {}
    titles: dict[int, str] = {}
    saw_section = False
    for line in split_lines(text):
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("["):
            saw_section = saw_section or line.lower() == "[playlist]"
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        m = _KEY.match(key.strip())
        if m:
            (files if m.group(1).lower() == "file" else titles)[int(m.group(2))] = value.strip()
    if not files and not saw_section and text.strip():  # empty: no entries
        raise PlaylistError("not a PLS playlist (no [playlist] section or FileN= entries)")
    out = ParsedPlaylist(format="pls")
    for n in sorted(files):
        out.entries.append(RawEntry(files[n], titles.get(n) or None))
    return out


PLS = register(PlaylistFormat("pls", (".pls",), parse_pls))

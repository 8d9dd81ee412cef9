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
    repeated: list[str] = []  # FileN keys of a number given before (File1= then File01=)
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
            is_file = m.group(1).lower() == "file"
            if is_file and files.get(int(m.group(2)), value.strip()) != value.strip():
                repeated.append(key.strip())  # the same line again loses nothing: not said
            (files if is_file else titles)[int(m.group(2))] = value.strip()
    if not files and not saw_section and text.strip():  # empty: no entries
        raise PlaylistError("not a PLS playlist (no [playlist] section or FileN= entries)")
    out = ParsedPlaylist(format="pls", notes=_repeated_note(repeated))
    for n in sorted(files):
        out.entries.append(RawEntry(files[n], titles.get(n) or None))
    return out


def _repeated_note(repeated: list[str]) -> list[str]:
    """The line saying that entries were passed over: a ``File01=`` after a ``File1=`` (or the
    same key twice) numbering another location for the same entry replaces it, as
    players read such a file (:mod:`.remove` relies on that)."""
    if not repeated:
        return []
    more = f" (and {len(repeated) - 1} more)" if len(repeated) > 1 else ""
    return [f"{repeated[0]}= numbers an entry already given{more}: only the last of each "
            "number was read; give each entry its own number to keep them all"]


PLS = register(PlaylistFormat("pls", (".pls",), parse_pls))

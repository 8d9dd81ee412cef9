"""The playlist format registry: one small parser per format, all returning the same shape.

A parser turns a file's bytes into a :class:`ParsedPlaylist` (a name, and entries in order with
the raw location text and an optional display title). It never touches the filesystem or the DB:
resolving locations to tracks is :mod:`.resolve`'s job, storing them :mod:`.store`'s. New formats
register themselves with :func:`register` (see :mod:`.m3u`, :mod:`.pls`, :mod:`.xspf`).
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from musicsage.errors import MusicsageError


class PlaylistError(MusicsageError):
    """A playlist file that cannot be used (unparseable, or refused as unsafe)."""


@dataclass(frozen=True)
class RawEntry:
    raw: str
    """The location exactly as written (after text decoding), e.g. ``..\\Music\\a.mp3``."""
    title: str | None = None
    """A display title the playlist gives (#EXTINF, TitleN=, <title>), if any."""


@dataclass
class ParsedPlaylist:
    format: str
    name: str | None = None
    entries: list[RawEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """One line each about how the file was read, for the import report (it is not UTF-8)."""


Parser = Callable[[bytes, str], ParsedPlaylist]
"""``parse(data, filename) -> ParsedPlaylist`` (the name only picks encoding fallbacks)."""


@dataclass(frozen=True)
class PlaylistFormat:
    name: str
    extensions: tuple[str, ...]
    parse: Parser


FORMATS: dict[str, PlaylistFormat] = {}
"""Registered formats by name."""


def register(fmt: PlaylistFormat) -> PlaylistFormat:
    FORMATS[fmt.name] = fmt
    return fmt


def format_for(path: str) -> PlaylistFormat | None:
    """The registered format handling ``path``'s extension, or None."""
    ext = os.path.splitext(path)[1].lower()
    for fmt in FORMATS.values():
        if ext in fmt.extensions:
            return fmt
    return None


def decode_text(data: bytes, *, legacy_fallback: bool) -> str:
    """Text of a playlist file: BOM honoured and stripped, UTF-8 first.

    ``legacy_fallback`` (plain ``.m3u``, ``.pls``: files written by old Windows players) decodes
    non-UTF-8 data as cp1252, byte by byte falling back to Latin-1 for the five bytes cp1252
    leaves undefined. Without it, invalid bytes become U+FFFD and the entry will simply not
    resolve (a ``.m3u8``, declared UTF-8, goes through :func:`decode_utf8_text`). Binary data
    is refused (:func:`refuse_binary`), and so is UTF-16 without a byte order mark, in words
    of its own (:func:`_utf16_without_bom`).
    """
    if b"\0" in data and not data.startswith(_BOMS) and _utf16_without_bom(data):
        raise PlaylistError(UTF16_WITHOUT_BOM)
    return refuse_binary(_decoded(data, legacy_fallback=legacy_fallback))


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

UTF16_WITHOUT_BOM = ("not read: UTF-16 text without a byte order mark (BOM), which musicsage "
                     "reads only with one; save it again as UTF-8 (or as UTF-16 with a BOM)")
"""Why a text playlist in UTF-16 without a BOM is not imported: it was refused as "binary data
(NUL bytes), not text", which sent the user looking for a damaged file."""


def _utf16_without_bom(data: bytes) -> bool:
    """Whether ``data`` (no BOM) is UTF-16 text: a whole number of code units that decode,
    every one below U+0100 (a NUL high byte) printable or a tab, line break or no-break
    space, and printable ones of those in at least a quarter of the units (the ASCII of paths
    and ``#EXTM3U``). Counting NUL high bytes alone took quiet 16-bit audio for text."""
    if len(data) % 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            latin = [c for c in data.decode(codec) if c <= "\xff"]
        except UnicodeDecodeError:
            continue
        shown = sum(c.isprintable() for c in latin)
        blank = sum(c in "\t\r\n\xa0" for c in latin)
        if shown * 4 >= len(data) // 2 and shown + blank == len(latin):
            return True
    return False


NOT_UTF8_NOTE = "not UTF-8: read as Windows-1252"
"""The note for a file that should be UTF-8 (``.m3u8``, by definition) but is not."""


def decode_utf8_text(data: bytes) -> tuple[str, str | None]:
    """Text of a playlist that UTF-8 is declared for, and :data:`NOT_UTF8_NOTE` when it is not
    UTF-8 after all (else None). Winamp and old foobar2000 write ``.m3u8`` files in cp1252; as
    U+FFFD their accented names resolved to nothing, so they are read as a ``.m3u`` is."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            or _is_utf8(data):
        return decode_text(data, legacy_fallback=False), None
    return decode_text(data, legacy_fallback=True), NOT_UTF8_NOTE


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded(data: bytes, *, legacy_fallback: bool) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if not legacy_fallback:
            return data.decode("utf-8", "replace")
    return cp1252_text(data)


def cp1252_text(data: bytes) -> str:
    """``data`` read as Windows-1252, the five bytes it leaves undefined as Latin-1."""
    return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252")
                   for b in data)


_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """``text`` cut into lines at CRLF, LF and CR (old Mac players end lines with a bare CR),
    and at nothing else. Not ``str.splitlines``: it also cuts at \\x0b, \\x0c, \\x1c-\\x1e,
    \\x85 and U+2028/U+2029, which a Linux file name may hold (a title with a line separator
    pasted from a tag), so one such entry became two that resolve to nothing."""
    lines = _LINE.findall(text)
    return lines if keepends else [line.rstrip("\r\n") for line in lines]


MAX_UNPRINTABLE_SHARE = 0.25
"""A text playlist has no control characters but the odd stray one in an entry; a binary file
decoded as cp1252 or UTF-8 with replacements has about one in eight, or most."""


def refuse_binary(text: str) -> str:
    """``text`` when it reads as a playlist's text, else :class:`PlaylistError`.

    A binary file named ``x.m3u`` (a renamed download, random bytes) decodes without error as
    cp1252, so without this it imported as a playlist of a hundred junk entries. A NUL never
    occurs in a text playlist; nor do unprintable characters (C0/C1 controls other than line
    ends and tabs, undecodable bytes) making up a large share of it.
    """
    if "\0" in text:
        raise PlaylistError("not a playlist: binary data (NUL bytes), not text")
    visible = [ch for ch in text if not ch.isspace()]
    bad = sum(1 for ch in visible if ch == "\ufffd" or unicodedata.category(ch) in _UNPRINTABLE)
    if visible and bad / len(visible) > MAX_UNPRINTABLE_SHARE:
        raise PlaylistError(f"not a playlist: mostly unprintable characters ({bad} of "
                            f"{len(visible)}), not text")
    return text


_UNPRINTABLE = {"Cc", "Cs", "Co", "Cn"}

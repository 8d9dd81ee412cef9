"""Append tracks to a playlist file's bytes, in the file's own format and style.

The file is the user's: everything already in it stays byte for byte (entries, comments,
blank lines, a BOM, odd bytes an old player wrote). What is added follows the file:

- **encoding**: the file's (a BOM's, UTF-16's first bytes in an XSPF without one, the XML
  declaration's, UTF-8 when the bytes are UTF-8, else cp1252 for ``.m3u``/``.pls`` as the
  reader assumes; a UTF-16 file cut short is refused); a name
  the encoding cannot hold is written as a percent-encoded ``file://`` URI (every player reads one; a relative path
  with ``%XX`` in it was a missing file to all but musicsage), a title is written with ``?`` for the
  characters it cannot hold (M3U/PLS) or as XML character references (XSPF), on one line,
  and never so that the file no longer reads (:func:`title_line`, :func:`_one_title`);
- **line endings**: the ones the file uses most (``\\n`` for a new file);
- **locations**: relative to the playlist's folder when most existing entries are relative
  (with ``\\`` when they use it), ``file://`` URIs when they are URIs, absolute paths
  otherwise; a name with a line break or a control character always becomes a
  ``file://`` URI (it cannot stand on a line of its own);
- **format details**: ``#EXTINF`` lines when the M3U is extended; PLS ``FileN``/``TitleN``/
  ``LengthN`` numbered after the last entry and ``NumberOfEntries`` updated (the one
  existing line that changes); XSPF ``<track>`` elements inserted before ``</trackList>``,
  indented like their siblings.

A track is a mapping with ``path`` (stored form, see :mod:`musicsage.library.paths`),
``title``, ``artist`` and ``duration``.
"""

from __future__ import annotations

import codecs
import os
import posixpath
import re
import unicodedata
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from musicsage.library import paths as P
from musicsage.library.playlists.base import (PlaylistError, RawEntry, format_for,
                                               refuse_binary)
from musicsage.library.playlists.text_lines import (PLS_COUNT, refuse_cut_utf16, respliced,
                                                     text_lines)
from musicsage.text import one_line

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_NEWLINE = re.compile(r"\r\n|\n|\r")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class TextForm:
    """How a text playlist is written: its codec, BOM length and line ending."""

    codec: str
    bom: int
    newline: str

    def encode(self, text: str, errors: str = "strict") -> bytes:
        return text.encode(self.codec, errors)


def text_form(data: bytes, *, legacy: bool, declared: str | None = None) -> TextForm:
    """The codec (BOM, then ``declared``, then UTF-8 if the bytes are, else cp1252 when
    ``legacy``), BOM length and dominant line ending of ``data``."""
    codec, bom = None, 0
    for mark, name in _BOMS:
        if data.startswith(mark):
            codec, bom = name, len(mark)
            break
    if codec is None and declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
    if codec is None:
        try:
            data.decode("utf-8")
            codec = "utf-8"
        except UnicodeDecodeError:
            codec = "cp1252" if legacy else "utf-8"
    text = data[bom:].decode(codec, "replace")
    ends = Counter(m.group(0) for m in _NEWLINE.finditer(text))
    newline = ends.most_common(1)[0][0] if ends else "\n"
    return TextForm(codec, bom, newline)


# --- locations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationStyle:
    """How the file's existing entries name their files."""

    kind: str  # relative | absolute | uri
    backslash: bool = False

    @classmethod
    def of(cls, entries: Sequence[RawEntry], default: str = "absolute") -> "LocationStyle":
        kinds: Counter = Counter()
        slashes = Counter()
        for e in entries:
            raw = e.raw.strip()
            if not raw:
                continue
            if raw.lower().startswith("file:"):
                kinds["uri"] += 1
            elif _SCHEME.match(raw) and not _DRIVE.match(raw):
                continue  # a stream URL says nothing about local files
            elif raw.startswith(("/", "\\")) or _DRIVE.match(raw):
                kinds["absolute"] += 1
            else:
                kinds["relative"] += 1
            if "\\" in raw or "/" in raw:
                slashes["\\" if raw.count("\\") > raw.count("/") else "/"] += 1
        kind = kinds.most_common(1)[0][0] if kinds else default
        return cls(kind, slashes.most_common(1)[0][0] == "\\" if slashes else False)


def _plain_text(text: str, can_encode: Callable[[str], bool]) -> bool:
    """Whether ``text``, a location in the DB's form, may stand as itself on a line
    (:func:`~musicsage.library.paths.stands_on_a_line`) in the file's encoding."""
    return P.stands_on_a_line(text) and can_encode(text)


def location_of(stored: str, playlist_fs_path: str, style: LocationStyle,
                can_encode: Callable[[str], bool], *, uri_only: bool = False) -> str:
    """The text naming track ``stored`` in the playlist at ``playlist_fs_path``.

    ``uri_only`` (XSPF): the location is a URI reference, so it is always percent-encoded.
    A plain path that cannot be written as text (not valid UTF-8 on disk, a control character,
    a character the file's encoding lacks) is a ``file://`` URI instead. A URI is the one
    ``--json`` writes (:func:`~musicsage.library.paths.file_uri`; ``stored`` names a file: a
    track without one is refused before), so a script that has it finds the same text in the
    playlist.
    """
    fs_bytes = P.to_fs_bytes(stored)
    folder = os.path.dirname(os.fsencode(playlist_fs_path))
    uri = P.file_uri(stored)
    if style.kind == "relative" and _relative_holds(fs_bytes, folder):
        rel = os.path.relpath(fs_bytes, folder)
        if uri_only:
            return urllib.parse.quote(rel, safe="/")
        text = P.from_fs(rel)
        if not _plain_text(text, can_encode):
            # a relative path with %-escapes is a missing file to every other player, and
            # readers strip a line's (a value's) ends: a URI is read alike everywhere
            return uri
        if text != text.lstrip() or text.startswith("#") or _SCHEME.match(text) \
                or _DRIVE.match(text):
            # else a space lost, the line read as an M3U comment, or as a URI or another
            # machine's drive (``file:odd.wav``, ``C:/x.wav``) as the reader takes them
            text = "./" + text
        return text.replace("/", "\\") if style.backslash else text
    if style.kind == "uri" or uri_only:
        return uri
    text = P.from_fs(fs_bytes)
    if not _plain_text(text, can_encode):
        return uri
    return text


def _relative_holds(fs_bytes: bytes, folder: bytes) -> bool:
    """Whether the path relative to ``folder`` by text names the track when the OS follows
    it. A ``..`` out of a symlinked folder leads a player to the parent of the link's target,
    not of the link (musicsage reads it by text): then an absolute path is written."""
    rel = os.path.relpath(fs_bytes, folder)
    return os.path.realpath(os.path.join(folder, rel)) == os.path.realpath(fs_bytes)


def _label(track: Mapping, entry: str) -> str:
    """The title an entry is given, composed (NFC): a title taken from a macOS file name is
    decomposed (``e`` + U+0301), which a Windows-1252 playlist cannot hold, so "café" was
    written "cafe?" though the file's encoding has "é". Written as :func:`title_line`."""
    title = track.get("title") or posixpath.splitext(posixpath.basename(P.display(track["path"])))[0]
    label = f"{track['artist']} - {title}" if track.get("artist") else title
    return title_line(unicodedata.normalize("NFC", str(label)), entry)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 cannot hold, not even as a character reference (its ``Char``)."""


def _one_title(text: object) -> str:
    """``text`` as a title or a name in any playlist (XSPF, M3U, PLS): :func:`one_line` (a
    NUL made the user's playlist "binary data" to every reader), each character XML cannot
    hold (a lone surrogate, U+FFFE, U+FFFF) U+FFFD: else an XSPF no parser reads, the add
    refused as if the user's file were at fault."""
    return _NOT_XML.sub("\ufffd", one_line(text))


def title_line(text: object, entry: str = "") -> str:
    """``text`` as a title on a line of an M3U or a PLS, ``entry`` the rest of what is written
    with it (its ``#EXTINF:`` and location line): :func:`_one_title`, or nothing when the entry
    as written would read as binary data (:func:`refuse_binary`: 60 U+FFFD of a tag read badly
    made a new playlist "mostly unprintable characters"). The entry is judged, not the title
    alone (an emoji newer than Python's Unicode data, a private-use character, was dropped):
    entries that each pass make a file that passes. An entry without a title shows its file's
    name."""
    title = _one_title(text)
    try:
        refuse_binary(f"{title}\n{entry}")
        return title
    except PlaylistError:
        return ""


def _seconds(track: Mapping) -> int:
    d = track.get("duration")
    return int(round(d)) if isinstance(d, (int, float)) and d > 0 else -1


def _encodable(form: TextForm) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            text.encode(form.codec)
            return True
        except UnicodeEncodeError:
            return False

    return check


NOT_UTF16 = ("cannot add to this playlist: it is not valid UTF-16 text (cut short or "
             "damaged?); the file was not touched: re-save it in your player and add again")
"""Why a UTF-16 playlist cut short is refused (:func:`refuse_cut_utf16`)."""


def _with_final_newline(data: bytes, form: TextForm) -> bytes:
    body = data[form.bom:]
    if body and not body.decode(form.codec, "replace").endswith(("\n", "\r")):
        return data + form.encode(form.newline)
    return data


# --- M3U / M3U8 ---------------------------------------------------------------------------------


def append_m3u(data: bytes, fs_path: str, tracks: Sequence[Mapping]) -> bytes:
    from musicsage.library.playlists.m3u import parse_m3u

    name = os.path.basename(fs_path)
    form = text_form(data, legacy=True)  # a cp1252 .m3u8 (Winamp's) is read so: written so
    refuse_cut_utf16(data, form, NOT_UTF16)
    parsed = parse_m3u(data, name)
    style = LocationStyle.of(parsed.entries)
    text = data[form.bom:].decode(form.codec, "replace").lstrip()
    extended = text[:7].upper() == "#EXTM3U" or not text
    out = _with_final_newline(data, form)
    lines = ["#EXTM3U"] if not text else []
    for t in tracks:
        location = location_of(t["path"], fs_path, style, _encodable(form))
        if extended:
            info = f"#EXTINF:{_seconds(t)},"
            lines.append(info + _label(t, f"{info}\n{location}"))
        lines.append(location)
    return out + form.encode("".join(line + form.newline for line in lines), "replace")


# --- PLS ----------------------------------------------------------------------------------------

PLS_KEY = re.compile(r"^\s*(file|title|length)(\d{1,9})\s*=", re.IGNORECASE)


def append_pls(data: bytes, fs_path: str, tracks: Sequence[Mapping]) -> bytes:
    from musicsage.library.playlists.pls import parse_pls

    form = text_form(data, legacy=True)
    refuse_cut_utf16(data, form, NOT_UTF16)
    parsed = parse_pls(data, os.path.basename(fs_path)) if data.strip() else None
    style = LocationStyle.of(parsed.entries if parsed else [])
    data = _with_final_newline(data, form)
    lines = text_lines(data, form)
    numbers = [int(m.group(2)) for text, _raw in lines if (m := PLS_KEY.match(text))]
    last_entry = max((i for i, (text, _r) in enumerate(lines) if PLS_KEY.match(text)), default=None)
    header = next((i for i, (text, _r) in enumerate(lines) if text.strip().lower() == "[playlist]"),
                  None)
    new = []
    n = max(numbers, default=0)
    for t in tracks:
        n += 1
        entry = [f"File{n}={location_of(t['path'], fs_path, style, _encodable(form))}",
                 f"Title{n}=", f"Length{n}={_seconds(t)}"]
        new += [entry[0], entry[1] + _label(t, "\n".join(entry)), entry[2]]
    added = form.encode("".join(line + form.newline for line in new), "replace")
    count = len(parsed.entries) + len(tracks) if parsed else len(tracks)
    out = [raw for _text, raw in lines]
    for i, (text, raw) in enumerate(lines):
        m = PLS_COUNT.match(text)
        if m:
            out[i] = respliced(text, raw, m.span(2), str(count), form)
    if not lines:
        block = form.encode("".join(line + form.newline for line in
                                    ["[playlist]", *new, f"NumberOfEntries={count}", "Version=2"]))
        return data[:form.bom] + block
    at = (last_entry + 1) if last_entry is not None else (header + 1 if header is not None else len(out))
    return data[:form.bom] + b"".join(out[:at]) + added + b"".join(out[at:])


# --- XSPF ---------------------------------------------------------------------------------------

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CLOSE = re.compile(r"</((?:[\w.-]+:)?)trackList\s*>")
_EMPTY = re.compile(r"<((?:[\w.-]+:)?)trackList(\s[^>]*)?/>")
_TRACK_INDENT = re.compile(r"([ \t]*)<(?:[\w.-]+:)?track[\s>]")
_CHILD_INDENT = re.compile(r"([ \t]*)<(?:[\w.-]+:)?(?:location|title|creator)[\s>]")


def _xml_escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def xml_form(data: bytes) -> TextForm:
    """The text form of an XSPF: a BOM's codec, else UTF-16 told by its first two bytes as
    the XML reader (expat) tells it, ``<?`` or ``<playlist`` alike — a NUL first is big-endian,
    a NUL second little-endian (an add read it as UTF-8: "the XSPF has no <trackList>") —,
    else the XML declaration's, else UTF-8."""
    if len(data) > 1 and 0 in data[:2]:
        utf16 = "utf-16-be" if data[0] == 0 else "utf-16-le"
        return text_form(data, legacy=False, declared=utf16)
    declared = _DECLARED.match(data.lstrip(b"\xef\xbb\xbf"))
    return text_form(data, legacy=False, declared=declared.group(1).decode() if declared else None)


def append_xspf(data: bytes, fs_path: str, tracks: Sequence[Mapping]) -> bytes:
    from musicsage.library.playlists.xspf import parse_xspf

    form = xml_form(data)
    parsed = parse_xspf(data, os.path.basename(fs_path))
    style = LocationStyle.of(parsed.entries, default="uri")
    text = data[form.bom:].decode(form.codec)
    close, empty = _track_list(text)
    if not close and not empty:
        raise PlaylistError("the XSPF has no <trackList> to add tracks to")
    tracks_before = text[:close.start()] if close else ""
    track_indent = _last_indent(_TRACK_INDENT, tracks_before)
    list_indent = _indent_before(text, close.start()) if close else _indent_before(text, empty.start())
    if track_indent is None:
        track_indent = list_indent + "  "
    child_indent = _last_indent(_CHILD_INDENT, tracks_before)
    if child_indent is None:
        child_indent = track_indent + "  "
    prefix = (close.group(1) if close else empty.group(1))
    nl = form.newline
    block = ""
    for t in tracks:
        fields = [("location", location_of(t["path"], fs_path, style, _encodable(form),
                                           uri_only=True))]
        if t.get("title"):
            fields.append(("title", _one_title(t["title"])))
        if t.get("artist"):
            fields.append(("creator", _one_title(t["artist"])))
        if _seconds(t) > 0:
            fields.append(("duration", str(int(round(float(t["duration"]) * 1000)))))
        block += f"{track_indent}<{prefix}track>{nl}"
        block += "".join(f"{child_indent}<{prefix}{k}>{_xml_escape(v)}</{prefix}{k}>{nl}"
                         for k, v in fields)
        block += f"{track_indent}</{prefix}track>{nl}"
    encoded = block.encode(form.codec, "xmlcharrefreplace")
    if close:
        # insert at the start of the closing tag's line (its indentation stays after us)
        at = close.start() - len(list_indent)
        if not text[:at].endswith(("\n", "\r")):
            encoded = form.encode(nl) + encoded
        offset = form.bom + len(text[:at].encode(form.codec))
        return data[:offset] + encoded + data[offset:]
    start = form.bom + len(text[:empty.start()].encode(form.codec))
    end = form.bom + len(text[:empty.end()].encode(form.codec))
    attrs = empty.group(2) or ""
    opened = form.encode(f"<{prefix}trackList{attrs}>{nl}")
    closed = form.encode(f"{list_indent}</{prefix}trackList>")
    return data[:start] + opened + encoded + closed + data[end:]


def _track_list(text: str) -> tuple[re.Match | None, re.Match | None]:
    """The closing tag of the root's last ``<trackList>``, or else its empty-element tag, where
    the XML parser finds them: a ``</trackList>`` in a comment or CDATA is none."""
    from musicsage.library.playlists.xspf_spans import xspf_spans

    doc = text.encode("utf-8")
    spot = xspf_spans(doc).track_list
    if spot is None:
        return None, None
    begin, close_at = (None if at is None else len(doc[:at].decode("utf-8")) for at in spot)
    if close_at is not None:
        return _CLOSE.match(text, close_at), None
    return None, _EMPTY.match(text, begin)


def _indent_before(text: str, pos: int) -> str:
    """The spaces/tabs between the start of ``pos``'s line and ``pos`` (if only those)."""
    line_start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    lead = text[line_start:pos]
    return lead if lead.strip(" \t") == "" else ""


def _last_indent(pattern: re.Pattern, text: str) -> str | None:
    found = None
    for m in pattern.finditer(text):
        start = m.start()
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        if text[line_start:start].strip(" \t") == "":
            found = m.group(1)
    return found


APPENDERS = {"m3u": append_m3u, "pls": append_pls, "xspf": append_xspf}
"""Format name (as registered in :mod:`.base`) → appender."""


def append_tracks(data: bytes, fs_path: str, tracks: Sequence[Mapping]) -> bytes:
    """``data`` (the playlist file at ``fs_path``) with ``tracks`` added at its end."""
    fmt = format_for(fs_path)
    if fmt is None or fmt.name not in APPENDERS:
        raise PlaylistError("not a playlist file musicsage can add to (M3U, M3U8, PLS, XSPF)")
    return APPENDERS[fmt.name](data, fs_path, tracks)

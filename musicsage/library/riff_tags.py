"""Tags that WAV and AIFF files keep in chunks of their own, which mutagen does not read.

mutagen reads an ``id3 `` chunk in WAV/AIFF, but Windows, Audacity and libsndfile (so
python-soundfile) write a RIFF ``LIST``/``INFO`` chunk (``INAM`` title, ``IART`` artist…), and
old Mac tools write AIFF ``NAME``/``AUTH`` chunks: without these, such tracks showed only their
file names. The readers walk the chunk headers with bounded reads (a damaged size cannot make
them read the whole file) and take what they can: these tags are a fallback, never an error.
"""

from __future__ import annotations

import os
import unicodedata

_INFO_KEYS = {b"INAM": "title", b"IART": "artist", b"IPRD": "album", b"IGNR": "genre",
              b"ICRD": "year", b"ITRK": "track_number", b"IPRT": "track_number"}
_AIFF_KEYS = {b"NAME": "title", b"AUTH": "artist"}
_MAX_CHUNKS = 64
"""Top-level chunks looked at: real files have a handful (fmt, data, LIST, id3, bext…)."""
_MAX_TAG_BLOCK = 64 * 1024
"""The most read of one LIST INFO (or NAME/AUTH) chunk: text tags are short."""


def chunk_texts(fs_path: str, fmt: str) -> dict[str, str]:
    """The raw texts of a WAV's RIFF INFO or an AIFF's NAME/AUTH chunks, by tag name
    (``title``, ``artist``, ``album``, ``genre``, ``year``, ``track_number``); {} for other
    formats, files without them, or files that cannot be read."""
    if fmt not in ("wav", "aiff"):
        return {}
    try:
        with open(fs_path, "rb") as fh:
            head = fh.read(12)
            if fmt == "wav" and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
                return _riff_info(fh)
            if fmt == "aiff" and head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
                return _aiff_texts(fh)
    except OSError:
        pass
    return {}


def _chunks(fh, byteorder: str):
    """(id, size, offset of the data) of each top-level chunk after the 12-byte header."""
    end = os.fstat(fh.fileno()).st_size
    at = 12
    for _ in range(_MAX_CHUNKS):
        fh.seek(at)
        header = fh.read(8)
        if len(header) < 8:
            return
        size = int.from_bytes(header[4:], byteorder)
        yield header[:4], min(size, end - at - 8), at + 8
        at += 8 + size + (size & 1)
        if at >= end:
            return


def _riff_info(fh) -> dict[str, str]:
    out: dict[str, str] = {}
    for cid, size, data_at in _chunks(fh, "little"):
        if cid != b"LIST":
            continue
        fh.seek(data_at)
        block = fh.read(min(size, _MAX_TAG_BLOCK))
        if block[:4] == b"INFO":
            out.update(_info_entries(block[4:]))
    return out


def _info_entries(block: bytes) -> dict[str, str]:
    """The sub-chunks of a LIST INFO. A writer that forgets the pad byte after an odd size is
    common: when the padded position holds no chunk id but the unpadded one does, that wins."""
    out: dict[str, str] = {}
    at = 0
    while at + 8 <= len(block):
        cid, size = block[at:at + 4], int.from_bytes(block[at + 4:at + 8], "little")
        key = _INFO_KEYS.get(cid)
        if key is not None and key not in out:
            text = _text(block[at + 8:at + 8 + size])
            if text:
                out[key] = text
        nxt = at + 8 + size
        if size & 1 and not _looks_like_id(block[nxt + 1:nxt + 5]) and _looks_like_id(
                block[nxt:nxt + 4]):
            at = nxt
        else:
            at = nxt + (size & 1)
    return out


def _aiff_texts(fh) -> dict[str, str]:
    out: dict[str, str] = {}
    for cid, size, data_at in _chunks(fh, "big"):
        key = _AIFF_KEYS.get(cid)
        if key is not None and key not in out:
            fh.seek(data_at)
            text = _text(fh.read(min(size, _MAX_TAG_BLOCK)), legacy=("mac_roman", "cp1252"))
            if text:
                out[key] = text
    return out


def _looks_like_id(four: bytes) -> bool:
    return len(four) == 4 and all(0x20 <= b < 0x7F for b in four)


def _text(raw: bytes, legacy: tuple[str, ...] = ("cp1252",)) -> str:
    """A tag's bytes as text: UTF-8 (what current tools write), else the ``legacy`` encoding
    of the tools that wrote such chunks before that reads most like words
    (:func:`_word_likeness`; the first on a tie) — Windows-1252 (older Windows and Audacity,
    for RIFF INFO); for AIFF NAME/AUTH Mac OS Roman (the Mac tools: read as Windows-1252,
    "Björk" came out "Bjšrk") or Windows-1252 (Windows tools: read as Mac OS Roman, "Bjˆrk").
    The trade: a Windows-1252 apostrophe as the only such byte ties with Mac OS Roman's "í"
    ("Donít"), as a Mac "Martín" would with "Mart’n". Each decodes nearly any byte; NULs
    end it."""
    raw = raw.split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        readings = [raw.decode(name, errors="replace") for name in legacy]
        text = max(readings, key=_word_likeness)  # (max keeps the first of equals)
    return text.strip()


_RARE_CP1252 = frozenset("ŠŒŽšœžŸƒ")
"""Windows-1252's letters at 0x80-0x9F, rare in its text (its quotes and dashes are there),
where Mac OS Roman has its accented small letters: ö is 0x9A, Windows-1252's š."""


def _word_likeness(text: str) -> int:
    """How many characters past ASCII in ``text`` read as parts of words: a letter (not a
    capital after a letter, "CafÈ", nor one of :data:`_RARE_CP1252`), or a typographic
    quote or dash. A modifier ("ˆ"), a symbol or an undecodable byte counts nothing."""
    score = 0
    for i, char in enumerate(text):
        if char.isascii() or char in _RARE_CP1252:
            continue
        kind = unicodedata.category(char)
        if kind == "Ll" or kind == "Lu" and not (i and text[i - 1].isalpha()) or \
                kind in ("Pi", "Pf", "Pd"):
            score += 1
    return score

"""Tags that WAV and AIFF files keep in chunks of their own, which mutagen does not read.

mutagen reads an ``id3 `` chunk in WAV/AIFF, but Windows, Audacity and libsndfile (so
python-soundfile) write a RIFF ``LIST``/``INFO`` chunk (``INAM`` title, ``IART`` artist…), and
old Mac tools write AIFF ``NAME``/``AUTH`` chunks: without these, such tracks showed only their
file names. The readers walk the chunk headers with bounded reads (a damaged size cannot make
them read the whole file) and take what they can: these tags are a fallback, never an error.
"""

from __future__ import annotations

import os
import re
import unicodedata

_INFO_KEYS = {b"INAM": "title", b"IART": "artist", b"IPRD": "album", b"IGNR": "genre",
              b"ICRD": "year", b"ITRK": "track_number", b"IPRT": "track_number"}
_AIFF_KEYS = {b"NAME": "title", b"AUTH": "artist"}
_MAX_CHUNKS = 64
"""Top-level chunks looked at: real files have a handful (fmt, data, LIST, id3, bext…)."""
_MAX_TAG_BLOCK = 64 * 1024
"""The most read of one LIST INFO (or NAME/AUTH) chunk: text tags are short."""
_AIFF_LEGACY = ("cp1252", "mac_roman")
"""The encodings AIFF NAME/AUTH text not in UTF-8 was written in, Windows-1252 first: what
versions before 1cd73f6 read it as, and so what a library holds — a tie keeps it, so a
value read again changes only where Mac OS Roman reads clearly better."""


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
            text = _text(fh.read(min(size, _MAX_TAG_BLOCK)), legacy=_AIFF_LEGACY)
            if text:
                out[key] = text
    return out


def _looks_like_id(four: bytes) -> bool:
    return len(four) == 4 and all(0x20 <= b < 0x7F for b in four)


def _text(raw: bytes, legacy: tuple[str, ...] = ("cp1252",)) -> str:
    """A tag's bytes as text: UTF-8 (what current tools write), else the ``legacy`` encoding
    of the tools that wrote such chunks before that reads most like words
    (:func:`_word_likeness`; the first on a tie) — Windows-1252 (older Windows and Audacity,
    for RIFF INFO); for AIFF NAME/AUTH (:data:`_AIFF_LEGACY`) Windows-1252 (Windows tools:
    read as Mac OS Roman, "Don’t" came out "Donít") or Mac OS Roman (the Mac tools: read as
    Windows-1252, "Björk" came out "Bjšrk"). Each decodes nearly any byte; NULs end it."""
    raw = raw.split(b"\x00", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        readings = [raw.decode(name, errors="replace") for name in legacy]
        text = max(readings, key=_word_likeness)  # (max keeps the first of equals)
    return text.strip()


def reads_better(new: str, stored: str) -> bool:
    """Whether ``new``, an AIFF NAME/AUTH value read again, reads strictly more like words
    (:func:`_word_likeness`) than ``stored``. No protection of a right Windows-1252 value
    that older versions stored: :func:`_text` already takes Mac OS Roman only where it reads
    strictly better by this same measure (a tie keeps Windows-1252), so such a value is read
    again as it is stored. It guards only a stored value that is not that reading — one an
    in-between build or another reader left — from one that reads worse."""
    return _word_likeness(new) > _word_likeness(stored)


_RARE = frozenset("šžŸƒıﬁﬂπΩ")
"""Letters one of the two encodings makes of the other's common ones, rare in real text:
Windows-1252's š ž Ÿ ƒ are Mac OS Roman's ö û ü É (and Ä: "ƒrger"); Mac OS Roman's ı ﬁ ﬂ π
Ω are Windows-1252's õ Þ ß ¹ ½ (and its ÿ is Ø: "ÿresund", counted inside a word only)."""
_ONE_LETTER_WORDS = frozenset("àáéèíóòôúåäö")
"""Accented letters that are words alone ("Voyage à Paris", "É o Tchan"): another letter
alone is none ("A ñ B", "A Ð B": a dash read in the other encoding)."""
_CONTRACTIONS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
"""What follows an apostrophe inside an English word: "Don’t", "It’s", "You’re"."""
_QUOTE_PAIRS = {"«": "»", "»": "«", "‹": "›", "›": "‹"}
"""Guillemets, which quote in pairs (either way round: German writes »so«)."""
_CLOSING_QUOTES = "’”‘“"
"""What closes a German low quote (‚so‘, „so“)."""


def _word_likeness(text: str) -> int:
    """How many characters past ASCII in ``text`` read as parts of words
    (:func:`_char_likeness`): the reading of a legacy encoding that has more is the one its
    bytes were written in."""
    return sum(_char_likeness(text, i) for i, char in enumerate(text) if not char.isascii())


def _char_likeness(text: str, i: int) -> int:
    """How much ``text[i]`` reads as part of a word: a letter where letters stand (a capital
    not inside a lowercase word, "CafÈ", "BŠume"; one alone only of :data:`_ONE_LETTER_WORDS`;
    none of :data:`_RARE`; "œ" before "u" 2, as "cœur" and "Œuvre" hold it, before "i" 1,
    "œil"), a dash not inside a word ("R—s"), "…" after a word, an apostrophe that elides or
    contracts ("Don’t"; "Mar’a" is a Mac "María"), a quote that opens something ("‘ Paris"
    does not), a guillemet or a low quote with its pair (and the quote closing a low one), a
    closing quote. A modifier ("ˆ"), a symbol or an undecodable byte counts nothing."""
    char, kind = text[i], unicodedata.category(text[i])
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if char in _RARE or (char == "ÿ" and not before.isalpha()):
        return 0
    if char in "œŒ":
        return 2 if after in ("u", "U") else int(after in ("i", "I"))
    if kind in ("Ll", "Lu") and not (before.isalpha() or after.isalpha()):
        return int(char.lower() in _ONE_LETTER_WORDS)
    if kind == "Lu":
        return int(not (before.islower() or (before.isalpha() and after.islower())))
    if kind == "Ll":
        return 1
    if kind == "Pd":
        return int(not (before.isalpha() and after.isalpha()))
    if char == "…":
        return int(bool(before) and not before.isspace() and not after.isalpha())
    if char in "’‘" and before.isalpha() and after.isalpha():
        return int(_elides_or_contracts(text, i))
    if char in _QUOTE_PAIRS:
        return int(_QUOTE_PAIRS[char] in text)
    if kind == "Ps":  # ‚ „
        return int(any(c in _CLOSING_QUOTES for c in text[i + 1:]))
    opens = bool(after) and not after.isspace()
    return int(kind == "Pf" or (kind == "Pi" and (opens or any(c in "‚„" for c in text[:i]))))


def _elides_or_contracts(text: str, i: int) -> bool:
    """Whether the apostrophe at ``text[i]``, between letters, elides a French word's vowel
    ("L’amour", "qu’il", "O’Connor") or contracts an English one ("Don’t", "Rock’n’Roll")."""
    left = re.search(r"[^\W\d_]*$", text[:i]).group().lower()
    right = re.match(r"[^\W\d_]*", text[i + 1:]).group().lower()
    rest = text[i + 1 + len(right):i + 2 + len(right)]
    return len(left) <= 1 or left == "qu" or right in _CONTRACTIONS or (
        right == "n" and rest in ("’", "'"))

"""A tag's raw value as the library stores it: text cleaned, numbers read, ID3 text repaired.

Apart from :mod:`.tags` (which finds the values in each tag format) because what a value
means is the same whatever format held it — and a wrong value is not cosmetic: the artist and
the album are the graph model's contexts, so "BjÃ¶rk" beside "Björk", or an artist with a
byte-order mark in front, splits one artist in two.

Rules kept (each a defect seen in real files):

- Several values (Vorbis comments, ID3v2.4 and NUL-separated ID3v2.3 frames, MP4 lists,
  APEv2, a NUL inside any text value): the first that is not empty. A "/" is never split
  on, not even in ID3v2.3, whose specification joins performers with it: it is part of real
  names (AC/DC, Au/Ra), which a split would turn into "AC"; an ID3v2.3 "A1/A2" stays one
  artist, as it reads.
- Text: control characters (a newline, an escape that a terminal would obey) become spaces,
  runs of spaces one, a byte-order mark is dropped, the ends stripped; at most
  :data:`MAX_TEXT` characters (a tag holding a whole lyrics sheet or junk).
- Track number and year: 0 is none (``trkn (0, 12)``, ``0000``: a tagger's "unknown"); a
  year is the first run of four digits when there is one (``03/01/2019`` → 2019).
- ID3 text the tag mislabels: UTF-16 without a byte-order mark is read little-endian, so
  big-endian text ("Hello") came out as CJK ("䠀攀氀氀漀"); Latin-1 frames holding UTF-8
  bytes (older Windows taggers) came out as "BjÃ¶rk", and Windows-1252's quotes and dashes
  (0x80-0x9F) as control characters. All are read as what they are — the byte-swapped text
  only where swapping makes Western words (:func:`big_endian_read_as_little`): real CJK
  made of the same characters ("开怀", "대가") is left alone.
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEXT = 1000
"""The most characters of a text tag kept: no title, artist or album comes near; more is a
mistake (lyrics pasted into the title) that would fill the window's list and the search."""
MAX_TAG_INT = 2**31 - 1
"""The largest track number or year a tag may give (a signed 32-bit int, as most players
and tag formats hold them: MP4's track number has 16 bits): no real one comes near. A larger
number is junk (``12345678901234567890123`` overflowed SQLite's 64-bit INTEGER, and the scan
crashed on that file every time): the tag is left out, as one with no number is."""
NUMBER_KEYS = frozenset({"track_number", "year"})

_FIRST_INT = re.compile(r"\d+")
_YEAR = re.compile(r"(?<!\d)[1-9]\d{3}(?=(?:\d{4})?(?!\d))")
"""Four digits, not from 0, alone (mutagen reads ``03/01/2019`` as ``0003-01-2019``) or
before four more (``20190301``)."""
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s{2,}")
_ID3_LATIN1, _ID3_UTF16 = 0, 1


def tag_value(key: str, raw: Any) -> Any:
    """``raw`` (a value or a list of them) as the ``key`` field is stored: an int for the
    track number and the year, else text; None when it holds nothing usable."""
    if key == "year":
        return as_year(raw)
    return as_number(raw) if key in NUMBER_KEYS else as_text(raw)


def first_value(value: Any) -> Any:
    """The first value of a list that is not empty (``["", "A2"]`` → ``"A2"``: a tagger's
    empty first value hid the artist); a single value as it is."""
    if not isinstance(value, (list, tuple)):
        return value
    return next((v for v in value if v is not None and str(v).strip()), None)


def as_number(value: Any) -> int | None:
    """'3/12' → 3, (3, 12) → 3; None when there is no number, or one out of
    1..:data:`MAX_TAG_INT`."""
    value = first_value(value)
    if value is None:
        return None
    if not isinstance(value, int):
        return _digits_as_int(_FIRST_INT.search(str(value)))
    return value if 0 < value <= MAX_TAG_INT else None


def as_year(value: Any) -> int | None:
    """'2001-05-03' → 2001, '03/05/2001' → 2001 (:data:`_YEAR`), else the first number, as
    :func:`as_number`; '0000' → None."""
    value = first_value(value)
    if value is None or isinstance(value, int):
        return as_number(value)
    text = str(value)
    return _digits_as_int(_YEAR.search(text) or _FIRST_INT.search(text))


def _digits_as_int(match: re.Match | None) -> int | None:
    digits = (match.group().lstrip("0") or "0") if match else ""
    if not digits or len(digits) > len(str(MAX_TAG_INT)):  # int() refuses 4,300 digits
        return None
    number = int(digits)
    return number if 0 < number <= MAX_TAG_INT else None


def as_text(value: Any) -> str | None:
    """The first value that is not empty once made one clean line (module doc); None when
    none is left. A NUL inside a value separates values, as in ID3v2.4 and APEv2: a Vorbis
    comment or MP4 text written "B1\\0B2" by a converter that copied such a list was stored
    as the artist "B1 B2", one made-up artist in place of two real ones."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return next((text for text in map(_clean, _split_at_nul(values)) if text), None)


def _split_at_nul(values: list | tuple) -> list:
    """``values`` with each text holding a NUL split there (other values as they are)."""
    return [part for v in values
            for part in (v.split("\x00") if isinstance(v, str) and "\x00" in v else [v])]


def _clean(value: Any) -> str:
    if value is None:
        return ""
    text = _CONTROLS.sub(" ", str(value).replace("\ufeff", ""))
    return _SPACES.sub(" ", text).strip()[:MAX_TEXT].rstrip()


def id3_texts(frame: Any) -> list[str] | None:
    """The texts of an ID3 text frame (mutagen's), each repaired where the frame's encoding
    byte misleads (module doc); None for a frame without text."""
    texts = getattr(frame, "text", None)
    if not texts:
        return None
    encoding = int(getattr(frame, "encoding", -1))
    if encoding == _ID3_UTF16 and getattr(frame, "FrameID", "") in NUMBER_FRAMES:
        return [big_endian_read_as_little(str(t), number=True) or str(t) for t in texts]
    repair = {_ID3_LATIN1: _utf8_read_as_latin1, _ID3_UTF16: _as_written}.get(encoding, str)
    return [repair(str(text)) for text in texts]


NUMBER_FRAMES = frozenset({"TRCK", "TPOS", "TBPM", "TYER", "TDRC", "TORY", "TDOR", "TLEN"})
"""ID3 frames that hold numbers: one swapped to a digit is one however short (track "4" was
"㐀", a rare ideograph that a title may be)."""


def _utf8_read_as_latin1(text: str) -> str:
    """``text`` as UTF-8 when its Latin-1 bytes are valid UTF-8 beyond ASCII ("BjÃ¶rk" →
    "Björk"); Latin-1 text almost never is (it would need "Ã" followed by a symbol). Else
    its bytes 0x80-0x9F, control characters in Latin-1, as Windows-1252 has them ("Don’t",
    what Windows taggers wrote), not spaces."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text.translate(_CP1252_ONLY)


_CP1252_ONLY = {byte: bytes([byte]).decode("cp1252", errors="ignore") or None
                for byte in range(0x80, 0xA0)}
"""Windows-1252's characters for 0x80-0x9F (None for the five bytes it leaves undefined)."""


def _as_written(text: str) -> str:
    """A UTF-16 frame's ``text`` as written: big-endian text read again when mutagen read it
    little-endian (:func:`big_endian_read_as_little`), else as mutagen read it."""
    return big_endian_read_as_little(text) or text


SWAPPED_MIN_CHARS = 3
"""The fewest characters a text with letters may have to be read again byte-swapped without a
sure sign (:data:`SURELY_SWAPPED`): two CJK characters whose code points end in 00 ("开怀" is
5F 00 60 00) swap to two Western ones ("_`") too often."""

SURELY_SWAPPED = frozenset(" !\"#$%&'()*+,./0123456789")
"""The ASCII characters whose swapped form (U+2000-U+3900: punctuation, symbols, an ideographic
space, rare Extension A ideographs) never makes a CJK word: a text swapped to one of them is
big-endian text ("U2", a track "12"); the swaps of "N"-"~" are CJK (U+4E00 "一"). Not "-": its
swap U+2D00 is a Georgian letter ("ⴀⴀⴀ" read "---")."""


def big_endian_read_as_little(text: str, *, number: bool = False) -> str | None:
    """The Western text that ``text`` is when it is big-endian UTF-16 read little-endian
    ("Hello", 00 48 00 65…, read as "䠀攀…"), None when it is not. mutagen decodes a UTF-16
    frame with Python's "utf16" codec, which takes a byte-order mark and keeps nothing of it
    (a frame with one and a frame without read the same), so the text alone must tell: its
    characters swapped must be printable. Only digits, "/" and such punctuation
    (:data:`SURELY_SWAPPED`: a track "12", "3/12", "!!!") is swapped text at any length (three
    punctuation marks, one digit); else three quarters at least must be Latin-1 or
    Windows-1252 ("Café ♥": the heart is not), half at least ASCII letters or digits, and
    :data:`SWAPPED_MIN_CHARS` at least unless one of them is a sure sign ("U2"). Real CJK or
    Korean text whose characters all end in 00 ("开怀", "대가", "一") swaps to two letters or
    fewer, to symbols ("³¬") or to control characters, and stays.
    Swapped to digits and such alone, a text needs 2 characters unless it is a ``number``
    (:data:`NUMBER_FRAMES`), and some character that is no letter: "㐀" (4), "㐀㔀" (45) and
    U+3000 (0) are a title as written. The scan's reader and the one-time re-read
    (:mod:`.tag_reread`) both ask this."""
    try:
        swapped = text.encode("utf-16-le").decode("utf-16-be")
    except UnicodeError:
        return None
    if not swapped or not swapped.isprintable():
        return None
    sure = sum(1 for c in swapped if c in SURELY_SWAPPED)
    if sure == len(swapped):
        if number:
            return swapped if any(c.isdigit() for c in swapped) else None
        # one character alone is a title as written (㐀, an ideographic space); two or more
        # are digits far more often than six rare ideographs ("45", "666": 㐀㔀, 㘀㘀㘀)
        return swapped if len(swapped) >= 2 else None
    if len(swapped) < SWAPPED_MIN_CHARS and not sure:
        return None
    western = sum(1 for c in swapped if _in_cp1252(c))
    words = sum(1 for c in swapped if c.isascii() and c.isalnum())
    if western * 4 < len(swapped) * 3 or words * 2 < len(swapped):
        return None
    return swapped


def _in_cp1252(char: str) -> bool:
    """Whether ``char`` is one of Windows-1252's (Latin-1's printable ones, ’ “ – … € Œ)."""
    try:
        char.encode("cp1252")
    except UnicodeError:
        return False
    return True

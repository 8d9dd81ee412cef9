"""Words for messages: counts ('1 track', '3 entries') and names from users' files, shown safely.

Messages that put a number before a plural noun said '1 errors', '1 tracks selected',
'1 playlists' whenever the number was one; the counts a user reads go through here. Text that
comes from a user's files (playlist entries, tags, file names) goes through :func:`printable`
before a terminal or a line of the window shows it. Positions in a track read as a clock
(:func:`format_time`), the same in the player bar and in the player's notes, and a track's
length by the same clock (:func:`format_length`) wherever it is shown. A column of
names or titles in a terminal is measured and cut in terminal columns (:func:`columns`,
:func:`fitted`), the same for ``similar``'s lists and ``playlists``'. Names are
compared through :func:`search_folded` — case, accents and typographic apostrophes set aside,
"Ø" read as "o" — and searched by the words of :func:`search_words`: the search box, the
playlists it offers, the playlists panel's filter and ``similar``/``suggest``'s QUERY and
PLAYLIST alike, so that one word finds a name in each of them or in none.
"""

from __future__ import annotations

import math
import re
import unicodedata


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The form of a noun that goes with ``n``: ``singular`` for 1, else ``plural``
    (default ``singular + 's'``)."""
    return singular if n == 1 else plural or singular + "s"


def folded(text: str) -> str:
    """``text`` with case and accents set aside ("Électro" → "electro"), for comparing: a
    name typed without its accents ("bogota") must find the one that has them ("Bogotá").
    ASCII, which most names are, has nothing to decompose: casefolded at once (a search
    index folds every track of a library)."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


SEARCH_LETTERS = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-",
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe",
    "þ": "th"})
"""What :func:`search_folded` reads alike beyond :func:`folded`: the typographic apostrophe
MusicBrainz tags carry ("It Ain’t Me": "it ain't me" found nothing) and the letters that have
no accent to set aside, being letters of their own ("MØ", "Łódź": "mo" and "lodz" found
nothing where "bjork" finds "Björk")."""
_APOSTROPHE_BY_A_LETTER = re.compile(r"(?<=\w)'|'(?=\w)")


def search_folded(text: str) -> str:
    """``text`` as a search compares it: :func:`folded`, the letters of
    :data:`SEARCH_LETTERS` as a keyboard without them types them, and an apostrophe that
    touches a letter or digit on either side left out ("dont" finds "Don't", as music
    players' searches do). Not only one between two letters: a name is typed a letter at a
    time, and "o'", "don'" or "rock 'n" (the apostrophe kept while the index had "oconnor",
    "dont", "rocknroll") found nothing of "O'Connor", "Don't" or "Rock'n'Roll Train" until
    the next letter was typed. Names and the words typed both go through it, so that every
    prefix of a name typed as written finds it. A lone "'" so finds only names with an
    apostrophe standing apart ("Rock ' Roll"), not "Don't" nor "'80s": almost none."""
    text = folded(text).translate(SEARCH_LETTERS)
    return _APOSTROPHE_BY_A_LETTER.sub("", text) if "'" in text else text


def normalise(text: str | None) -> str:
    """Text as compared: case and accents set aside as the search box sets them aside
    (:func:`search_folded`: "mo - final song" names MØ's "Final Song", "it aint me" Kygo's
    "It Ain’t Me"), whitespace collapsed. One function for a QUERY and the titles a bare
    number is looked up among, so that both read a title alike. The README promises that
    case and accents as typed do not matter; NFKC + casefold alone kept "reykjavik" from
    finding "Reykjavík"."""
    if not text:
        return ""
    return " ".join(search_folded(text).split())


QUOTES = "\"“”„«»"
"""What encloses a phrase typed in quotes (straight, typographic or guillemets)."""
PHRASE = re.compile(f"[{QUOTES}]([^{QUOTES}]*)[{QUOTES}]")


def search_words(text: str) -> list[str]:
    """The words of a search, :func:`search_folded`, that a name (read through it too) must
    each contain: a word of punctuation alone (the dash of "Artist - Title", as `similar`
    and the player write it) is a separator, not something to find. A phrase in quotes is
    one word, its spaces kept ('"love song"'), and a stray quote is no part of a word:
    '"love"' found nothing where 'love' found 1,164. A search of punctuation alone ('+',
    '85%' minus its digits, '®') is that text as typed: titles "+" and "?" exist. One rule
    for the track search, the playlists it offers and the playlists panel's filter, so that
    all answer the same words."""
    text = search_folded(text)
    phrases = [" ".join(p.split()) for p in PHRASE.findall(text)]
    rest = [w.strip(QUOTES) for w in PHRASE.sub(" ", text).split()]
    words = [p for p in phrases if p] + [w for w in rest if any(ch.isalnum() for ch in w)]
    if words:
        return words
    literal = " ".join(text.replace('"', " ").split())  # '"+"' is '+'
    return [literal] if literal else []


def holds_words(folded_name: str, words: list[str]) -> bool:
    """Whether a name already through :func:`search_folded` holds every word of
    :func:`search_words`: the one test of the search box's playlists and the playlists
    panel's filter, taking the name folded once and the words worked out once for all the
    rows of a keystroke (folding the name again per word, or the words again per row, was
    work done hundreds of times over in a library of 471 playlists)."""
    return all(word in folded_name for word in words)


def casefolded(text: str | None) -> str:
    """``text`` with case, width and spacing set aside but accents kept: a name as typed, so
    that an exact match with its accents ranks before one :func:`folded` finds."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun's form for it: ``counted(1, 'entry', 'entries')`` → '1 entry'."""
    return f"{n} {noun(n, singular, plural)}"


def grouped(n: int, singular: str, plural: str | None = None) -> str:
    """:func:`counted` with the thousands grouped ("8,000 tracks"), as the window writes its
    counts: the Queue read "Playlist: Long mix (8000 tracks)"."""
    return f"{n:,} {noun(n, singular, plural)}"


def alternatives(forms: list[str]) -> str:
    """``forms`` as one choice in words, 'a', 'a or b', 'a, b or c': what to give instead
    in an ambiguous name's message (a track's, a playlist's), worded the same for both."""
    return " or ".join([", ".join(forms[:-1]), forms[-1]] if len(forms) > 1 else forms)


def elided(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when cut: a name from a user's
    files (a playlist, a genre) in a place of fixed width, e.g. the map's legend and key."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def columns(text: str) -> int:
    """Terminal columns ``text`` takes: CJK and emoji two a character, combining marks none.
    Counting characters, a title or playlist name in Japanese (twice its characters wide)
    pushed the columns after it on its row out of line with the other rows'."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fitted(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns (:func:`columns`; "…" ends it when cut) and
    padded with spaces to them: a column of names or titles that every row keeps in line,
    whatever script or length each is written in."""
    if columns(text) > width:
        room, kept = max(width - 1, 0), []
        for ch in text:
            room -= columns(ch)
            if room < 0:
                break
            kept.append(ch)
        text = "".join(kept) + ("\u2026" if width >= 1 else "")
    return text + " " * max(width - columns(text), 0)


def format_time(seconds: float) -> str:
    """m:ss (h:mm:ss past an hour), as the player shows positions: whole seconds elapsed,
    rounded down; negative, or not a finite number, reads 0:00."""
    seconds = max(0, int(seconds)) if math.isfinite(seconds) else 0
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_length(seconds: float | None) -> str:
    """A track's length as every place shows it — the track box, the Playlist tab, the player
    bar's total: by :func:`format_time`'s clock, whole seconds rounded down, so a track played
    to its end reads "0:01 / 0:01" and its length is the same wherever it is read (the track
    box rounded, "0:02", while the player bar beside it said "0:01"). "" when not known
    (None, 0, not a finite number: a length the scan could not read)."""
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return ""
    return format_time(seconds)


def loss_text(loss: float, decimals: int = 3) -> str:
    """A training loss in a message: ``decimals`` decimals where they read ("0.693"), else as
    many significant digits ("3.4e+38", "3e-07"): a diverging run's 39-digit loss in fixed
    point was one word wider than the training dock (it pushed Cancel out of sight) and a
    line of the command line, and a loss of 3e-07 read as "0.000"."""
    readable = loss == 0 or 10.0 ** (1 - decimals) <= abs(loss) < 1e5
    return f"{loss:.{decimals}f}" if readable else f"{loss:.{decimals}g}"


def sentence(note: str) -> str:
    """A lower-case note (the command line's wording, "the library database … is damaged")
    as a sentence of the window: its first letter capitalised, the rest as written."""
    return note[:1].upper() + note[1:]


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters, DEL, the Unicode line and paragraph separators, and the
bidirectional embeddings, overrides and isolates: what a terminal acts on instead of showing,
breaks a line at, or shows in another order than written (``evil\\u202egpj.exe`` reads
'evilexe.jpg'; the rest of the line, the app's own words too, can be reordered)."""


_BREAKS = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029]+")
"""A run of control characters (Cc: line ends and tabs too), line and paragraph separators
(Zl, Zp) and ASCII spaces: what :func:`one_line` makes one space."""


def one_line(text: object) -> str:
    """``text`` on one line for a file that is written (a playlist's title, a name, a file
    name offered): each run of control characters, line or paragraph separators and ASCII
    spaces one space, and no space of any kind at the ends (a title of one U+3000 offered
    the file name "\u3000.m3u8"). A NUL (a name from a player's database, a title stored
    before tags were cleaned) made a playlist "binary data" to every reader, and an escape
    played tricks on a terminal that printed it. Other spaces within are the name's own and
    stay (``str.split`` made "東京\u3000タワー" "東京 タワー", a no-break space a plain one).
    What a user reads goes through :func:`printable` instead, which keeps the characters,
    written visibly."""
    return _BREAKS.sub(" ", str(text)).strip()


def printable(text: object) -> str:
    """``text`` with its control characters written visibly: ESC as ``\\x1b``, a line break
    as ``\\x0a``, U+2028 as ``\\u2028`` — for the terminal and for the window's one-line
    places (a title, a name, a path in a label, a list's cell, the status line), never for
    JSON, the database or a file written: what is searched and saved keeps the real name.

    A playlist line ``music/\\x1b[31mred.mp3`` printed as it is turned the terminal red (an
    escape sequence can also move the cursor, rewrite the title, or hide what follows); a
    ``\\r`` overwrote the line before it; a right-to-left override (U+202E) showed a name,
    and what follows it on the line, reversed. In the window a file named ``odd\\nname.wav``
    broke the neighbours' heading, the track's Title and the map's label across lines, and a
    tab opened a gap: it reads as the command line writes it. Everything else (accents, CJK,
    backslashes of Windows paths) is left as written.
    """
    return CONTROLS.sub(_escape, str(text))


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

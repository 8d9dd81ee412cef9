"""How file paths are stored in the DB, and how to get an openable path back.

SQLite TEXT must be valid UTF-8, but a POSIX file name is any bytes. Decisions:

- ``tracks.path`` / ``playlists.path`` hold the absolute path *as found on disk* (``os.path.abspath``,
  symlinks not resolved), decoded as UTF-8. For the usual case (a UTF-8 name) the stored text is
  exactly the real path, so ``open(row["path"])`` works.
- A byte that is not valid UTF-8 (a Latin-1 name from an old disk, say) is stored as the
  private-use code point ``U+10FF00 + byte`` (Supplementary Private Use Area-B; Unicode never
  assigns these). :func:`to_fs` reverses that. Python's own ``surrogateescape`` form
  (``\\udcXX``) cannot go into SQLite (lone surrogates are not encodable as UTF-8), which is why a
  different stand-in is needed. The one ambiguity: a real name that contains the code points
  U+10FF80..U+10FFFF themselves would be read back as raw bytes; such names do not occur in
  practice.
- **Not NFC-normalised in the DB** (see docs/architecture.md, "Conventions"): on Linux a name
  in NFD (e.g. copied from macOS) is a different file name from its NFC form, and storing the NFC
  form would make the file unopenable. NFC (and case folding) is applied where paths are
  *matched* (:func:`match_key`, playlist resolution) instead.

- **The same in every locale**: the stored text is the name's *bytes* read as UTF-8, whatever
  the filesystem encoding of the process that scanned it (:func:`from_fs` encodes an OS path
  back to its bytes first), so a library scanned in a UTF-8 session names the same files in
  one whose filesystem encoding is not UTF-8: a legacy locale (``fr_FR.ISO-8859-1``, EUC), or
  ``LC_ALL=C`` with UTF-8 mode turned off (``PYTHONUTF8=0``; Python 3.11 turns it on for the
  C and POSIX locales by itself). Turning it back into an OS path therefore goes through the
  bytes too (:func:`to_fs`): ``open("é")`` would be encoded by the locale (a crash under
  ASCII, ``\\xe9`` naming another file under Latin-1), not as the ``\\xc3\\xa9`` on disk.
  Text that may be an OS path is read as stored text only when it holds ``surrogateescape``
  code points (:func:`typed_text`): ``from_fs`` of stored text re-encodes it by the locale.

Consumers that open tracks should use :func:`to_fs` (str, surrogateescape) or :func:`to_fs_bytes`
(bytes; what libsndfile wants for odd names): both are identity for ordinary UTF-8 names in a
UTF-8 locale.
"""

from __future__ import annotations

import codecs
import errno
import functools
import os
import re
import shlex
import sys
import unicodedata
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from musicsage.errors import MusicsageError

_ESCAPE_BASE = 0x10FF00
_ESCAPE_LO = _ESCAPE_BASE + 0x80
_ESCAPE_HI = _ESCAPE_BASE + 0xFF
_ESCAPED = re.compile(f"[{chr(_ESCAPE_LO)}-{chr(_ESCAPE_HI)}]")

_SURROGATE = re.compile("[\udc80-\udcff]")
"""What ``surrogateescape`` makes of a byte the filesystem encoding cannot decode."""


def from_fs(path: str | bytes | os.PathLike) -> str:
    """The DB text for a filesystem path (str from os APIs, or bytes)."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "surrogateescape")
        return _SURROGATE.sub(lambda m: chr(_ESCAPE_BASE + (ord(m.group()) - 0xDC00)), text)


def typed_text(text: str) -> str:
    """``text`` (typed, an argument, or a path that may be an OS one) as stored text: its
    bytes read as UTF-8 (:func:`from_fs`) when it holds ``surrogateescape`` stand-ins, else
    itself. Why: where the filesystem encoding is not UTF-8 (``PYTHONUTF8=0 LC_ALL=C``) the
    ``é`` typed in a UTF-8 terminal reaches ``argv`` as ``\\udcc3\\udca9``, and ``similar
    Montréal`` said no track matches; and ``from_fs`` of text already stored re-encodes it by
    the locale (a crash on ``é`` under ASCII, ``%E9`` naming no file under Latin-1)."""
    if not _SURROGATE.search(text):
        return text
    try:
        return from_fs(text)
    except UnicodeError:  # stand-ins beside text the locale cannot encode: no OS form
        return text


def stands_on_a_line(stored: str) -> bool:
    """Whether the stored path (or a part of one) may be written as itself on a line of a
    playlist: its name's bytes are UTF-8 (no stand-in for an odd byte, no lone surrogate),
    with no control or line-break character (``str.splitlines`` splits on U+0085, U+2028,
    \\x1c…), and no trailing space (readers strip a line's, a value's, ends); else a
    ``file://`` URI (:func:`file_uri`) names it. Not ``to_fs(stored) == stored``: where the
    filesystem encoding is not UTF-8 every ``é`` differs from its OS form."""
    return (not _ESCAPED.search(stored) and stored == stored.rstrip()
            and not any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in stored))


_FS_IS_UTF8 = codecs.lookup(sys.getfilesystemencoding()).name == "utf-8"
"""Whether OS paths are UTF-8 text here (a UTF-8 locale or UTF-8 mode): then a stored path
without stand-ins is already the OS path."""


def _unescaped(stored: str) -> str:
    """``stored`` with its stand-ins for odd bytes as ``surrogateescape`` code points."""
    if not _ESCAPED.search(stored):
        return stored
    return "".join(chr(0xDC00 + (ord(c) - _ESCAPE_BASE)) if _ESCAPE_LO <= ord(c) <= _ESCAPE_HI
                   else c for c in stored)


def to_fs(stored: str) -> str:
    """The path to hand to ``open``/``os.stat`` for a DB path (surrogateescape str), made from
    the name's bytes (see "The same in every locale" above): in an ASCII session the
    stored ``é`` is the OS path's ``\\udcc3\\udca9``; in a UTF-8 one, itself."""
    if _FS_IS_UTF8:
        return _unescaped(stored)
    return os.fsdecode(to_fs_bytes(stored))


def to_fs_bytes(stored: str) -> bytes:
    """The DB path as filesystem bytes (``soundfile.SoundFile`` accepts bytes paths): its
    UTF-8 bytes, odd bytes as they were, whatever the locale (``os.fsencode`` of ``é``
    raised UnicodeEncodeError under ASCII: ``similar`` and ``playlists`` crashed)."""
    return _unescaped(stored).encode("utf-8", "surrogateescape")


def display(stored: str) -> str:
    """A printable form: undecodable bytes shown as U+FFFD. One regex pass, not a look at
    each character in Python: the window shows every row of a chosen playlist through it
    (about 7 ms less on the window's thread for 1,550 rows)."""
    return _ESCAPED.sub("\ufffd", stored)


def file_uri(stored: str) -> str | None:
    """A ``file://`` URI of the track's file, its raw bytes percent-encoded (``%FF`` for a byte
    that is not UTF-8); None for a track without a file (imported from a dataset). Why: it
    names any file exactly in plain ASCII, which :func:`display` cannot (U+FFFD is lossy) and
    the DB form must not leak (its private-use stand-ins name no file), and every QUERY and
    PLAYLIST argument reads it back as the path it names."""
    if not is_file_path(stored):
        return None
    return "file://" + urllib.parse.quote(to_fs_bytes(stored), safe="/")


def json_fields(item: dict, key: str = "path") -> dict:
    """``item`` as ``--json`` writes it (docs/cli.md, "JSON outputs"): its stored path
    ``key`` as :func:`display` shows it, followed by ``"uri"`` (:func:`file_uri`). The one
    rule for a path in JSON, so that every command writes the same two fields."""
    out: dict = {}
    for name, value in item.items():
        is_path = name == key and isinstance(value, str)
        out[name] = display(value) if is_path else value
        if name == key:
            out["uri"] = file_uri(value) if is_path else None
    return out


def shown(os_path: str | bytes | os.PathLike) -> str:
    """A printable form of an OS path (for messages): undecodable bytes shown as U+FFFD."""
    return display(from_fs(os_path))


def given_path(value: str | bytes | os.PathLike | None, label: str, what: str) -> None:
    """Refuse an empty or all-space path given for ``label`` (``DIR``, ``--out``…), naming
    ``what`` it should be. Why: ``os.path.abspath("")`` is the current folder, so ``import ''``
    (an unset ``"$DIR"`` in a script) read the folder the command ran in, and ``export ''``
    wrote a dataset into it; ``'  '`` named a folder of spaces nobody meant. None (an option
    not given) passes."""
    if value is not None and not os.fsdecode(os.fspath(value)).strip():
        raise MusicsageError(f"{label} is empty: name {what} (an empty path is not the current "
                             "folder; nothing was done)")


def is_under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or inside it (both in the same form; not a sibling that
    merely starts alike: ``/music2`` is not under ``/music``)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def match_key(path: str) -> str:
    """Key for case/normalisation-insensitive path matching (NFC + casefold)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


def is_file_path(stored: str) -> bool:
    """True for a real absolute path; False for synthetic ones (``dataset:<dir>#<id>``)."""
    return stored.startswith("/")


DATASET_PREFIX = "dataset:"


def dataset_key_prefix(dataset_dir: str | os.PathLike) -> str:
    """``dataset:<dir>#``: the stored path of a track or playlist imported from
    ``dataset_dir`` without a file is this followed by its id there."""
    return f"{DATASET_PREFIX}{from_fs(dataset_dir)}#"


def dataset_source(stored: str) -> str:
    """The dataset dir a synthetic ``dataset:<dir>#<id>`` path came from (stored form).

    A '#' may be in the id as well as in the dir: the playlist ``mix#1`` of ``d/hp`` was
    listed as from ``d/hp#mix``. Of the ways to split the key, the longest dir that is a
    folder holding a tracks.csv is taken; else the one at the last '#', as when the dir is
    gone (``dataset:<dir>#`` alone, a dir's prefix, names ``<dir>``)."""
    rest = stored.removeprefix(DATASET_PREFIX)
    if rest.endswith("#"):  # the dir's prefix (no id is empty)
        return rest[:-1]
    cut = len(rest)
    while (cut := rest.rfind("#", 0, cut)) > 0:
        if holds_tracks_csv(rest[:cut]):
            return rest[:cut]
    return rest.rsplit("#", 1)[0]


def shown_place(stored: str) -> str:
    """A track's place as a person reads it: its path, or for a track imported from a dataset
    dir without a file ``no audio file (imported from DIR)`` instead of its synthetic
    ``dataset:<dir>#<id>`` key (which no user has seen)."""
    if is_file_path(stored):
        return display(stored)
    return f"no audio file (imported from {display(dataset_source(stored))})"


@functools.lru_cache(maxsize=1024)
def holds_tracks_csv(stored_dir: str) -> bool:
    """Whether the dir ``stored_dir`` (stored form) holds a tracks.csv, remembered: a
    playlist of 8,000 tracks imported from one dataset dir asked the disk 8,000 times on the
    window's thread (120 ms) at each re-read of the library. A new library snapshot forgets
    the answers (``holds_tracks_csv.cache_clear()``): a dir made or removed since is seen."""
    return os.path.isfile(os.path.join(to_fs(stored_dir), "tracks.csv"))


def real_tail(fs_path: str, fs_folder: str,
              resolve: Callable[[str], str] = os.path.realpath) -> str | None:
    """Where ``fs_path`` lies inside ``fs_folder`` once both are resolved through symbolic
    links (by ``resolve``): the relative rest (``""`` for the folder itself), or None when it
    lies elsewhere."""
    real, top = resolve(fs_path), resolve(fs_folder)
    if not is_under(real, top):
        return None
    return real[len(top):].lstrip("/")


def known_spelling(fs_root: str, fs_known: list[str],
                   resolve: Callable[[str], str] = os.path.realpath) -> str:
    """``fs_root`` spelled through the first of ``fs_known`` (music folders already in the
    library, OS paths) that holds it once links are resolved: ``scan Link`` then ``scan
    Music`` (``Link -> Music``) scans ``Link`` again, and ``scan Music/again`` (``again ->
    .``) then ``scan Music`` scans ``Music/again``. Why the spelling scanned first: it is the
    one its tracks are stored under and the user has seen in every list since; the other
    would make a second track of every file. A root that is one of ``fs_known`` itself
    (or lies under one as typed) keeps its spelling: the scan finds its files' tracks under
    whatever spelling they have (:func:`~musicsage.library.spellings.known_spellings`).
    ``resolve``: how a path's real one is found (a remembering one for many roots)."""
    for known in fs_known:
        if is_under(fs_root, known):
            return fs_root
    for known in fs_known:
        tail = real_tail(fs_root, known, resolve)
        if tail is not None:
            return os.path.join(known, tail) if tail else known
    return fs_root


def spelled_as_known(fs_roots: list[str], fs_known: list[str]) -> list[str]:
    """``fs_roots`` (OS paths given to scan), each as :func:`known_spelling` spells it, the
    earlier ones counting as known to later ones (``scan Link Music`` is one folder), without
    repeats. Each path is resolved through links once (``scan F1 … F800`` resolved both
    paths of every pair again: 639,200 resolutions, 28 s)."""
    resolve = functools.lru_cache(maxsize=None)(os.path.realpath)
    out: list[str] = []
    for root in fs_roots:
        root = known_spelling(root, fs_known + out, resolve)
        if root not in out:
            out.append(root)
    return out


def typed_path(text: str) -> str:
    """A path given on the command line or dropped, as the shell or a file manager meant it:
    ``~`` expanded (``scan '~/Music'``, quoted, reached us unexpanded, while ``--data-dir
    '~/x'`` was expanded), and a ``file://`` URI of this machine (a file manager's copy:
    ``file:///home/me/sub%20dir``) read as its path; a scan took either for a folder of the
    current one (``…/file:/home/…``). A URI of another machine is refused in one line. A
    path that exists as typed is kept as it is."""
    if not text.lower().startswith(("~", "file:")) or os.path.lexists(text):
        return text
    if text.startswith("~"):
        return os.path.expanduser(text)
    rest = text[len("file:"):]  # not urlsplit: a raw '#' or '?' is part of a file's name
    host, path = "", rest
    if rest.startswith("//"):
        host, slash, tail = rest[2:].partition("/")
        path = slash + tail
    if host and host.lower() != "localhost":
        raise MusicsageError(f"{text} names a file on another machine ({host}): give "
                             "a path on this one (nothing was done)")
    return os.fsdecode(urllib.parse.unquote_to_bytes(path))


def home_expanded(path: str | os.PathLike, *, suffix: str = "") -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded (a path quoted in the shell, or
    typed in the window, reaches us so), refused in one line when ``~user`` names no user
    of this system (``suffix`` ends the line: what was not done): :meth:`Path.expanduser`
    raises RuntimeError, which ended ``import '~nouser/x'`` in "unexpected error". Only a
    ``~`` that begins the text as typed is a home: ``Path`` drops a leading ``./``, and
    ``./~/lib`` (a folder named ``~`` here) became ``$HOME/lib`` (a library made there), and
    ``./~nouser/x`` was refused as naming no home; such a path is made absolute instead,
    so that nothing after reads its ``~`` again."""
    if not os.fsdecode(path).startswith("~"):
        plain = Path(path)
        return plain.absolute() if plain.parts[:1] and plain.parts[0].startswith("~") else plain
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "Could not determine home directory."
        text = os.fsdecode(path)
        head = text.split("/", 1)[0]
        why = (f"no user {head[1:]!r}" if head != "~" else  # "no user ''" said nothing
               f"HOME is not set, and this user (uid {os.getuid()}) has no entry in the "
               "system's user list")
        raise MusicsageError(f"{text}: {head} names no home folder on this system ({why}); "
                             f"give the folder's full path{suffix}") from None


_CONTROL_BYTE = re.compile(rb"[\x00-\x1f\x7f]")
"""A byte a one-line message cannot show as itself (a line break, a tab, an escape)."""


def shell_word(os_path: str | bytes | os.PathLike) -> str:
    """``os_path`` quoted for bash so that a command suggested in a message names exactly that
    file: ``shlex.quote`` of its text when its name is UTF-8 (in a UTF-8 locale), else bash's
    ``$'…'`` with ``\\xNN`` for each byte beyond ASCII, which zsh and ksh read too but not a
    plain POSIX ``sh`` such as dash (``'/tmp/x\\udce9y'``, what the text of a Latin-1 name
    quoted, names no folder; ``$'/tmp/x\\xe9y'`` names it; an ASCII terminal shows ``é`` as
    ``\\xe9``, which names no folder either). A name with a line break or a tab is written
    so too: a failure is one line, its break became a space, and the command quoted with
    ``shlex`` named a folder ``n l`` where the library was in ``n\\nl``."""
    raw = os.fsencode(os_path)
    if (raw.isascii() or _FS_IS_UTF8) and not _CONTROL_BYTE.search(raw):
        try:
            return shlex.quote(raw.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    return "$'" + "".join(f"\\x{b:02x}" if not 0x20 <= b < 0x7F
                          else "\\" + chr(b) if chr(b) in "\\'" else chr(b) for b in raw) + "'"


def shown_exactly(os_path: str | bytes | os.PathLike) -> str:
    """:func:`shown`, in quotes when it begins or ends with a space or tab, which a message
    would hide: ``scan "music "`` said ``no such file or folder: …/music``."""
    text = shown(os_path)
    return f"'{text}'" if text != text.strip() else text


def in_a_loop_of_links(path: Path) -> bool:
    """Whether ``path``, or a folder above it, is a link that leads back to itself (``loop ->
    loop``, ``a -> b -> a``): a loop said as one, not as a link "which does not exist". Any
    other fault on the way is not one (the checks and writes after say it)."""
    try:
        path.resolve()
    except RuntimeError:  # Python < 3.13 raises RuntimeError for a loop
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def link_to_nowhere(given: Path) -> Path | None:
    """``given``, or the first folder above it, that is a symbolic link whose target does not
    exist (a drive not mounted), else None: a folder made through it lands in the empty
    mount point."""
    return next((p for p in (given, *given.parents) if p.is_symlink() and not p.exists()),
                None)


def link_to_nowhere_words(given: Path, dangling: Path) -> str:
    """How ``given`` is refused where ``dangling`` (it, or a folder above it) is a link to
    nowhere, after the option's name: "usb/lib: usb is a link to …, which does not exist (a
    drive not mounted?)"; each caller says "nothing was created" as its other refusals do."""
    where = "" if dangling == given else f": {shown(dangling)}"
    return (f"{shown(given)}{where} is a link to {shown(os.readlink(dangling))}, which does "
            "not exist (a drive not mounted?)")

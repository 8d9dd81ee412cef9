"""Turning a playlist entry's location into a track of the library (or None).

Rules (docs/architecture.md, "Conventions"), in order, stopping at the first hit:

1. ``file:`` URIs are percent-decoded (bytes, so Latin-1 escapes survive) to a path; other URL
   schemes (``http://`` streams…) are never tracks.
2. ``\\`` becomes ``/``; a Windows drive (``C:/…``) or UNC host (``//server/share/…``) marks
   the path as foreign: it cannot exist here, so only the suffix rule (6) applies.
3. A relative path is tried against the playlist's folder, then against each library root;
   an absolute one as it is. A plain path containing ``%XX`` is also tried percent-decoded
   (after the literal form: ``100% Hits.mp3`` is a real name).
4. Exact DB path first, then case- and Unicode-normalisation-insensitive (NFC + casefold).
5. Names that are not valid UTF-8 on disk (Latin-1/cp1252 bytes from an old disk) are matched by
   re-encoding the entry's text in those encodings.
6. Suffix match, for playlists written on another machine (``C:\\Users\\me\\Music\\Album\\01.mp3``
   naming ``/home/me/Music/Album/01.mp3``): the folders of a track's path *below its library
   root* say which track it is, those above the root (where the library lies) do not. An entry
   is a track's when, compared from the end, case/NFC-insensitively, it agrees with the whole
   of the track's root-relative path — or, when the entry is shorter, all of the entry does;
   and at least its last two components agree (a bare file name never resolves by suffix). A
   drive letter, UNC host, ``.`` and leading ``..`` are no folders and are left out. A path
   under no library root (a moved track's old root, since removed) counts as root-relative
   whole. ``/old/Queen/Greatest Hits/01 Intro.wav`` is thus not ``Beatles/Greatest Hits/01
   Intro.wav``: it stays unresolved, saying so. Several tracks that fit: the one whose path
   agrees furthest wins; a tie is ambiguous and resolves nothing.

Only tracks already in the DB are returned; nothing here creates a track.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from musicsage.library import paths as P
from musicsage.library.playlists.base import cp1252_text

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
_DRIVE = re.compile(r"^/?[A-Za-z]:(/|$)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
MIN_SUFFIX_PARTS = 2
NAMED_ALIKE = 3
"""A reason names up to this many of the tracks an entry could be, then says how many: it
named one, and the user took it for the only one (with three, a bare file name got none)."""


@dataclass(frozen=True)
class Resolution:
    track_id: int | None
    reason: str = ""
    """Why an entry did not resolve (empty when it did)."""


NOT_IN_LIBRARY = "no track in the library at this location"
"""The reason of an entry naming a local file no track has: its file moved, or its folder was
never scanned — the one case a user can fix by scanning the folder the file is in now."""


class _Located(NamedTuple):
    """A path of a track (its own, or one it was moved from) as the suffix rule reads it."""

    track_id: int
    key: str
    """The whole path's :func:`~musicsage.library.paths.match_key`."""
    below_root: int
    """How many of its last components lie below its library root: the ones that count."""
    path: str
    cut: int
    """``path[cut:]`` is the part below the root (for a reason shown to the user)."""


class TrackIndex:
    """Lookups over the library's track paths, built once per import batch."""

    def __init__(self, rows, roots: list[str]):
        self.roots = [r.rstrip("/") or "/" for r in roots]
        self.exact: dict[str, int] = {}
        self.folded: dict[str, list[int]] = defaultdict(list)
        self.by_rel: dict[str, list[_Located]] = defaultdict(list)
        """Rule 6: a root-relative path (matching form) → the paths that end so below a root."""
        self.by_rel_tail: dict[str, list[_Located]] = defaultdict(list)
        """Rule 6: each trailing run of ≥ 2 components of a root-relative path → its paths."""
        self._by_name: tuple[dict[str, int], dict[str, list[int]]] | None = None
        """:func:`_by_file_name` of the rows, for the reason of a bare name alone: built apart,
        in one pass, on the first bare name (:meth:`_bare_name`)."""
        self._alike: dict[str, tuple[int, list[str]]] = {}
        """:meth:`_alike_tracks` of a ``by_rel_tail`` key or a bare name, once counted."""
        self.max_rel = 0
        self._rows: list[tuple[int, str, str]] = []
        self._indexed = False
        """Whether ``by_rel``/``by_rel_tail`` are built, on the first suffix match: most
        imports (re-reading a playlist after an edit) resolve every entry before rule 6."""
        for track_id, path in rows:
            self.exact[path] = track_id
            key = P.match_key(path)
            self.folded[key].append(track_id)
            self._rows.append((track_id, path, key))
        self._prefixes = [r.rstrip("/") + "/" for r in sorted(self.roots, key=len)]
        """Nested roots: a path is read under the outer one, where more of its folders count."""

    def _index_suffixes(self) -> None:
        if not self._indexed:
            for track_id, path, key in self._rows:
                self._add_suffixes(track_id, path, key)
            self._indexed = True

    def _cut(self, path: str) -> int:
        """Where the part of ``path`` below its library root starts (0: under none)."""
        return next((len(p) for p in self._prefixes if path.startswith(p)), 0)

    def _add_suffixes(self, track_id: int, path: str, key: str) -> None:
        cut = self._cut(path)
        parts = key.split("/")
        below = min(path[cut:].strip("/").count("/") + 1, len(parts))
        rel = parts[-below:]
        if not all(rel):  # "//" inside, or no name at all: not a track file's path
            rel = [part for part in rel if part]
            below = len(rel)
            if not below:
                return
        located = _Located(track_id, key, below, path, cut)
        self.max_rel = max(self.max_rel, below)
        whole = "/".join(rel)
        self.by_rel[whole].append(located)
        if below >= MIN_SUFFIX_PARTS:
            self.by_rel_tail[whole].append(located)
        for n in range(MIN_SUFFIX_PARTS, below):
            self.by_rel_tail["/".join(rel[-n:])].append(located)

    @classmethod
    def from_db(cls, conn) -> "TrackIndex":
        """The library's tracks, including the paths tracks were moved from (``track_moves``):
        a playlist that still names a moved file keeps its track, whoever re-imports it. A
        path that is a track's own path now wins over an old one."""
        rows = [(r[0], r[1]) for r in conn.execute(
            "SELECT m.track_id, m.old_path FROM track_moves m"
            " WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.path = m.old_path)")]
        rows += [(r[0], r[1]) for r in conn.execute("SELECT id, path FROM tracks")]
        roots = [r[0] for r in conn.execute("SELECT path FROM library_roots ORDER BY path")]
        return cls(rows, roots)

    def lookup(self, path: str) -> int | None:
        hit = self.exact.get(path)
        if hit is not None:
            return hit
        folded = self.folded.get(P.match_key(path))
        return folded[0] if folded and len(set(folded)) == 1 else None

    def suffix_match(self, path: str) -> Resolution:
        """Rule 6 (module docstring): the track ``path`` names by its last components, or None
        with the reason why (an empty one when no track even ends with its last two). One
        dict look-up per component, never a scan of the tracks: a 10,000-entry playlist
        against a large library stays fast."""
        parts = _suffix_parts(path)
        n = len(parts)
        if n < MIN_SUFFIX_PARTS:  # a bare file name (``D:\\01 Intro.flac``) never resolves
            return self._bare_name(parts[0]) if parts else Resolution(None)
        self._index_suffixes()
        whole: list[_Located] = []  # paths that end with the whole entry (a bucket may be
        if n <= self.max_rel:       # large: "CD1/01.mp3"), looked at only as far as needed
            key = "/".join(parts)
            whole = self.by_rel_tail.get(key, [])
            if any(loc.track_id != whole[0].track_id for loc in whole):
                # each agrees with all of it: none can do better
                return _ambiguous(self._alike_tracks(whole, key))
        found = list(whole)  # and paths whose whole root-relative part the entry ends with
        for below in range(1, min(n - 1, self.max_rel) + 1):
            for loc in self.by_rel.get("/".join(parts[-below:]), ()):
                if below >= MIN_SUFFIX_PARTS or _agreement(loc.key, parts) >= MIN_SUFFIX_PARTS:
                    found.append(loc)
        if found:
            best = _furthest(found, parts)
            if len(best) == 1:
                return Resolution(best[0])
            return _ambiguous(_alike_tracks([loc for loc in found if loc.track_id in best]))
        key = "/".join(parts[-MIN_SUFFIX_PARTS:])
        alike = self.by_rel_tail.get(key)
        return _elsewhere(self._alike_tracks(alike, key)) if alike else Resolution(None)

    def _bare_name(self, name: str) -> Resolution:
        """The reason of a bare file name (``D:\\01 Intro.flac``): the tracks of that name,
        if any. Their index is its own, one pass over the rows on the first bare name: the
        whole suffix index, built for it before, made a quick re-import (one ``gone song.flac``
        line among entries that all resolve) 8-10 times slower on 50,000 tracks."""
        if name not in self._alike:
            if self._by_name is None:
                self._by_name = _by_file_name(self._rows)
            first, more = self._by_name
            at = more.get(name, [first[name]] if name in first else [])
            rows = [self._rows[i] for i in at]
            self._alike[name] = _alike_tracks([_Located(track_id, key, 1, path, self._cut(path))
                                               for track_id, path, key in rows])
        alike = self._alike[name]
        return _elsewhere(alike) if alike[0] else Resolution(None)

    def _alike_tracks(self, found: list[_Located], key: str) -> tuple[int, list[str]]:
        """:func:`_alike_tracks` of ``found``, the bucket ``key`` of ``by_rel_tail``, counted
        once: a 10,000-entry playlist of one ambiguous name ("CD1/01.mp3" in 50,000 folders)
        counted it for each entry."""
        if key not in self._alike:
            self._alike[key] = _alike_tracks(found)
        return self._alike[key]


def _by_file_name(rows: list[tuple[int, str, str]]
                  ) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Each file name's rows (matching form; by their places in ``rows``): the first in one
    dict, all of a name several rows have in the other. Numbers, not a list a name: a list a
    track made the pass wake the garbage collector over a large heap, doubling its time."""
    first: dict[str, int] = {}
    more: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        name = row[2][row[2].rfind("/") + 1:]
        if first.setdefault(name, i) != i:
            more.setdefault(name, [first[name]]).append(i)
    return first, more


def _suffix_parts(path: str) -> list[str]:
    """The components of an entry that rule 6 compares (matching form): without a drive letter
    or UNC host, ``.``, and ``..`` (with the folder it undoes; a leading one is unknown)."""
    parts = [p for p in P.match_key(path).split("/") if p and p != "."]
    if _DRIVE.match(path) or path.startswith("//"):
        parts = parts[1:]
    kept: list[str] = []
    for part in parts:
        if part != "..":
            kept.append(part)
        elif kept:
            kept.pop()
    return kept


def _agreement(key: str, parts: list[str]) -> int:
    """How many of ``parts``' last components the matching-form path ``key`` ends with."""
    mine = key.split("/")
    n = 0
    while n < len(parts) and n < len(mine) and mine[-1 - n] == parts[-1 - n]:
        n += 1
    return n


def _furthest(found: list[_Located], parts: list[str]) -> list[int]:
    """The tracks among ``found`` whose paths agree with the entry furthest: one resolves it,
    several tie (the candidates its reason names; the others lost to them). A path whose
    root-relative part is as long as the entry agrees with all of it."""
    score: dict[int, int] = {}
    for loc in found:
        agrees = len(parts) if loc.below_root >= len(parts) else _agreement(loc.key, parts)
        score[loc.track_id] = max(score.get(loc.track_id, 0), agrees)
    top = max(score.values())
    return [track_id for track_id, agrees in score.items() if agrees == top]


def _alike_tracks(found: list[_Located]) -> tuple[int, list[str]]:
    """How many tracks ``found`` holds, and the paths below their roots of the first
    :data:`NAMED_ALIKE` — each track's own path where it is there too, not one it was moved
    from (:meth:`TrackIndex.from_db` lists those first). Two that read alike (a copy at the
    same place under another music folder: a local and a USB copy, the usual tie, its names in
    another Unicode form where a Mac wrote them) are named by their whole paths, so
    the user sees which folders they are in."""
    by_track: dict[int, _Located] = {}
    for loc in found:
        by_track[loc.track_id] = loc
    named = list(by_track.values())[:NAMED_ALIKE]
    shown = [_shown(loc) for loc in named]
    keys = [unicodedata.normalize("NFC", text) for text in shown]  # a Mac's NFD: alike
    return len(by_track), [P.display(loc.path) if keys.count(key) > 1 else text
                           for loc, text, key in zip(named, shown, keys)]


def _listed(alike: tuple[int, list[str]]) -> str:
    """The paths of :meth:`TrackIndex._alike_tracks`, with "e.g." where they are not all."""
    count, shown = alike
    return ("e.g. " if count > len(shown) else "") + ", ".join(shown)


def _ambiguous(alike: tuple[int, list[str]]) -> Resolution:
    return Resolution(None, f"ambiguous: several tracks in the library end so ({alike[0]}): "
                            f"{_listed(alike)}")


def _elsewhere(alike: tuple[int, list[str]]) -> Resolution:
    """The reason for an entry whose file name (and folder, where it has one) tracks have in
    other folders: each is named, up to :data:`NAMED_ALIKE`."""
    if alike[0] == 1:
        return Resolution(None, f"{NOT_IN_LIBRARY}; a track of that name is in another folder: "
                                f"{alike[1][0]}")
    return Resolution(None, f"{NOT_IN_LIBRARY}; {alike[0]} tracks of that name are in other "
                            f"folders: {_listed(alike)}")


def _shown(loc: _Located) -> str:
    return P.display(loc.path[loc.cut:])


def _from_file_uri(raw: str) -> str | None:
    """Path (DB text form) of a ``file:`` URI; None when it names another host. A ``#`` is
    part of the name (``file:///music/#1 Hit.mp3`` as players write it), not a fragment."""
    parts = urlsplit(raw, allow_fragments=False)
    if parts.netloc and parts.netloc.lower() != "localhost":
        return "//" + parts.netloc + unquote(parts.path)  # UNC-style: foreign
    return P.from_fs(unquote_to_bytes(parts.path))


def local_file_uri_path(text: str) -> str | None:
    """The path (DB text form, percent-decoded) a ``file:`` URI names on this machine; None
    for any other text, another host's file or an invalid URI. Also what the track lookup
    reads a pasted ``file:///…`` with (a file manager's copy gives one)."""
    scheme = _SCHEME.match(text.strip())
    if not scheme or scheme.group(1).lower() != "file":
        return None
    try:
        path = _from_file_uri(text.strip())
    except ValueError:
        return None
    return None if path is None or path.startswith("//") else path


def _legacy_variants(candidate: str) -> list[str]:
    """Other readings of a non-ASCII location, tried after it as it reads (rule 5).

    An old disk's names are cp1252/Latin-1 bytes, not UTF-8: the entry's text in those
    encodings. The other way round, a cp1252 playlist whose bytes happen to be valid UTF-8
    (``CafÃ©.mp3`` written by an old player is the bytes of UTF-8 ``Café.mp3``) is read as
    UTF-8, and its entries named nothing: the entry's UTF-8 bytes read as cp1252."""
    if candidate.isascii():
        return []
    variants = []
    for legacy in ("cp1252", "latin-1"):
        try:
            variants.append(P.from_fs(candidate.encode(legacy)))
        except UnicodeEncodeError:
            continue
    try:
        variants.append(cp1252_text(candidate.encode("utf-8")))
    except UnicodeEncodeError:  # a lone surrogate cannot be UTF-8 bytes
        pass
    return variants


def resolve_entry(raw: str, playlist_dir: str, index: TrackIndex) -> Resolution:
    """The track an entry names, looked up in ``index``. ``playlist_dir`` is in DB text form."""
    text = raw.strip()
    if not text:
        return Resolution(None, "no location")
    scheme = _SCHEME.match(text)
    name = scheme.group(1).lower() if scheme else ""
    if name == "file":
        try:
            candidates_raw = [_from_file_uri(text)]
        except ValueError:  # urlsplit: e.g. "file://[x/…" (an unclosed IPv6 host)
            return Resolution(None, "not a valid file: URI")
    elif name and text[scheme.end():].startswith("//"):
        return Resolution(None, f"not a local file ({name} URL)")
    else:
        candidates_raw = [text]
        if _PERCENT.search(text):
            candidates_raw.append(P.from_fs(unquote_to_bytes(text)))
    for candidate in list(candidates_raw):
        for variant in _legacy_variants(candidate):
            if variant not in candidates_raw:
                candidates_raw.append(variant)
    why = ""  # the first reason rule 6 gives for not resolving
    for candidate in candidates_raw:
        path = candidate.replace("\\", "/")
        foreign = bool(_DRIVE.match(path)) or path.startswith("//")
        if not foreign:
            if path.startswith("/"):
                bases = [posixpath.normpath(path)]
            else:
                bases = [posixpath.normpath(posixpath.join(d, path))
                         for d in [playlist_dir, *index.roots]]
            for full in bases:
                hit = index.lookup(full)
                if hit is not None:
                    return Resolution(hit)
        by_suffix = index.suffix_match(path)
        if by_suffix.track_id is not None:
            return by_suffix
        why = why or by_suffix.reason
    return Resolution(None, why or NOT_IN_LIBRARY)


_TRACK_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}")


FOLDER_ENTRY = "a folder, not a track: a folder's tracks are not added from a playlist"
"""The reason of an entry naming a folder (``/music/Album/``: VLC and mpv play one whole): "no
track at this location; if the files moved, scan the folder they are in now" sent the user to
scan a folder the library may hold already, which changed nothing."""


def names_a_folder(raw: str, playlist_dir: str, roots: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether the entry ``raw`` names a folder on this machine (a path, relative to the
    playlist's folder ``playlist_dir`` or to one of the library's ``roots`` as rule 3 reads it,
    percent-decoded too, or a ``file:`` URI). Looked at on disk only for an entry whose name
    ends in a separator or has no extension, as a track's has: an import stats the odd folder
    entry (``Album/``), never the other entries, a video's or an audiobook's (50,000 of them
    were 200,000 looks, each blocking on a hung network mount). A folder whose name ends as
    an extension (``Vol.2``) keeps the general reason."""
    text = raw.strip()
    uri = text.lower().startswith("file:")
    path = local_file_uri_path(text) if uri else text
    if not path or _SCHEME.match(path):
        return False
    path = path.replace("\\", "/")  # ..\\Album\\ as a Windows player wrote it
    if _DRIVE.match(path) or path.startswith("//"):
        return False
    name = posixpath.basename(path)
    if name and _TRACK_EXTENSION.fullmatch(posixpath.splitext(name)[1]):
        return False
    spellings = [path] + ([P.from_fs(unquote_to_bytes(path))]
                          if not uri and _PERCENT.search(path) else [])
    fulls = dict.fromkeys(posixpath.normpath(posixpath.join(d, p))
                          for p in spellings for d in [playlist_dir, *roots])
    return any(os.path.isdir(P.to_fs(full)) for full in fulls)


def playlist_dir_of(db_path: str) -> str:
    return posixpath.dirname(db_path) or os.sep

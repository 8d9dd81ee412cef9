"""Turning a playlist entry's location into a track of the library (or None).

Rules (docs/architecture.md, "Conventions"), in order, stopping at the first hit:

1. ``file:`` URIs are percent-decoded (bytes, so Latin-1 escapes survive) to a path; other URL
   schemes (``http://`` streams…) are never tracks.
2. ``\\`` becomes ``/``; a Windows drive (``C:/…``) or UNC host (``//server/share/…``) marks the path
   as foreign: it cannot exist here, so only the suffix rule (6) applies.
3. A relative path is tried against the playlist's folder, then against each library root;
   an absolute one as it is. A plain path containing ``%XX`` is also tried percent-decoded
   (after the literal form: ``100% Hits.mp3`` is a real name).
4. Exact DB path first, then case- and Unicode-normalisation-insensitive (NFC + casefold).
5. Names that are not valid UTF-8 on disk (Latin-1/cp1252 bytes from an old disk) are matched by
   re-encoding the entry's text in those encodings.
6. Suffix match: the longest trailing run of at least two path components (``Album/01.mp3``)
   that matches exactly one track, case/NFC-insensitively. This resolves playlists written on
   another machine (``C:\\Users\\me\\Music\\Album\\01.mp3``) against the same files here. A bare
   file name never resolves by suffix (too ambiguous).

Only tracks already in the DB are returned; nothing here creates a track.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from musicsage.library import paths as P
from musicsage.library.playlists.base import cp1252_text

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
_DRIVE = re.compile(r"^/?[A-Za-z]:(/|$)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
MIN_SUFFIX_PARTS = 2


@dataclass(frozen=True)
class Resolution:
    track_id: int | None
    reason: str = ""
    """Why an entry did not resolve (empty when it did)."""


NOT_IN_LIBRARY = "no track in the library at this location"
"""The reason of an entry naming a local file no track has: its file moved, or its folder was
never scanned — the one case a user can fix by scanning the folder the file is in now."""


class TrackIndex:
    """Lookups over the library's track paths, built once per import batch."""

    def __init__(self, rows, roots: list[str]):
        self.roots = [r.rstrip("/") or "/" for r in roots]
        self.exact: dict[str, int] = {}
        self.folded: dict[str, list[int]] = defaultdict(list)
        self.by_tail: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for track_id, path in rows:
            self.exact[path] = track_id
            key = P.match_key(path)
            self.folded[key].append(track_id)
            parts = key.split("/")
            if len(parts) >= MIN_SUFFIX_PARTS:
                self.by_tail["/".join(parts[-MIN_SUFFIX_PARTS:])].append((track_id, key))

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

    def suffix_match(self, path: str) -> int | None:
        parts = [p for p in P.match_key(path).split("/") if p]
        if len(parts) < MIN_SUFFIX_PARTS:
            return None
        candidates = self.by_tail.get("/".join(parts[-MIN_SUFFIX_PARTS:]), [])
        for n in range(len(parts), MIN_SUFFIX_PARTS - 1, -1):
            tail = "/" + "/".join(parts[-n:])
            hits = {tid for tid, key in candidates if key.endswith(tail)}
            if len(hits) == 1:
                return hits.pop()
            if len(hits) > 1:
                return None  # ambiguous at this length; shorter tails are worse
        return None


def _from_file_uri(raw: str) -> str | None:
    """Path (DB text form) of a ``file:`` URI; None when it names another host."""
    parts = urlsplit(raw)
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
        hit = index.suffix_match(path)
        if hit is not None:
            return Resolution(hit)
    return Resolution(None, NOT_IN_LIBRARY)


def playlist_dir_of(db_path: str) -> str:
    return posixpath.dirname(db_path) or os.sep

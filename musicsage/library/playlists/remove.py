"""Removing tracks from the user's own playlist file, in its own format, and nothing else.

The counterpart of :mod:`.append`, with the same safety rules (:mod:`.edit`: only on request,
never over a change made elsewhere, never into a read-only file, a backup first, replaced as a
whole, re-imported). What goes is the *entries* that name the chosen tracks — every entry of
a track listed twice (a playlist is a set of songs to the user; the report says how many
entries each track had). Which entries name which track is what the library stored when it
imported the file (what the window and ``suggest`` show), and the file must still be the one
imported: its entries are read again and must be the stored ones, in order.

Everything else stays byte for byte (encoding, BOM, line endings, comments, blank lines,
entries that name no track, odd bytes). Per format, an entry is:

- **M3U/M3U8**: its location line and the ``#EXTINF`` line that titles it (the last one
  since the entry before), with any other ``#EXT…`` directive between the two (VLC's
  ``#EXTVLCOPT``: they belong to that entry); plain comments and blank lines stay;
- **PLS**: its ``FileN``, ``TitleN`` and ``LengthN`` lines; the entries after it are
  renumbered (only the number in their keys changes) so that they run from 1 with no gap,
  as players that read ``File1`` … ``FileNumberOfEntries`` need, and ``NumberOfEntries`` is
  updated. A ``TitleN``/``LengthN`` without a ``FileN`` keeps its number unless an entry now
  takes it; then it is moved past the last entry, so that it titles no other song;
- **XSPF**: its ``<track>`` element (of a ``<trackList>`` of the playlist), with the
  indentation and line end around it when it stands on lines of its own.

Players' library files (Rhythmbox, Apple Music, Strawberry) and playlists imported from a
dataset dir are refused in one line: musicsage never writes them.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Collection, Sequence

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library.playlists.append import PLS_KEY, TextForm, text_form, xml_form
from musicsage.library.playlists.backups import named_on_failure
from musicsage.library.playlists.base import PlaylistError, format_for
from musicsage.library.playlists.edit import BACKUP_DIR, PlaylistChanged, rewrite_file
from musicsage.library.playlists.m3u import m3u_line, shown_format
from musicsage.library.playlists.no_file import why_not_editable
from musicsage.library.playlists.text_lines import (PLS_COUNT, refuse_cut_utf16, respliced,
                                                     text_lines)
from musicsage.library.playlists.xspf_spans import xspf_spans


NOT_UTF16 = ("cannot remove from this playlist: it is not valid UTF-16 text (cut short or "
             "damaged?); the file was not touched: re-save it in your player and remove again")


def _text_lines(data: bytes) -> tuple[TextForm, list[tuple[str, bytes]]]:
    """The form of a text playlist and its lines (:func:`text_lines`: the text the reader
    reads, the line's own bytes). A UTF-16 file cut short is refused; one with a lone
    surrogate is not (an add wrote to it: refusing the remove left the user no way back)."""
    form = text_form(data, legacy=True)
    refuse_cut_utf16(data, form, NOT_UTF16)
    return form, text_lines(data, form)


def _found(found: Sequence[str], raws: Sequence[str]) -> None:
    """Refuse when the entries found line by line are not those the format's reader found."""
    if list(found) != list(raws):
        raise PlaylistError("cannot tell this playlist's entries apart line by line; "
                            "the file was not touched")


# --- M3U / M3U8 ---------------------------------------------------------------------------------


def remove_m3u(data: bytes, positions: Collection[int], raws: Sequence[str]) -> bytes:
    form, lines = _text_lines(data)
    drop: set[int] = set()
    found: list[str] = []
    titled: list[int] = []  # the pending #EXTINF line, and #EXT directives after it
    for i, (text, _raw) in enumerate(lines):
        line = m3u_line(text)  # as parse_m3u reads a line
        if not line:
            continue
        if line.startswith("#"):
            upper = line.upper()
            if upper.startswith("#EXTINF:"):
                titled = [i]
            elif titled and upper.startswith("#EXT") and not upper.startswith("#EXTM3U"):
                titled.append(i)
            continue
        if len(found) in positions:
            drop.update(titled)
            drop.add(i)
        found.append(line)
        titled = []
    _found(found, raws)
    return data[:form.bom] + b"".join(raw for i, (_t, raw) in enumerate(lines) if i not in drop)


# --- PLS ----------------------------------------------------------------------------------------


def _pls_numbers(files: dict[int, str], gone: set[int], orphans: set[int]) -> dict[int, int]:
    """New number of each old one: the entries left 1, 2, … in order; an orphan title or
    length keeps its number unless an entry now has it (then past every other number)."""
    mapping = {old: new for new, old in enumerate((n for n in sorted(files) if n not in gone), 1)}
    count = len(mapping)
    after = max([count, *orphans])
    for n in sorted(orphans):
        if n <= count:
            after += 1
            mapping[n] = after
        else:
            mapping[n] = n
    return mapping


def remove_pls(data: bytes, positions: Collection[int], raws: Sequence[str]) -> bytes:
    form, lines = _text_lines(data)
    keys: dict[int, tuple[str, int, re.Match]] = {}
    files: dict[int, str] = {}
    for i, (text, _raw) in enumerate(lines):
        m = PLS_KEY.match(text)
        if m:
            keys[i] = (m.group(1).lower(), int(m.group(2)), m)
            if m.group(1).lower() == "file":  # the last FileN wins, as in parse_pls
                files[int(m.group(2))] = text[m.end():].strip()
    _found([files[n] for n in sorted(files)], raws)
    gone = {n for p, n in enumerate(sorted(files)) if p in positions}
    orphans = {n for _kind, n, _m in keys.values() if n not in files}
    numbers = _pls_numbers(files, gone, orphans)
    out = []
    for i, (text, raw) in enumerate(lines):
        if i in keys:
            _kind, n, m = keys[i]
            if n in gone:
                continue
            if numbers[n] != n:
                raw = respliced(text, raw, m.span(2), str(numbers[n]), form)
        elif (c := PLS_COUNT.match(text)) is not None:
            raw = respliced(text, raw, c.span(2), str(len(files) - len(gone)), form)
        out.append(raw)
    return data[:form.bom] + b"".join(out)


# --- XSPF ---------------------------------------------------------------------------------------


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` widened to its lines (indentation, line end) when nothing else
    stands on them."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    ends = [i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0]
    line_end = min(ends) if ends else len(text)
    if text[line_start:start].strip(" \t") or text[end:line_end].strip(" \t"):
        return start, end
    newline = 2 if text.startswith("\r\n", line_end) else 1 if line_end < len(text) else 0
    return line_start, line_end + newline


def remove_xspf(data: bytes, positions: Collection[int], raws: Sequence[str]) -> bytes:
    form = xml_form(data)
    try:
        text = data[form.bom:].decode(form.codec)
    except UnicodeDecodeError as exc:
        raise PlaylistError(f"cannot remove from this XSPF: it is not valid {form.codec} "
                            "text; the file was not touched") from exc
    doc = text.encode("utf-8")
    spans = xspf_spans(doc).tracks
    if len(spans) != len(raws):
        raise PlaylistError("cannot tell this playlist's <track> elements apart; the file was "
                            "not touched")
    cuts = []
    for p, (begin, end) in enumerate(spans):
        if p in positions:  # UTF-8 offsets → the text's → the file's own bytes
            start = len(doc[:begin].decode("utf-8"))
            stop = start + len(doc[begin:end].decode("utf-8"))
            cuts.append(_whole_lines(text, start, stop))
    out, at = [data[:form.bom]], 0
    for start, stop in cuts:
        out.append(text[at:start].encode(form.codec))
        at = stop
    out.append(text[at:].encode(form.codec))
    return b"".join(out)


REMOVERS = {"m3u": remove_m3u, "pls": remove_pls, "xspf": remove_xspf}
"""Format name (as registered in :mod:`.base`) → remover."""


def remove_entries(data: bytes, fs_path: str, positions: Collection[int], *,
                   expected: Sequence[str] | None = None, name: str = "") -> bytes:
    """``data`` (the playlist file at ``fs_path``) without the entries at ``positions``
    (0-based, in the order the format's reader lists them). ``expected``: the entries (raw
    locations) the library stored at import; others mean the file is not the one imported
    (:class:`~.edit.PlaylistChanged`)."""
    fmt = format_for(fs_path)
    if fmt is None or fmt.name not in REMOVERS:
        raise PlaylistError("not a playlist file musicsage can remove from (M3U, M3U8, PLS, "
                            "XSPF)")
    raws = [e.raw for e in fmt.parse(data, os.path.basename(fs_path)).entries]
    if expected is not None and raws != list(expected):
        raise PlaylistChanged(f"playlist {name!r} is not as it was imported (its entries "
                              "differ); re-scan it, then remove again — the file was not "
                              "touched")
    if any(not 0 <= int(p) < len(raws) for p in positions):
        raise PlaylistError(f"the playlist has no entry at one of {sorted(positions)}")
    return REMOVERS[fmt.name](data, {int(p) for p in positions}, raws)


# --- the playlist in the library ----------------------------------------------------------------


@dataclass
class RemoveReport:
    """What "Remove from playlist" did (``suggest --remove --json`` prints :meth:`to_dict`)."""

    playlist_id: int
    path: str
    format: str
    removed: list[dict] = field(default_factory=list)
    """``{"track_id", "entries"}`` per track taken out: ``entries`` > 1 when it was listed
    more than once (every entry of it went)."""
    skipped: list[dict] = field(default_factory=list)
    """``{"track_id", "reason"}`` of chosen tracks not removed (not in the playlist …)."""
    backup: str | None = None
    entries: int = 0
    resolved: int = 0
    sha256: str | None = None
    """Of the bytes written (None: nothing was), as ``suggest --add --json`` gives it: a
    script compares it with the file to tell whether another program changed it since."""

    def to_dict(self) -> dict:
        return asdict(self)


def _plan(conn, playlist_id: int, track_ids: Sequence[int]):
    """(the stored entries' raw locations in order, {track id: positions} of the chosen
    tracks in the playlist, the others as ``{"track_id", "reason"}``)."""
    from musicsage.library.relations import track_facts

    rows = conn.execute("SELECT position, raw, track_id FROM playlist_entries"
                        " WHERE playlist_id = ? ORDER BY position", (playlist_id,)).fetchall()
    facts = track_facts(conn, track_ids)
    chosen: dict[int, list[int]] = {}
    skipped = []
    for tid in track_ids:
        at = [i for i, r in enumerate(rows) if r["track_id"] == tid]
        if at and tid in facts:
            chosen[tid] = at
        else:
            reason = "no such track" if tid not in facts else "not in the playlist"
            skipped.append({"track_id": tid, "reason": reason})
    return [r["raw"] for r in rows], chosen, skipped


def _remove_in_file(fs_path: str, positions: Collection[int], raws: Sequence[str], *,
                    backup_root: Path, imported: tuple[int, int], expected_sha256: str | None,
                    name: str) -> tuple[Path, str]:
    """Take the entries at ``positions`` out of the file by :func:`~.edit.rewrite_file`;
    returns the backup and the written bytes' sha256 (which ``--remove --json`` gives, as
    :func:`~.edit.add_tracks_to_file` does for an add). The caller holds the scan lock."""
    written: list[bytes] = []

    def change(data: bytes) -> bytes:
        written.append(remove_entries(data, fs_path, positions, expected=raws, name=name))
        return written[-1]

    backup = rewrite_file(fs_path, change, backup_root=backup_root, verb="remove",
                          imported=imported, expected_sha256=expected_sha256, name=name)
    return backup, hashlib.sha256(written[-1]).hexdigest()


def remove_from_playlist(conn, data_dir: Path, playlist_id: int, track_ids: Sequence[int], *,
                         expected_sha256: str | None = None, progress=None,
                         cancel=None) -> RemoveReport:
    """Take every entry of the chosen tracks out of playlist ``playlist_id``'s file, then
    re-import it (the module docstring says what goes and what stays).

    Tracks not in the playlist are skipped (and listed); nothing to remove: the file is not
    touched. Raises :class:`~.edit.PlaylistChanged` when the file is not as imported (or as
    read: ``expected_sha256``). ``progress`` hears that the write waits for a scan, and
    ``cancel`` is heard during that wait (:class:`~musicsage.errors.Cancelled`, nothing
    written), as an add's is: unheard, the window's Cancel did nothing visible and the
    tracks went once the scan ended. Never once the lock is held.
    """
    from musicsage.library.lock import scan_lock
    from musicsage.library.playlists.reach import other_names
    from musicsage.library.playlists.store import import_playlist_file
    from musicsage.library.relations import playlist_names, playlist_row

    row = playlist_row(conn, playlist_id)
    if row is None:
        raise MusicsageError(f"no playlist with id {playlist_id}")
    pid, name = int(row["id"]), playlist_names(conn)[int(row["id"])]
    if why := why_not_editable(row["path"], name, "remove"):  # the window's Remove, off by it
        raise MusicsageError(why)
    report = RemoveReport(pid, P.display(row["path"]),
                          shown_format(row["path"], row["format"]) or "")
    ids = list(dict.fromkeys(int(t) for t in track_ids))
    fs_path = P.to_fs(row["path"])
    planned = _plan(conn, pid, ids)  # planned again under the lock, as a scan may change it
    if planned[1]:
        with scan_lock(conn, progress=progress, cancel=cancel, stage="playlists"):
            row = playlist_row(conn, pid)  # as a scan that ran meanwhile left it
            if row is None:
                raise MusicsageError(f"playlist {name!r} is no longer in the library")
            raws, chosen, report.skipped = _plan(conn, pid, ids)
            if chosen:
                positions = {p for at in chosen.values() for p in at}
                backup, report.sha256 = _remove_in_file(
                    fs_path, positions, raws, backup_root=Path(data_dir) / BACKUP_DIR,
                    imported=(row["size"], row["mtime_ns"]), expected_sha256=expected_sha256,
                    name=name)
                with named_on_failure(backup):  # the database may refuse the written file
                    imported = import_playlist_file(conn, fs_path)
                    if not imported.error:  # and the same file under another name, if stored
                        for other in other_names(conn, fs_path, row):
                            import_playlist_file(conn, other)
                if imported.error:
                    raise MusicsageError(f"playlist {name!r} was written (backup: {backup}) "
                                         f"but could not be re-imported: {imported.error}")
                report.removed = [{"track_id": t, "entries": len(at)} for t, at in chosen.items()]
                report.backup = str(backup)
    else:
        report.skipped = planned[2]
    report.entries, report.resolved = conn.execute(
        "SELECT COUNT(*), COUNT(track_id) FROM playlist_entries WHERE playlist_id = ?",
        (pid,)).fetchone()
    return report

"""Scanning music folders into the ``tracks`` table: recursive, incremental, resumable.

A file's identity is its absolute path (see :mod:`musicsage.library.paths` for how odd names
are stored) plus (size, mtime_ns):

- **unchanged** (same size and mtime_ns): not opened at all — that is what makes a re-scan cheap;
- **touched** (same size, another mtime, and the content hash recorded for the track, see
  :meth:`~musicsage.library.moves.MoveFinder.same_content`: ``touch``, a copy or restore that
  does not keep times): tags read again (an edit that keeps the size and both hashed blocks is
  rare, but costs nothing more to catch), the new mtime recorded, embeddings and
  ``needs_analysis`` kept (recomputing them takes hours of OpenL3 for a library); counted
  unchanged. Without a hash recorded at the track's stamp (none yet), it is *changed* —
  unless only its tags changed (**retagged**, :mod:`~musicsage.library.audio_hash`): read
  again, its vectors kept, counted changed;
- **new**: tags and stream facts read (:func:`.tags.probe`), inserted with ``needs_analysis=1``;
- **changed** (another size, or another mtime and content): tags refreshed, the track's audio
  embeddings deleted, ``needs_analysis=1``;
- **first recorded** (size, mtime_ns NULL: imported from a dataset dir, never scanned): tags
  read, size/mtime_ns recorded, counted unchanged; embeddings and ``needs_analysis`` are kept
  — unless the export named the content its vectors were made from (a hash) and the file's
  differs: rewritten since, it is **changed**;
- **vanished** (under a scanned root, not found): ``status='missing'``; the row, its playlist
  memberships and embeddings are kept (an unmounted drive is not a deleted library). Only tracks
  under the roots being scanned are considered, so tracks imported from a dataset dir
  (``dataset:…`` paths) or living under other roots are never marked missing by this scan;
- **reappearing**: back to ``present`` (re-read only if it changed meanwhile);
- **moved** (a new path whose content is that of a track whose file is gone, see
  :mod:`musicsage.library.moves`; for a track with no hash recorded, its size, tags and
  duration, once all new files are read): the track takes the new path and keeps its id,
  playlist memberships and embeddings; moved over a known track's file (``mv a.wav b.wav``),
  it takes that path, and the other track, its audio gone, leaves the library, its playlist
  places going to the moved one (:func:`~.copy_moves.fold_copies_into_moves`): one move;
- **recounted** (once, by the first scan after frames were counted: an unchanged MP3, raw AAC or
  WAV stored at a wrong length, :mod:`.mp3_recount`), **tags read again** (once: those an older version
  misread, :mod:`.tag_reread`), before the files are read: a note, counted unchanged.

Audio files that cannot be read get an ``errors`` row (stage 'scan', with the reason) and the
scan goes on; they are retried (and reported) on every scan until they read, whatever their
stamp: a track's stamp stays that of the file last read (:mod:`musicsage.library.scan_write`).
A track whose file became unreadable loses its embeddings; once it reads it is *changed*, and
its error row goes. Non-audio files (by extension) are ignored quietly (playlist files among
them are counted, not imported: :attr:`ScanReport.playlist_files`), as are hidden folders
(``.Trash-1000``, ``.git``…) and macOS ``._*`` resource forks. Symlinks are followed; each
folder (by device and inode) is visited once, which also stops symlink loops, and each file
once by its real path (each path of a hard link is a track, kept current: walk.unique_files).
Folders that cannot be listed are recorded as errors, and tracks under them are *not* marked
missing (we do not know they vanished). The walk itself is :mod:`musicsage.library.walk`.

Resumable: tags are read outside any transaction and written in batches (one short
transaction each, so the GUI can read meanwhile). A scan killed at any point leaves committed
batches in place, with their files' hashes and moved tracks' old paths, and the next scan
skips those files as unchanged.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library import tags
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.gone_roots import tell_empty_roots, tell_gone_roots
from musicsage.library.lock import scan_lock
from musicsage.library.hash_backfill import hash_unhashed
from musicsage.library.copy_moves import fold_copies_into_moves
from musicsage.library.given_roots import resolve_roots  # noqa: F401  callers import it here
from musicsage.library.moves import MoveFinder
from musicsage.library.playlists.base import format_for
from musicsage.library.scan_report import (  # callers import ScanReport from here
    EXAMPLES, ScanReport, ShownPath)
from musicsage.library.scan_write import (CUT_SINCE_SCANNED_NOTE, GONE_ROOT_ERROR, ScanWriter,
                                          cut_since_scanned, mark_reappeared, scan_error_paths,
                                          track_values)
from musicsage.library.spellings import known_spellings, respelled_inside, still_there
from musicsage.library.mp3_recount import recount_old_lengths
from musicsage.library.tag_reread import reread_old_tags
from musicsage.library.tags import AudioInfo, UnreadableAudio
from musicsage.library.under_paths import tracks_under  # forget and the demo import it here
from musicsage.library.walk import (NOW_NOT_FOLDER, UNLISTED, FoundFile, unique_files,
                                    walk_audio_files)
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(P.is_under(path, r) for r in roots)


def scan_roots(conn, roots: list[str], *, progress: ProgressFn | None = None,
               cancel: CancelToken | None = None, batch_size: int = 100,
               batch_seconds: float = 2.0, prober: Callable[[str, str], AudioInfo] | None = None,
               remember_roots: bool = True, written: Iterable[str] = ()) -> ScanReport:
    """Scan ``roots`` (absolute OS paths of folders or files) into the library.

    ``remember_roots`` False scans without adding the roots to ``library_roots`` (the watch
    rescans changed files inside them), and only those still inside a remembered root once the
    scan lock is held; one inside a remembered root is never added to it, and remembered
    roots inside a root it adds are folded into that root (:func:`_fold_inner_roots`).
    ``written``: OS paths of files the folder watch heard written (or the user named to
    ``scan``); one whose stamp is the one stored is read all the same when its content is no
    longer the one hashed at that stamp (:func:`_rewritten_in_place`).

    Writes happen in batches of ``batch_size`` probed files (or every ``batch_seconds``). On
    cancel the finished batch is committed and :class:`Cancelled` propagates; nothing is marked
    missing by an unfinished scan. ``prober`` reads one file (by default :func:`~.tags.probe`,
    looked up when the scan runs; injectable). One scan of a library runs at a time: another
    one (any process) is waited for first (see :mod:`musicsage.library.lock`).
    """
    with scan_lock(conn, progress=progress, cancel=cancel):
        return _scan_roots(conn, roots, progress=progress, cancel=cancel, batch_size=batch_size,
                           batch_seconds=batch_seconds, prober=prober or tags.probe,
                           remember_roots=remember_roots, written=written)


def _scan_roots(conn, roots: list[str], *, progress: ProgressFn | None,
                cancel: CancelToken | None, batch_size: int, batch_seconds: float,
                prober: Callable[[str, str], AudioInfo], remember_roots: bool,
                written: Iterable[str]) -> ScanReport:
    t0 = time.perf_counter()
    remembered = q.library_roots(conn)  # read once the scan lock is held
    roots = P.spelled_as_known(roots, [P.to_fs(r) for r in remembered])  # via links
    if not remember_roots:  # the watch's rescan: a folder forgotten while it waited for
        # `forget` must not come back
        roots = [r for r in roots if any(P.is_under(P.from_fs(r), o) for o in remembered)]
    result = ScanReport(roots=[ShownPath.of(P.from_fs(r)) for r in roots])  # with URIs
    db_roots = [P.from_fs(r) for r in roots]
    with transaction(conn):
        known_roots = remembered + db_roots  # `scan ~/Music/a`: part of ~/Music
        resolve = functools.lru_cache(maxsize=None)(os.path.realpath)  # once per folder
        for r in db_roots if remember_roots else []:
            if not any(P.is_under(r, o) and r != o for o in known_roots):
                conn.execute("INSERT OR IGNORE INTO library_roots(path) VALUES (?)", (r,))
                _fold_inner_roots(conn, r, resolve)
    written = _written_as_known(list(written), remembered)
    listing = _list_files(conn, roots, result, progress, cancel)
    known = tracks_under(conn, db_roots)
    walked = listing.found
    listing.found = known_spellings(conn, listing.found, known)  # tracks as the library has them
    written |= {g.db_path for f, g in zip(walked, listing.found) if f.db_path in written}
    report(progress, "scan", 0, len(listing.found))  # the files to read (a watch's batch's)
    listed = {f.db_path for f in listing.found}  # what older scans stored, mended once:
    recount_old_lengths(conn, result, listed, cancel=cancel, progress=progress)
    reread_old_tags(conn, result, prober, found=listed, cancel=cancel, progress=progress)
    moved, vanished, rewritten = _probe_files(
        conn, listing.found, known, result, progress=progress, cancel=cancel,
        batch_size=batch_size, batch_seconds=batch_seconds, prober=prober, written=written)
    listing.found = [f for f in listing.found if f.db_path not in vanished]  # gone: missing
    marked = _forget_vanished(conn, listing, known, db_roots, result, moved)
    fold_copies_into_moves(conn, marked, moved, result, rewritten)  # copy, scan, delete: a
    # move; and a file moved over another track's (``mv a.wav b.wav``)
    tell_gone_roots(conn, listing.gone, known, result, moved, marked)
    tell_empty_roots(conn, db_roots if remember_roots else [], known, result, moved, marked)
    hash_unhashed(conn, db_roots if remember_roots else [], cancel)  # a full scan: old tracks'
    result.playlist_files = _not_imported(conn, listing.playlist_files)
    result.seconds = time.perf_counter() - t0
    return result


def _written_as_known(written: list[str], remembered: list[str]) -> set[str]:
    """The files the watch heard written, or the user named (OS paths), in DB form and, for
    one named through a link to its music folder (``scan ~/M/a.flac``, ``M -> Music``), as
    the library spells that folder — as the roots are. Only those outside every remembered
    root as typed are respelled: the watch's, a whole library's retag, are inside one, and
    respelling each against the others cost seconds for tens of thousands."""
    typed = {P.from_fs(w) for w in written}
    elsewhere = [w for w in written
                 if not any(P.is_under(P.from_fs(w), r) for r in remembered)]
    fs_remembered = [P.to_fs(r) for r in remembered]
    return typed | {P.from_fs(w) for w in P.spelled_as_known(elsewhere, fs_remembered)}


def _fold_inner_roots(conn, root: str, resolve: Callable[[str], str]) -> None:
    """Forget the rows of remembered roots strictly inside ``root`` (DB form), which now holds
    them: ``scan ~/Music/a`` then ``scan ~/Music`` leaves one music folder, so that ``forget
    ~/Music`` takes a/'s tracks too and the window lists one folder. Only ``library_roots``
    rows go; no track is touched (they lie under ``root``, which the scan walks), unless one
    lies inside through a link: its tracks take ``root``'s spelling (:func:`respelled_inside`).
    ``resolve``: each folder's real path, resolved once per scan (``scan F1 … F600`` resolved
    every remembered folder again for each new one: 35 s)."""
    for inner in q.library_roots(conn):
        if inner != root and (P.is_under(inner, root)
                              or respelled_inside(conn, inner, root, resolve)):
            conn.execute("DELETE FROM library_roots WHERE path = ?", (inner,))


@dataclass
class _Listing:
    found: list[FoundFile] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    """DB paths of folders we could not list (their tracks are not marked missing)."""
    walk_errors: list[tuple[str, str]] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    """DB paths of files reached again by another path (a link): scanned once, still there."""
    playlist_files: list[str] = field(default_factory=list)
    """DB paths of the playlist files met (by extension; not macOS ``._`` litter)."""
    gone: list[tuple[int, str]] = field(default_factory=list)
    """Roots not found (or no longer folders): index of their line in the report, DB path."""


def _list_files(conn, roots: list[str], result: ScanReport, progress: ProgressFn | None,
                cancel: CancelToken | None) -> _Listing:
    """Walk the roots (each file once) and record the walk's errors."""
    listing = _Listing()

    def walk_error(fs_path: str, reason: str) -> None:
        db_path = P.from_fs(fs_path)
        result.errors.append((ShownPath.of(db_path), reason))
        if reason.startswith(("not found", NOW_NOT_FOLDER)):  # a vanished root: its tracks
            listing.gone.append((len(result.errors) - 1, db_path))  # are moved or missing below
            return
        if reason.startswith(UNLISTED):
            listing.unlisted.append(db_path)
        else:  # an audio name that is no file to read (a FIFO, a broken link): one of the files
            result.files += 1
        listing.walk_errors.append((db_path, reason))

    def other_file(fs_path: str) -> None:
        name = os.path.basename(fs_path)
        if format_for(name) is not None and not name.startswith("._"):
            listing.playlist_files.append(P.from_fs(fs_path))

    found: list[FoundFile] = []
    visited: set[tuple[int, int]] = set()
    for root in roots:
        for f in walk_audio_files(root, on_error=walk_error, visited=visited, cancel=cancel,
                                  on_other_file=other_file, skipped=result.skipped_formats):
            found.append(f)
            if len(found) % 500 == 0:
                report(progress, "scan: listing", len(found), None, P.display(f.db_path))
    listing.found = unique_files(found)
    listing.aliases = {f.db_path for f in found} - {f.db_path for f in listing.found}
    result.files += len(listing.found)
    if listing.walk_errors:
        with transaction(conn):
            for db_path, reason in listing.walk_errors:
                q.record_error(conn, db_path, "scan", reason)
    return listing


def _probe_files(conn, found: list[FoundFile], known: dict[str, tuple], result: ScanReport, *,
                 progress: ProgressFn | None, cancel: CancelToken | None, batch_size: int,
                 batch_seconds: float, prober: Callable[[str, str], AudioInfo],
                 written: set[str]) -> tuple[set[int], set[str], dict[int, str]]:
    """Read new and changed files (unchanged ones are not opened; files that could not be
    read last time are, until they read), writing in batches.

    Returns the ids of tracks found at a new path (moved files, see
    :mod:`musicsage.library.moves`): they must not be marked missing at their old one; the
    DB paths of files deleted since they were listed (gone, not unreadable); and the known
    tracks read changed (:attr:`MoveFinder.rewritten`)."""
    total = len(found)
    moves = MoveFinder(conn)
    writer = ScanWriter(conn, moves, result.notes)
    unread, not_found = scan_error_paths(conn)
    asked = written | not_found  # heard written, or back after not found
    reappeared: list[int] = []
    vanished: set[str] = set()
    last_flush = time.monotonic()
    report(progress, "scan", 0, total)
    moves.listed = {f.db_path for f in found}
    finished = False
    try:
        for done, f in enumerate(found, start=1):
            check_cancel(cancel)
            old = _still_its_track(known.get(f.db_path), moves)
            retry = f.db_path in unread or (f.db_path in asked
                                            and _rewritten_in_place(conn, f, old, moves))
            if old is not None and old[1] == f.size and old[2] == f.mtime_ns and not retry:
                if old[3] == "missing":
                    reappeared.append(old[0])
                    result.note("back", f.db_path)
                else:
                    result.unchanged += 1
            else:
                touched = "" if old is None or f.db_path in unread else moves.kept_audio(f, old)
                if not _probe_one(f, old, writer, result, prober, moves, touched):
                    vanished.add(f.db_path)
            if (len(writer.pending) >= batch_size
                    or (writer.pending and time.monotonic() - last_flush > batch_seconds)):
                writer.flush()
                last_flush = time.monotonic()
            if done % 50 == 0 or done == total:
                report(progress, "scan", done, total, P.display(f.db_path))
        for f, info, moved_from in moves.settle():  # held by hold: moved, or new after all
            _add_new(f, info, moved_from, writer, moves, result)
        _write_held(moves.take_changed(), writer, result, moves)
        finished = True
    finally:  # also on cancel: what is finished is kept (with its moves: ScanWriter.moves),
        writer.flush(stopping=not finished)  # a ring written part-way not (its exception goes on)
        mark_reappeared(conn, reappeared)
    result.reappeared += len(reappeared)
    return set(moves.moved), vanished, moves.rewritten


def _rewritten_in_place(conn, f: FoundFile, old: tuple | None, moves: MoveFinder) -> bool:
    """Whether the file of a known track, at the stamp stored, no longer holds the content
    hashed at that stamp: rewritten in place, its modification time put back (a tag editor's
    "preserve timestamps") — a scan never opens such a file, so the watch, which heard it
    written, asks. The hash reads 64 KiB at each end: tags in the middle (after a large
    cover) are read only when the file's time changes — comparing the tags read with the
    stored row took a title an ``import`` set for a retag and replaced it. False without a
    hash recorded at that stamp, or when the file cannot be read (mode 000 after root's
    ``cp -p``): nothing tells, so unchanged — read, it failed, and the failure dropped the
    vectors of a file that may never have changed."""
    if old is None or old[1] != f.size or old[2] != f.mtime_ns:
        return False
    hashed = conn.execute("SELECT hash FROM track_hashes WHERE track_id = ? AND size = ?"
                          " AND mtime_ns = ?", (int(old[0]), old[1], old[2])).fetchone()
    now = moves.content_hash_of(f) if hashed is not None else None
    return now is not None and now != hashed[0]


def _probe_one(f: FoundFile, old: tuple | None, writer: ScanWriter, result: ScanReport,
               prober: Callable[[str, str], AudioInfo], moves: MoveFinder,
               touched: str = "") -> bool:
    """``touched``: a known track's file with a new stamp and its old content, or its old
    audio retagged (:meth:`MoveFinder.kept_audio`): its tags are read again, its vectors
    kept (a retagged file counts as changed). False when the file was deleted since it was
    listed: gone, not "unreadable (No such file …)"."""
    track_id = None if old is None else old[0]
    # imported, never scanned: kept as it is, unless its file is not the one exported
    rewritten = _never_scanned(old) and moves.changed_since_export(f, old[0])
    first = _never_scanned(old) and not rewritten
    try:
        info = prober(f.fs_path, f.format)
    except UnreadableAudio as exc:
        if not os.path.exists(f.fs_path):
            return False
        writer.add("first_error" if first else "error", f, track_id, str(exc))
        result.errors.append((ShownPath.of(f.db_path), str(exc)))
        return True
    cut = bool(old) and not _never_scanned(old) and cut_since_scanned(writer.conn, old[0], info)
    for note in (info.note, REWRITTEN_NOTE if rewritten else None,
                 CUT_SINCE_SCANNED_NOTE if cut else None):
        if note:
            result.notes.append((ShownPath.of(f.db_path), note))
    if old is None:
        moved_from = moves.claim(f)
        if moved_from is None and moves.hold(f, track_values(f, info), info,
                                             info.guessed_duration):
            return True  # perhaps a track with no hash, moved: written once all are seen
        _add_new(f, info, moved_from, writer, moves, result)
        return True
    if first or touched or not moves.hold_changed(f, old, info):
        _write_known(f, old, info, writer, result, moves, first, touched)
    return True


def _write_known(f: FoundFile, old: tuple, info: AudioInfo, writer: ScanWriter,
                 result: ScanReport, moves: MoveFinder, first: bool = False,
                 touched: str = "") -> None:
    """Write ``f``, the file of the known track ``old`` (:func:`_probe_one`)."""
    writer.add("first" if first else "touched" if touched else "track", f, old[0], info)
    moves.note(f)
    if old[3] == "missing":
        result.reappeared += 1
        result.note("back", f.db_path)
    if first or touched == "same":  # only recorded now, or only its mtime changed
        result.unchanged += int(old[3] != "missing")
        return
    result.updated += 1
    result.note("changed", f.db_path)
    moves.rewritten[old[0]] = f.db_path  # another's file moved over it? (once all are seen)


def _write_held(held: list, writer: ScanWriter, result: ScanReport, moves: MoveFinder) -> None:
    """Write the links of a chain of renames :meth:`MoveFinder.hold_changed` held: one whose
    track's song a file took is new at its path, and may take the track whose song it holds,
    whose file is then new too (``mv c d; mv b c; mv a b``, read in any order), so they are
    gone over till none moves; those left are their tracks changed."""
    while gone := [h for h in held if h[1][0] in moves.moved]:
        held = [h for h in held if h[1][0] not in moves.moved]
        for f, _old, info in gone:
            _add_new(f, info, moves.claim(f), writer, moves, result)
    for f, old, info in held:
        _write_known(f, old, info, writer, result, moves)


def _still_its_track(old: tuple | None, moves: MoveFinder) -> tuple | None:
    """``old`` (the known track of a file's path), or None when this scan found its song
    moved to another file (:meth:`MoveFinder.hold_changed`): the file is new at its path."""
    return None if old is None or old[0] in moves.moved else old


def _add_new(f: FoundFile, info: AudioInfo, moved_from: int | None, writer: ScanWriter,
             moves: MoveFinder, result: ScanReport) -> None:
    """Write ``f``, a file no track had the path of: the track it was moved from, or a new one."""
    writer.add("moved" if moved_from else "track", f, moved_from, info)
    moves.note(f)
    if moved_from:
        result.moved += 1
    else:
        result.added += 1
    result.note("moved" if moved_from else "added", f.db_path)


REWRITTEN_NOTE = ("rewritten since the export its vectors came from: they were dropped, and "
                  "`musicsage embed` analyses it again")
"""What the first scan of an imported track says when its file is not the exported one."""


def _never_scanned(old: tuple | None) -> bool:
    """Whether a known track (``old``: id, size, mtime_ns, status) was never recorded by a
    scan (imported from a dataset dir: size and mtime NULL). Its file is no *changed* one:
    scanning an imported library's music folder threw the imported vectors away."""
    return old is not None and (old[1] is None or old[2] is None)


def _forget_vanished(conn, listing: _Listing, known: dict[str, tuple], db_roots: list[str],
                     result: ScanReport, moved: set[int]) -> set[int]:
    """Mark tracks that are gone as missing (their ids are returned), and drop the scan errors
    of files that are gone (the walk errors of this scan were just recorded). Folders we could
    not list keep both."""
    seen = {f.db_path for f in listing.found} | listing.aliases
    gone = [path for path, (tid, _s, _m, status) in known.items()
            if path not in seen and status == "present" and not _under(path, listing.unlisted)
            and tid not in moved]
    there = still_there(gone, {f.inode for f in listing.found})  # reached by another spelling
    vanished = [known[path][0] for path in gone if path not in there]
    named = set(vanished[:EXAMPLES])
    for path in sorted(p for p, v in known.items() if v[0] in named):
        result.note("missing", path)
    failed_now = {e[0] for e in listing.walk_errors}
    with transaction(conn):
        conn.executemany(f"UPDATE tracks SET status = 'missing', updated_at = {NOW_SQL} WHERE id = ?",
                         [(tid,) for tid in vanished])
        for root in db_roots:
            prefix = root.rstrip("/") + "/"
            for (path, message) in conn.execute(
                    "SELECT path, message FROM errors WHERE stage = 'scan' AND (path = ? OR substr(path, 1, ?) = ?)",
                    (root, len(prefix), prefix)).fetchall():
                back = path in seen and message.startswith(GONE_ROOT_ERROR)  # a file found again
                if ((path not in seen or back) and path not in failed_now
                        and not _under(path, listing.unlisted)):
                    q.clear_error(conn, path, "scan")
    result.missing = len(vanished)
    return set(vanished)


def _not_imported(conn, playlist_files: list[str]) -> list[str]:
    """Of the playlist files met (DB paths), those that are no imported playlist, as shown.
    One whose import failed (a 'playlist' error: binary junk named .m3u) is left out too: its
    error is said and counted, and the hint to import it would only fail again."""
    said = {r[0] for r in conn.execute(
        "SELECT path FROM playlists UNION SELECT path FROM errors WHERE stage = 'playlist'")}
    return [P.display(f) for f in dict.fromkeys(playlist_files) if f not in said]

"""Applying one batch of file events to the library: the incremental scan of just those paths.

The rules are the scan's own (:func:`musicsage.library.scan.scan_roots` on the touched files
and folders, without adding them as music folders), so the library ends as ``musicsage scan``
would leave it: new and edited files read, deleted ones marked missing, moved ones keeping
their track (:mod:`musicsage.library.moves`). Playlists follow ``scan --playlists``: a playlist
file that was imported before is re-imported when it changes and keeps its playlist when it is
renamed; a new playlist file is imported when it appears in a folder that holds imported
playlists or was given as a playlist folder; a player's library file is re-read when it
changes. A playlist whose file is deleted (its folder still there) leaves the library, as a
re-scan does (:func:`~musicsage.library.playlists.store.forget_gone_playlists`).
"""

from __future__ import annotations

import os
import shlex
import time
from dataclasses import dataclass, field
from typing import Any

from musicsage.errors import Cancelled
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import transaction
from musicsage.library.gone_roots import GoneTracks, tracks_under
from musicsage.library.playlists import format_for, import_playlists, playlists_to_reimport
from musicsage.library.playlists.store import replaced_imports_note
from musicsage.library.scan import ScanReport, scan_roots
from musicsage.library.walk import stored_ns
from musicsage.library.watch_embed_text import embed_error, embedded_text
from musicsage.library.watch_events import Unreadable
from musicsage.library.watch_playlist_news import (forget_gone, found_now_text,  # noqa: F401
                                                   not_read, not_read_text, playlist_news,
                                                   unsaid)
from musicsage.library.watch_targets import audio_targets
from musicsage.library.track_ids import next_track_id
from musicsage.library.under_paths import any_track_under
from musicsage.progress import CancelToken, ProgressFn
from musicsage.text import counted

NOT_FOUND = "not found"
"""How the scan reports a root that is gone (for the watch: a deleted file, not an error)."""


@dataclass
class WatchPlan:
    """What a folder watch follows (OS paths)."""

    roots: list[str] = field(default_factory=list)
    """Music folders, watched with their sub-folders."""
    playlist_trees: set[str] = field(default_factory=set)
    """Playlist folders given to the watch, watched with their sub-folders."""
    playlist_dirs: set[str] = field(default_factory=set)
    """Folders holding imported playlist files (only their own files are watched)."""
    player_sources: set[str] = field(default_factory=set)
    """Players' library files imported before (Library.xml, strawberry.db …)."""
    remembered: set[str] = field(default_factory=set)
    """The library's music folders (DB form) when the roots were last looked at: a watched
    folder they held that none holds now was removed from the library (library/forget.py),
    and is no longer followed."""
    follows_library: bool = False
    """``roots`` are the library's music folders (no folder was named): they change with it —
    a folder scanned in another window or terminal is followed, one folded into a folder
    around it gives way to that folder, a removed one is left (:meth:`follow`)."""
    unreachable_said: set[str] = field(default_factory=set)
    """Playlists said to be out of reach (their file missing, a drive not mounted) and still
    so: a batch says a playlist once, not each time until the drive is back."""
    gone: set[str] = field(default_factory=set)
    """Roots found gone (deleted, renamed, a drive unplugged) — when the watch started, or by
    a batch — and not back yet: the batch that finds one there again says it is back."""
    unreadable: Unreadable = field(default_factory=Unreadable)
    """The files the watch could not read: said once each, when they stay so."""
    playlists_not_read: set[tuple[str, str]] = field(default_factory=set)
    """(playlist file, why) of those a batch could not read, said once (:func:`unsaid`)."""
    replaced: set[str] = field(default_factory=set)
    """Roots there, but another folder than at the last look (a drive mounted again, or the
    folder swapped for another of its name): scanned whole, each is said as back — or as gone
    when nothing of it is left there (a drive unmounted leaves its empty mount point)."""

    def removed_roots(self, conn) -> set[str]:
        """Watched music folders (OS paths) removed from the library since last looked at — by
        this process or another (a watch in a terminal while the window removes one). Checked
        again for every batch: a batch taken just after a ``forget`` must not bring its tracks
        back. One folded into a folder around it (a scan of ``~/Music`` after ``~/Music/a``) is
        still in the library, and still followed."""
        return self._removed(q.library_roots(conn))

    def _removed(self, now: list[str]) -> set[str]:
        """Roots a remembered folder held (themselves, or inside one) that none in ``now``
        holds. A root no remembered folder ever held (a test's plan) is left as it is."""
        def held(root: str, folders) -> bool:
            return any(P.is_under(P.from_fs(root), o) for o in folders)

        return {r for r in self.roots if held(r, self.remembered) and not held(r, now)}

    def follow(self, now: list[str]) -> bool:
        """Bring ``roots`` up to the library's music folders ``now`` (DB form, from
        ``library_roots``); True when they changed, so the observer is re-scheduled. Named
        folders (``scan PATH --watch``) stay as given, less those removed from the library."""
        if self.follows_library:
            roots = [os.path.abspath(P.to_fs(r)) for r in now]
        else:
            removed = self._removed(now)
            roots = [r for r in self.roots if r not in removed]
        changed, self.remembered = roots != self.roots, set(now)
        self.roots = roots
        return changed

    def trees(self) -> list[str]:
        return [*self.roots, *sorted(self.playlist_trees)]

    def folders(self) -> list[tuple[str, bool]]:
        """(folder, recursive) to observe, without folders a recursive one already covers."""
        wanted = [(r, True) for r in self.trees()]
        wanted += [(d, False) for d in sorted(self.playlist_dirs)]
        wanted += [(os.path.dirname(s), False) for s in sorted(self.player_sources)]
        wanted = [(os.path.dirname(f), False) if os.path.exists(f) and not os.path.isdir(f)
                  else (f, rec) for f, rec in wanted]  # a music "folder" that is a single file
        out: list[tuple[str, bool]] = []
        # recursive ones first: a single file's folder met first dropped the same folder's
        # recursive watch (`scan Music/song.wav Music --watch` missed Music/Album's new files)
        for folder, recursive in sorted(wanted, key=lambda w: not w[1]):
            if not any(P.is_under(folder, f) and (rec or f == folder) for f, rec in out):
                out.append((folder, recursive))
        return out

    def source_of(self, path: str) -> str | None:
        """The player's file ``path`` belongs to (itself, or its ``-wal``/``-journal``)."""
        for suffix in ("", "-wal", "-journal"):
            if suffix == "" or path.endswith(suffix):
                base = path[: len(path) - len(suffix)] if suffix else path
                if base in self.player_sources:
                    return base
        return None


@dataclass
class WatchReport:
    """What one batch did (plain data: the CLI prints :meth:`summary`, the GUI shows it)."""

    paths: int = 0
    scan: ScanReport = field(default_factory=ScanReport)
    playlists: list = field(default_factory=list)
    renamed_playlists: int = 0
    embed: Any = None
    """What the caller's after-batch step did (the embed report), if anything."""
    seconds: float = 0.0
    reaction_seconds: float = 0.0
    """From the batch's first file event to the library updated (debounce included)."""
    error: str | None = None
    """Set when the batch could not be applied (it is retried)."""
    gone_roots: list[tuple[str, int]] = field(default_factory=list)
    """(music folder, its tracks now marked missing) for each watched folder that is gone as a
    whole: deleted, renamed, a drive unplugged. Its tracks are kept (never deleted), and come
    back when it does."""
    back_roots: list[str] = field(default_factory=list)
    """Watched music folders that were gone and are there again (their tracks are back)."""
    interrupted: bool = False
    """The watch was stopped (Ctrl-C) while the after-batch step embedded: the batch itself
    was stored, and ``embed`` says how far the embedding got (the rest is left to embed)."""
    catch_up: bool = False
    """Not a batch of file events: the watch's first step, embedding the tracks the library
    lacked a vector for when it started (added while no watch ran, or left by a stop)."""
    look_again: dict[str, bool] = field(default_factory=dict)
    """Paths (-> is a folder) that could not be read and are not said yet: the watch looks at
    them again in a moment (a copy in progress, or a file that stays unreadable)."""
    stopped_reading: str | None = None
    """Set when the watch was stopped (Ctrl-C) while it read the batch's files: what it had
    stored (``scan.added``; none: the report is :attr:`empty`) and the command that reads the
    rest — "stopped watching after 0 updates" was said of 145 of 240 new files stored."""

    @property
    def empty(self) -> bool:
        """Nothing to say; a note is news (tags read again: the window shows other values)."""
        s = self.scan
        return not (s.added or s.updated or s.moved or s.missing or s.reappeared or s.notes
                    or any(playlist_news(self.playlists)) or self.renamed_playlists
                    or not_read(self.playlists)
                    or s.playlists_gone or s.playlists_unreachable  # said: a drive unplugged
                    or self.gone_roots or self.back_roots or s.errors
                    or replaced_imports_note(self.playlists) or self.interrupted
                    or getattr(self.embed, "embedded", 0) or getattr(self.embed, "failed", 0)
                    or self.embed_error)  # a catch-up that embedded nothing is said too

    @property
    def embed_error(self) -> str:
        """Why the after-batch embedding could not run ("" when it ran): the line says it."""
        return embed_error(self.embed)

    @property
    def needs_embedding(self) -> bool:
        return bool(self.scan.added or self.scan.updated)

    def summary(self) -> str:
        if self.error:
            return f"could not update the library: {self.error}"
        if self.stopped_reading:
            return self.stopped_reading
        s = self.scan
        imported, found = playlist_news(self.playlists)
        gone = {folder for folder, _n in self.gone_roots}
        missing = s.missing - sum(n for _f, n in self.gone_roots)  # the rest: files deleted
        parts = [folder_gone(folder, n) for folder, n in self.gone_roots]
        parts += [f"{folder} is back" + (f" ({counted(s.reappeared, 'track')})"
                                          if len(self.back_roots) == 1 and s.reappeared else "")
                  for folder in self.back_roots]
        examples = {k: v for k, v in s.examples.items() if not (gone and k == "missing")}
        unread = [e for e in s.errors if e[0] not in gone]
        examples["unreadable"] = [e[0] for e in unread]
        parts += [f"{n} {label}" + (f" ({names})" if (names := named(examples.get(key, []), n))
                                    else "") for n, label, key in (
            (s.added, "new", "added"), (s.updated, "changed", "changed"),
            (s.moved, "moved", "moved"),
            (0 if self.back_roots else s.reappeared, "back", "back"),
            (max(missing, 0), "now missing", "missing"),
            (len(unread), "unreadable", "unreadable")) if n]
        parts += [scan_notes_text(s.notes)] if s.notes else []
        parts += [f"{counted(n, 'playlist')} {done}" for n, done in (
            (imported, "imported"), (self.renamed_playlists, "renamed")) if n]
        parts += [found_now_text(found)] if found else []
        parts += [not_read_text(self.playlists)] if not_read(self.playlists) else []
        replaced = replaced_imports_note(self.playlists)  # the scan's words (a note there)
        parts += [replaced] if replaced else []
        gone_text = s.playlists_gone_text()
        parts += [gone_text] if gone_text else []
        parts += [self._embedded_text()] if self._embedded_text() else []
        graph = getattr(self.embed, "graph", None)  # the graph model's vectors for new tracks
        if graph is not None and getattr(graph, "new_vectors", 0):  # not those it placed again
            parts.append(f"{graph.new_vectors} placed by the graph model")
        return ", ".join(parts) or "nothing that changes the library"

    def _embedded_text(self) -> str:
        return embedded_text(self.embed, catch_up=self.catch_up, interrupted=self.interrupted)

    def to_dict(self) -> dict:
        return {"paths": self.paths, "scan": self.scan.to_dict(),
                "playlists": [p.to_dict() for p in self.playlists],
                "renamed_playlists": self.renamed_playlists,
                "embed": self.embed.as_dict() if hasattr(self.embed, "as_dict") else None,
                "seconds": round(self.seconds, 3),
                "reaction_seconds": round(self.reaction_seconds, 3), "error": self.error,
                "gone_roots": [{"folder": f, "missing_tracks": n} for f, n in self.gone_roots],
                "back_roots": list(self.back_roots), "interrupted": self.interrupted,
                "catch_up": self.catch_up, "stopped_reading": self.stopped_reading}


def scan_notes_text(notes: list[tuple[str, str]]) -> str:
    """``2 notes (song.ogg: ends mid-page …; 1 more)``: the scan's notes on a batch's files,
    the first named (``scan`` prints each; the watch said none). ``notes``: not empty."""
    (path, note), more = notes[0], len(notes) - 1
    name = os.path.basename(str(path).rstrip("/")) or str(path)
    text = f"{counted(len(notes), 'note')} ({name}: {note}" + (f"; {more} more)" if more else ")")
    return " ".join(text.splitlines())  # one line: a name or a note may hold a newline


def folder_gone(folder: str, tracks: int) -> str:
    """One line for a watched music folder gone as a whole (the CLI's and window's words).
    None of its ``tracks`` marked missing: what became of them (:class:`.GoneTracks`)."""
    kept = (f"its {counted(tracks, 'track')} {'is' if tracks == 1 else 'are'} kept, marked "
            "missing until it is back") if tracks else getattr(tracks, "fate", "") or (
            "none of its tracks is missing")
    return f"{folder} is gone (unplugged, renamed or deleted?): {kept}"


def named(paths: list[str], total: int) -> str:
    """``'Song.flac' and 2 more``: the first file names of ``total`` (a report keeps a few)."""
    if not paths or not total:
        return ""
    names = [f"'{' '.join(os.path.basename(p.rstrip('/')).splitlines()) or p}'"
             for p in paths[:2]]
    if total == 2 and len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return names[0] + (f" and {total - 1} more" if total > 1 else "")


def apply_changes(conn, plan: WatchPlan, batch, *, progress: ProgressFn | None = None,
                  cancel: CancelToken | None = None) -> WatchReport:
    """Bring the library up to date with the paths of ``batch`` (a :class:`watch.Batch`)."""
    t0 = time.monotonic()
    rep = WatchReport(paths=len(batch.paths))
    audio = audio_targets(plan, batch.paths, plan.removed_roots(conn))
    if audio:
        before = {r: tracks_under(conn, P.from_fs(r)) for r in plan.roots if r in audio}
        written = [p for p, is_dir in batch.paths.items() if not is_dir]  # before folding
        rep.scan = _scan(conn, plan, audio, written, rep, progress, cancel)
        _gone_or_back(conn, plan, before, rep)
        gone = {folder for folder, _n in rep.gone_roots}
        rep.scan.errors, rep.look_again = plan.unreadable.sift(
            [e for e in rep.scan.errors if not e[1].startswith(NOT_FOUND) or e[0] in gone],
            audio)
    rep.renamed_playlists = _rename_playlists(conn, batch.moves)
    renamed = {new for _, new in batch.moves}
    files, renamed_as_imported = _playlist_targets(conn, plan, batch.paths, renamed=renamed)
    grew = rep.scan.added + rep.scan.moved + rep.scan.reappeared > 0
    files, refreshing, rep.scan.playlists_gone = playlists_to_reimport(  # after the renames
        conn, files, library_grew=grew, progress=progress, cancel=cancel,
        unreachable=rep.scan.playlists_unreachable)
    refreshing += [f for f in files if f in renamed_as_imported]
    out_of_reach = rep.scan.playlists_unreachable  # said once, not by every later batch
    rep.scan.playlists_unreachable = [n for n in out_of_reach if n not in plan.unreachable_said]
    plan.unreachable_said = set(out_of_reach)
    forget_gone(plan.playlists_not_read)  # a file deleted: one written anew at its name is news
    if files:
        rep.playlists = unsaid(import_playlists(conn, files, refreshing=refreshing,
                                                progress=progress, cancel=cancel),
                               plan.playlists_not_read)
    rep.seconds = time.monotonic() - t0
    rep.reaction_seconds = time.monotonic() - batch.first_event if batch.first_event else 0.0
    return rep


class BatchStopped(Cancelled):
    """The watch was stopped while a batch read its files: ``report`` says what was stored."""

    def __init__(self, report: WatchReport) -> None:
        super().__init__()
        self.report = report


def _scan(conn, plan: WatchPlan, audio: list[str], written: list[str], rep: WatchReport,
          progress: ProgressFn | None, cancel: CancelToken | None) -> ScanReport:
    """The scan of the batch's ``audio`` paths (``written``: its files, as heard, though
    ``audio`` names their folder); stopped, :class:`BatchStopped` with the new
    tracks it stored (its batches are committed: the tracks that have an id above those
    there before, under these paths), of how many files it found."""
    first_new, found = next_track_id(conn), [0]

    def seen(p) -> None:
        if p.stage == "scan" and p.total is not None:
            found[0] = p.total
        if progress is not None:
            progress(p)

    try:
        return scan_roots(conn, audio, progress=seen, cancel=cancel, remember_roots=False,
                          written=written)  # a time put back hides no write it heard
    except Cancelled:
        where, params = q.under_sql("path", [P.from_fs(a) for a in audio])
        rep.scan.added = conn.execute(f"SELECT COUNT(*) FROM tracks WHERE id >= ? AND {where}",
                                      [first_new, *params]).fetchone()[0]
        folders = [r for r in plan.roots if any(P.is_under(a, r) for a in audio)] or audio
        again = " ".join(["musicsage scan", *(shlex.quote(P.display(P.from_fs(f)))
                                              for f in folders)])
        rep.stopped_reading = (f"reading interrupted: {counted(rep.scan.added, 'new track')} "
                               f"stored, of {counted(found[0], 'file')} found; run `{again}` "
                               "to read the rest")
        raise BatchStopped(rep) from None


def _gone_or_back(conn, plan: WatchPlan, before: dict[str, tuple[int, int]],
                  rep: WatchReport) -> None:
    """Music folders scanned whole (``before``: their tracks, and those missing, before the
    scan) that are gone, with the tracks this batch marked missing (those an earlier batch
    marked were said by it: "its 1245 tracks" counted 506 gone long before), or there again."""
    for root, (held, missing_before) in before.items():
        display = P.display(P.from_fs(root))
        replaced = root in plan.replaced
        plan.replaced.discard(root)
        left, missing = tracks_under(conn, P.from_fs(root))
        marked = GoneTracks.of(missing - missing_before, held - left, missing)
        there = os.path.exists(root) and not _file_in_a_folders_place(conn, root)
        if not there and root in plan.gone and not marked:
            continue  # said already (a late event of the folder that went)
        if not there or (replaced and marked
                         and not any_track_under(conn, P.from_fs(root), present=True)):
            plan.gone.add(root)
            rep.gone_roots.append((display, marked))
        elif root in plan.gone or replaced:
            plan.gone.discard(root)
            rep.back_roots.append(display)


def _file_in_a_folders_place(conn, root: str) -> bool:
    """Whether a file now stands where the music folder ``root`` was (``mv Music Music.old;
    touch Music``): it is no return of the folder, whichever batch reads it first — a cycle
    that saw the folder gone before the file came left its batch to read the file, and the
    folder was never said gone. A music "folder" that was a single file is not one."""
    if os.path.isdir(root) or not os.path.exists(root):
        return False
    folder = P.from_fs(root)
    where, params = q.under_sql("path", [folder])
    return conn.execute(f"SELECT 1 FROM tracks WHERE {where} AND path != ? LIMIT 1",
                        [*params, folder]).fetchone() is not None


def _rename_playlists(conn, moves: list[tuple[str, str]]) -> int:
    """Imported playlist files that were renamed keep their playlist (and id)."""
    renamed = 0
    with transaction(conn):
        for src, dest in moves:
            if format_for(dest) is None or format_for(src) is None:
                continue
            old, new = P.from_fs(src), P.from_fs(dest)
            if conn.execute("SELECT 1 FROM playlists WHERE path = ?", (new,)).fetchone():
                continue
            renamed += conn.execute("UPDATE playlists SET path = ? WHERE path = ?",
                                    (new, old)).rowcount
    return renamed


def _playlist_targets(conn, plan: WatchPlan, paths: dict[str, bool], *,
                      renamed: set[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(Existing playlist files and players' files to (re-)import from the touched paths,
    those of them ``renamed`` as they were imported). A known playlist file whose size and
    time are still those imported, and that was not ``renamed`` (its name comes from the
    file's), is left alone: the event was the app's own write (Add to playlist re-imports
    what it wrote), or a touch. A renamed one as imported is read again only for its new
    name, so its import is a refresh (said as renamed, not also "1 playlist imported")."""
    known = {P.to_fs(r[0]): (r[1], r[2])
             for r in conn.execute("SELECT path, size, mtime_ns FROM playlists")
             if P.is_file_path(r[0])}
    out: list[str] = []
    same: list[str] = []
    for p, is_dir in sorted(paths.items()):
        source = plan.source_of(p)
        if source is not None:
            p = source
        elif is_dir or format_for(p) is None:
            continue
        elif not (p in known or os.path.dirname(p) in plan.playlist_dirs
                  or any(P.is_under(p, t) for t in plan.playlist_trees)):
            continue  # a playlist file nobody asked for (an album's .m3u in the music folder)
        if p in renamed or not _as_imported(p, known.get(p)):
            if os.path.isfile(p) and p not in out:
                out.append(p)
                if p in renamed and _as_imported(p, known.get(p)):
                    same.append(p)
    return out, same


def _as_imported(path: str, imported: tuple | None) -> bool:
    """The file's size and modification time are those recorded when it was imported."""
    if imported is None:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_size, stored_ns(st.st_mtime_ns)) == tuple(imported)

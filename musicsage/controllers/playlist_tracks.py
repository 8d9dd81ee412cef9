"""The tracks of the playlist chosen on the left, in its order, and taking some out of its file.

The Playlist tab lists them from the library snapshot the window already holds (its
memberships keep each playlist's order, a track listed twice included), so choosing a
playlist reads nothing. "Remove from playlist" runs
:func:`~musicsage.usecases.suggest.remove_from_playlist`, the service ``suggest PLAYLIST
--remove`` uses: every entry of each chosen track leaves the playlist's own file, after a
backup in the data dir (``playlist-backups``, which the status line names), and a file
changed elsewhere since it was imported, or read-only, is refused untouched in one line. No
hash of the file is passed: what the tab shows is what the library imported, and the service
checks the file is still that (its size and time, and its entries). Then the library is
re-read, and the list, the playlist's count on the left and its suggestions follow, as after
"Add to playlist". Like an add, a removal is on the status line: one waiting for a scan of the
library hears its Cancel and writes nothing.

Playlists musicsage never writes — those kept in a player's library file, and those
imported from a dataset dir — are told apart by their stored path alone, so the tab says why
before anyone presses the button. A read-only file is found out only when writing: no file
system call on the window's thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple, Sequence

from musicsage.controllers.tasks import Event, Task
from musicsage.library import paths as P
from musicsage.text import counted, grouped, printable
from musicsage.usecases.suggest import remove_from_playlist

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.library.browse import PlaylistInfo, TrackInfo
    from musicsage.library.playlists.remove import RemoveReport
    from musicsage.usecases.snapshot import LibrarySnapshot

TASK_NAME = "Remove from playlist"
REMOVE_LABEL = "Removing from playlist"
"""What the status line says while a removal runs (or waits for a scan: its Cancel then)."""


def why_unplayable(info: "TrackInfo | None") -> str:
    """"" when the track can play; else why not, in the Playlist tab's words: "not found"
    (not in the library), "no file" (imported from a dataset dir: there never was one),
    "missing" (its file is gone). Told apart: a playlist of a dataset's tracks said "95
    tracks missing" while ``stats`` said none was. The play queue leaves tracks out by it too."""
    if info is None:
        return "not found"
    if not info.has_file:  # (one look at its path: :attr:`TrackInfo.playable` is a second)
        return "no file"
    return "missing" if info.status == "missing" else ""


LEFT_OUT_WORDS = {"missing": "missing", "no file": "without an audio file",
                  "not found": "not in the library"}
"""What is said of each kind of :func:`why_unplayable`: the tab's heading, and the play
queue's :func:`~musicsage.controllers.queue_plans.left_out_text`."""


def left_out_parts(why: Sequence[str] | Mapping[str, int],
                   words: Mapping[str, str] = LEFT_OUT_WORDS,
                   count: Callable[[str, int], str] = lambda _kind, n: f"{n:,}") -> list[str]:
    """["3 missing", "1 without an audio file"]: how many of ``why`` (each track's
    :func:`why_unplayable`, "" for one that plays; or those counts by kind) are of each kind
    of ``words``, in its order and its words, ``count`` writing the number ("3 tracks"). One
    wording for the tab's heading, the play queue's line and a map region's."""
    counts = Counter(why)
    return [f"{count(kind, counts[kind])} {words[kind]}" for kind in words if counts[kind]]


class PlaylistRow(NamedTuple):
    """One track of the playlist, as its row shows it. A named tuple, not a frozen
    dataclass: each of those set its seven fields one by one through ``object.__setattr__``,
    a third of reading a 30,000-track playlist on the window's thread (30-60 ms)."""

    track_id: int
    position: int
    """1, 2, … in the playlist's order (among its entries found in the library)."""
    title: str
    artist: str
    path: str
    """The file as a person reads it (or why there is none)."""
    duration: float | None
    missing: str
    """"" when the track can play; else why not, in a word or two ("missing", "no file")."""


@dataclass(frozen=True)
class PlaylistTracks:
    """The chosen playlist as the tab shows it."""

    playlist_id: int
    name: str
    format: str
    path: str
    rows: tuple[PlaylistRow, ...]
    unresolved: int
    """Entries of the file that name no track of the library (not listed: nothing to play)."""
    why_not: str = ""
    """Why tracks cannot be removed from it here ("" when they can)."""

    @property
    def can_remove(self) -> bool:
        return not self.why_not and bool(self.rows)

    @property
    def heading(self) -> str:
        """"Mix (12 tracks)", then what of it cannot play ("1 missing", as the library's
        summary says it) or is not listed. Not the file's format ("m3u"): a word about the
        file, not the playlist, which the Suggestions heading leaves out too."""
        head = f"{self.name} ({grouped(len(self.rows), 'track')})"  # as "1,142 missing"
        # "not in the library" is said of the file's unresolved entries; a listed track gone
        # from the snapshot is "not found"
        kinds = {**LEFT_OUT_WORDS, "not found": "not found"}
        unplayable = [r.missing for r in self.rows if r.missing]
        notes = left_out_parts(unplayable, {k: kinds[k] for k in dict.fromkeys(unplayable)})
        if self.unresolved:
            notes.append(f"{grouped(self.unresolved, 'entry', 'entries')} not in the library")
        return head + (f"\n{' · '.join(notes)}" if notes else "")

    @property
    def note(self) -> str:
        """What the tab says in place of an empty list."""
        if self.unresolved:
            return (f"None of this playlist's {counted(self.unresolved, 'entry', 'entries')} "
                    "is a track of the library.")
        return "This playlist is empty."


def why_not_removable(info: "PlaylistInfo", name: str) -> str:
    """Why musicsage never removes tracks from playlist ``info`` (named ``name``), told from
    its stored path alone, in the words the service refuses with; "" when it may (a playlist
    file of its own; the service still refuses one that is read-only or changed elsewhere)."""
    from musicsage.library.playlists.no_file import why_not_editable

    return why_not_editable(info.path, name, "remove")


def playlist_tracks(snap: "LibrarySnapshot", playlist_id: int) -> PlaylistTracks | None:
    """The playlist's tracks in its order, as read in ``snap`` (None: no such playlist)."""
    info = snap.playlist(playlist_id)
    if info is None:
        return None
    rows, shown = [], {}  # shown paths of dataset tracks, by their dir
    for position, tid in enumerate([t for pid, t in snap.memberships if pid == playlist_id], 1):
        track = snap.by_id.get(tid)
        if track is None:
            rows.append(PlaylistRow(tid, position, f"track {tid}", "", "", None, "not found"))
            continue
        why = why_unplayable(track)
        rows.append(PlaylistRow(tid, position, printable(track.display_title),
                                printable(track.artist or ""), _shown_path(track, why, shown),
                                track.duration, why))
    name = snap.shown_name(info)  # the tab shows it, one line each: control characters visible
    return PlaylistTracks(info.id, name, info.format or "", printable(P.display(info.path)),
                          tuple(rows), info.unresolved, why_not_removable(info, name))


def _shown_path(track: "TrackInfo", why: str, shown: dict[str, str]) -> str:
    """:attr:`~musicsage.library.browse.TrackInfo.shown_path`, printable, for ``track``
    whose :func:`why_unplayable` is ``why`` (which looked at its path already: a 30,000-track
    playlist looked 3 times a track), kept in ``shown`` by dataset key for the tracks without
    a file: 8,000 tracks imported from one dir were 8,000 looks at the disk (120 ms on the
    window's thread at each re-read of the library), then 8,000 splits of their key
    (:func:`~musicsage.library.paths.dataset_source`), and the dir written out 8,000 times.
    A track's key is ``dataset:<dir>#<id>``: its dir is read from what comes before its
    last '#' alone, so the text is the same for every key sharing that part."""
    if why != "no file":
        return printable(P.display(track.path))
    head, cut, _id = track.path.rpartition("#")
    key = head if cut else track.path
    if key not in shown:
        shown[key] = printable(track.shown_path)
    return shown[key]


class PlaylistTracksController:
    """The Playlist tab's state: the chosen playlist's tracks, and removing some of them."""

    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.playlist_id: int | None = None
        self.view: PlaylistTracks | None = None
        self.busy = False
        """A removal runs (or its re-read library is not in yet): the button waits."""
        self._made: tuple[object, dict[int, PlaylistTracks | None]] = (None, {})
        """The snapshot last read, with each playlist as read from it: chosen again (back
        from another playlist), a 30,000-track playlist was read anew, 0.1-0.7 s each time."""
        self.shown = Event()  # PlaylistTracks, or None: no playlist chosen
        self.busy_changed = Event()  # bool
        self.removed = Event()  # RemoveReport
        app.library.loaded.connect(lambda _snap: self.refresh())

    def show(self, playlist_id: int | None) -> None:
        """The tracks of a playlist (None: none chosen)."""
        self.playlist_id = None if playlist_id is None else int(playlist_id)
        self._set_busy(False)
        self.refresh()

    def clear(self) -> None:
        self.show(None)

    def refresh(self) -> None:
        """Show the chosen playlist as the snapshot now has it; one gone from the library is
        unchosen (the Suggestions controller says so on the status line)."""
        snap = self.app.library.snapshot
        if self._made[0] is not snap:  # a new read, or another library: the old snapshot goes
            self._made = (None, {})  # (kept after a switch with nothing chosen, it stayed whole)
        view = None
        if self.playlist_id is not None and snap is not None:
            view = self._read(snap, self.playlist_id)
            if view is None:
                self.playlist_id = None
        self.view = view
        self.shown.emit(view)

    def _read(self, snap: "LibrarySnapshot", playlist_id: int) -> PlaylistTracks | None:
        """:func:`playlist_tracks`, read once a snapshot (a new one is a new library read)."""
        if self._made[0] is not snap:
            self._made = (snap, {})
        made = self._made[1]
        if playlist_id not in made:
            made[playlist_id] = playlist_tracks(snap, playlist_id)
        return made[playlist_id]

    def remove(self, track_ids: Sequence[int]) -> Task | None:
        """Take every entry of the chosen tracks out of the playlist's own file (the explicit
        action); a playlist musicsage never writes is refused in one line, touching nothing."""
        view, ids = self.view, list(dict.fromkeys(int(t) for t in track_ids))
        if view is None or not ids or self.busy:
            return None
        if view.why_not:
            self.app.notify(view.why_not, "warning")
            return None
        self._set_busy(True)
        ctx = self.app.ctx
        task = self.app.run(TASK_NAME, remove_from_playlist, ctx, view.playlist_id, ids)
        # the status line's, and its Cancel's, also over a scan under way, as an add's: a
        # removal waiting for that scan hears the Cancel and writes nothing (untracked, the
        # user waited with a Cancel that stopped the scan alone, and the tracks went after it)
        self.app.tasks.track(task, REMOVE_LABEL)
        task.on_result(lambda report: self._removed(report, ctx, late=task.token.cancelled))
        task.on_failed(lambda _message, _details: self._set_busy(False))  # said by the app
        task.on_cancelled(lambda: self._cancelled(len(ids), view.name))
        return task

    def _cancelled(self, n: int, name: str) -> None:
        """Say that the removal stopped before writing (the use case hears a cancel only
        before any write), and give the button back: a Cancel ended it without a word."""
        try:
            self.app.notify(f"Not removed: {counted(n, 'track')} chosen from "
                            f"{printable(name)!r} (cancelled; nothing was written)", "warning")
        finally:
            self._set_busy(False)

    def _removed(self, report: "RemoveReport", ctx: "AppContext", *, late: bool = False) -> None:
        """Say what was removed, and what not, each track by the name the window shows it
        under while the library it was removed from (``ctx``) is shown ("#7" named it by an
        id shown nowhere). ``late``: Cancel was pressed once the removal was writing, past
        the point where it hears one: the status line had said "Cancelling…"."""
        if report.removed:
            entries = sum(r["entries"] for r in report.removed)
            extra = (f" ({counted(entries, 'entry', 'entries')})"
                     if entries != len(report.removed) else "")
            self.app.notify(f"Removed {counted(len(report.removed), 'track')}{extra} from "
                            f"{Path(report.path).name} (backup: {report.backup})"
                            + ("; the Cancel came too late to stop it" if late else ""))
        shown = self.app.library.shows(ctx)
        label = self.app.selection.label if shown else (lambda t: f"#{t}")
        skipped = "; ".join(f"{label(s['track_id'])} ({s['reason']})" for s in report.skipped)
        if skipped:
            self.app.notify(f"Not removed: {skipped}", "warning")
        self.removed.emit(report)
        # the list, the count on the left and the suggestions follow the re-read library; the
        # button comes back once it is over, read or not (a failed read kept it off for good)
        self.app.library.reload(ended=lambda: self._set_busy(False))

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

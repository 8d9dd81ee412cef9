"""The play queue kept when the window closes and put back when it opens again, as desktop
music players do: a radio, a named queue ("Playlist: Mix (18 tracks)", a map region), a
"Queue" made by "Play next" / "Add to queue", with the entry it was at. Restored, it plays
nothing: Play goes on as it would have without the restart — with its current entry where
the user had not left it (a click on the map that played something else), with an entry added
and not yet played.

:class:`QueueRestore` is the queue controller's half that says what it holds
(:meth:`~QueueRestore.kept`) and takes a kept queue back (:meth:`~QueueRestore.restore`);
:class:`QueueMemory` writes it at each change of the queue (:mod:`musicsage.usecases.queue_file`:
a file beside the library, written whole and renamed, so a crash or a kill loses at most the
change being written) — only when its bytes changed, so the next track costs one write (about
100 bytes a track: 3 MB, some 30 ms, for a queue of 28,356 tracks) — and reads it once the
library shown has been read (its track ids are checked against it, each with its path: an id
another track has now is not the one kept).
Taking it back writes nothing: a window that changes nothing (a ``--screenshot`` run beside
the library's window) leaves the file as it was. One window holds a library
(:mod:`musicsage.gui.single_instance`), so one writer has its file.

Bad input costs the queue, never the window: a file that cannot be read as a queue (damaged,
cut short, another program's, another musicsage's) is said in one line and left as it is until
the user makes a new queue, which first sets it aside (``queue.json.unreadable``, the line says
where: it may be no file of this app, or a newer musicsage's queue, and neither may be lost;
a link there is set aside itself, never what it points to; a folder that cannot be written
promises nothing); something not a regular file there (a FIFO, a folder) is left, and no
queue is written over it; tracks gone from the library are left out and counted;
a folder that cannot be written is said once per library shown, not at every change — and not
at all for a library the user may only read (:data:`READ_ONLY_ERRORS`)."""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING, Callable

from musicsage.controllers.queue_adds import NEW_QUEUE_NAME
from musicsage.controllers.queue_plans import recounted
from musicsage.controllers.tasks import Event
from musicsage.library.paths import shown
from musicsage.text import grouped
from musicsage.usecases.queue_file import (QUEUE_FILE, QueueFileError, SavedQueue, aside_path,
                                           encode, in_the_way, moved_since, read_saved_queue,
                                           set_aside, write_saved_queue)

READ_ONLY_ERRORS = (errno.EROFS, errno.EACCES, errno.EPERM)
"""Why a library's folder cannot be written when it is one the user may only read (a
read-only mount, another user's library): its queue is not kept, and that is not said at
each start — the window shows such a library as it does any other."""

if TYPE_CHECKING:
    from pathlib import Path

    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.usecases.snapshot import LibrarySnapshot


class QueueRestore:
    """The keeping half of the queue controller (its state lives there)."""

    app: "AppController"
    tracks: list[int]
    current: int
    name: str
    mode: str
    seed: int | None
    radio: bool
    active: bool
    changed: Event
    _resume: bool
    _current_next: bool
    _detached: bool
    _added: set[int]
    _queued: dict[int, int]

    def _reset(self, tracks: list[int], *, name: str, announce: bool = True) -> None:
        raise NotImplementedError  # the controller's

    def kept(self) -> SavedQueue:
        """What the queue holds, as it is kept: ``left`` unless Play goes on with its current
        entry (it plays, or a restored queue waits for Play); the entries added since it last
        played (Play goes on with them); a radio's tracks the user took out; each track's path.
        The entry playing removed (it plays on), the one after it is the one Play goes on with
        (``between``, where the queue was left: the entry before its place, and no ▶ — it was
        kept as the entry the queue was at, and after a restart Previous went one further back);
        the current entry asked to play next (not playing), it is."""
        current, goes_on = self.current, self.active or self._resume or self._current_next
        between = self._detached and not self._current_next
        if between:
            goes_on = goes_on and current + 1 < len(self.tracks)
            current += goes_on
        held = set(self.tracks)
        removed = tuple(t for t in self._queued if t not in held) if self.radio else ()
        seed = self.seed if self.radio else None
        by_id = self.app.library.snapshot.by_id if self.app.library.snapshot else {}
        named = (*self.tracks, *removed)
        return SavedQueue(tuple(self.tracks), current, self.name, self._kind(), seed, self.mode,
                          left=not goes_on,
                          added=tuple(t for t in self.tracks[current + 1:] if t in self._added),
                          removed=removed,
                          paths={t: by_id[t].path for t in named if t in by_id},
                          between=between and not goes_on)

    def _kind(self) -> str:
        return "radio" if self.radio else "plain" if self.name == NEW_QUEUE_NAME else "named"

    def restore(self, saved: SavedQueue, snapshot: "LibrarySnapshot",
                moved: frozenset[int] = frozenset()) -> int:
        """Take ``saved`` back, playing nothing; returns how many of its tracks are no longer
        in ``snapshot`` (left out: gone, or an id now another track's — the library was built
        anew; ``moved``: ids whose track the scan recorded moved from the path kept, kept).
        Play goes on as it would have before: with the current entry (or, that one gone, the
        next still there), or with an entry added since the queue last played. A queue the
        user left whose current track is gone comes back between the entries around it, as
        one whose current row the user removed (:func:`_restored_current`).
        With none of its tracks left the queue stays as it is (empty: no heading of a queue
        of nothing)."""
        def ours(track: int | None) -> bool:
            info = snapshot.by_id.get(track) if track is not None else None
            return info is not None and (saved.paths.get(track) == info.path or track in moved)

        tracks = [t for t in dict.fromkeys(saved.tracks) if ours(t)]
        if not tracks:
            return len(set(saved.tracks))
        current, resume, between = _restored_current(saved, tracks, ours)
        self.active = False
        self._reset(tracks, name=recounted(saved.name, len(saved.tracks), len(tracks)),
                    announce=False)
        self.current, self.mode, self._resume = current, saved.mode, resume
        self._detached = between  # its entry was taken out, or left the library: no ▶
        self.radio = saved.kind == "radio"
        self.seed = (saved.seed if ours(saved.seed) else tracks[0]) if self.radio else None
        self._added = set(saved.added) & set(tracks)
        requested = self.app.library.requested
        self._queued.update(dict.fromkeys((t for t in saved.removed if ours(t)), requested))
        self.changed.emit()
        return len(set(saved.tracks)) - len(tracks)


def _restored_current(saved: SavedQueue, tracks: list[int],
                      ours: Callable[[int], bool]) -> tuple[int, bool, bool]:
    """(the restored queue's current entry, whether Play goes on with it, whether the queue
    is between two entries: no ▶). The current track gone from the library: where Play went
    on with it, the next entry still there (Play replayed the one before, a track already
    heard); else the entry before it, between, as a removed entry leaves it — it was marked
    ▶, so Previous went one row too far back and played a track heard again."""
    before = set(saved.tracks[:saved.current + 1])
    current = sum(t in before for t in tracks) - 1
    gone = saved.current >= 0 and not ours(saved.tracks[saved.current])
    resume = not saved.left and saved.current >= 0
    if resume and gone:
        current += 1
        resume = current < len(tracks)
        current = min(current, len(tracks) - 1)
    return current, resume, (saved.between or gone) and not resume


def restored_text(tracks: int, gone: int) -> str:
    """The line said once a kept queue is back: "Queue restored: 12 tracks", the tracks left
    out counted ("2 tracks of the queue are no longer in the library")."""
    verb = "is" if gone == 1 else "are"
    if not tracks:
        return f"Queue not restored: its {grouped(gone, 'track')} {verb} no longer in the library"
    line = f"Queue restored: {grouped(tracks, 'track')}"
    if gone:
        line += f"; {grouped(gone, 'track')} of the queue {verb} no longer in the library"
    return line


class QueueMemory:
    """Keeps the queue of the library shown in its data dir (:data:`QUEUE_FILE`)."""

    def __init__(self, app: "AppController") -> None:
        self.app = app
        self._held: "AppContext | None" = None
        """The library whose kept queue the queue now holds (None: not read yet): a change
        is written there only (the queue emptied for another library is not its queue)."""
        self._written = b""  # the bytes last read or written: the same again is not written
        self._spare_empty = False  # the file could not be read: no empty queue over it
        self._unread = False  # not read at start: what is there now is looked at before a write
        self._aside: "Path | None" = None  # where the start's line said that file will be put
        self._said_unwritable = False
        app.library.loaded.connect(self._loaded)
        app.queue.changed.connect(self.save)

    def let_go(self) -> None:
        """Another library is about to be shown: the queue kept for the one shown stays as it
        was last written, and the next read library's kept queue comes back (even the same
        library's again, when the one in between could not be read)."""
        self._held = None

    def _loaded(self, snapshot: "LibrarySnapshot") -> None:
        """The library shown has been read: its kept queue comes back, once per library.
        What the queue then holds counts as written: a window that changed nothing writes
        nothing (a ``--screenshot`` run, which may open beside the library's window, must
        not write its queue over the one that window keeps)."""
        if self._held is self.app.ctx:
            return
        self._held = None  # the restore's own change is not written: the file has it
        self._spare_empty = self._said_unwritable = self._unread = False
        self._aside = None
        try:
            self._restore(snapshot)
        finally:
            self._held, self._written = self.app.ctx, encode(self.app.queue.kept())

    def _restore(self, snapshot: "LibrarySnapshot") -> None:
        """Read the kept queue and take it back, said in one line."""
        try:
            saved = read_saved_queue(self.app.ctx.data_dir)
        except (QueueFileError, OSError) as exc:
            self._spare_empty = self._unread = True
            data_dir = self.app.ctx.data_dir
            self._aside = aside_path(data_dir) if _can_set_aside(data_dir) else None
            self.app.notify(self._unread_text(exc), "warning")
            return
        if saved is None or not saved.tracks:
            return
        shown_paths = {t: info.path for t, info in snapshot.by_id.items()}
        moved = frozenset(moved_since(self.app.ctx, saved, shown_paths))
        gone = self.app.queue.restore(saved, snapshot, moved)
        # none of its tracks left (a library rebuilt?): the file stays until a new queue
        self._spare_empty = not self.app.queue.tracks
        level = "warning" if gone else "info"
        self.app.notify(restored_text(len(self.app.queue.tracks), gone), level)

    def _unread_text(self, exc: Exception) -> str:
        """The one line for a kept queue not read: not a queue (:class:`QueueFileError`'s
        reason), or a file the system would not read (its error); where the first new queue
        will set it aside (:attr:`_aside`, a regular file's or a link's in a folder that can
        be written: the name is chosen at start; a read-only library's line promised it)."""
        path = shown(self.app.ctx.data_dir / QUEUE_FILE)
        aside = (f"set aside as {shown(self._aside)} once a new queue is kept"
                 if self._aside else "")
        if isinstance(exc, QueueFileError):
            return (f"The queue was not restored: {path} {exc}; the file is left as it is"
                    + (f", and {aside}" if aside else ""))
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return (f"The queue was not restored: {path} cannot be read ({why})"
                + (f"; it is {aside}" if aside else ""))

    def save(self) -> None:
        """Write the queue of the library shown, if it changed since last read or written
        (the window's close calls it too). A folder that cannot be written is said once."""
        if self._held is not self.app.ctx:
            return
        queue = self.app.queue
        if self._spare_empty and not queue.tracks:
            return
        data = encode(queue.kept())
        if data == self._written:
            return
        try:
            if self._unread and not self._way_cleared():
                return
            write_saved_queue(self.app.ctx.data_dir, data)
        except OSError as exc:
            self._unwritten(exc)
            return
        self._written, self._spare_empty, self._unread = data, False, False

    def _way_cleared(self) -> bool:
        """Before the first write over a file not read at start: that file set aside (said
        again only where it did not go where the start's line said: that name was taken
        meanwhile), or False where something not a regular file is there (a FIFO, a folder):
        it is left, and the queue is not written over it (said once)."""
        data_dir = self.app.ctx.data_dir
        there = in_the_way(data_dir)
        if there is None:
            if not self._said_unwritable:
                self._said_unwritable = True
                self.app.notify(f"The queue will not be kept for the next start: "
                                f"{shown(data_dir / QUEUE_FILE)} is not a file", "warning")
            return False
        try:
            aside = set_aside(data_dir) if there else None
        except OSError as exc:
            self._unwritten(exc, aside=True)
            return False
        if aside is not None and aside != self._aside:
            self.app.notify(f"The queue file not read at start: {shown(data_dir / QUEUE_FILE)} "
                            f"was set aside as {shown(aside)}", "warning")
        return True

    def _unwritten(self, exc: OSError, *, aside: bool = False) -> None:
        """The queue's file could not be written, or (``aside``) the one in its way not set
        aside: said once, and not at all for a library the user may only read — unless the
        start's line said where that file would go (it went nowhere, and nothing said so)."""
        if exc.errno in READ_ONLY_ERRORS and not (aside and self._aside):
            return  # a library the user may only read: nothing of it is written, nor the queue
        if not self._said_unwritable:
            self._said_unwritable = True
            what = "set aside" if aside else "written"
            self.app.notify(f"The queue will not be kept for the next start: "
                            f"{shown(self.app.ctx.data_dir / QUEUE_FILE)} cannot be "
                            f"{what} ({exc.strerror or exc})", "warning")


def _can_set_aside(data_dir: "Path") -> bool:
    """Whether a regular file or a link is at the queue's name, in a folder that can be
    written (a read-only library's start line promised a set-aside that never came)."""
    try:
        return bool(in_the_way(data_dir)) and os.access(data_dir, os.W_OK)
    except OSError:
        return False

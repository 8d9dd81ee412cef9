"""Tracks put into the play queue from any list's row menu: "Play next" (right after the
queue's current entry: the one playing, or the one it played last; the top of a queue that
never played) and "Add to queue" (at its end) — the rows chosen, in the list's order. Without
a queue, one named :data:`NEW_QUEUE_NAME` is made. A queue the user left (a click on the map
played something else) is kept whole: an add never takes a track out of it (making a new
queue in its place threw away what it still held, tracks queued by hand among them).

Adding starts nothing: the tracks wait in the queue (as in other players; the queue's own
"Play …" commands are asked to play, an add is not). An entry added since the queue last
played waits for Play — with nothing in the player, or over a track that ended (the player
asks :meth:`QueueAdds.starts_after_end`): the queue goes on with its next entry; a paused
track resumes and a stopped one plays again from its start, as before. "Play next" with a
track playing that the queue does not hold goes on once that track ends
(:attr:`QueueAdds._takes_over`): it was asked to play next.
Without adds, Play, the end of a track and a left queue behave as they did. The Queue tab's
own "Play next" (:meth:`QueueAdds.move_next`) moves its entry as a drag would, then lets it
wait the same way.

"Play next" on the queue's current entry while the queue does not go on with it (left for a
track played elsewhere, played to its end, stopped on errors) — from any list, the Queue tab's
too — leaves it where it is, still marked ▶, and it plays next: on Play, on Next, once the
other track ends (:attr:`QueueAdds._current_next`); tracks asked with it follow it. Each
list says "'X' plays next: left where it is" (with others: "…; 2 tracks after it (…)" — it
said "1 was queued already: moved", and it did not move). The Queue tab said "left where it
is" and never played it; the track lists' put the ▶ on the entry before it, and a restored
queue's Play then played that entry, one heard already. "Add to queue" on it afterwards moves
it to the end, and it plays next no more (the entry before it played, heard already).

A queue holds a track once (the rows are found again by their track, a radio never repeats):
a track already queued is moved to the asked place (the current entry stays, as above), unless
it is the one the queue plays (one line says so). A track without a file that can play is
refused in the line a double-click on it gets ("Cannot play 'X': the file is missing …"), the
queue untouched. A named queue's count follows
(:func:`~musicsage.controllers.queue_plans.recounted`); a radio keeps its name, and the added
track is one it has queued (its refills never bring it).

"Play next" on the Queue tab's own rows is no add but a reorder (:meth:`QueueAdds.move_next`):
the row goes where a drag to right after the current entry puts it (the queue's own
:meth:`move`). As an add, it made Play skip the current entry of a restored queue (the moved
entry counted as one added, waiting), and on the current entry itself, not playing, it put
the ▶ on the entry before (kept so for the next start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.playlist_tracks import why_unplayable
from musicsage.controllers.queue_plans import recounted
from musicsage.controllers.tasks import Event
from musicsage.text import grouped

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController

NEW_QUEUE_NAME = "Queue"
"""The name of a queue that an add made (none was there)."""


def refused_text(title: str, why: str, shown_path: str) -> str:
    """The one line an add of a track that cannot play says (``why``: its
    :func:`~musicsage.controllers.playlist_tracks.why_unplayable`), in the words Play says."""
    if why == "missing":
        return f"Cannot queue '{title}': the file is missing ({shown_path})"
    return f"Cannot queue '{title}': {shown_path}"


def added_text(title: str, added: int, *, next_: bool, moved: int, count: int) -> str:
    """What the status line says once ``added`` tracks went in (``title``: the one, if one),
    ``moved`` of them queued already."""
    where = "to play next" if next_ else "at the end of the queue"
    if added == 1 and moved:
        return f"'{title}' was queued already: moved {where.replace('at the', 'to the')}"
    what = f"'{title}'" if added == 1 else grouped(added, "track")
    line = f"Queued {what} {where} ({grouped(count, 'track')} queued)"
    if moved:
        line += f"; {moved} {'was' if moved == 1 else 'were'} queued already: moved"
    return line


def stays_text(title: str, after: int, *, moved: int, count: int) -> str:
    """The line for "Play next" on tracks that include the queue's current entry, not playing
    (``title``): that entry stays where it is and plays next, the ``after`` others follow it,
    ``moved`` of them queued already. It said the entry "was queued already: moved", and it
    did not move."""
    line = f"'{title}' plays next: left where it is"
    if after:
        line += f"; {grouped(after, 'track')} after it ({grouped(count, 'track')} queued)"
    if moved:
        line += f"; {moved} {'was' if moved == 1 else 'were'} queued already: moved"
    return line


class QueueAdds:
    """The adding half of the queue controller (its state lives there)."""

    app: "AppController"
    tracks: list[int]
    current: int
    name: str
    radio: bool
    active: bool
    changed: Event
    _queued: dict[int, int]
    _detached: bool
    _takes_over: bool
    _added: set[int]
    _resume: bool
    _current_next: bool

    def _reset(self, tracks: list[int], *, name: str, announce: bool = True) -> None:
        raise NotImplementedError  # the controller's

    def move(self, index: int, to: int) -> None:
        raise NotImplementedError  # the controller's (queue_edits)

    def play_next(self, *track_ids: int) -> None:
        """"Play next": ``track_ids`` (in this order) right after the queue's current entry."""
        self._add([int(t) for t in track_ids], next_=True)

    def add_to_queue(self, *track_ids: int) -> None:
        """"Add to queue": ``track_ids`` (in this order) at the queue's end."""
        self._add([int(t) for t in track_ids], next_=False)

    def move_next(self, index: int) -> None:
        """The Queue tab's "Play next" on its entry at ``index``: moved as a drag to right
        after the current entry moves it, said in one line; the current entry itself stays
        where it is, playing or not, and so does the entry already next. It then plays next
        as the track lists' Play next does: after a track outside the queue ends, or on Play
        over the queue's ended last track (a plain move left it unplayed there) — the current
        entry too, where the queue does not go on with it (left, or played to its end)."""
        if not 0 <= index < len(self.tracks):
            return
        title = self._title(self.tracks[index])
        to = self.current if index < self.current else self.current + 1  # (a drag's place)
        if index == self.current and (self.active or self._resume) and not self._detached:
            self.app.notify(f"'{title}' is the queue's current track: left where it is")
            return
        if index == self.current:
            self._current_plays_next()
            return
        self._added.add(self.tracks[index])  # before the move: its change is what is kept
        self._takes_over = self._takes_over or not self.active
        if to != index:
            self.move(index, to)
            self.app.notify(f"Moved '{title}' to play next")
        else:
            self.changed.emit()  # what is kept: the entry now waits to play next
            self.app.notify(f"'{title}' plays next already: nothing moved")

    def _current_plays_next(self) -> None:
        """The Queue tab's "Play next" on the entry the queue is at, not playing it: that
        entry stays where it is (▶) and plays next, on Play, Next or another track's end."""
        title = self._title(self.tracks[self.current])
        already, self._current_next, self._takes_over = self._current_next, True, True
        self.changed.emit()
        self.app.notify(f"'{title}' plays next already: nothing moved" if already
                        else f"'{title}' plays next: left where it is")

    def _title(self, track_id: int) -> str:
        """The track's title, as the lines of adds say it (its id: the library forgot it)."""
        snap = self.app.library.snapshot
        info = snap.by_id.get(track_id) if snap else None
        return info.display_title if info is not None else f"track {track_id}"

    def starts_after_end(self) -> bool:
        """Whether Play, over a track that ended, plays the queue's next entry instead of that
        track again: one added since the queue last played waits after its current one."""
        return self._add_waits()

    def _add(self, track_ids: list[int], *, next_: bool) -> None:
        ids = [t for t in dict.fromkeys(track_ids) if not self._refused(t)]
        if not ids:
            return
        if not self.tracks:  # none (or emptied): a new one, unplayed
            self.active = False
            self._reset([], name=NEW_QUEUE_NAME, announce=False)
        queued = set(self.tracks)  # a set: thousands of rows onto a region's queue at once
        moved = sum(t in queued for t in ids)
        own = next_ and not self.active and any(self._is_current(t) for t in ids)
        if own:  # the queue's entry, not playing: it stays where it is and plays first
            self._current_next = True
        self._place([t for t in ids if not (own and self._is_current(t))], next_)
        self._added.update(ids)
        self._takes_over = self._takes_over or (next_ and not self.active)
        self.changed.emit()
        if own:
            self.app.notify(stays_text(self._title(self.tracks[self.current]), len(ids) - 1,
                                       moved=moved - 1, count=len(self.tracks)))
            return
        title = self.app.library.snapshot.by_id[ids[0]].display_title
        self.app.notify(added_text(title, len(ids), next_=next_, moved=moved,
                                   count=len(self.tracks)))

    def _refused(self, track_id: int) -> bool:
        """Whether ``track_id`` cannot be queued (said in one line): gone from the library
        since its row was drawn, without a file that can play, or the entry the queue plays."""
        snap = self.app.library.snapshot
        info = snap.by_id.get(track_id) if snap else None
        if info is None:
            self.app.notify("Cannot queue that track: it is no longer in the library", "warning")
        elif why := why_unplayable(info):
            self.app.notify(refused_text(info.display_title, why, info.shown_path), "warning")
        elif self.active and self._is_current(track_id):
            self.app.notify(f"'{info.display_title}' is the queue's current track: left where "
                            "it is")
        else:
            return False
        return True

    def _is_current(self, track_id: int) -> bool:
        """Whether ``track_id`` is the entry the queue marks as its own (not one removed)."""
        return (not self._detached and 0 <= self.current < len(self.tracks)
                and self.tracks[self.current] == track_id)

    def _add_waits(self) -> bool:
        """Whether an entry added since the queue last played is still to come in it (Remove,
        or a move before the current entry, takes that wait away again), or the current
        entry was asked to play next."""
        return self._current_next or (
            bool(self._added) and any(t in self._added for t in self.tracks[self.current + 1:]))

    def _place(self, track_ids: list[int], next_: bool) -> None:
        """Put ``track_ids`` after the current entry or at the end, each taken out of where it
        was; :attr:`current` stays on the same entry (Next plays the entry after it), or on
        the one before it when that entry itself moved (and no longer plays next: it played
        the entry before it, heard already)."""
        moving = set(track_ids)
        if 0 <= self.current < len(self.tracks) and self.tracks[self.current] in moving:
            self._current_next = False  # the entry asked to play next goes where now asked
            self._resume = False  # a restored queue goes on after it, not with the one before
        played = [t for t in self.tracks[:self.current + 1] if t not in moving]
        upcoming = [t for t in self.tracks[self.current + 1:] if t not in moving]
        was = len(self.tracks)
        self.tracks = played + (track_ids + upcoming if next_ else upcoming + track_ids)
        self.current = len(played) - 1
        for track_id in track_ids:
            self._queued.setdefault(track_id, self.app.library.requested)
        if not self.radio:  # a radio's name is its seed's: no count of the queue's
            self.name = recounted(self.name, was, len(self.tracks))

    def _take_over(self) -> bool:
        """The track the player had, not the queue's, ended: whether the queue goes on now
        ("Play next" put an entry in it meanwhile, still to come), said once."""
        takes, self._takes_over = self._takes_over and self._add_waits(), False
        return takes

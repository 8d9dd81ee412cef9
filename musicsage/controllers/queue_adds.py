"""One track put into the play queue from any list's row menu: "Play next" (right after the
queue's current entry: the one playing, or the one it played last; the top of a queue that
never played) and "Add to queue" (at its end). Without a queue, one named
:data:`NEW_QUEUE_NAME` is made.

Adding starts nothing: with the player stopped the track waits in the queue (Next, Play or a
double-click on its row plays it), as in other players; the existing queue's own "Play …"
commands start at once, but those are asked to play, an add is not. With a track playing
that the queue does not hold (a click on the map), the queue goes on once it ends
(:attr:`QueueAdds._takes_over`): "Play next" meant after the track playing.

A queue holds a track once (the rows are found again by their track, a radio never repeats):
a track already queued is moved to the asked place, and the queue's current entry is left
where it is (one line says so). A track without a file that can play is refused in the line
a double-click on it gets ("Cannot play 'X': the file is missing …"), the queue untouched.
A named queue's count follows (:func:`~musicsage.controllers.queue_plans.recounted`); a
radio keeps its name, and the added track is one it has queued (its refills never bring it).
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


def added_text(title: str, *, next_: bool, moved: bool, count: int) -> str:
    """What the status line says once ``title`` went in (``moved``: it was queued already)."""
    where = "to play next" if next_ else "at the end of the queue"
    if moved:
        return f"'{title}' was queued already: moved {where}"
    return f"Queued '{title}' {where} ({grouped(count, 'track')} queued)"


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

    def _reset(self, tracks: list[int], *, name: str, announce: bool = True) -> None:
        raise NotImplementedError  # the controller's

    def play_next(self, track_id: int) -> None:
        """"Play next": ``track_id`` right after the queue's current entry."""
        self._add(int(track_id), next_=True)

    def add_to_queue(self, track_id: int) -> None:
        """"Add to queue": ``track_id`` at the queue's end."""
        self._add(int(track_id), next_=False)

    def _add(self, track_id: int, *, next_: bool) -> None:
        snap = self.app.library.snapshot
        info = snap.by_id.get(track_id) if snap else None
        if info is None:  # gone from the library since its row was drawn
            self.app.notify("Cannot queue that track: it is no longer in the library", "warning")
            return
        title = info.display_title
        if why := why_unplayable(info):
            self.app.notify(refused_text(title, why, info.shown_path), "warning")
            return
        if self._is_current(track_id):
            self.app.notify(f"'{title}' is the queue's current track: left where it is")
            return
        if not self.tracks:  # no queue (or an emptied one): a new one, nothing of it played
            self.active = False
            self._reset([], name=NEW_QUEUE_NAME, announce=False)
        moved = track_id in self.tracks
        self._place(track_id, next_)
        self._takes_over = self._takes_over or not self.active
        self.changed.emit()
        self.app.notify(added_text(title, next_=next_, moved=moved, count=len(self.tracks)))

    def _is_current(self, track_id: int) -> bool:
        """Whether ``track_id`` is the entry the queue marks as its own (not one removed)."""
        return (not self._detached and 0 <= self.current < len(self.tracks)
                and self.tracks[self.current] == track_id)

    def _place(self, track_id: int, next_: bool) -> None:
        """Put ``track_id`` after the current entry or at the end, taken out of where it was;
        :attr:`current` stays on the same entry (Next plays the entry after it)."""
        played, upcoming = self.tracks[:self.current + 1], self.tracks[self.current + 1:]
        played = [t for t in played if t != track_id]
        upcoming = [t for t in upcoming if t != track_id]
        was = len(self.tracks)
        self.tracks = played + ([track_id] + upcoming if next_ else upcoming + [track_id])
        self.current = len(played) - 1
        self._queued.setdefault(track_id, self.app.library.requested)
        if not self.radio:  # a radio's name is its seed's: no count of the queue's
            self.name = recounted(self.name, was, len(self.tracks))

    def _take_over(self) -> bool:
        """The track the player had, not the queue's, ended: whether the queue goes on now
        (something was added to it meanwhile), said once."""
        takes, self._takes_over = self._takes_over, False
        return takes

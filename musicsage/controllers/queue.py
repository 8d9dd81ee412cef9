"""The play queue: "Play similar" (a radio of graph neighbours that keeps going), a map
region played in order, a playlist played in its own order (:meth:`QueueController.play_playlist`),
reordering, clearing, saving as a playlist; tracks put in by "Play next" or "Add to queue"
(:mod:`~musicsage.controllers.queue_adds`).

The queue holds track ids and the index of the one playing. A radio queue asks
:func:`~musicsage.usecases.radio.radio_more` for more whenever fewer than :data:`REFILL_AT`
tracks are left (:mod:`~musicsage.controllers.queue_refills`), passing every track it ever
queued so nothing repeats (nor a copy of any, nor a track removed from it); a missing file is
skipped when its turn comes, and so is a file the player cannot play. When it is the audio
output that failed, no other track would play either: the queue stops where it is, kept
whole, and says so once (it skipped through every track, one warning each, and a radio kept
refilling); so does a file whose whole music folder is gone (a
drive unplugged: :mod:`~musicsage.controllers.queue_folders`), and its folder's other tracks are
not tried, nor played when chosen, while it stays gone. The queue only follows the player while
it is the queue that plays: playing something else (a click on the map) leaves it where it was.

Previous and Next step through the queue as a music player does: Previous within the first
:data:`RESTART_AFTER_SECONDS` of the queue's track goes to the entry before it, later it starts
the track again. Play/pause where nothing can play sound (no audio output device) is refused
as a play of the track it would play, so the status line says why (:meth:`play_pause_refused`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from musicsage.controllers.playlist_tracks import why_unplayable
from musicsage.controllers.queue_adds import QueueAdds
from musicsage.controllers.queue_edits import QueueEdits
from musicsage.controllers.queue_folders import (gone_folder, in_folders, past_refused,
                                                 still_gone, track_folder)
from musicsage.controllers.queue_labels import QueueLabels
from musicsage.controllers.queue_memory import QueueRestore
from musicsage.controllers.queue_output import output_failed_text
from musicsage.controllers.queue_plans import (left_out_text, no_radio_text,
                                               nothing_to_play_text, playlist_queue)
from musicsage.controllers.queue_refills import BATCH, RadioRefills
from musicsage.controllers.queue_unanswered import (drive_silent_note, queue_stop_text,
                                                    row_refusal_text)
from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.wording import no_sound_notice
from musicsage.text import grouped
from musicsage.usecases.playlist_names import default_playlist_path
from musicsage.usecases.radio import radio_start

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController
    from musicsage.library.browse import TrackInfo
    from musicsage.search.types import RadioResult

REFILL_AT = 3
"""A radio asks for more when this few tracks are left after the one playing."""
MODES = [("close", "Stay close to the seed"), ("drift", "Drift from track to track")]
RESTART_AFTER_SECONDS = 3.0
"""Previous this far into the queue's track (or further) starts it again; sooner, it goes to
the entry before (a double press skips back, as in music players)."""
DEVICE_FAILED = "device"
"""The player's ``error_kind`` when the audio output failed (``"file"``: this track only)."""


class QueueController(RadioRefills, QueueEdits, QueueAdds, QueueRestore):
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.tracks: list[int] = []
        self.current = -1
        """Index of the track playing (or last played); -1 before the first."""
        self.seed: int | None = None
        self.radio = False
        """Keeps going with graph neighbours of :attr:`seed` (else: plays what it holds)."""
        self.mode = "close"
        self.name = ""
        self.note = ""
        self.active = False
        """The player is playing the queue (its end moves the queue on)."""
        self._generation = 0  # a cleared or replaced queue ignores late refills
        self._refilling = False
        self._stalled = False
        self._exhausted = False  # a refill brought nothing playable: the radio has ended
        self._failed_refills = 0  # refills failed in a row (two end the radio)
        self._retry_note = ""  # the part of :attr:`note` saying a failed refill is asked again
        self._refill_task: Task | None = None  # the refill asked for, until it ends
        self._gone: set[str] = set()  # music folders found gone in this queue: not tried again
        self._queued: dict[int, int] = {}  # each track queued: library.requested then (none back)
        self._no_graph_note = ""  # the part of :attr:`note` saying there is no graph model
        self._detached = False
        """The current entry was removed (it may play on): :attr:`current` is the entry before
        it, Next plays the one that followed it (and Play, where the queue went on with its
        entry: a restored one), Previous the one before it."""
        self._stopped = False  # the queue stopped on errors: nothing of it plays
        self._backwards = False  # came by Previous, not yet played: if it cannot play, go back on
        self._takes_over = False  # "Play next" while another track played: goes on after it
        self._resume = False  # restored, not left: Play goes on with it (queue_memory)
        self._current_next = False  # "Play next" on it, not playing: it plays next (queue_adds)
        self._added: set[int] = set()  # tracks added since the queue last played (queue_adds)
        self.changed = Event()  # the queue, its current track, its name or mode changed
        self.restart = Event()  # Previous late in the queue's track: play it from its start

    # -- starting -------------------------------------------------------------------------------
    def play_similar(self, track_id: int) -> Task:
        """Start a radio from ``track_id``: it plays, graph neighbours follow ("One per
        artist" as the window has it). The queue is replaced only once the radio's first
        tracks are known: a seed that cannot start one keeps the queue, and says why."""
        seed, generation = int(track_id), self._generation
        task = self.app.run("radio", radio_start, self.app.ctx, seed, BATCH, self.mode,
                            variety=self.app.variety, spaces=self.app.spaces, key="play similar")
        return task.on_result(lambda result: self._start_radio(seed, generation, result))

    def _start_radio(self, seed: int, generation: int, result: "RadioResult | str") -> None:
        """The first tracks of a radio from ``seed`` (a ``str``: why it has none) are known."""
        if generation != self._generation:  # another queue was started meanwhile
            return
        if isinstance(result, str):
            self.app.notify(no_radio_text(self.app.selection.label(seed), result), "warning")
            return
        self._reset([seed], name=f"Radio: {self.app.selection.label(seed)}",
                    announce=False)  # _play says it, with the track playing
        self.seed, self.radio = seed, True
        self._take(result)
        if not self._playable(seed):  # its file missing: said, as a click on it says it (the
            self.app.selection.play_track(seed)  # neighbour after it played with no word)
        self._play(0)

    def play_list(self, track_ids: Sequence[int], name: str) -> None:
        """Play ``track_ids`` in this order (a map region); no radio after the last. Announced
        once, with its first track playing (twice, each view rebuilt its 28,356 rows twice)."""
        tracks = [int(t) for t in dict.fromkeys(track_ids)]
        self._reset(tracks, name=name, announce=not tracks)
        if self.tracks:
            self._play(0)

    def play_playlist(self, playlist_id: int) -> bool:
        """Play a playlist of the library in its own order ("Play playlist" on the list):
        its present, playable members, each once. The entries left out (not found, without an
        audio file, or a file that is missing: each counted apart) are said before it plays,
        so that a refusal for want of a sound card (the play of the first track, as for Play
        in order) is the line left on screen.
        Returns whether a queue started (False: nothing of it can play, the queue kept)."""
        plan = playlist_queue(self.app.library.snapshot, playlist_id)
        if plan is None:
            return False
        tracks, name, left_out = plan
        if left_out or not tracks:
            self.app.notify(left_out_text(left_out, name, played=bool(tracks)), "warning")
        if not tracks:
            return False
        self.play_list(tracks, f"Playlist: {name} ({grouped(len(tracks), 'track')})")
        return True

    def _reset(self, tracks: list[int], *, name: str, announce: bool = True) -> None:
        """A new queue (``announce``: say so now; else the caller's next step says it)."""
        self._generation += 1
        self._refilling = self._stalled = self._exhausted = self._detached = self._stopped = False
        self._failed_refills, self._refill_task, self._retry_note = 0, None, ""
        self._gone, self._queued = set(), dict.fromkeys(tracks, self.app.library.requested)
        self._no_graph_note, self._takes_over, self._added, self._resume = "", False, set(), False
        self._current_next = False
        self.tracks, self.current, self.name, self.note = tracks, -1, name, ""
        self.seed, self.radio = None, False
        if announce:
            self.changed.emit()

    # -- moving on -------------------------------------------------------------------------------
    def next(self) -> None:
        """Play the next playable track (refilling a radio first when it runs low): the
        current entry itself where "Play next" asked for it while the queue did not play it."""
        self._play(self.current + 1 - self._current_next)

    def play_at(self, index: int) -> None:
        """Play the entry the user chose (a row double-clicked, Enter), or say why not (it
        played the next playable entry, unannounced): a file the scan marked missing as a click
        elsewhere says, one in a music folder found gone (a drive unplugged) naming the track."""
        track = self.tracks[int(index)] if 0 <= int(index) < len(self.tracks) else None
        if track is not None and not self._playable(track):
            self.app.selection.play_track(track)  # says why, plays nothing
            return
        self._gone, snap = still_gone(self._gone), self.app.library.snapshot  # plugged back?
        if track is not None and in_folders(snap, track, self._gone):
            title = snap.by_id[track].display_title
            self.app.notify(row_refusal_text(title, track_folder(snap, track)), "warning")
            return
        self._play(int(index))

    def has_previous(self) -> bool:
        """Whether Previous has an entry to go to (a playable one before the current)."""
        return self._playable_before(self.current + self._detached) is not None

    def has_next(self) -> bool:
        """Whether Next has somewhere to go: a playable entry after, in no folder found gone."""
        gone = still_gone(self._gone)
        return any(self._playable(t, gone)
                   for t in self.tracks[self.current + 1 - self._current_next:])

    @property
    def restarts_track(self) -> bool:
        """Whether Previous, late in the track playing, starts it again: the queue's own."""
        return self.active and not self._detached

    def previous(self, position_seconds: float = 0.0) -> None:
        """Previous, ``position_seconds`` into the track the player has: late in the queue's
        own track it starts again (:attr:`restart`); else the playable entry before plays."""
        if self.restarts_track and position_seconds >= RESTART_AFTER_SECONDS:
            self.restart.emit()
            return
        index = self._playable_before(self.current + self._detached)
        if index is not None:
            self._play(index, backwards=True)

    def _playable_before(self, index: int) -> int | None:
        gone = still_gone(self._gone)
        for i in range(min(index, len(self.tracks)) - 1, -1, -1):
            if self._playable(self.tracks[i], gone):
                return i
        return None

    def play_pause_refused(self) -> None:
        """Play/pause (Space, the media key) while nothing can play sound: it did nothing at
        all. It is refused as a play of the track it would play — the queue's current one,
        else the selected one — so the status line says why in the words a double-click gets;
        with neither, the line of the start-up (no audio output device) again."""
        in_queue = 0 <= self.current < len(self.tracks)
        track = self.tracks[self.current] if in_queue else self.app.selection.selected
        if track is not None:
            self.app.selection.play_track(track, asked=True)
            return
        line, details = no_sound_notice(self.app.selection.cannot_play_reason()
                                        or "playback disabled")
        self.app.notify(line, "warning", details)

    def track_started(self) -> None:
        """The player plays (sound came): a failure now (damage at 2:31, a seek into it) is a
        track that played, and the queue moves on from it, after Previous too."""
        self._backwards = False

    def track_ended(self) -> None:
        """The player finished a track: the queue moves on if it was playing it, or if "Play
        next" put a track in it while another track played (:mod:`.queue_adds`)."""
        if self.active or self._take_over():
            self.next()

    def play_failed(self, kind: str, message: str) -> None:
        """The player could not play a track (``kind``: the engine's ``error_kind``), said
        once: a failed output, or a music folder gone, that stops the queue is said in the
        queue's line (:meth:`track_failed`), any other failure — a file, or anything played
        outside the queue — in the player's ``message``."""
        folder = self._gone_folder(kind)
        if not ((kind == DEVICE_FAILED or folder is not None) and self.active):
            self.app.notify(message + drive_silent_note(self), "warning")
        self._failed(kind, message, folder)

    def track_failed(self, kind: str = "file", reason: str = "") -> None:
        """The player could not play the queue's track (``kind``: the engine's
        ``error_kind``). A file that cannot play is skipped. An audio output that failed, or
        a file whose whole music folder is gone (a drive unplugged), stops the queue where it
        is, kept whole, with one line that says so: every other track would fail the same way
        (one warning each, and a radio refilled for ever)."""
        self._failed(kind, reason, self._gone_folder(kind))

    def _failed(self, kind: str, reason: str, folder: str | None) -> None:
        """:meth:`track_failed`, its track's gone music folder looked for once (a disk read)."""
        if not self.active:
            return
        if kind != DEVICE_FAILED and folder is None:  # skipped: on, or back after Previous
            back = self._playable_before(self.current) if self._backwards else None
            on = past_refused(self.app.library.snapshot, self.tracks, self.current + 1)
            self._play(on if back is None else back, after_failure=True,
                       backwards=back is not None)
            return
        if folder is not None:
            self._gone.add(folder)
        self.active = self._stalled = False
        self._stopped = True
        self.changed.emit()
        self.app.notify(queue_stop_text(folder) if folder is not None
                        else output_failed_text(reason), "warning")

    def _gone_folder(self, kind: str) -> str | None:
        """The music folder of the queue's current track, if it is gone or stays silent
        (:func:`gone_folder`): looked for when a file failed, not the output."""
        if kind == DEVICE_FAILED or not (self.active and 0 <= self.current < len(self.tracks)):
            return None
        return gone_folder(self.app.library.snapshot, self.tracks[self.current])

    @property
    def marked(self) -> int:
        """The entry a view marks ▶ (-1: none): none while the entry that played was removed
        from the queue, or once the queue stopped on errors — nothing of it plays then."""
        return -1 if self._detached or self._stopped else self.current

    def can_start(self) -> bool:
        """Whether Play, with nothing in the player, has a track to play (:meth:`start`)."""
        return (self._resumes_own_track() or self._add_waits()
                or self.app.selection.selected is not None)

    def start(self) -> None:
        """Play with nothing in the player (Play, Space), or over an ended track with an added
        entry waiting (:meth:`starts_after_end`): the queue's next entry if one added since it
        last played waits (first: the queue's own track may have ended before the window heard
        it, and was played again; not a restored queue's own, which never ended), else the
        queue's track while it plays, else the selected track, as a double-click plays it;
        else (Play is greyed: Space only) a line says how to have one — Space did nothing.
        An entry asked to play next where the queue's own was (:attr:`_current_next`) plays
        in a restored queue too: its own removed, Play went on with the row after it."""
        if self._current_next or (self._add_waits() and not self._resume):
            self.next()  # "Play next" / "Add to queue": on (an entry asked to play next first)
        elif self._resumes_own_track():  # its entry removed: the one that followed it
            self._play(self.current + self._detached)
        elif (track := self.app.selection.selected) is not None:
            self.app.selection.play_track(track)
        else:
            self.app.notify(nothing_to_play_text(queued=bool(self.tracks)))

    def _resumes_own_track(self) -> bool:
        """Whether Play with nothing in the player plays the queue's own current track (that
        one removed from a restored queue: the entry that followed it, as after a restart)."""
        going_on = self.current + self._detached
        return (self.restarts_track or self._resume) and 0 <= going_on < len(self.tracks)

    def notice_play(self, track_id: int) -> None:
        """Something started playing: the queue follows only its own tracks. One not the
        queue's ends a radio's wait for its refill: the refill, when it comes, must not
        replace what the user chose; the queue left so, what was added to it waits no more
        (Play does not bring it back: :mod:`.queue_adds`)."""
        playing_ours = (0 <= self.current < len(self.tracks)
                        and self.tracks[self.current] == track_id)
        was, self.active = self.active or self._resume, self.active and playing_ours
        self._resume = self._resume and playing_ours  # a restored queue left (queue_memory)
        self._stalled = self._stalled and self.active
        self._current_next = self._current_next and not playing_ours and not was
        if was and not (self.active or self._resume):
            self._added = set()
            self.changed.emit()  # Previous no longer restarts: the player's track is not ours

    def _playable(self, track_id: int, gone: set[str] = frozenset()) -> bool:
        snap = self.app.library.snapshot  # ``gone``: music folders skipped too
        info = snap.by_id.get(track_id) if snap else None
        return not why_unplayable(info) and not in_folders(snap, track_id, gone)

    def _play(self, index: int, *, after_failure: bool = False, backwards: bool = False) -> None:
        """Play the entry at ``index``, or the first playable one after it: a file the last
        scan found missing is skipped, and so, without trying it, is one in a music folder
        this queue found gone (while it still is). ``after_failure``: the entry before it
        failed (the queue's end is then reached on errors: no entry is marked playing);
        ``backwards``: Previous chose it (Previous again, should it fail to play)."""
        self._gone = still_gone(self._gone)  # a drive plugged back in
        passed, snap = None, self.app.library.snapshot
        while 0 <= index < len(self.tracks):
            if self._gone and (folder := track_folder(snap, self.tracks[index])) in self._gone:
                passed = folder
            elif self._playable(self.tracks[index]):
                break
            index += 1
        if self.radio and len(self.tracks) - max(index, 0) <= REFILL_AT:
            self._refill()
        if not 0 <= index < len(self.tracks):
            # the end: a radio waiting for its refill goes on when it arrives
            self._stalled = self.radio and self._refilling and index >= len(self.tracks)
            self.active = False
            self._stopped = after_failure or passed is not None
            if index >= len(self.tracks):
                self.current = len(self.tracks) - 1
            self.changed.emit()
            if passed is not None:
                self.app.notify(queue_stop_text(passed), "warning")
            return
        self.current, self.active = index, self.app.selection.can_play()  # no sound: marked ›
        self._detached = self._stopped = self._takes_over = self._resume = self._stalled = False
        self._added, self._backwards, self._current_next = set(), backwards, False
        self.changed.emit()  # active before it is said: Previous late in the track restarts it
        self.app.selection.play_track(self.tracks[index])

    # -- editing ---------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """close | drift: how the next refill picks tracks."""
        self.mode = mode
        self.changed.emit()

    def library_loaded(self, snapshot) -> None:
        """Tracks a snapshot requested after they were queued lacks leave the queue, said;
        a note that there is no graph model goes once there is one."""
        gone = {i for i, t in enumerate(self.tracks) if t not in snapshot.by_id
                and self.app.library.read_after(self._queued.get(t, -1))}
        if self._graph_model_came(snapshot) and not gone:
            self.changed.emit()
        if gone:
            self._drop(gone)
            self.app.notify(f"{grouped(len(gone), 'track')} left the queue (no longer in "
                            "the library)")

    def clear(self) -> None:
        """Empty the queue (what is playing plays on, nothing follows it)."""
        self.active = False
        self._reset([], name="")

    @property
    def mode_applies(self) -> bool:
        """Whether :attr:`mode` (close | drift) means anything for this queue: a radio's
        refills follow it, and an empty queue's next radio starts with it. A fixed list (a
        map region played in order) never asks for more: there, the choice only misled."""
        return self.radio or not self.tracks

    def labels(self) -> QueueLabels:
        """The queue's labels, in its order, each made only when read."""
        return QueueLabels(self.tracks, self.app.selection.labeller(self.tracks),
                           queue=self._generation)

    # -- saving ----------------------------------------------------------------------------------
    def default_playlist_path(self) -> Path:
        return default_playlist_path(self.name or "Queue")

    def save_playlist(self, path: str) -> Task | None:
        """Write the queue, in its order, as an M3U8 playlist."""
        return self.app.save_tracks(path, self.tracks, self.name or "Queue")

"""What the play queue (:mod:`musicsage.controllers.queue`) is asked to hold, and the lines
said about it: a playlist's playable tracks and those left out; the count its name states
once tracks leave it (:func:`recounted`); what a radio's refill asks
for, what the queue says when the radio runs out, what "Play similar" says when its seed
cannot start a radio, and what Space, Previous or Next says by its key with nowhere to go
(:func:`step_refused`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from musicsage.controllers.playlist_tracks import LEFT_OUT_WORDS, left_out_parts, why_unplayable
from musicsage.controllers.wording import no_sound_notice, window_note
from musicsage.text import counted, grouped

if TYPE_CHECKING:
    from musicsage.controllers.queue import QueueController
    from musicsage.usecases.snapshot import LibrarySnapshot


def playlist_queue(snapshot: "LibrarySnapshot | None",
                   playlist_id: int) -> tuple[list[int], str, dict[str, int]] | None:
    """(the playable track ids of a playlist in its order, each once; its name; how many of
    its entries are left out, by :func:`why_unplayable`: not in the library, without an
    audio file or their file missing), or None when the playlist is not in ``snapshot``.
    Read from the snapshot's memberships, which keep the playlist's order."""
    info = snapshot.playlist(playlist_id) if snapshot else None
    if info is None:
        return None
    members = [tid for pid, tid in snapshot.memberships if pid == info.id]
    why = [why_unplayable(snapshot.by_id.get(t)) for t in members]
    tracks = list(dict.fromkeys(t for t, w in zip(members, why) if not w))
    left_out = {kind: why.count(kind) for kind in LEFT_OUT_WORDS}
    left_out["not found"] += info.unresolved
    return tracks, snapshot.playlist_name(info), {k: n for k, n in left_out.items() if n}


def left_out_text(left_out: dict[str, int], name: str, *, played: bool) -> str:
    """"Left out of 'Mix': 3 tracks missing, 1 track without an audio file", or, where none
    is left to play, that nothing of it can play (and why, if it has entries)."""
    parts = ", ".join(left_out_parts(left_out, count=lambda kind, n: grouped(n, "entry", "entries")
                                     if kind == "not found" else grouped(n, "track")))
    if not played:
        return f"'{name}' has no track that can play" + (f": {parts}" if parts else "")
    return f"Left out of '{name}': {parts}"


def recounted(name: str, was: int, now: int) -> str:
    """``name``, a fixed queue's, once it went from ``was`` tracks to ``now``: a count of
    ``was`` it ends with ("Map region (120 tracks)", "Playlist: Mix (1,200 tracks)") says
    ``now``. The Queue tab's heading, and the name "Save as playlist…" wrote into the file,
    kept the count a removed track had left behind; any other name is kept as it is."""
    for stated in (f" ({grouped(was, 'track')})", f" ({counted(was, 'track')})"):
        if name.endswith(stated):
            return f"{name[:-len(stated)]} ({grouped(now, 'track')})"
    return name


def refill_after(queued: Iterable[int], tracks: Sequence[int]) -> list[int]:
    """What a refill passes as ``after``: the tracks the radio queued that the queue no longer
    holds (removed by the user, or gone from the library), then the queue in its order. A
    track taken out of a radio never comes back (the README promises no repeats), and drift
    goes on from the queue's last track."""
    held = set(tracks)
    return [*(t for t in queued if t not in held), *tracks]


def ended_note(note: str, new: Sequence[int], left_out: str = "") -> str:
    """The queue's ``note`` once a refill brought nothing that can play (``new``: what it
    brought, all missing files): nothing more near the seed (all heard, or their files gone),
    and asking again would bring the same, refill after refill, keeping the app busy for good.
    ``left_out``: the tracks "One per artist" left out (a radio's
    :meth:`~musicsage.search.types.RadioResult.variety_left_out`), with how to have them: the
    note said only "no more tracks", with the seed's artist's other tracks in the library."""
    ended = ("no more tracks for this radio: it stops after the ones queued" if not new
             else "no more tracks with a file for this radio: it stops after the ones queued")
    if left_out:
        ended += f"; {left_out}: untick One per artist and Play similar again to queue them"
    return (f"{note}; " if note else "") + ended


def no_radio_text(label: str, reason: str) -> str:
    """The one line "Play similar" says when ``label``'s track cannot start a radio (it has
    no vector to search from: ``reason``); nothing was played and the queue was not touched."""
    return f"Cannot start a radio from '{label}': {window_note(reason)}. The queue is kept."


def nothing_to_play_text(*, queued: bool) -> str:
    """What Play / pause (Space) says with nothing loaded, nothing selected and no queue
    playing; ``queued``: the queue lists tracks (it stopped at its end, or on errors), and a
    double-click on one of them plays it."""
    queue = ", double-click a queued track" if queued else ""
    return ("Nothing to play: select a track on the map or in a list (Space then plays it)"
            f"{queue}, or start a queue with Play similar")


def no_step_text(forward: bool, *, queued: bool, finding_more: bool = False,
                 playing_it: bool = True) -> str:
    """The one line Previous (``forward`` False) or Next says, pressed by its key while its
    button is greyed (Qt drops a disabled action's key: nothing visible happened, with an
    empty queue above all). ``queued``: the queue holds tracks; ``finding_more``: a radio's
    refill is under way; ``playing_it``: the player plays the queue's current track (else
    "this track" would name one double-clicked on the map, which the queue does not hold)."""
    if not queued:
        return ("Nothing is queued: start a queue with Play similar on a track, Play playlist "
                "on a playlist or Play in order on a map region")
    if forward and finding_more:
        return "Next: the radio is still finding its next tracks; press Next again in a moment"
    where = "after" if forward else "before"
    track = "this track in the queue" if playing_it else "the queue's current track"
    return f"{'Next' if forward else 'Previous'}: nothing {where} {track} can play"


def step_refused(queue: "QueueController", forward: bool) -> None:
    """Previous (``forward`` False) or Next pressed by its key while greyed says why on the
    status line, as Space's refusal does (:meth:`QueueController.play_pause_refused`): no
    sound card (the start-up's line again), else the queue's reason (:func:`no_step_text`)."""
    selection = queue.app.selection
    if not selection.can_play():
        line, details = no_sound_notice(selection.cannot_play_reason() or "playback disabled")
        queue.app.notify(line, "warning", details)
        return
    queue.app.notify(no_step_text(forward, queued=bool(queue.tracks),
                                  finding_more=queue.finding_more,
                                  playing_it=queue.restarts_track))

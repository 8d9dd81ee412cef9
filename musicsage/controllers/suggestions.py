"""Suggestions for the chosen playlist, and adding chosen ones to its file.

Choosing a playlist asks :func:`~musicsage.usecases.suggest.suggestions_or_reason` for both
lists (or why it has none: an empty playlist is said in the tab, not as an error);
"Add to playlist" runs :func:`~musicsage.usecases.suggest.add_to_playlist`, which refuses a
file whose size or mtime is not what the library recorded at its last import: every add and
remove re-imports the file it wrote, so the record follows the window's own writes, while
another program's edit that changes the size or the mtime differs from it. One made before the
add started that keeps both is not caught (the content check before the rename only catches
edits made while the add writes). No hash is carried from add to add (one carried took the
window's own writes, read back late or across playlists, for another program's).
Whenever the library is re-read the suggestions are asked again. Adds run one at a time: one
chosen while another is written waits for it (the status line says so). Each add is the
status line's task while it runs: its Cancel stops the add before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.training import train_advice
from musicsage.controllers.wording import window_note, window_sentence
from musicsage.text import counted, printable, sentence
from musicsage.usecases.playlist_names import default_playlist_path
from musicsage.usecases.suggest import add_to_playlist, suggestions_or_reason

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.library.playlists.edit import AddReport
    from musicsage.search.types import SuggestResult


SAVE_ELSEWHERE = "save the suggestions as a playlist of their own with Save…"
"""The window's way to keep the suggestions a read-only playlist refused: the library's line
named the command line's ``--m3u FILE`` here too."""

ADD_LABEL = "Adding to playlist"
"""The status line's label for an add: tracked there, so that its Cancel (and Ctrl+., Esc)
reaches the add (untracked, they cancelled only another task, or nothing)."""

NOT_ADDED_SHOWN = 3
"""Tracks named in the "Not added" line; the rest are counted ("and 5 more")."""


def not_added_text(skipped: Sequence[dict], label: Callable[[int], str]) -> str:
    """"Not added: Golden Circuit — Aiko Adeyemi (already in the playlist); …; and 5 more":
    each track by its label, as the rest of the window names it ("#25" meant nothing)."""
    named = [f"{label(s['track_id'])} ({s['reason']})" for s in skipped[:NOT_ADDED_SHOWN]]
    more = len(skipped) - len(named)
    return "Not added: " + "; ".join(named) + (f"; and {more} more" if more else "")


def why_not_addable(playlist: dict) -> str:
    """Why no suggestion can be written into ``playlist`` (``SuggestResult.playlist``): a
    player's or a dataset's playlist has no file of its own — the refusal "Add to playlist"
    popped up as an error box after the click, where the Playlist tab's Remove is off
    beforehand, saying why. "" for a playlist file (the add may still be refused: read-only,
    changed elsewhere), or when no playlist is shown."""
    from musicsage.library.playlists.no_file import why_not_editable

    if "path" not in playlist:
        return ""
    return why_not_editable(str(playlist["path"]), str(playlist["name"]), "add")


@dataclass(eq=False)
class _WaitingAdd:
    """Tracks chosen to add to a playlist (and the library they were chosen in: another one
    opened meanwhile, they are not sent)."""

    ctx: "AppContext"
    playlist_id: int
    name: str
    track_ids: list[int]

    @property
    def key(self) -> tuple[str, int]:
        return (str(self.ctx.data_dir), self.playlist_id)


class SuggestionsController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.playlist_id: int | None = None
        self.result: "SuggestResult | None" = None
        self.k = 10
        self.variety = False
        self.loading = Event()  # playlist name
        self._chosen_at = 0
        """The library's reload count when the playlist was chosen."""
        self._name = ""
        self.loaded = Event()  # SuggestResult
        self.cleared = Event()  # no playlist chosen
        self.failed = Event()  # why the chosen playlist has no suggestions (one line)
        self.added = Event()  # AddReport
        self._adds = 0
        """Adds sent so far: each one's number, so a late callback acts for its own only."""
        self._writing: int | None = None
        """The number of the add being written (None: none): adds wait meanwhile."""
        self._sent: _WaitingAdd | None = None
        """The add being written: its tracks chosen again meanwhile (a double click on Add)
        are not sent again."""
        self._done: _WaitingAdd | None = None
        """The tracks the last finished add wrote, until the suggestions are read again (the
        next :attr:`loaded`): the ones on screen still list them, and chosen again they are
        not sent ("Not added: … (already in the playlist)", a warning for an add that worked)."""
        self._done_at = 0
        """The library's reload count once that add asked for its own: a reload asked since
        (the Playlist tab's Remove, a Rescan) may have taken the tracks out again, and Add on
        them then said "Already added" and added nothing: :attr:`_done` no longer counts."""
        self._waiting: list[_WaitingAdd] = []
        """Adds chosen while one was written, sent one at a time once it ends."""
        # A re-read library may hold a re-imported playlist file (Rescan, the folder watch, an
        # add): the suggestions follow it.
        app.library.loaded.connect(self._library_loaded)

    def clear(self) -> None:
        self.playlist_id = None
        self.result = None
        self.cleared.emit()

    def show(self, playlist_id: int | None) -> None:
        """Suggestions for a playlist (None clears them)."""
        if playlist_id is None:
            self.clear()
            return
        self.playlist_id = int(playlist_id)
        # the last playlist's lists are not this one's: an add meanwhile wrote into the
        # playlist chosen before (its rows still selected, the heading naming the new one)
        self.result = None
        self._chosen_at = self.app.library.requested
        snap = self.app.library.snapshot
        info = snap.playlist(self.playlist_id) if snap else None
        self._name = snap.shown_name(info) if info is not None else str(playlist_id)
        self.loading.emit(self._name)
        self.refresh()

    def _library_loaded(self, snapshot) -> None:
        """A chosen playlist that is gone (its file deleted, then rescanned) is unchosen, and
        the status line says so; a snapshot requested before it was chosen cannot tell (the
        same rule as the selected track's, ``LibraryController.read_after``)."""
        if self.playlist_id is not None and snapshot.playlist(self.playlist_id) is None:
            if self.app.library.read_after(self._chosen_at):
                self.clear()
                self.app.notify(f"The playlist {self._name} is no longer in the library")
        else:
            self.refresh()

    def refresh(self) -> None:
        if self.playlist_id is None:
            return
        pid = self.playlist_id
        task = self.app.run("suggestions", suggestions_or_reason, self.app.ctx, pid, self.k,
                            "both", variety=self.variety, spaces=self.app.spaces, key="suggest")
        task.on_result(lambda result, p=pid: self._loaded(p, result))
        # a playlist with nothing to suggest from (empty, its tracks not in the library) said
        # "(looking…)" for good: the tab says why in its place — a reason, not an error (an
        # error box popped up for choosing a fresh playlist); a real failure says it too
        task.on_failed(lambda message, _details, p=pid: self._failed(p, message))

    def _loaded(self, playlist_id: int, result: "SuggestResult | str") -> None:
        if playlist_id != self.playlist_id:
            return
        if isinstance(result, str):  # nothing to suggest from, and why
            self._failed(playlist_id, result)
            return
        self.result = result
        self._done = None  # read after the last add, or about to be asked again once it is
        self.loaded.emit(result)

    def _failed(self, playlist_id: int, message: str) -> None:
        if playlist_id == self.playlist_id:
            self.result = None
            self.failed.emit(sentence(window_note(message)))

    def notes(self, result: "SuggestResult") -> dict[str, str]:
        """Why each list is empty, by space, in the window's words ("press Retrain", where
        the use case's note also names the command line; what training needs, where Retrain
        cannot train: :func:`train_advice`), each a sentence as the window's other empty
        states ("No suggestions."); and under ``"add"``, why no track can be added
        (:func:`why_not_addable`; "" when they can)."""
        train = train_advice(self.app.library.snapshot)
        notes = {space: window_note(result.note_for(space), train=train)
                 for space in ("graph", "audio")}
        return {**{space: window_sentence(note) if note else "No suggestions."
                   for space, note in notes.items()},
                "add": why_not_addable(getattr(result, "playlist", None) or {})}

    def set_variety(self, on: bool) -> None:
        self.variety = bool(on)
        self.refresh()

    def set_k(self, k: int) -> None:
        self.k = int(k)
        self.refresh()

    def why(self, space: str, track_id: int) -> str:
        return self.result.why_text(space, track_id) if self.result is not None else ""

    # -- writing --------------------------------------------------------------------------------
    def add(self, track_ids: Sequence[int]) -> Task | None:
        """Write the chosen tracks into the playlist's own file (the explicit action).

        Chosen while another add is written, they wait (None returned; the status line says
        so) and are sent when it ends, checked, as every add, against the library's record of
        the file, which that add's re-import brought up to date."""
        if self.result is None or not track_ids:
            return None
        playlist = self.result.playlist
        chosen = _WaitingAdd(self.app.ctx, int(playlist["playlist_id"]), str(playlist["name"]),
                             [int(t) for t in dict.fromkeys(track_ids)])
        done = self._done if self._done_at == self.app.library.requested else None
        if self._already(chosen, done, "Already added to"):
            return None
        if self._writing is None:
            return self._send(chosen)
        if self._already(chosen, self._sent, "Already being added to"):
            return None
        self._wait(chosen)
        return None

    def _already(self, chosen: "_WaitingAdd", sent: "_WaitingAdd | None", said: str) -> bool:
        """Take out of ``chosen`` the tracks ``sent`` holds for the same playlist; when none
        is left (Add clicked twice), say so and return True: sent again, they were "Not
        added: … (already in the playlist)", a warning after an add that worked."""
        if sent is None or sent.key != chosen.key:
            return False
        n = len(chosen.track_ids)
        chosen.track_ids = [t for t in chosen.track_ids if t not in sent.track_ids]
        if chosen.track_ids:
            return False
        self.app.notify(f"{said} {printable(chosen.name)!r}: {counted(n, 'track')} chosen again")
        return True

    def _wait(self, chosen: "_WaitingAdd") -> None:
        """Keep ``chosen`` for when the add under way ends (with what waits for the same
        playlist: one add for them all), and say so: a click that seemed to do nothing."""
        same = [w for w in self._waiting if w.key == chosen.key]
        if same:
            same[0].track_ids += [t for t in chosen.track_ids if t not in same[0].track_ids]
        else:
            self._waiting.append(chosen)
        waiting = counted(sum(len(w.track_ids) for w in self._waiting), "track")
        self.app.notify(f"{waiting} will be added once the add under way ends")

    def _send(self, add: "_WaitingAdd") -> Task:
        """Run one add. No hash is expected: the use case checks the file against the size
        and time the library recorded at its last import, which our adds and removes update
        as they write (the suggestions on screen may not have read back the last one yet)."""
        self._adds += 1
        self._writing = number = self._adds
        self._sent = add
        task = self.app.run("Add to playlist", add_to_playlist, add.ctx, add.playlist_id,
                            add.track_ids, other_way=SAVE_ELSEWHERE)
        # the status line's, and its Cancel's, also over a scan under way: an add waiting for
        # that scan hears the Cancel and writes nothing, and the scan takes the line back
        self.app.tasks.track(task, ADD_LABEL)
        task.on_failed(lambda _message, _details: self._add_ended(number))
        task.on_cancelled(lambda: self._cancelled(number, add))
        return task.on_result(lambda report: self._added(number, add, report,
                                                         late=task.token.cancelled))

    def _cancelled(self, number: int, add: "_WaitingAdd") -> None:
        """Say that the add stopped before writing (the use case hears a cancel only before
        any write), then send the next waiting add: a Cancel ended it without a word."""
        try:
            n = len(add.track_ids)
            self.app.notify(f"Not added: {counted(n, 'track')} chosen for "
                            f"{printable(add.name)!r} (cancelled; nothing was written)",
                            "warning")
        finally:
            self._add_ended(number)

    def _added(self, number: int, add: "_WaitingAdd", report: "AddReport", *,
               late: bool = False) -> None:
        """Say what was added (naming the library when another one is shown now: the window's
        names and labels are that library's, which no re-read is asked for), then send the
        next add, whatever saying it raised. ``late``: Cancel was pressed, but the add was
        past the point where it hears one (writing): the
        status line had said "Cancelling…", and "Added" alone read as a Cancel ignored."""
        try:
            elsewhere = not self.app.library.shows(add.ctx)
            where = f" in the library at {printable(str(add.ctx.data_dir))}" if elsewhere else ""
            if report.added:
                self.app.notify(f"Added {counted(len(report.added), 'track')} to "
                                f"{Path(report.path).name}{where} (backup: {report.backup})"
                                + ("; the Cancel came too late to stop it" if late else ""))
            if report.skipped:
                label = (lambda t: f"#{t}") if elsewhere else self.app.selection.label
                self.app.notify(not_added_text(report.skipped, label) + where, "warning")
            self.added.emit(report)
            if not elsewhere:
                self.app.library.reload()  # the suggestions follow (see __init__)
                self._done = _WaitingAdd(add.ctx, add.playlist_id, add.name, list(report.added))
                self._done_at = self.app.library.requested
        finally:
            self._add_ended(number)

    def _add_ended(self, number: int) -> None:
        """The next waiting add is sent, also after a failure: it is checked against the file
        as the library last imported it, so one the failure changed is refused with its own
        cause, and one it did not touch (read-only, too big, gone) says that cause itself;
        dropped, they were told to "add them again" for a cause that stays."""
        if number != self._writing:
            return
        self._writing, self._sent = None, None
        while self._waiting and self._writing is None:
            chosen = self._waiting.pop(0)
            if not self.app.library.shows(chosen.ctx):  # the same folder opened again: sent
                self._drop(chosen, "another library was opened")
            else:
                self._send(chosen)

    def _drop(self, add: "_WaitingAdd", why: str) -> None:
        """Say that ``add`` is not sent, and why: a click that seemed to do nothing."""
        n = len(add.track_ids)
        self.app.notify(f"Not added: {counted(n, 'track')} chosen for "
                        f"{printable(add.name)!r} ({why}); add {'it' if n == 1 else 'them'} "
                        "again", "warning")

    def default_playlist_path(self, which: str) -> Path:
        name = self.result.playlist["name"] if self.result is not None else "playlist"
        return default_playlist_path(f"Suggestions for {name} ({which})")

    def save_playlist(self, path: str, which: str) -> Task | None:
        """Write one list of suggestions (``which``: graph | audio) as an M3U8 of its own."""
        if self.result is None:
            return None
        name = f"Suggestions for {self.result.playlist['name']} ({which})"
        return self.app.save_playlist(path, self.result.playlist_tracks(which), name)

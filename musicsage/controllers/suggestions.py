"""Suggestions for the chosen playlist, and adding chosen ones to its file.

Choosing a playlist asks :func:`~musicsage.usecases.suggest.suggest_tracks` for both lists;
"Add to playlist" runs :func:`~musicsage.usecases.suggest.add_to_playlist` with the hash of
the file as it was read for these suggestions, so a file edited elsewhere in the meantime is
refused untouched. Whenever the library is re-read (after a write: the playlist grew; after a
rescan: the file was re-imported) the suggestions are asked again, with the file's new hash.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.training import train_advice
from musicsage.controllers.wording import window_note
from musicsage.text import counted, sentence
from musicsage.usecases.playlist_names import default_playlist_path
from musicsage.usecases.suggest import add_to_playlist, suggest_tracks

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController
    from musicsage.library.playlists.edit import AddReport
    from musicsage.search.types import SuggestResult


NOT_ADDED_SHOWN = 3
"""Tracks named in the "Not added" line; the rest are counted ("and 5 more")."""


def not_added_text(skipped: Sequence[dict], label: Callable[[int], str]) -> str:
    """"Not added: Golden Circuit — Aiko Adeyemi (already in the playlist); …; and 5 more":
    each track by its label, as the rest of the window names it ("#25" meant nothing)."""
    named = [f"{label(s['track_id'])} ({s['reason']})" for s in skipped[:NOT_ADDED_SHOWN]]
    more = len(skipped) - len(named)
    return "Not added: " + "; ".join(named) + (f"; and {more} more" if more else "")


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
        self._adding = False
        """An add is being written, or the suggestions have not yet read the file it wrote:
        the hash they hold is the file's before that add (:meth:`add` queues meanwhile)."""
        self._queued: list[int] = []
        """Tracks chosen while :attr:`_adding`: added once the file is read back."""
        self._asked = 0
        """How many times the suggestions were asked (:meth:`refresh`)."""
        self._fresh_from: float = float("inf")
        """The first :attr:`_asked` that read the file after the last add wrote it."""
        # A re-read library may hold a re-imported playlist file (Rescan, the folder watch, an
        # add): the suggestions, and the file hash an add is checked against, follow it.
        app.library.loaded.connect(self._library_loaded)

    def clear(self) -> None:
        self._forget_adds()
        self.playlist_id = None
        self.result = None
        self.cleared.emit()

    def show(self, playlist_id: int | None) -> None:
        """Suggestions for a playlist (None clears them)."""
        if playlist_id is None:
            self.clear()
            return
        self._forget_adds()  # an add queued for the last playlist is not for this one
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
        self._asked += 1
        task = self.app.run("suggestions", suggest_tracks, self.app.ctx, pid, self.k, "both",
                            variety=self.variety, spaces=self.app.spaces, key="suggest")
        task.on_result(lambda result, p=pid, n=self._asked: self._loaded(p, result, n))
        # a playlist with nothing to suggest from (empty, its tracks not in the library) said
        # "(looking…)" for good: the tab says why in its place (the status line says it too)
        task.on_failed(lambda message, _details, p=pid: self._failed(p, message))

    def _loaded(self, playlist_id: int, result: "SuggestResult", asked: int = 0) -> None:
        if playlist_id != self.playlist_id:
            return
        self.result = result
        self.loaded.emit(result)
        if self._adding and asked >= self._fresh_from:  # the file as the last add left it
            self._adding = False
            self._add_queued()

    def _failed(self, playlist_id: int, message: str) -> None:
        if playlist_id == self.playlist_id:
            self._forget_adds()  # no suggestions: nothing to add them with
            self.result = None
            self.failed.emit(sentence(window_note(message)))

    def notes(self, result: "SuggestResult") -> dict[str, str]:
        """Why each list is empty, by space, in the window's words ("press Retrain", where
        the use case's note also names the command line; what training needs, where Retrain
        cannot train: :func:`train_advice`), each a sentence as the window's other empty
        states ("No suggestions.")."""
        train = train_advice(self.app.library.snapshot)
        notes = {space: window_note(result.note_for(space), train=train)
                 for space in ("graph", "audio")}
        return {space: (sentence(note) + ("" if note.endswith(".") else ".")) if note
                else "No suggestions." for space, note in notes.items()}

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

        Chosen while an earlier add is written, or before the suggestions have read back the
        file it wrote, they are queued and added then (None returned): checked against the
        hash of the file before that add, they were refused as "changed on disk since it was
        read … re-scan it", the window's own add taken for another program's edit."""
        if self.result is None or not track_ids:
            return None
        if self._adding:
            self._queued += [int(t) for t in track_ids if int(t) not in self._queued]
            return None
        playlist = self.result.playlist
        self._adding, self._fresh_from = True, float("inf")
        task = self.app.run("Add to playlist", add_to_playlist, self.app.ctx,
                            playlist["playlist_id"], list(track_ids),
                            expected_sha256=playlist.get("sha256"))
        pid = int(playlist["playlist_id"])
        task.on_failed(lambda _message, _details, p=pid: self._add_ended(p))
        task.on_cancelled(lambda p=pid: self._add_ended(p))
        return task.on_result(self._added)

    def _add_ended(self, playlist_id: int) -> None:
        """An add that wrote nothing (refused, failed): the file is as the suggestions read
        it, so the tracks queued meanwhile are added now (each refusal says its own why)."""
        if playlist_id == self.playlist_id and self._adding:
            self._adding = False
            self._add_queued()

    def _add_queued(self) -> None:
        queued, self._queued = self._queued, []
        if queued:
            self.add(queued)

    def _forget_adds(self) -> None:
        """Another playlist chosen, or none: what was queued for this one is dropped."""
        self._adding, self._queued, self._fresh_from = False, [], float("inf")

    def _added(self, report: "AddReport") -> None:
        if self._adding and report.playlist_id == self.playlist_id:
            self._fresh_from = self._asked + 1  # the next asking reads what it wrote
        if report.added:
            self.app.notify(f"Added {counted(len(report.added), 'track')} to "
                            f"{Path(report.path).name} (backup: {report.backup})")
        if report.skipped:
            self.app.notify(not_added_text(report.skipped, self.app.selection.label), "warning")
        self.added.emit(report)
        self.app.library.reload(ended=self._read_back)  # the suggestions follow (__init__)

    def _read_back(self) -> None:
        """The re-read after an add is over: when it asked for no suggestions (it failed, or
        the playlist is gone), what was queued is not kept waiting for them for good."""
        if self._adding and self._asked < self._fresh_from:
            self._adding = False
            self._add_queued()

    def default_playlist_path(self, which: str) -> Path:
        name = self.result.playlist["name"] if self.result is not None else "playlist"
        return default_playlist_path(f"Suggestions for {name} ({which})")

    def save_playlist(self, path: str, which: str) -> Task | None:
        """Write one list of suggestions (``which``: graph | audio) as an M3U8 of its own."""
        if self.result is None:
            return None
        name = f"Suggestions for {self.result.playlist['name']} ({which})"
        return self.app.save_playlist(path, self.result.playlist_tracks(which), name)

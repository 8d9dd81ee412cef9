"""The selected track: its neighbours (graph model and audio alone), its tags, playing it,
and saving one of its neighbour lists as a playlist."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from musicsage.controllers.playlist_tracks import why_unplayable
from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.training import train_advice
from musicsage.controllers.wording import (RETRAIN_ADVICE, cannot_play_text, window_note,
                                          window_sentence)
from musicsage.text import counted, printable, sentence
from musicsage.usecases.playlist_names import default_playlist_path
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.spaces import OTHER_VERSIONS_HINT
from musicsage.usecases.tags import TagScore, any_tagged, track_tags_of

if TYPE_CHECKING:
    from musicsage.controllers.app import AppController
    from musicsage.library.browse import TrackInfo
    from musicsage.search.types import SimilarResult
    from musicsage.usecases.snapshot import LibrarySnapshot

TAGS_SHOWN = 4
SPACE_LABELS = {"graph": "graph model", "audio": "audio only"}
PLAY_REFUSAL_SECONDS = 1.0
"""At most one "cannot play" line this often for a Play press (one press may ask twice); other
requests say it once a session (:meth:`SelectionController._refuse_play`)."""

NO_GRAPH_NOTE = ("No graph model yet.\nTrain one on your playlists to compare it with audio "
                 "alone.")


UNTRAINABLE_NOTE_START = "No graph model yet.\nTraining one needs"
"""How a note starts that says why Retrain cannot train yet: no Retrain button under it."""


def no_graph_note(snap: "LibrarySnapshot | None") -> str:
    """:data:`NO_GRAPH_NOTE`, or why Retrain cannot train one yet, in the words of
    :func:`~musicsage.controllers.training.train_advice`: the one decision of what training
    needs (enough memberships — "Train one" sent the user to a Retrain that failed —, any at
    all, entries that match a track, audio vectors), which this note made again on its own
    and fell behind (no audio vectors yet: it said "Train one")."""
    advice = train_advice(snap)
    if advice == RETRAIN_ADVICE:
        return NO_GRAPH_NOTE
    return f"No graph model yet.\n{sentence(advice)}."


NO_AUDIO_NOTE = "No audio embeddings for this track."
MISSING_NOTE_START = "No neighbours to show: their files are missing"


def missing_note(missing: int) -> str:
    """An empty list's note when files are missing: they are never listed (a list is to play
    or save), so with every other file gone the lists are empty — which read "No graph model
    yet" and "No audio embeddings" while both existed."""
    return (f"{MISSING_NOTE_START} ({counted(missing, 'track')} missing — reconnect the "
            "drive or Rescan).")


def empty_list_note(result: "SimilarResult", space: str, *, graph_available: bool,
                    missing: int, embedding: bool = False, no_graph: str = NO_GRAPH_NOTE) -> str:
    """Why ``space``'s neighbour list is empty, as a whole sentence: no graph model
    (``no_graph`` says so); else the search's own note for it; else missing files
    (``missing``: the library's missing tracks); else any note. ``embedding``: the window is
    computing audio embeddings, which the hint then says."""
    from musicsage.search.similar import only_missing_files

    own = result.notes.get(space)
    if space == "graph" and not graph_available:
        return no_graph
    if own and not (missing and only_missing_files(own)):  # the window's words say more
        return search_note(own, embedding)
    if missing:
        return missing_note(missing)
    if result.note:
        return search_note(result.note, embedding)
    return NO_GRAPH_NOTE if space == "graph" else NO_AUDIO_NOTE


def search_note(note: str, embedding: bool) -> str:
    """A note of the neighbour search in the window's words (:func:`window_note`), of the
    track clicked rather than typed as a QUERY ("the query track has no audio embedding"
    beside a track the user had just selected; the one-line fallback of every note too), as
    a sentence like the window's own notes beside it."""
    return window_sentence(window_note(note.replace("the query track", "this track"),
                                       embedding=embedding))


LIST_TITLES = {"graph": "Graph model", "audio": "Audio only"}
"""Each list's title above it, which names it in what is said of it under both."""


def beside_lists(result: "SimilarResult") -> str:
    """What the lists on screen left out, each list by its title, as the command line's notes
    say it beside its lists: tracks whose vectors were made with other analysis settings
    (an embed cut short after they changed), and missing files that would have ranked; ""
    when neither left anything out. Only an empty list's note was shown, so a full list
    during a re-analysis left tracks out without a word, where ``similar`` said so."""
    parts = []
    for space, title in LIST_TITLES.items():
        if not result.rows(space):  # its note is in its place (empty_list_note)
            continue
        said = [search_note(note.replace(OTHER_VERSIONS_HINT, "Analyse ▸ Compute embeddings "
                                         "analyses"), False).removesuffix(".")
                for note in [result.notes.get(space)] if note]
        missing = result.skipped_missing.get(space, 0)
        said += [f"{counted(missing, 'missing file')} left out"] if missing else []
        parts += [f"{title}: {'; '.join(said)}"] if said else []
    return " · ".join(parts)


NO_TAGS = {"no file": "none: no audio file to tag",
           "missing": "none: its file is missing"}
"""The tags line of a track that has no file to tag, by :func:`why_unplayable`."""


def tags_text(rows: list[TagScore]) -> str:
    """The track box's tags line, "electronic 0.50 · electro 0.19": a tag's last word, its
    score and the separator after it are held together by no-break spaces, so that the narrow
    field wraps between tags only (it once ended a line with "electronic" and started the
    next with "0.50 · electro", or with "· dance"); a tag of several words may still wrap
    between its words."""
    return " ".join(f"{r.tag}\u00a0{r.p:.2f}" + ("\u00a0·" if i < len(rows) - 1 else "")
                    for i, r in enumerate(rows))


def _names_no_tags(result: "SimilarResult") -> bool:
    """Whether ``result`` has rows and none was compared by tags: its lookup knew no tags of
    the query track (or of any neighbour)."""
    rows = result.graph + result.audio
    return bool(rows) and all((r.get("why") or {}).get("tags") is None for r in rows)


def _said_alike(shown: "SimilarResult", new: "SimilarResult") -> bool:
    """Whether ``new`` lists the same tracks as ``shown``, each for the same reason."""
    def said(r: "SimilarResult") -> list:
        return [(space, row["track_id"], (row.get("why") or {}).get("text"))
                for space in ("graph", "audio") for row in r.rows(space)]
    return shown.query == new.query and shown.notes == new.notes and said(shown) == said(new)


class SelectionController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.selected: int | None = None
        self.info: "TrackInfo | None" = None
        """The selected track's fields as last shown (None: not in the snapshot then)."""
        self._selected_at = 0
        """The library's reload count when the track was selected (see ``read_after``)."""
        self.result: "SimilarResult | None" = None
        """The neighbour lists on screen (of :attr:`selected`, or of the previous selection
        while the new lists load)."""
        self.k = 10
        self.variety = False
        """At most one track per artist in each list (the "One per artist" switch)."""
        self.play_on_select = True
        self.can_play: Callable[[], bool] = lambda: True
        """Asked before playing: whether the view has a working player."""
        self.cannot_play_reason: Callable[[], str] = lambda: ""
        """Why the view's player cannot play (no audio output device…), said at each refusal."""
        self.clock: Callable[[], float] = time.monotonic
        self._refused_at: float | None = None
        """When a play was last refused for want of a player (see :meth:`_refuse_play`)."""
        self.changed = Event()  # track id, TrackInfo or None, centre the map on it
        self.deselected = Event()  # the selected track left the library: nothing is selected
        self.details = Event()  # TrackInfo: the selected track's fields, re-read
        self.neighbours_loaded = Event()  # SimilarResult of the selected track
        self.neighbours_failed = Event()  # track id: its lookup failed (the status line says)
        self.tags = Event()  # text for the track's tags line, why they are missing ("")
        self.play = Event()  # track id, path, title, artist (one line), stored length (s or None)
        self.notes_changed = Event()  # {space: note} of the empty lists on screen
        self._notes_embedding = False
        """Whether the notes on screen were made while embeddings were being computed."""
        self._tags_after_lookup: int | None = None
        """The track whose tags arrived while its neighbour lookup was under way (it may have
        read the tag cache before they were kept: see :meth:`_explain_with_tags`)."""
        self._retelling: int | None = None
        """The track whose lists are being looked up again only to explain them anew."""
        app.library.audio_changed.connect(self._embedding_changed)

    def clear(self) -> None:
        self.selected = None
        self.info = None
        self.result = None

    def library_loaded(self, snapshot) -> None:
        """A selected track that left the library (its folder was removed, here or by a
        command in a terminal) is deselected, and the status line says so: its lists would
        show a track that is gone. Only a snapshot requested after the track was selected
        can tell: one requested before may have been read before the track was added (picked
        through the search box while a scan's reload was loading) and must not undo the
        user's choice. A track whose fields changed (or were not known yet) is shown anew."""
        if self.selected is None:
            return
        info = snapshot.by_id.get(self.selected)
        if info is None:
            if self.app.library.read_after(self._selected_at):
                name = self.info.display_title if self.info is not None else f"#{self.selected}"
                self.clear()
                self.deselected.emit()
                self.app.notify(f"{name} is no longer in the library: nothing is selected")
            return
        if info != self.info:
            self.info = info
            self.details.emit(info)
            self._load_tags(info)

    def select(self, track_id: int, *, play: bool | None = None, center: bool = False) -> None:
        """Select a track: its neighbours and tags load, and (by default) it plays."""
        self.selected = int(track_id)
        self._tags_after_lookup = self._retelling = None
        self._selected_at = self.app.library.requested
        snap = self.app.library.snapshot
        info = self.info = snap.by_id.get(self.selected) if snap else None
        self.changed.emit(self.selected, info, center)
        self.refresh_neighbours()
        self._load_tags(info)
        if play if play is not None else self.play_on_select:
            self.play_track(self.selected)

    def label(self, track_id: int) -> str:
        snap = self.app.library.snapshot
        return snap.label(track_id) if snap else str(track_id)

    def labeller(self, track_ids: Sequence[int]) -> Callable[[int], str]:
        """:meth:`label` for one list's rows (the queue's, each made when shown), those
        reading alike told apart (:meth:`LibrarySnapshot.twin_labels`)."""
        snap = self.app.library.snapshot
        told = snap.twin_labels(track_ids) if snap else {}
        return lambda t: told.get(int(t)) or self.label(t)

    # -- neighbours ---------------------------------------------------------------------------
    def refresh_neighbours(self) -> None:
        self._retelling = None  # asked for anew (variety, another k): shown whatever it says
        if self.selected is None:
            return
        tid = self.selected
        task = self.app.run("neighbours", similar_tracks, self.app.ctx, tid, self.k, "both",
                            variety=self.variety, spaces=self.app.spaces, key="similar")
        # a track the saved graph model placed comes with its note (search.with_placed_note)
        task.on_result(lambda result, t=tid: self._neighbours(t, result))
        task.on_failed(lambda _message, _details, t=tid: (
            self.neighbours_failed.emit(t) if t == self.selected else None))

    def set_variety(self, on: bool) -> None:
        self.variety = bool(on)
        self.refresh_neighbours()

    def why(self, space: str, track_id: int) -> str:
        """The one-line reason ``track_id`` is in the ``space`` list on screen ("" if not)."""
        return self.result.why_text(space, track_id) if self.result is not None else ""

    def _neighbours(self, track_id: int, result: "SimilarResult") -> None:
        if track_id != self.selected:
            return
        retold, self._retelling = self._retelling == track_id, None
        if retold and self.result is not None and _said_alike(self.result, result):
            return  # explained again with nothing new to say: the lists on screen stay
        self.result = result
        self.neighbours_loaded.emit(result)
        if self._tags_after_lookup == track_id:
            self._tags_after_lookup = None
            if _names_no_tags(result):
                self._retell_if_a_neighbour_is_tagged(track_id, result)

    def empty_notes(self, result: "SimilarResult") -> dict[str, str]:
        """Each empty list's note (see :func:`empty_list_note`), by space."""
        snap = self.app.library.snapshot
        missing = snap.stats.tracks.missing if snap is not None else 0
        available = self.graph_available  # with a model, no pass over the memberships
        no_graph = NO_GRAPH_NOTE if available else no_graph_note(snap)
        self._notes_embedding = embedding = self.app.library.embedding_shown
        return {space: empty_list_note(result, space, graph_available=available,
                                       missing=missing, embedding=embedding,
                                       no_graph=no_graph)
                for space in ("graph", "audio") if not result.rows(space)}

    def _embedding_changed(self) -> None:
        """An embedding run started or ended: the empty lists' notes on screen say so (the
        audio list said "use Analyse ▸ Compute embeddings" while they were being computed)."""
        r = self.result
        if (self.app.library.embedding_shown == self._notes_embedding or r is None
                or r.query.get("track_id") != self.selected):
            return
        self.notes_changed.emit(self.empty_notes(r))

    @property
    def graph_available(self) -> bool:
        snap = self.app.library.snapshot
        return snap is not None and snap.graph_model is not None

    def marks(self) -> tuple[int | None, list[int], list[int]]:
        """What the map marks: the selection, and its graph and audio neighbours once the
        lists on screen are the selection's."""
        r = self.result
        if r is None or r.query["track_id"] != self.selected:
            return self.selected, [], []
        from musicsage.controllers.map import neighbour_marks

        return (self.selected, *neighbour_marks(r.graph, r.audio))

    # -- tags ---------------------------------------------------------------------------------
    def _load_tags(self, info: "TrackInfo | None") -> None:
        if info is None:
            self.tags.emit("", "")
            return
        if not info.playable:  # a blank line read as tags still coming, or none found
            self.tags.emit(NO_TAGS.get(why_unplayable(info), ""), "")
            return
        tid = info.id
        task = self.app.run("tags", track_tags_of, self.app.ctx, tid, top=TAGS_SHOWN, key="tags")
        task.on_result(lambda rows, t=tid: self._tags(t, rows))
        task.on_failed(lambda msg, _d, t=tid: self._tags(t, None, msg))

    def _tags(self, track_id: int, rows: list[TagScore] | None, error: str = "") -> None:
        if track_id != self.selected:
            return
        if rows is None:
            # the reason (no MusiCNN weights: a paragraph on how to get them) goes apart: in a
            # line of the track's details it was cut off after three lines
            self.tags.emit("unavailable" if error else "", error)
            return
        self.tags.emit(tags_text(rows) if rows else "none", "")
        if rows:
            self._explain_with_tags(track_id)

    def _explain_with_tags(self, track_id: int) -> None:
        """The selected track's tags are known now: the lists of its neighbours are explained
        again if their lookup did not know them (a track never tagged is tagged when selected,
        beside that lookup), so that "why" names the tags it shares with tagged neighbours —
        it named none until the track was selected again. One more lookup at most."""
        r = self.result
        if r is None or r.query.get("track_id") != track_id:
            self._tags_after_lookup = track_id  # its lookup is under way: asked when it ends
        elif _names_no_tags(r):
            self._retell_if_a_neighbour_is_tagged(track_id, r)

    def _retell_if_a_neighbour_is_tagged(self, track_id: int, result: "SimilarResult") -> None:
        """:meth:`_retell` only if a neighbour of ``result`` has tags kept (a quick look at the
        tag cache): with none, explaining again names no tag either, and in a library never
        tagged (the default) every click looked its neighbours up twice."""
        ids = sorted({int(row["track_id"]) for row in result.graph + result.audio})
        task = self.app.run("tagged neighbours", any_tagged, self.app.ctx, ids,
                            key="tagged neighbours")
        task.on_result(lambda tagged, t=track_id: self._retell(t) if (
            tagged and t == self.selected and self.result is result) else None)

    def _retell(self, track_id: int) -> None:
        """Look the neighbours of ``track_id`` up again to explain them with the tags now
        kept; shown only if that says something new (no neighbour tagged: nothing changes)."""
        self.refresh_neighbours()
        self._retelling = track_id

    # -- playing and saving ---------------------------------------------------------------------
    def play_track(self, track_id: int, *, asked: bool = False) -> None:
        """Ask the player to play a track (a missing file is a warning, not an error).
        ``asked``: the user pressed Play (or Space) for it, not a click that plays as well."""
        snap = self.app.library.snapshot
        if snap is None:
            return
        info = snap.by_id.get(int(track_id))
        if info is None:
            return
        if not info.has_file:  # nothing to play: say why rather than do nothing
            self.app.notify(f"Cannot play '{info.display_title}': {info.shown_path}", "info")
            return
        if info.status == "missing":  # worded as the player's refusals ("Cannot play 'X': …")
            self.app.notify(f"Cannot play '{info.display_title}': the file is missing "
                            f"({info.shown_path})", "warning")
            return
        if not self.can_play():
            self._refuse_play(asked)
            return
        # the player bar's one line: a title with a line break showed half of it
        self.play.emit(info.id, info.fs_path, printable(info.display_title),
                       printable(info.artist or ""), info.duration)

    def _refuse_play(self, asked: bool = False) -> None:
        """Say why nothing plays: the startup's "playback disabled" line is long gone from the
        status line by the time a user double-clicks a track, and a silent refusal looked like
        a broken player. Said once a session for clicks, Play similar and playlists (the
        player bar reads "Playback unavailable" meanwhile): said at each, it replaced every
        other line — a playlist's entries left out, a scan's news — at once. A Play press
        (``asked``) says it again, not more often than :data:`PLAY_REFUSAL_SECONDS`. The line
        names no track (:func:`~musicsage.controllers.wording.cannot_play_text`): it stands
        while other tracks are clicked, and named the first one clicked."""
        now = self.clock()
        if self._refused_at is not None and (
                not asked or now - self._refused_at < PLAY_REFUSAL_SECONDS):
            return
        self._refused_at = now
        self.app.notify(cannot_play_text(self.cannot_play_reason()), "warning")

    def playlist_title(self, which: str) -> str:
        """"Similar to <title> (<which>)" — ``which``: graph | audio, or a longer label."""
        q = self.result.query if self.result is not None else {}
        return f"Similar to {q.get('title') or q.get('track_id')} ({which})"

    def default_playlist_path(self, which: str) -> Path:
        return default_playlist_path(self.playlist_title(which))

    def save_playlist(self, path: str, which: str) -> Task | None:
        """Write the query and one neighbour list (``which``: graph | audio) as M3U8."""
        if self.result is None:
            return None
        name = self.playlist_title(SPACE_LABELS[which])
        return self.app.save_playlist(path, self.result.only(which), name)

"""The map: which space is drawn, its points, what the colours mean, highlighted playlists."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

from musicsage.controllers.colouring import (categorical, lumped_name, multi_categorical,
                                             playlist_footnote, playlist_labels)
from musicsage.controllers.tasks import Event
from musicsage.controllers.training import train_advice
from musicsage.controllers.wording import (MAP_LABEL, RETRAIN_ADVICE, map_progress_text,
                                           window_note)
from musicsage.progress import is_wait
from musicsage.text import counted
from musicsage.usecases.graph_vectors import graph_model_label
from musicsage.usecases.search import map_points

if TYPE_CHECKING:
    import numpy as np

    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import Task
    from musicsage.progress import Progress
    from musicsage.search.types import MapPoints
    from musicsage.usecases.snapshot import LibrarySnapshot

SPACE_CHOICES = [("graph", "Graph model"), ("audio", "Audio only")]
COLOUR_CHOICES = [("tag", "Genre tag"), ("playlist", "Playlist"), ("artist", "Artist"),
                  ("album", "Album"), ("none", "None")]
TRACK_FIELD_OF = {"artist": "artist", "album": "album", "tag": "genre"}
MISSING_FIELD = {"artist": "an artist", "album": "an album", "tag": "a genre tag"}
"""What the legend says no track has, when none has a value to colour by."""
VALUE_NOUN = {"artist": "artist", "album": "album", "tag": "genre"}
"""What the grey legend entry counts: "12 other genres", "no genre"."""
DEFAULT_COLOUR = "tag"
FALLBACK_COLOURS = ("playlist", "artist", "album")
"""What the map is coloured by, until the user chooses, when no track has a genre tag: the
first of these the library has (an imported dataset has playlists and artists, no genres)."""
PLAYLIST_LEGEND_NOTE = ("Each playlist's number of tracks, as in the playlist list. A track in "
                        "several playlists is drawn in the colour of the largest, so fewer "
                        "points than that may show a playlist's colour.")
NO_EMBEDDINGS = "No audio embeddings yet.\nUse Analyse ▸ Compute embeddings to draw the map."
EMBEDDING = "Computing audio embeddings…\nThe map is drawn when they are done."
NOT_DRAWN = "Map not drawn (cancelled).\nUse Analyse ▸ Recompute map to draw it."
COMPUTING = "Computing the map…"
"""Over a map being laid out (the points under it dimmed)."""


class MapController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.preferred_space = "graph"
        """The space the user chose; shown whenever it exists."""
        self.shown_space = "graph"
        """The space offered as chosen (audio while there is no graph model)."""
        self.colour_choice: str | None = None
        """What the user chose to colour by (Colour by, or saved from an earlier session);
        None: :attr:`automatic_colour`."""
        self.automatic_colour = DEFAULT_COLOUR
        """What the map is coloured by until the user chooses (:func:`automatic_colouring`)."""
        self.points: "MapPoints | None" = None
        self.space: str | None = None
        """The space of :attr:`points`."""
        self.has_graph = False
        """A graph model exists and its vectors can be used."""
        self.graph_problem: str | None = None
        """Why the library's graph model cannot be used (damaged files), or None."""
        self.keeps_view = False
        """The last load only carried the map shown over (see :func:`carries_over`): the
        window keeps the user's pan and zoom instead of fitting the whole map again."""
        self._legend_sizes: list[int] = []
        """The sizes of the playlists the last :meth:`colouring` gave a colour, in its order:
        what :meth:`legend_counts` gives."""
        self.legend_footnote: list[str] = []
        """The lines of the legend's note under its entries, for the last :meth:`colouring`
        (by playlist: :func:`playlist_footnote`)."""
        self._told: set[str] = set()
        """The map's notes already shown (:meth:`_tell_notes`): once a session, not at
        every reload."""
        self.message = Event()  # text: shown over the map instead of points
        self.cleared = Event()  # no points any more (with a message)
        self.loaded = Event()  # MapPoints, its space
        self.colour_shown = Event()  # colouring key in use, why it is not the default ("")
        self.computing = Event()  # bool: a map is being computed ("Computing the map…")
        self._task = None  # the latest map task: only its end ends the computing
        self._laying_out = None  # the map task said to lay the map out (:meth:`_laid_out`)

    @property
    def colour_by(self) -> str:
        """The colouring in use: the user's choice, else the automatic one."""
        return self.colour_choice or self.automatic_colour

    @colour_by.setter
    def colour_by(self, key: str) -> None:
        """The user chose ``key`` (the Colour-by chooser): kept, whatever the library has."""
        self.colour_choice = key
        self.colour_shown.emit(self.colour_by, self.colour_note)

    @property
    def colour_note(self) -> str:
        """Why the map is not coloured by genre tag though the user did not choose otherwise
        ("" when it is, or when the user chose)."""
        if self.colour_choice is not None or self.automatic_colour == DEFAULT_COLOUR:
            return ""
        label = dict(COLOUR_CHOICES)[self.automatic_colour].lower()
        return (f"No track has a genre tag: the map is coloured by {label} instead, until you "
                "choose in Colour by.")

    def clear(self) -> None:
        """Another library is shown: nothing of this one's map stays, nor its graph's problem,
        nor its map being computed (a layout left running kept Lasso and Rectangle off over
        the other library's map until it ended)."""
        self._forget_points()
        self.graph_problem = None
        self._task = self._laying_out = None
        self.computing.emit(False)

    def snapshot_changed(self, snap: "LibrarySnapshot") -> None:
        """Show the space actually drawn; go back to the user's choice once it exists again.

        A graph model whose files are damaged counts as none: the map shows audio, and the
        user is told once (not on every reload) why and that retraining rebuilds it."""
        problem = snap.graph_problem if snap.graph_model is not None else None
        if problem and problem != self.graph_problem:
            self.app.notify(_audio_only(problem, train_advice(snap)), "warning")
        self.graph_problem = problem
        self.has_graph = snap.graph_model is not None and problem is None
        self.shown_space = self.preferred_space if self.has_graph else "audio"
        self.automatic_colour = automatic_colouring(snap)
        self.colour_shown.emit(self.colour_by, self.colour_note)

    @property
    def wanted_space(self) -> str:
        """The space to draw: the chosen one, or audio while there is no graph model."""
        if self.shown_space == "graph" and not self.has_graph:
            return "audio"
        return self.shown_space

    def embedding_started(self) -> None:
        """An empty map says the embeddings it waits for are on their way (it told the user
        to compute them, while they were being computed)."""
        if self.points is None or not len(self.points.track_ids):
            self.message.emit(EMBEDDING)

    def choose_space(self, space: str) -> None:
        """Show ``space``'s map; the graph model's, where there is none, is kept as the
        user's choice (:attr:`preferred_space`) while the map and :attr:`shown_space` —
        what the Map chooser says — stay audio: the chooser said "Graph model" over an audio
        map."""
        self.preferred_space = space
        self.shown_space = space if space != "graph" or self.has_graph else "audio"
        if space == "graph" and not self.has_graph:  # else the choice seemed to do nothing
            self.app.notify(_audio_only(self.graph_problem,
                                        train_advice(self.app.library.snapshot)), "info")
        self.refresh()

    def refresh(self, *, relayout: bool = False) -> None:
        """(Re)load the map of the wanted space: the cached one at once (carried over to tracks
        added or removed since, when they are few), else computed. ``relayout``: lay it out
        afresh (Map ▸ Recompute map)."""
        snap = self.app.library.snapshot
        if snap is None or snap.empty:
            if snap is not None and self.points is not None:  # every track left the library
                self._forget_points()  # (its only folder forgotten): its map stayed drawn
            return
        if snap.audio_model is None and snap.graph_model is None:
            self._forget_points()
            self.message.emit(EMBEDDING if self.app.library.embedding_shown else NO_EMBEDDINGS)
            return
        space = self.wanted_space
        # a layout still running is taken over by this task (a reload meanwhile): its first
        # look finds no map to carry over either, and said "not computing" under the overlay
        computing = (relayout or self.points is None or not len(self.points.track_ids)
                     or self.space != space or shows_another_model(self.points, snap)
                     or (self._task is not None and self._task is self._laying_out
                         and self._task.running))
        if computing:
            self.message.emit(COMPUTING)
        # disposable: the map is a cache, made again at the next start; closing the window
        # waited 30 s on a first layout compiling numba code, which checks no cancel
        ctx = self.app.ctx
        task = self.app.run("map", map_points, ctx, space, spaces=self.app.spaces,
                            relayout=relayout, key="map", disposable=True)
        self._task = task
        if computing:  # shown as computing: a reload meanwhile keeps it so, the next too
            self._laying_out = task
        self.computing.emit(computing)  # False: a cached map, the points shown stay
        task.on_finished(lambda t=task: self._task is t and self.computing.emit(False))
        first = first_map_on_this_machine(ctx.numba_cache_dir)
        self.app.tasks.track(task, MAP_LABEL,
                             words=lambda p: map_progress_text(p, first=first))
        # the map of a library no longer shown (File ▸ Open demo library while it was being
        # computed) is neither drawn nor said over the one shown: with no map of its own to
        # compute (no vectors yet), nothing took its place and it was drawn there
        shown = self.app.library.shows
        if not computing:  # the quick look may find no map to carry over: a layout then
            task.on_progress(lambda reports, t=task: shown(ctx) and self._laid_out(t, reports))
        task.on_result(lambda pts, s=space: shown(ctx) and self._loaded(pts, s, relayout))
        task.on_failed(lambda msg, _d: shown(ctx)  # the use case's hint, in the window's words
                       and self.message.emit(f"No map: {window_note(msg)}"))
        task.on_cancelled(lambda s=space: shown(ctx) and self._cancelled(s, relayout))

    def _laid_out(self, task: "Task", reports: "list[Progress]") -> None:
        """The map's work reported a stage of its own: its quick look found no saved map to
        carry over (many tracks added since the layout: more than placement takes), so the
        map is laid out afresh — minutes of UMAP on a large library. The map shown stayed
        undimmed meanwhile, without the new tracks, as if current, with Lasso and Rectangle
        on over points about to move; now it is shown as being computed, as a change of space
        is (once per task; its end ends it, as any map task's). A wait for another run's map
        lock is reported under a map stage too, and is no layout: a placement may follow."""
        if self._task is not task or self._laying_out is task:
            return
        if any(p.stage.startswith("map") and not is_wait(p) for p in reports):
            self._laying_out = task
            self.message.emit(COMPUTING)
            self.computing.emit(True)

    def _cancelled(self, space: str, relayout: bool) -> None:
        """Cancel (the status line's button) stopped the map: the map shown before stays, and
        the status line says nothing changed. "Computing the map…" used to stay over it with
        nothing running. With no map of this space to show, the overlay says how to draw it
        — also over another model's map (:func:`shows_another_model`): it is not this one's."""
        snap = self.app.library.snapshot
        if (self.points is not None and len(self.points.track_ids) and self.space == space
                and not (snap is not None and shows_another_model(self.points, snap))):
            self.message.emit("")
            self.app.notify("Map not recomputed (cancelled): the previous map stays"
                            if relayout else "Map not updated (cancelled)")
            return
        self.message.emit(NOT_DRAWN)
        self.app.notify("Map not drawn (cancelled)")

    def _forget_points(self) -> None:
        """No map to show any more (another library, no vectors, no tracks): the points and
        their space are dropped, on the map too — one place, so that none of the three keeps
        half of a map gone."""
        self.points, self.space = None, None
        self.cleared.emit()

    def _loaded(self, points: "MapPoints", space: str, relayout: bool = False) -> None:
        snap = self.app.library.snapshot
        if snap is None or snap.empty:  # a map begun before every track left: not drawn
            return
        self.keeps_view = carries_over(self.points, self.space, points, space,
                                       relayout=relayout)
        self.points, self.space = points, space
        self.loaded.emit(points, space)
        self._tell_notes(points)

    def _tell_notes(self, points: "MapPoints") -> None:
        """Say on the status line what the map's use case noted: once a session, its map kept
        in the per-user cache, not with the library (a file or a foreign link where its
        folder goes); and each time, why a saved map was laid out afresh — a torn file as a
        warning (the map the user knew is gone: a second one torn is news again), other
        settings or a wait for another run's layout as information. The window's user never
        sees the log, and the map they knew changed shape unexplained. How loudly: as the use
        case says (:attr:`MapPoints.note_level`)."""
        for note in points.extra.get("notes", ()):
            if note not in self._told:
                self._told.add(note)
                self.app.notify(note, "warning")
        if points.note:
            self.app.notify(f"Map laid out afresh: {points.note}", points.note_level)

    def colouring(self, track_ids: "np.ndarray") -> tuple["np.ndarray", list[str], str] | None:
        """``(codes, category names, name of 'other')`` for the current colour choice, or None
        for plain points. ``codes[i]`` is the category of ``track_ids[i]`` (-1: other)."""
        snap = self.app.library.snapshot
        self.legend_footnote = []
        if snap is None or self.colour_by == "none":
            return None
        if self.colour_by == "playlist":
            # by id, not by name: same-named playlists were merged into one colour and entry
            labels, sizes = _playlist_labels(snap)
            codes, cats = multi_categorical(track_ids.tolist(), (
                ((labels[pid], pid), tid) for pid, tid in snap.memberships))
            self._legend_sizes = [sizes.get(pid, 0) for _label, pid in cats]
            more = len(labels) - len(cats)
            self.legend_footnote = playlist_footnote(more)
            return codes, [label for label, _pid in cats], (
                f"{counted(more, 'other playlist')} or none" if more else "in no playlist")
        field, track = TRACK_FIELD_OF[self.colour_by], snap.by_id.get
        values = [_field(track(t), field) for t in track_ids.tolist()]  # ints: 28k on a click
        codes, cats = categorical(values)
        if not cats:
            return codes, cats, f"no track has {MISSING_FIELD[self.colour_by]}"
        more = len(set(values).difference(cats, (None, "")))  # values left grey
        return codes, cats, lumped_name(more, VALUE_NOUN[self.colour_by],
                                        unset=not all(values))

    def legend_counts(self, names: list[str]) -> tuple[list[int] | None, str]:
        """The legend's number for each of ``names`` (the colouring's categories), and a note
        on what it counts. Coloured by playlist, a track in several playlists is drawn in the
        largest one's colour, so counting points gave "Lost Dunes (8)" beside "Lost Dunes (27)"
        in the playlist list: the legend now gives each playlist's size as the list does.
        Other colourings count their points (None). ``names``: the categories of the last
        :meth:`colouring`, which also worked out the sizes, by id (same-named playlists share
        a name there, not an id); unread now, still passed by the window and its tests."""
        if self.app.library.snapshot is None or self.colour_by != "playlist":
            return None, self.colour_note
        note = " ".join(t for t in (self.colour_note, PLAYLIST_LEGEND_NOTE) if t)
        return list(self._legend_sizes), note


MAP_CODE = ("umap_*", "pynndescent_*")
"""The folders numba keeps umap's and pynndescent's compiled code in, under its cache (the
folder's name ends in a hash of the package's path)."""


def first_map_on_this_machine(cache_dir: str | os.PathLike) -> bool:
    """Whether a map laid out now compiles its code first (tens of seconds, with no progress
    to show): numba's cache — ``NUMBA_CACHE_DIR`` if set, as the map's process uses it, else
    ``cache_dir`` — holds no index of umap's or of pynndescent's functions. A glob of one
    folder: cheap enough for the window's thread."""
    root = Path(os.environ.get("NUMBA_CACHE_DIR") or cache_dir)
    try:
        return not all(any(root.glob(f"{code}/*.nbi")) for code in MAP_CODE)
    except OSError:
        return False


def shows_another_model(points: "MapPoints | None", snap: "LibrarySnapshot") -> bool:
    """Whether ``points`` are the map of another model than the one their space uses now (a
    Retrain, Analyse ▸ Graph model, embeddings of another audio model): the new model's map
    is laid out afresh — minutes of UMAP on a large library — and the old one stayed drawn
    as if current meanwhile, undimmed, the new model's neighbours ringed on the old model's
    points. Then it is shown as a map being computed, as a change of space is."""
    if points is None or not points.model_id:
        return False
    current = {"graph": snap.graph_model and graph_model_label(snap.graph_model),
               "audio": snap.audio_model}.get(points.space)
    return bool(current) and points.model_id != current


CARRIED_METHODS = frozenset({"cached", "placed"})
"""How a map comes back that is the saved layout (new tracks, if any, placed on it)."""


def carries_over(before: "MapPoints | None", before_space: str | None, after: "MapPoints",
                 space: str, *, relayout: bool = False) -> bool:
    """Whether ``after`` is the map already shown, carried over: same space and model, the
    saved layout rather than a fresh one, and mostly the same points. Every reload (a
    rescan, an embed, the folder watch) loads the map again; fitting it each time undid the
    user's zoom and the centring on a track picked in the search box. A new space, a new
    model, a fresh layout (Recompute map, or much change) moves the points: those fit."""
    if relayout or before is None or before_space != space or not len(before.track_ids):
        return False
    if after.model_id != before.model_id or after.method not in CARRIED_METHODS:
        return False
    old = {int(t) for t in before.track_ids}
    common = sum(1 for t in after.track_ids if int(t) in old)
    return common * 2 >= max(len(old), len(after.track_ids))


def neighbour_marks(graph: Sequence[Mapping], audio: Sequence[Mapping]
                    ) -> tuple[list[int], list[int]]:
    """The ids the map rings as the graph model's neighbours and as audio's, from the two
    lists' rows: each list's own, and the rows ``in_both`` of the other list — a copy of one
    of its rows (search/similar.py :func:`~musicsage.search.similar.mark_in_both`). One song
    listed by the graph model under one copy of its file and by audio under another was
    ringed "graph only" at one point and "audio only" at the other, while the lists' ◆ said
    "in both"; now both points are ringed "both"."""
    shared = [int(r["track_id"]) for r in (*graph, *audio) if r.get("in_both")]
    return (list(dict.fromkeys([*(int(r["track_id"]) for r in graph), *shared])),
            list(dict.fromkeys([*(int(r["track_id"]) for r in audio), *shared])))


def automatic_colouring(snap: "LibrarySnapshot") -> str:
    """What to colour the map by when the user has not chosen: genre tags, unless no track
    has one — then every point was one colour under "no track has a genre tag" (28,356
    tracks of an imported dataset) — the first of :data:`FALLBACK_COLOURS` the library has."""
    if any(t.genre for t in snap.tracks):
        return DEFAULT_COLOUR
    has = {"playlist": bool(snap.memberships),
           "artist": any(t.artist for t in snap.tracks),
           "album": any(t.album for t in snap.tracks)}
    return next((key for key in FALLBACK_COLOURS if has[key]), DEFAULT_COLOUR)


def _playlist_labels(snap: "LibrarySnapshot") -> tuple[dict[int, str], dict[int, int]]:
    """Each playlist's name in the legend (:func:`playlist_labels`) and its size, by id: the
    legend's number (:meth:`MapController.legend_counts`) without counting them again."""
    sizes = snap.playlist_sizes()
    return playlist_labels((p.id, snap.playlist_name(p), sizes.get(p.id, 0))
                           for p in snap.playlists), sizes


def _audio_only(problem: str | None, advice: str = RETRAIN_ADVICE) -> str:
    """Why the map shows audio where the graph model's map was chosen, and what to do
    (``advice``: :func:`~musicsage.controllers.training.train_advice`)."""
    if problem:
        fix = "press Retrain to rebuild it" if advice == RETRAIN_ADVICE else advice
        return f"Showing audio only: the graph model is unusable ({problem}); {fix}"
    return f"Showing audio only: no graph model yet: {advice}"


def _field(track, name: str) -> str | None:
    return getattr(track, name) if track is not None else None

"""What a front end shows about a library at one moment, read in one call.

One :func:`load_snapshot` reads tracks, playlists, memberships, counts and the models in use,
so the window's thread never touches the database and every panel shows the same moment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from musicsage.library import paths as P
from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.graph.store import GraphModelInfo
    from musicsage.library.browse import LibraryStats, PlaylistInfo, TrackInfo
    from musicsage.usecases.models import GraphModelRow
    from musicsage.usecases.spaces import SearchSpaces


@dataclass
class LibrarySnapshot:
    stats: "LibraryStats"
    tracks: "list[TrackInfo]"
    playlists: "list[PlaylistInfo]"
    memberships: list[tuple[int, int]]
    """(playlist id, track id) of every resolved entry."""
    audio_model: str | None
    """The audio model id whose vectors are shown (None: nothing embedded yet)."""
    graph_model: "GraphModelInfo | None"
    graph_problem: str | None = None
    """Why the graph model cannot be used (its files are damaged), as a one-line note; None
    when it is usable or when there is none. The window then shows audio only and says so."""
    by_id: "dict[int, TrackInfo]" = field(default_factory=dict)
    folders: list[tuple[str, int]] = field(default_factory=list)
    """The music folders as shown, each with its number of tracks."""
    graph_models: "list[GraphModelRow]" = field(default_factory=list)
    """Every graph model of the library (Analyse ▸ Graph model), oldest first."""
    stamp: tuple[int, int] | None = None
    """The library's change stamp read just before the rest (:meth:`SearchSpaces.stamp`;
    None without ``spaces``): a later, different stamp means the snapshot may be stale."""
    present_embeddings: dict[str, int] | None = None
    """Vectors per audio model id of present tracks alone (None: not read; ``stats``' count of
    all serves). A missing track keeps its vector, and counted with the present ones it hid a
    changed track lacking one: Rescan and the folder watch left it unanalysed."""
    usable_memberships: int | None = None
    """Of :attr:`memberships`, those training keeps: of tracks with a vector of the shown
    version of :attr:`audio_model` (:func:`~musicsage.library.relations.usable_memberships`;
    None: not read), counted up to :data:`~musicsage.graph.reports.MIN_MEMBERSHIPS` — all
    that Retrain's decision needs. Retrain was offered to a library past the threshold only
    through tracks not analysed yet, and refused."""
    training_reach: dict | None = None
    """:func:`~musicsage.usecases.training_reach.training_reach` of the library's playlists
    (None: not read): whether an embed can give a playlist track lacking a vector one now,
    whether some playlist holds two with one, whether an embed can make one hold two, whether
    a playlist track lacking one is a missing file — what Retrain's decision needs besides
    :attr:`usable_memberships`."""

    _shared: set[int] | None = field(default=None, init=False, repr=False, compare=False)
    """Ids of the tracks whose title and artist another track has (:meth:`twin_labels`)."""

    def __post_init__(self) -> None:
        self.by_id = {t.id: t for t in self.tracks}

    @property
    def empty(self) -> bool:
        return not self.tracks

    @property
    def embedded(self) -> int:
        """Present tracks with a vector of the current audio model."""
        counts = self.stats.embeddings if self.present_embeddings is None else (
            self.present_embeddings)
        return counts.get(self.audio_model, 0) if self.audio_model else 0

    @property
    def needs_embedding(self) -> bool:
        """Some present tracks lack a vector of the current audio model."""
        present = self.stats.tracks.present
        return bool(present) and self.embedded < present

    @property
    def graph_notes(self) -> list[str]:
        """What :attr:`graph_label` says in brackets after the model's name, one note each:
        "model 2" with several models (Analyse ▸ Graph model), so the user sees which; "HR@10
        0.123", or "HR@10 0.628 on only 44 pairs" where too few pairs were held out to mean
        much, then " by an older evaluation" as the menu says it
        (:func:`~musicsage.usecases.models.older_protocol`: an inflated figure read as today's).
        Empty without a model. The window's summary shows these, not the name."""
        from musicsage.graph.saved_numbers import graph_figure
        from musicsage.text import counted
        from musicsage.usecases.models import few_pairs, older_protocol

        g = self.graph_model
        if g is None:
            return []
        hr = graph_figure(g.metrics, "hr@10")  # 1e400, NaN: none
        notes = [f"model {g.id}"] if len(self.graph_models) > 1 and g.name else []
        if hr is not None:
            few = few_pairs(g.metrics)  # the demo's 44 pairs: "HR@10 0.628" meant little
            notes.append(f"HR@10 {hr:.3f}"
                         + ("" if few is None else f" on only {counted(few, 'pair')}")
                         + (" by an older evaluation" if older_protocol(g.metrics) else ""))
        return notes

    @property
    def graph_learned_nothing(self) -> bool:
        """The graph model in use kept its untrained weights (loss 0 at every step): the
        summary says so rather than "trained" with its HR@10 (False without a model)."""
        from musicsage.usecases.model_metrics import learned_nothing_saved

        return self.graph_model is not None and learned_nothing_saved(self.graph_model)

    @property
    def graph_label(self) -> str | None:
        """"<name> (HR@10 0.123)" of the graph model in use, or None; its name, then
        :attr:`graph_notes` in brackets: "<name> (model 2, HR@10 0.123)"."""
        g = self.graph_model
        if g is None:
            return None
        label = g.name or f"model {g.id}"
        notes = self.graph_notes
        return f"{label} ({', '.join(notes)})" if notes else label

    def playlist(self, playlist_id: int | None) -> "PlaylistInfo | None":
        """The playlist of id ``playlist_id`` (None: not in this snapshot, or None given)."""
        return next((p for p in self.playlists if p.id == playlist_id), None)

    def playlist_name(self, playlist: "PlaylistInfo") -> str:
        """The playlist's name as written (a queue saved from it keeps it): for a line of the
        window, :meth:`shown_name`."""
        from pathlib import Path

        return playlist.name or Path(playlist.path).stem

    def shown_name(self, playlist: "PlaylistInfo") -> str:
        """:meth:`playlist_name` as one line shows it, its control characters written
        visibly (:func:`~musicsage.text.printable`): a tab or a line break in a file's name
        or its ``#PLAYLIST`` line split the playlist list's row and the legend's entry."""
        from musicsage.text import printable

        return printable(self.playlist_name(playlist))

    def playlist_sizes(self) -> dict[int, int]:
        """Resolved entries per playlist id."""
        counts: dict[int, int] = {}
        for pid, _tid in self.memberships:
            counts[pid] = counts.get(pid, 0) + 1
        return counts

    def label(self, track_id: int) -> str:
        """"title — artist" for hover text and lists, on one line: a title taken from a file
        named ``odd\\nname.wav`` (or a tag holding a line break) broke the map's label and
        the neighbours' heading across lines; its control characters are written visibly
        (:func:`~musicsage.text.printable`)."""
        t = self.by_id.get(int(track_id))
        return f"track {track_id}" if t is None else window_label(t)

    def labels(self, track_ids: "Sequence[int]") -> list[str]:
        """:meth:`label` of each track of one list, those that read the same told apart
        (:func:`labelled`)."""
        ids = [int(t) for t in track_ids]
        shown = dict(labelled([self.by_id[t] for t in ids if t in self.by_id]))
        return [shown.get(t) or self.label(t) for t in ids]

    def twin_labels(self, track_ids: "Sequence[int]") -> dict[int, str]:
        """:meth:`labels` of those of ``track_ids`` (one long list: a queue of 28,000,
        labelled as its rows are shown) that read the same as another of them, by id: only
        the tracks whose title and artist another track of the library has are looked at
        (found once a snapshot); the others keep :meth:`label`."""
        if self._shared is None:
            keys = [(t.display_title, t.artist) for t in self.tracks]
            seen = Counter(keys)
            self._shared = {t.id for t, key in zip(self.tracks, keys) if seen[key] > 1}
        twins = [t for t in dict.fromkeys(map(int, track_ids)) if t in self._shared]
        return {t: label for t, label in zip(twins, self.labels(twins)) if label != self.label(t)}


def window_label(t: "TrackInfo") -> str:
    """:meth:`LibrarySnapshot.label` of the track ``t``: "Title — Artist", as the window's
    lists show it (the command line's text says "Artist - Title":
    :func:`musicsage.search.report.track_label`)."""
    from musicsage.text import printable

    return printable(f"{t.display_title} — {t.artist}" if t.artist else t.display_title)


def labelled(tracks: "Sequence[TrackInfo]") -> list[tuple[int, str]]:
    """Each track of one list (the search's) by id with its label, those that read the same
    told apart by their files (:func:`~musicsage.library.browse.told_apart`): four untagged
    files song.m4a, song.aac … of one folder were four rows "song" in the search list."""
    from musicsage.library.browse import told_apart

    ids = [t.id for t in tracks]
    return list(zip(ids, told_apart([window_label(t) for t in tracks], [t.path for t in tracks],
                                    ids)))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def load_snapshot(ctx: "AppContext", *, spaces: "SearchSpaces | None" = None) -> LibrarySnapshot:
    """Everything a window shows, read at one moment. ``spaces`` (the caller's
    :class:`~musicsage.usecases.spaces.SearchSpaces`) checks the graph model's vectors, and
    keeps them loaded for the first click."""
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import current_audio_model_id
    from musicsage.usecases.library import (library_stats, list_playlists, list_tracks,
                                            music_folders, playlist_track_ids)
    from musicsage.usecases.models import list_graph_models
    from musicsage.usecases.training import current_graph_model
    from musicsage.usecases.training_reach import usable_and_reach

    P.holds_tracks_csv.cache_clear()  # a dataset dir made or removed since is seen
    stamp = spaces.stamp() if spaces is not None else None  # before reading: never too new
    stats = library_stats(ctx)
    tracks = list_tracks(ctx)
    playlists = list_playlists(ctx)
    memberships = [(p.id, tid) for p in playlists for tid in playlist_track_ids(ctx, p.id)]
    graph_model = current_graph_model(ctx)
    audio_model = current_audio_model_id(ctx)
    usable, reach = usable_and_reach(connect(ctx), audio_model)  # the shown version read once
    problem = None
    if graph_model is not None:
        from musicsage.usecases.spaces import SearchSpaces

        problem = (spaces or SearchSpaces(ctx)).problem("graph")
    return LibrarySnapshot(stats=stats, tracks=tracks, playlists=playlists, memberships=memberships,
                           audio_model=audio_model, graph_model=graph_model,
                           graph_problem=problem, folders=music_folders(ctx),
                           graph_models=list_graph_models(ctx), stamp=stamp,
                           present_embeddings=present_embeddings(ctx),
                           usable_memberships=usable,
                           training_reach=reach)


def present_embeddings(ctx: "AppContext") -> dict[str, int]:
    """Vectors per audio model id of present tracks (:attr:`LibrarySnapshot.present_embeddings`):
    what the window counts as embedded, and ``stats`` too, saying those of missing tracks apart
    (it said 21 where the window said "20 of 21 embedded")."""
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_counts

    return embedding_counts(connect(ctx), present_only=True)

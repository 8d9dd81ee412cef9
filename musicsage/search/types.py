"""Plain result types of search and map (no heavy imports: front ends import this at start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from musicsage.library.paths import json_fields
from musicsage.text import counted, printable

if TYPE_CHECKING:
    from musicsage.search.same_file import TrackFiles

SPACES = ("graph", "audio")


class TwoLists:
    """What a result holding a graph list and an audio list offers (they share the shape)."""

    graph: list[dict]
    audio: list[dict]
    notes: dict[str, str]
    skipped_missing: dict[str, int]
    space: str
    folded: dict[str, list[int]]
    k: int
    variety: bool

    def rows(self, space: str) -> list[dict]:
        return self.graph if space == "graph" else self.audio

    def why_text(self, space: str, track_id: int) -> str:
        """The one-line reason ``track_id`` is in the ``space`` list ("" if it is not)."""
        row = next((r for r in self.rows(space) if r["track_id"] == track_id), None)
        return (row.get("why") or {}).get("text", "") if row else ""

    @property
    def in_both(self) -> int:
        """How many songs are in both lists: a track in both, or a copy of one shown in the
        other (:func:`~musicsage.search.similar.mark_in_both` marks its rows) — the smaller
        of the two lists' counts of marked rows. One list may show two rows of one song the
        other shows once (a tagged track, and an untagged copy of the file of the other
        list's track by that title and artist: each is that track's copy, by tags or by file,
        but not the other's); the graph list's count said 2 beside one starred audio row.
        Where the lists were made together, their count of songs (``songs_in_both``:
        copies joined across them, :func:`~musicsage.search.similar.songs_in_both`) — the
        smaller count of rows was one high where each list showed two copies of a song."""
        marked = min(sum(1 for r in rows if r.get("in_both")) for rows in (self.graph, self.audio))
        songs = getattr(self, "songs_in_both", None)
        return marked if songs is None else min(marked, songs)

    @property
    def both_ids(self) -> set[int]:
        """The rows of either list whose song is in both (the window's ◆): a track both lists
        show, and a copy of one the other list shows (its row marked ``in_both``)."""
        graph, audio = ({int(r["track_id"]) for r in rows} for rows in (self.graph, self.audio))
        marked = {int(r["track_id"]) for r in (*self.graph, *self.audio) if r.get("in_both")}
        return (graph & audio) | marked

    @property
    def folded_ids(self) -> list[int]:
        """The copies of an anchor (the query, a playlist's members) left out of either list,
        once each, by id: a file the user knows is there must not vanish without a word."""
        return sorted({int(t) for ids in self.folded.values() for t in ids})

    def short_list_notes(self, anchors_never_listed: str) -> list[str]:
        """A note per list shorter than ``k`` asked for (``similar``'s
        :meth:`SimilarResult.short_lists`, ``suggest``'s
        :func:`~musicsage.search.suggest.short_lists`): what it ranks and what it never lists,
        ``anchors_never_listed`` ("copies of the query") first. A list shows one track of a
        song, so a song's second copy is named too: "no other track … is left to list" was
        false where 7 album versions of songs listed were left out."""
        never = (f"{anchors_never_listed} or of a song already listed, and missing files are "
                 "never listed" + (", nor a second track by one artist" if self.variety else ""))
        among = {"graph": "the graph model placed", "audio": "with an audio vector"}
        return [f"the {name} list has {counted(len(rows), 'track')}, not {self.k}: no other "
                f"track {among[name]} is left to list ({never})"
                for name, rows in (("graph", self.graph), ("audio", self.audio))
                if rows and len(rows) < self.k]

    @property
    def note(self) -> str:
        """Every note on one line ("graph: …; audio: …"), or ""."""
        return "; ".join(f"{name}: {msg}" for name, msg in self.notes.items())

    def note_for(self, space: str) -> str:
        """Why ``space`` has no list (its own note, else every note), or ""."""
        return self.notes.get(space) or self.note

    def _lists_dict(self) -> dict:
        """The lists as ``--json`` writes them (each track's path by
        :func:`~musicsage.library.paths.json_fields`), their overlap, and ``models`` with
        both spaces' keys always (None: that space was not searched), as docs/cli.md promises."""
        return {"graph": [json_fields(r) for r in self.graph],
                "audio": [json_fields(r) for r in self.audio], "in_both": self.in_both,
                "models": {s: self.models.get(s) for s in SPACES}}

    def _notes_dict(self) -> dict:
        """The keys every such JSON carries after its lists: copies left out, missing files,
        notes, space."""
        d: dict = {}
        if self.folded:
            d["folded"] = self.folded
        if self.skipped_missing:
            d["skipped_missing"] = self.skipped_missing
        if self.notes:
            d["notes"] = self.notes
            d["note"] = self.note
            for name, msg in self.notes.items():
                d[f"{name}_note"] = msg
        d["space"] = self.space
        return d


@dataclass(frozen=True)
class SimilarResult(TwoLists):
    """The neighbour lists of one track, graph model and audio alone.

    ``query`` is the track (track_id, title, artist, album, path, duration, status); each row
    of ``graph``/``audio`` adds ``score`` (cosine), ``rank``, ``in_both`` and ``why`` (the
    reasons it is there, :mod:`musicsage.search.why`). A space with no
    list (not requested, no model yet, no vector for the query) has an empty list and an entry
    in ``notes``. :meth:`to_dict` is the ``similar --json`` contract (docs/cli.md).
    """

    query: dict
    graph: list[dict] = field(default_factory=list)
    audio: list[dict] = field(default_factory=list)
    k: int = 0
    models: dict[str, str | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    skipped_missing: dict[str, int] = field(default_factory=dict)
    """Per space: missing files that would have ranked (they are never listed)."""
    space: str = "both"
    variety: bool = False
    """At most one track per artist in each list (see :mod:`musicsage.search.lists`)."""
    folded: dict[str, list[int]] = field(default_factory=dict)
    """Per space: copies of the query (same song under another id) left out of the list."""
    songs_in_both: int | None = None
    """How many songs are in both lists, as made (None: not told; see :attr:`in_both`)."""

    def only(self, space: str) -> "SimilarResult":
        """The same result with the other space's list emptied (to save one list)."""
        other = "audio" if space == "graph" else "graph"
        return replace(self, **{other: []})

    def playlist_tracks(self, contents: "TrackFiles | None" = None) -> list[dict]:
        """The query first, then the graph list, then the audio tracks that are not the same
        song as one already in (the lists' own rule,
        :class:`~musicsage.search.lists.ListCurator`: its tags, or its file's content hash
        from ``contents``): a "radio" seeded by the query, which plays each song once. A query whose file is missing keeps
        its entry, as a radio's seed does (it plays again once the drive is back); the lists
        hold no missing file."""
        from musicsage.search.lists import ListCurator

        rows = [*self.graph, *self.audio]
        curator = ListCurator(len(rows), anchors=[self.query], contents=contents,
                              same_file=contents.same if contents is not None else None)
        curator.learn_contents([int(r["track_id"]) for r in rows])
        listed, seen = [], {self.query["track_id"]}
        for row in rows:  # an untagged track without a hash has no copy key: told by its id
            if row["track_id"] not in seen and curator.offer(row):
                seen.add(row["track_id"])
                listed.append(row)
        return [self.query, *listed]

    def short_lists(self) -> list[str]:
        """A note per list shorter than ``k`` asked for, as ``radio`` says of a short queue:
        ``similar -k 50 --variety`` listed 24 tracks (one per artist) without a word. It
        names the tracks a list ranks (the graph list: those the graph model placed, not the
        whole library) and those it never lists: "no copies of the query or missing files"
        read as if there were none, "no other track" as if the library held no more."""
        return self.short_list_notes("copies of the query")

    def to_dict(self) -> dict:
        d: dict = {"query": json_fields(self.query), "k": self.k, **self._lists_dict(),
                   "variety": self.variety}
        return {**d, **self._notes_dict()}


@dataclass(frozen=True)
class SuggestResult(TwoLists):
    """Tracks to add to a playlist, graph model and audio alone: ``suggest --json``.

    Shaped like :class:`SimilarResult` with ``playlist`` in place of ``query``: ``playlist``
    is ``{playlist_id, name, path, format, tracks, sha256}`` (``sha256``: of the file as read
    now, so "Add to playlist" can refuse a file that changed since), the rows are tracks
    outside the playlist (``score``, ``rank``, ``in_both``, ``why``), ``members_used`` counts
    the members each space had a vector for.
    """

    playlist: dict
    graph: list[dict] = field(default_factory=list)
    audio: list[dict] = field(default_factory=list)
    k: int = 0
    models: dict[str, str | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    skipped_missing: dict[str, int] = field(default_factory=dict)
    space: str = "both"
    variety: bool = False
    method: str = "centroid"
    members_used: dict[str, int] = field(default_factory=dict)
    folded: dict[str, list[int]] = field(default_factory=dict)
    """Per space: copies of the members (same song under another id) left out of the list."""
    songs_in_both: int | None = None
    """How many songs are in both lists, as made (None: not told; see :attr:`in_both`)."""

    def playlist_tracks(self, space: str) -> list[dict]:
        """One space's suggestions (what "save as playlist" writes)."""
        return [r for r in self.rows(space) if r.get("status", "present") == "present"]

    def to_dict(self) -> dict:
        d: dict = {"playlist": self.playlist, "k": self.k, **self._lists_dict(),
                   "members_used": {s: self.members_used.get(s) for s in SPACES},
                   "method": self.method, "variety": self.variety}
        return {**d, **self._notes_dict()}


@dataclass
class MapPoints:
    """2-D coordinates of every embedded track of one space.

    ``track_ids[i]`` sits at ``xy[i]``. Missing tracks (file vanished) are included -- a front
    end greys them out -- so a file going missing does not recompute the map; ``present[i]``
    says which are playable.
    """

    track_ids: Any  # np.ndarray int64 [n]
    xy: Any  # np.ndarray float32 [n, 2]
    space: str  # graph | audio
    model_id: str | None
    present: Any = None  # np.ndarray bool [n]
    method: str = "umap"  # umap | pca | circle | trivial | cached | placed
    cached: bool = False
    seconds: float = 0.0
    fingerprint: str = ""
    extra: dict = field(default_factory=dict)
    placed: int = 0
    """Tracks placed on the saved map just now, rather than laid out (method ``placed``)."""
    note: str | None = None
    """Why a saved map was laid out afresh: its settings changed since it was saved, its file
    was torn (damaged or cut short), or a fresh layout asked for waited for another run's
    layout and replaced it."""
    note_level: str = "info"
    """How a front end tells :attr:`note`, set by the use case: "warning" when the map the
    user knew is lost (a torn file), else "info" (the window's status line)."""
    left_out: str | None = None
    """The line on the tracks left out of the map for a damaged vector (``map --json``'s
    ``left_out``), or None."""

    def as_dict(self, *, points: bool = True) -> dict:
        """The ``map --json`` form of this space."""
        d = {"space": self.space, "model_id": self.model_id, "tracks": int(len(self.track_ids)),
             "method": self.method, "cached": self.cached, "seconds": round(self.seconds, 3),
             "fingerprint": self.fingerprint}
        if self.method == "placed":
            d["placed"] = self.placed
        if self.note:  # not "note": that key is a space without vectors (`map --json`)
            d["relaid_because"] = self.note
        if self.left_out:
            d["left_out"] = self.left_out
        if points:
            present = self.present if self.present is not None else [True] * len(self.track_ids)
            d["points"] = [{"track_id": int(t), "x": round(float(x), 5), "y": round(float(y), 5),
                            "present": bool(p)}
                           for t, (x, y), p in zip(self.track_ids, self.xy, present)]
        return d


@dataclass(frozen=True)
class RadioResult:
    """A radio queue: ``radio --json``.

    ``seed`` is the track it started from; ``tracks`` what plays after it, in order (each
    with ``position``, ``score`` — None in a library of two songs, whose audio cosine says
    nothing — and ``picked_from``); ``space`` the vectors used (graph, or
    audio with a ``note`` when there is no graph model yet); ``mode`` close | drift.
    """

    seed: dict
    tracks: list[dict]
    mode: str
    space: str
    model: str | None
    note: str = ""
    same_artist_left_out: dict[str, int] = field(default_factory=dict)
    """With variety ("One per artist", ``--variety``), the tracks left out because their
    artist was queued already, counted by artist (the seed's first): a radio that runs out
    says how many and whose (:meth:`variety_left_out`), not only that nothing was left."""

    def variety_left_out(self) -> str:
        """"2 tracks by Ann left out by one per artist" ("… by Ann and 3 other queued
        artists …"), the artist who lost most named; "" when variety left none out. Each
        front end adds how to have them."""
        if not self.same_artist_left_out:
            return ""
        counts = self.same_artist_left_out
        named = max(counts, key=counts.__getitem__)  # ties: the first met, the seed's
        others = len(counts) - 1
        by = printable(named) + (f" and {counted(others, 'other queued artist')}"
                                 if others else "")
        return f"{counted(sum(counts.values()), 'track')} by {by} left out by one per artist"

    def playlist_tracks(self) -> list[dict]:
        """The seed, then the queue (what ``--m3u`` writes)."""
        return [self.seed, *self.tracks]

    def to_dict(self) -> dict:
        d = {"seed": json_fields(self.seed), "mode": self.mode, "space": self.space,
             "model": self.model, "length": len(self.tracks),
             "tracks": [json_fields(t) for t in self.tracks]}
        if self.note:
            d["note"] = self.note
        return d

"""Why a track is in a list: a short, checkable reason beside every neighbour or suggestion.

A list ranks by cosine similarity, which says nothing a listener can check. The reasons here
are facts of the library, each true or false on its own:

- the **playlists** the track shares with the anchor (the query; for a playlist suggestion,
  the playlist's members — the playlist itself aside), by name;
- **same artist / same album** (album = album name plus album artist or artist: "Greatest
  Hits" of two artists is two albums);
- its **rank in each space**: where it stands in the full graph ranking and the full
  audio-only ranking of every playable track (so "#3 here, #41 by audio alone" shows what the
  graph model added), counting only the tracks that space's list would show: a track its
  list left out as a copy of one it shows (or, with variety, for its artist's better-ranked
  track) has no rank there and moves none down, so "#7 by the graph model" is the seventh
  row of the graph list;
- the **MusiCNN tags** it shares with the anchor, among each one's top tags — only where both
  were tagged (tags are computed per file and cached, see
  :mod:`musicsage.library.tag_cache`; they are never computed for a query).

``why`` is a dict (``similar --json`` shows it on every row) with a one-line ``text``.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from musicsage.library.queries import present_track_ids
from musicsage.library.relations import playlist_names, playlists_of, track_facts
from musicsage.search.index import SpaceIndex
from musicsage.search.lists import artist_key, title_key
from musicsage.search.scoring import row_norms, space_scores

TOP_TAGS = 5
"""Tags compared per track: each one's five most probable."""
SHOWN_PLAYLISTS = 3
"""Playlist names the one-line text shows (the dict lists them all)."""
CLOSE_SCORE = 0.1
"""An audio neighbour scoring (cosine) below this is no nearer than an unrelated track: the
audio vectors are z-scored, so unrelated ones are about orthogonal, their cosines scattered a
little either side of 0, and 0.05 says no more than −0.01 — "close in sound" at 0.05 beside
no caveat at −0.01 read as if the sign mattered. Below it a row is "not close" (its score
shown, and compared as shown: "not close (score 0.10)" read as a contradiction) whatever else
it has going for it; with no other reason, it is listed for want of nearer tracks.

The graph model's vectors are not on that scale: two random tracks of a trained model score
0.08–0.19 on average (the ``mean_cos`` stored with its metrics). There the cut-off is that
space's own unrelated level, the mean cosine between its tracks (:func:`unrelated_level`),
plus this same margin: a neighbour must stand out from a random track by as much as an audio
one must from 0."""


def unrelated_level(space: SpaceIndex) -> float:
    """The mean cosine between two distinct tracks of ``space``: what an unrelated track
    scores there. Exact and O(n·d): the sum of all pairs' cosines is |Σ u|² − n over unit
    rows u (the trained model's stored ``mean_cos`` is a sample, of vectors before the
    co-member and two-hop parts the served ones may carry)."""
    level = _LEVELS.get(space)
    if level is None:
        n = len(space.matrix)
        total = ((1.0 / row_norms(space)) @ space.matrix).astype(np.float64)
        level = _LEVELS[space] = float((total @ total - n) / (n * (n - 1))) if n > 1 else 0.0
    return level


_LEVELS: "weakref.WeakKeyDictionary[SpaceIndex, float]" = weakref.WeakKeyDictionary()
""":func:`unrelated_level` per space, kept with it (a space's vectors never change)."""


def close_score(space: SpaceIndex) -> float:
    """The score under which a neighbour in ``space`` is "not close" (see
    :data:`CLOSE_SCORE`)."""
    return CLOSE_SCORE if space.space == "audio" else unrelated_level(space) + CLOSE_SCORE


def list_cut_off(ranks: "SpaceRanks", method: str, anchors: np.ndarray) -> float:
    """The score under which a row of a list ranked by ``ranks`` against ``anchors`` by
    ``method`` is "not close".

    :func:`close_score` is a level of one cosine (or the cosine to the members' mean). The
    ``nearest`` method scores a track by its best cosine to any of several members, and the
    best of 30 cosines to unrelated tracks is well above a single one (0.13 on average in
    256 dimensions): against 0.1, 35 of 40 unrelated suggestions read "close in sound".
    There the level is what the method gives an unrelated track — its best cosine to as
    many tracks of the space drawn at random (:func:`best_of_level`) — plus the same margin.
    Not the listed candidates' own mean: where they were all of one style, rows at cosine
    0.72 read "not close" for standing no higher than their like."""
    if method != "nearest" or len(np.atleast_2d(anchors)) < 2:  # one: as by centroid
        return close_score(ranks.space)
    return best_of_level(ranks.space, len(np.atleast_2d(anchors))) + CLOSE_SCORE


def best_of_level(space: SpaceIndex, members: int, *, probes: int = 512) -> float:
    """The mean, over up to ``probes`` tracks of ``space``, of each one's best cosine to
    ``members`` other tracks drawn at random: what the ``nearest`` method scores a track
    unrelated to a playlist of that size. Seeded by ``members``, so a list reads the same
    each time; O(probes · members · d)."""
    n = len(space.matrix)
    m = min(members, n - 1)
    if m < 1:
        return 0.0
    picks = np.random.default_rng(members).choice(n, size=min(n, m + probes), replace=False)
    unit = space.matrix[picks] / row_norms(space)[picks][:, None]
    anchors, probed = unit[:m], unit[m:]
    return float((probed @ anchors.T).max(axis=1).mean()) if len(probed) else 0.0


@dataclass
class SpaceRanks:
    """Full ranking of the playable tracks of one space against the anchor vectors."""

    space: SpaceIndex
    scores: np.ndarray
    candidate: np.ndarray
    """Per row: may be listed (playable, not an anchor or a copy of one)."""
    sorted_scores: np.ndarray

    @classmethod
    def of(cls, space: SpaceIndex, vectors: np.ndarray, method: str, playable: np.ndarray,
           excluded: set[int]) -> "SpaceRanks":
        scores = space_scores(space, vectors, method)
        candidate = np.isin(space.track_ids, playable)
        candidate[[r for r in (space.row_of(t) for t in excluded) if r is not None]] = False
        return cls(space, scores, candidate, np.sort(scores[candidate]))

    def rank(self, track_id: int) -> int | None:
        """1 + how many candidates score higher, or None when the track is not ranked."""
        row = self.space.row_of(track_id)
        if row is None or not self.candidate[row]:
            return None
        s = self.scores[row]
        return int(len(self.sorted_scores) - np.searchsorted(self.sorted_scores, s, side="right")) + 1


@dataclass
class Anchor:
    """What the rows are explained against: one query track or a playlist's members."""

    track_ids: list[int]
    vectors: dict[str, np.ndarray]
    """Per space, the anchor vectors ``[m, d]`` the lists were ranked against."""
    method: str = "centroid"
    """How several anchors score a track (:mod:`musicsage.search.scoring`)."""
    playlist_id: int | None = None
    """A playlist whose own membership is no reason (the one suggestions are for)."""


TagsOf = Callable[[Mapping[int, dict]], Mapping[int, Sequence[tuple[str, float]]]]
"""``tags_of(facts)``: the known tags of the tracks whose facts are given (by id)."""


def explain(conn: sqlite3.Connection, anchor: Anchor, lists: Mapping[str, list[dict]],
            spaces: Mapping[str, SpaceIndex | str], *, excluded: Sequence[int] = (),
            tags_of: TagsOf | None = None, playable: np.ndarray | None = None,
            passed_over: Mapping[str, Sequence[int]] | None = None) -> None:
    """Add a ``why`` dict to every row of ``lists`` (space → rows). ``excluded``: ids that can
    never be listed (copies folded away), left out of the ranks; ``passed_over``: per space,
    the ids its list left out for a row it shows, left out of that space's ranks (else a
    rank beside the list disagreed with the list); ``tags_of``: the cached tags of whichever
    tracks have them (see :mod:`musicsage.library.tag_cache`); ``playable``: the ids of
    present tracks, when the caller has them already."""
    rows = [r for space_rows in lists.values() for r in space_rows]
    if not rows:
        return
    ids = {int(r["track_id"]) for r in rows} | set(anchor.track_ids)
    facts = track_facts(conn, ids)
    tags = dict(tags_of(facts)) if tags_of is not None else {}
    member_of = playlists_of(conn, ids)
    names = playlist_names(conn)
    playable = present_track_ids(conn) if playable is None else playable
    never = set(anchor.track_ids) | {int(t) for t in excluded}
    passed_over = passed_over or {}
    ranks = {name: SpaceRanks.of(found, anchor.vectors[name], anchor.method, playable,
                                 never | {int(t) for t in passed_over.get(name, ())})
             for name, found in spaces.items()
             if isinstance(found, SpaceIndex) and anchor.vectors.get(name) is not None}
    common = _AnchorFacts.of(anchor, facts, member_of, tags)
    for own_space, space_rows in lists.items():
        own = ranks.get(own_space)  # no vectors ranked: no cut-off to apply
        close_at = (list_cut_off(own, anchor.method, anchor.vectors[own_space])
                    if own is not None and space_rows else None)
        for row in space_rows:
            tid = int(row["track_id"])
            row["why"] = common.why(tid, facts.get(tid, {}), member_of.get(tid, set()), names,
                                    {name: r.rank(tid) for name, r in ranks.items()},
                                    tags.get(tid), own_space, row.get("score"), close_at)


def _album_key(fact: Mapping) -> tuple[str, str] | None:
    album = title_key(fact.get("album"))
    who = artist_key(fact.get("albumartist") or fact.get("artist"))
    return (album, who) if album else None


@dataclass
class _AnchorFacts:
    """What the anchor tracks are: artists, albums, genres, playlists, top tags."""

    n: int
    artists: Counter
    albums: Counter
    genres: Counter
    playlists: Counter
    tags: list[str] | None
    own_playlist: int | None

    @classmethod
    def of(cls, anchor: Anchor, facts: Mapping[int, dict], member_of: Mapping[int, set[int]],
           tags: Mapping[int, Sequence[tuple[str, float]]]) -> "_AnchorFacts":
        rows = [facts[t] for t in anchor.track_ids if t in facts]
        tagged = [[t for t, _p in tags[tid][:TOP_TAGS]] for tid in anchor.track_ids if tid in tags]
        top: list[str] | None = None
        if tagged:
            counts = Counter(t for tag_list in tagged for t in tag_list)
            top = [t for t, _c in counts.most_common(TOP_TAGS)]
        return cls(n=len(rows),
                   artists=Counter(a for a in (artist_key(r.get("artist")) for r in rows) if a),
                   albums=Counter(a for a in map(_album_key, rows) if a),
                   genres=Counter(g for g in (title_key(r.get("genre")) for r in rows) if g),
                   playlists=Counter(p for t in anchor.track_ids for p in member_of.get(t, ())),
                   tags=top, own_playlist=anchor.playlist_id)

    def why(self, track_id: int, fact: Mapping, playlists: set[int], names: Mapping[int, str],
            ranks: Mapping[str, int | None], tags: Sequence[tuple[str, float]] | None,
            own_space: str, score: float | None = None,
            close_at: float | None = CLOSE_SCORE) -> dict:
        shared = sorted((p for p in playlists if p in self.playlists and p != self.own_playlist),
                        key=lambda p: (-self.playlists[p], names.get(p, "").casefold()))
        artist = artist_key(fact.get("artist"))
        album = _album_key(fact)
        genre = title_key(fact.get("genre"))
        out: dict = {
            "playlists": [names.get(p, f"playlist {p}") for p in shared],
            "same_artist": bool(artist and self.artists.get(artist)),
            "same_album": bool(album and self.albums.get(album)),
            "same_genre": bool(genre and self.genres.get(genre)),
            "ranks": dict(ranks),
            "tags": None,
        }
        if self.own_playlist is not None:  # a suggestion: how many members share the artist
            out["members_same_artist"] = int(self.artists.get(artist, 0)) if artist else 0
        if self.tags is not None and tags is not None:
            own = {t for t, _p in tags[:TOP_TAGS]}
            out["tags"] = [t for t in self.tags if t in own]
        out["text"] = _text(out, self.n, own_space, score, close_at)  # a playlist of one
        # track: "same artist", as for a query ("as 1 of them" of one track read oddly)
        return out


def _playlists_named(names: Sequence[str]) -> list[str]:
    """``names`` once each, in order, a name several playlists have said so ("2 playlists
    named Favorites"): a player's playlist and the file exported from it, or two folders'
    "Road trip", read "in Road trip, Road trip", as if the line repeated itself."""
    counts = Counter(names)
    return [name if counts[name] == 1 else f"{counts[name]} playlists named {name}"
            for name in dict.fromkeys(names)]


def _text(why: Mapping, n_anchors: int, own_space: str, score: float | None = None,
          close_at: float | None = CLOSE_SCORE) -> str:
    """One line: "in Mix 1, Mix 3 · same artist · #12 by audio alone · tags: rock, guitar"
    (the rank in the list's own space is its place in the list: not repeated). With none of
    those, how close its ``score`` is in the list's own space; a score whose shown value (two
    decimals) is below ``close_at`` (:func:`close_score`; None: no cut-off) is said to be "not
    close" before any reason."""
    parts = []
    playlists = why["playlists"]
    if playlists:
        named = _playlists_named(playlists)
        shown = ", ".join(named[:SHOWN_PLAYLISTS])
        more = len(named) - SHOWN_PLAYLISTS
        parts.append(f"in {shown}" + (f" (+{more} more)" if more > 0 else ""))
    if why["same_album"]:
        parts.append("same album")
    elif why["same_artist"]:
        many = why.get("members_same_artist", 1)
        parts.append(f"same artist as {many} of them" if n_anchors > 1 else "same artist")
    elif why["same_genre"]:
        parts.append("same genre")
    for name, label in (("graph", "by the graph model"), ("audio", "by audio alone")):
        rank = why["ranks"].get(name)
        if rank is not None and name != own_space:
            parts.append(f"#{rank} {label}")
    if why["tags"]:
        parts.append("tags: " + ", ".join(why["tags"]))
    where = "in sound" if own_space == "audio" else "by the graph model"
    if score is None or close_at is None or round(score, 2) >= close_at:
        return " · ".join(parts) or f"close {where}"
    far = f"not close {where} (score {score:.2f})"  # first: a narrow column keeps it
    return " · ".join([far, *parts]) if parts else f"{far}: listed for want of nearer tracks"

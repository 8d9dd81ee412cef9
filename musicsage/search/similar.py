"""Neighbour lists of one track in each embedding space: the ``similar --json`` shape.

Scores are cosine similarities in the space as indexed: graph vectors as the model made them,
audio vectors z-scored per dimension (:func:`musicsage.vectors.zscore`).

Policy on missing files (status 'missing'): they stay in the indexes and on the map (a vanished
file is not forgotten, and a file coming back costs no rebuild), but they are left out of
neighbour lists: a list is something to play or export as a playlist, and a missing file can
be neither. ``skipped_missing`` counts how many of them would have ranked. A missing *query*
track still gets its neighbours (its vector is known).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from musicsage.errors import EMBED_HINT, TRAIN_HINT
from musicsage.library.queries import present_track_ids, read_failure, track_summaries
from musicsage.search.index import SpaceIndex
from musicsage.search.lists import ListCurator, copy_key, curate, ranked_candidates
from musicsage.search.same_file import TrackFiles
from musicsage.search.scoring import (MIN_DISTINCT_AUDIO, centroid, space_scores,
                                      too_few_to_score)
from musicsage.search.types import SPACES, SimilarResult
from musicsage.search.why import Anchor, TagsOf, explain
from musicsage.text import noun


def unplayable_ids(conn: sqlite3.Connection, space: SpaceIndex,
                   present: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """Ids in ``space`` that must not be listed (missing, or no longer in the library), and
    how many of them are missing files. ``present``: the present ids, if read already."""
    present = present_track_ids(conn) if present is None else present
    out = space.track_ids[~np.isin(space.track_ids, present)]
    return out, len(out)


def _would_have_ranked(space: SpaceIndex, vectors: np.ndarray, all_scores: np.ndarray | None,
                       excluded: np.ndarray, threshold: float) -> int:
    """How many unplayable tracks score at least ``threshold`` (the last listed score), scored
    as the list was ranked: ``all_scores``, the list's scores of every row of ``space`` (its
    ``method`` against the anchor ``vectors``: ``nearest`` counted by the centroid said a
    missing file near one member only would not have ranked), or None: by the centroid."""
    from musicsage.search.index import unit_rows

    rows = [r for r in (space.row_of(t) for t in excluded.tolist()) if r is not None]
    if not rows:
        return 0
    if all_scores is None:
        scores = unit_rows(space.matrix[rows]) @ unit_rows(centroid(vectors)[None, :])[0]
    else:
        scores = all_scores[rows]
    return int((scores >= threshold - 1e-6).sum())


def curated_rows(conn: sqlite3.Connection, space: SpaceIndex, vectors: np.ndarray, *,
                 exclude_ids: Iterable[int], curator: ListCurator, method: str = "centroid",
                 present: np.ndarray | None = None) -> tuple[ListCurator, int]:
    """Fill ``curator`` with the playable tracks of ``space`` that score best against the
    anchor ``vectors`` (one vector, or ``[m, d]`` scored by ``method``, see
    :mod:`musicsage.search.scoring`), ``exclude_ids`` left out; also how many missing files
    would have ranked among them (``present``: the present ids, if read already)."""
    exclude_ids = [int(t) for t in exclude_ids]
    unplayable, n_missing = unplayable_ids(conn, space, present)
    excluded = excluded_rows(space, [*exclude_ids, *unplayable.tolist()])
    search, all_scores = anchor_search(space, vectors, excluded, method)
    offer_best(conn, search, excluded, curator)
    skipped = 0
    if n_missing and curator.rows:
        others = unplayable[~np.isin(unplayable, exclude_ids)]
        skipped = _would_have_ranked(space, np.atleast_2d(np.asarray(vectors, np.float32)),
                                     all_scores, others, curator.rows[-1]["score"])
    return curator, skipped


def excluded_rows(space: SpaceIndex, track_ids: Iterable[int]) -> np.ndarray:
    """A mask over the rows of ``space``, True at those of ``track_ids`` (the ones it has):
    the rows a list skips. Its holder keeps it up to date (a drifting radio marks each track
    it queues) instead of building it again for each search, at a cost that grew with the
    queue at every step."""
    mask = np.zeros(len(space), bool)
    mask[[r for r in (space.row_of(t) for t in track_ids) if r is not None]] = True
    return mask


Search = Callable[[int], list[tuple[int, float]]]
"""``search(fetch)``: the best ``fetch`` candidates of a list, as ``(track_id, score)``."""


def anchor_search(space: SpaceIndex, vectors: np.ndarray, excluded: np.ndarray,
                  method: str = "centroid") -> tuple[Search, np.ndarray | None]:
    """``search(fetch)`` (:func:`~musicsage.search.lists.ranked_candidates`'): the rows of
    ``space`` best against the anchor ``vectors`` by ``method``, the ``excluded`` ones
    skipped; also the scores of every row where ``method`` needed them (else None)."""
    vectors = np.atleast_2d(np.asarray(vectors, np.float32))
    # scored once, for the list and for the missing files that would have ranked in it
    all_scores = (None if method == "centroid" or len(vectors) == 1
                  else space_scores(space, vectors, method))
    search = (_index_search(space, centroid(vectors), excluded) if all_scores is None
              else _scored_search(space, all_scores, excluded))
    return search, all_scores


def offer_best(conn: sqlite3.Connection, search: Search, excluded: np.ndarray,
               curator: ListCurator) -> ListCurator:
    """Offer ``curator`` the candidates of ``search`` (:func:`anchor_search`'s, which skips
    the ``excluded`` rows) best first, until its list is full."""
    n = len(excluded) - int(np.count_nonzero(excluded))
    # what the list still lacks, not its length: a drifting radio asks one more row of the
    # same curator at each step, and fetched 3 × the queue so far each time (quadratic)
    return curate(ranked_candidates(search, max(curator.k - len(curator.rows), 1), max(n, 0)),
                  lambda ids: track_summaries(conn, ids), curator)


def _index_search(space: SpaceIndex, vector: np.ndarray, excluded: np.ndarray) -> Search:
    """``search(fetch)``: the index's top ``fetch`` for one vector, exclusions skipped."""
    def search(fetch: int) -> list[tuple[int, float]]:
        rows, scores = space.index.search_excluding(vector, fetch, excluded)
        return [(int(space.track_ids[r]), float(s)) for r, s in zip(rows, scores)]

    return search


def _scored_search(space: SpaceIndex, scores: np.ndarray, excluded: np.ndarray) -> Search:
    """``search(fetch)`` over scores computed for every row (exclusions skipped)."""
    scores = scores.copy()
    scores[excluded] = -np.inf
    order = np.argsort(-scores, kind="stable")
    order = order[np.isfinite(scores[order])]

    def search(fetch: int) -> list[tuple[int, float]]:
        return [(int(space.track_ids[r]), float(scores[r])) for r in order[:fetch]]

    return search


def no_vector_note(name: str, what: str = "the query track") -> str:
    """Why space ``name`` has no list: ``what`` has no vector in it. A ``what`` that says "no"
    itself ("no member of the playlist") *has one* — "has no" made it a double negative."""
    article = "an" if name[:1] in "aeiou" else "a"
    has = f"has {article}" if what.startswith("no ") else "has no"
    return f"{what} {has} {name} embedding ({EMBED_HINT if name == 'audio' else TRAIN_HINT})"


def failed_note(conn: sqlite3.Connection, track: Mapping, model_id: str | None,
                what: str = "the query track") -> str | None:
    """Why ``track`` has no audio vector when analysing it again cannot help: the last scan
    could not read its file, or its analysis failed since the file last changed (advice to
    run ``embed``, which can only fail again, was given). None otherwise."""
    failure = read_failure(conn, [str(track["path"])], model_id)
    if failure is None:
        return None
    how = ("the last scan could not read its file" if failure["stage"] == "scan"
           else "analysing its file failed")
    return f"{what} has no audio embedding: {how}: {failure['message']}"


def other_version_note(name: str, left_out: int, what: str = "the query track",
                       own: int = 1) -> str:
    """Why ``what`` has no list although it has a vector: one of another version than most
    tracks', left out of the space (``left_out`` tracks are, in all) until it is redone.
    ``own``: how many of those tracks are ``what``'s (a playlist's members: "the audio
    vectors of 2 of the playlist's 3 members were …"); the query, the radio's seed: one."""
    others = left_out - own
    also = f", as {others} other {noun(others, 'track is', 'tracks are')}" if others else ""
    vectors = (f"{what}'s {name} vector was" if own == 1
               else f"the {name} vectors of {what} were")
    return (f"{vectors} made with other analysis settings (or model version) than most "
            f"tracks' and {noun(own, 'is', 'are')} left out{also}: `musicsage embed` finishes "
            "the re-analysis")


TOO_FEW_NOTE = (f"nothing to compare by sound yet: fewer than {MIN_DISTINCT_AUDIO} different "
                "tracks have an audio vector, and each is compared against the spread of the "
                f"library's sounds: add music, then embed it ({EMBED_HINT})")
"""Why an audio space of two songs lists nothing (:func:`~musicsage.search.scoring.
too_few_to_score`): the other track was listed at -1.000, "not close in sound", whatever it
sounded like. :data:`~musicsage.errors.EMBED_HINT` is kept verbatim: the window rewrites it
into its own words ("being computed now" while it embeds); lower-cased, it said "add music,
then compute embeddings in the window, or musicsage embed" there, of a library whose music
was still being embedded. "Add music" comes first: "or embed the rest" told a library of two
songs, both embedded, to embed what it did not have."""


MISSING_WORDS = ("a missing file", "missing files")
"""How :func:`empty_list_note` names the missing files among the other tracks."""


def only_missing_files(note: str | None) -> bool:
    """Whether ``note`` (:func:`empty_list_note`'s) says the list is empty for missing files
    alone: the window says so in its own words, with how many tracks are missing."""
    return bool(note) and note.startswith("nothing to list: ") and \
        note.endswith(tuple(f" are {w}" for w in MISSING_WORDS) + (" is a missing file",))


def empty_list_note(conn: sqlite3.Connection, space: SpaceIndex, anchor_ids: Sequence[int],
                    folded: Sequence[int], present: np.ndarray,
                    copies_of: str = "the query track", held_by: str | None = None) -> str:
    """Why ``space`` listed nothing though an anchor has a vector in it: every other track
    with one is a copy of ``copies_of`` (``folded``) or a missing file (or there is none:
    with ``held_by``, "this playlist", every track with one is already in it — "no other
    track has one" read as if the library had no other vectors)."""
    others = [int(t) for t in space.track_ids.tolist() if int(t) not in set(anchor_ids)]
    article = "an" if space.space[:1] in "aeiou" else "a"
    if not others:
        return (f"every track with {article} {space.space} vector is already in {held_by}"
                if held_by else f"no other track has {article} {space.space} vector to compare")
    copies = sorted(set(int(t) for t in folded))  # in rank order they read as shuffled
    # a copy whose file is missing too is one track: counted once, as a copy
    missing = int((~np.isin(others, present) & ~np.isin(others, copies)).sum())
    what = []
    if copies:
        ids = ", ".join(f"#{t}" for t in copies[:5]) + (", …" if len(copies) > 5 else "")
        what.append(f"{noun(len(copies), 'a copy', 'copies')} of {copies_of} ({ids}), "
                    f"which {noun(len(copies), 'is', 'are')} never listed")
    if missing:
        what.append(noun(missing, *MISSING_WORDS))
    which = ("the only other track" if len(others) == 1
             else f"the {len(others)} other tracks")
    return (f"nothing to list: {which} with {article} {space.space} vector "
            f"{noun(len(others), 'is', 'are')} {', or '.join(what) or 'left out'}")


@dataclass
class BuiltLists:
    """One list per space, and what the result says about them."""

    lists: dict[str, list[dict]] = field(default_factory=lambda: {n: [] for n in SPACES})
    notes: dict[str, str] = field(default_factory=dict)
    models: dict[str, str | None] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    folded: dict[str, list[int]] = field(default_factory=dict)
    passed_over: dict[str, list[int]] = field(default_factory=dict)
    """Per space: ids its list left out for a row it shows (:class:`ListCurator`)."""
    anchor_counts: dict[str, int] = field(default_factory=dict)
    present: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Ids of the present tracks when the lists were made."""
    in_both: int | None = None
    """How many songs are in both lists (:func:`mark_in_both`)."""

    @property
    def folded_ids(self) -> list[int]:
        return [t for ids in self.folded.values() for t in ids]


def anchor_vectors(space: SpaceIndex, track_ids: Sequence[int]) -> np.ndarray:
    """The vectors ``[m, d]`` of those of ``track_ids`` that ``space`` has."""
    rows = [r for r in (space.row_of(t) for t in track_ids) if r is not None]
    return space.matrix[rows] if rows else np.zeros((0, space.matrix.shape[1]), np.float32)


def build_lists(conn: sqlite3.Connection, spaces: Mapping[str, SpaceIndex | str],
                anchors: Sequence[dict], *, k: int, variety: bool, method: str = "centroid",
                without_vector: str = "the query track",
                copies_of: str = "the query track", held_by: str | None = None) -> BuiltLists:
    """Per space of ``spaces`` (a SpaceIndex, or a note saying why it has no list): the
    playable tracks that score best against the ``anchors`` (track rows: the query, or a
    playlist's members), anchors and their copies never listed. A space where no anchor has
    a vector gets a note naming ``without_vector``; one with nothing to list, a note saying
    what its other tracks are (copies of ``copies_of``, missing files; none: all of them are
    in ``held_by``, the anchors' playlist, if they are one)."""
    out = BuiltLists(present=present_track_ids(conn))
    files = TrackFiles(conn)
    anchor_ids = [int(a["track_id"]) for a in anchors]
    for name in SPACES:
        found = spaces.get(name, f"{name} space not requested")
        if isinstance(found, str):
            out.notes[name] = found
            continue
        out.models[name] = found.model_id
        vectors = anchor_vectors(found, anchor_ids)
        out.anchor_counts[name] = len(vectors)
        if not len(vectors):
            out.notes[name] = no_vector_note(name, without_vector)
            continue
        curator, would_rank = curated_rows(
            conn, found, vectors, exclude_ids=anchor_ids, method=method, present=out.present,
            curator=ListCurator(k, anchors=anchors, variety=variety, contents=files,
                                same_file=files.same))
        if not curator.rows:  # "no other track has a vector", said falsely: copies of an
            # anchor or missing files are
            out.notes[name] = empty_list_note(conn, found, anchor_ids, curator.folded,
                                              out.present, copies_of, held_by)
        elif too_few_to_score(found):  # two songs: their cosine is -1 however alike they are
            out.notes[name] = TOO_FEW_NOTE
            curator.rows, would_rank = [], 0
        out.lists[name] = curator.rows
        out.passed_over[name] = curator.passed_over
        if would_rank:
            out.skipped[name] = would_rank
        if curator.folded:
            out.folded[name] = curator.folded
    out.in_both = mark_in_both(out.lists, _pass_over_copies_across(conn, out))
    return out


def _pass_over_copies_across(conn: sqlite3.Connection,
                             built: BuiltLists) -> list[tuple[int, int]]:
    """Add to each space's ``passed_over`` the rows of the other list that are copies of a
    row it shows, though below its end: the audio list's #1 shown by the graph model as its
    copy must not also read "#7 by audio alone" (the song is #1 there). Returns each row that
    is a copy of a row of another list (as the lists fold copies: tags, or files whose bytes
    :class:`TrackFiles` finds the same) paired with that row: one song in both lists."""
    copied: list[tuple[int, int]] = []
    for name, rows in built.lists.items():
        others = [r for other, o_rows in built.lists.items() if other != name for r in o_rows]
        if not rows or not others:
            continue
        files = TrackFiles(conn)
        copies = ListCurator(len(others), anchors=rows, contents=files, same_file=files.same)
        copies.learn_contents([int(r["track_id"]) for r in others])
        for row in others:
            copies.offer(row)
        shown = {int(r["track_id"]) for r in rows}
        built.passed_over.setdefault(name, []).extend(
            t for t in copies.folded if t not in shown)
        copied += [(t, a) for t, onto in copies.folded_onto.items() for a in onto]
    return copied


def similar_lists(conn: sqlite3.Connection, query_id: int,
                  spaces: Mapping[str, SpaceIndex | str], *, k: int,
                  space: str = "both", variety: bool = False,
                  rank_spaces: Mapping[str, SpaceIndex | str] | None = None,
                  tags_of: TagsOf | None = None) -> SimilarResult:
    """The neighbour lists of ``query_id``: one per space, or an empty list and a note.

    ``spaces`` maps each of "graph"/"audio" to its :class:`SpaceIndex`, or to a note saying
    why that space has no list (not requested, no model yet …). ``space`` is what was asked.
    Copies of the query are always folded out; ``variety`` keeps one track per artist
    (:mod:`musicsage.search.lists`). Every row gets a ``why`` (:mod:`musicsage.search.why`),
    its ranks taken in ``rank_spaces`` (default: ``spaces``), its tags from ``tags_of``.
    """
    query = track_summaries(conn, [query_id]).get(int(query_id))
    if query is None:
        raise KeyError(query_id)
    built = build_lists(conn, spaces, [query], k=k, variety=variety)
    audio = spaces.get("audio")
    if built.anchor_counts.get("audio") == 0 and isinstance(audio, SpaceIndex):
        built.notes["audio"] = failed_note(conn, query, audio.model_id) or built.notes["audio"]
    explain_lists(conn, built, [int(query_id)], spaces if rank_spaces is None else rank_spaces,
                  tags_of=tags_of)
    return SimilarResult(query=query, graph=built.lists["graph"], audio=built.lists["audio"],
                         k=k, models=built.models, notes=built.notes,
                         skipped_missing=built.skipped, space=space, variety=variety,
                         folded=built.folded, songs_in_both=built.in_both)


def explain_lists(conn: sqlite3.Connection, built: BuiltLists, anchor_ids: Sequence[int],
                  rank_spaces: Mapping[str, SpaceIndex | str], *, method: str = "centroid",
                  playlist_id: int | None = None, tags_of: TagsOf | None = None) -> None:
    """A ``why`` on every row of ``built`` (see :mod:`musicsage.search.why`)."""
    vectors = {name: v for name, found in rank_spaces.items() if isinstance(found, SpaceIndex)
               and len(v := anchor_vectors(found, anchor_ids))}
    explain(conn, Anchor(list(anchor_ids), vectors, method, playlist_id=playlist_id),
            built.lists, rank_spaces, excluded=built.folded_ids, tags_of=tags_of,
            playable=built.present, passed_over=built.passed_over)


def mark_in_both(lists: Mapping[str, list[dict]],
                 copies: Iterable[tuple[int, int]] = ()) -> int:
    """``in_both`` on every row: whether its song is in the graph and the audio list, as
    the track itself or, ``copies`` (pairs of a row and the row of the other list it is a
    copy of), as a copy (the graph model's #5 a byte-for-byte copy of the audio list's #3:
    one song, said in neither). Returns how many songs that is (:func:`songs_in_both`)."""
    pairs = [(int(a), int(b)) for a, b in copies]
    both = {r["track_id"] for r in lists["graph"]} & {r["track_id"] for r in lists["audio"]}
    both |= {t for pair in pairs for t in pair}
    for rows in lists.values():
        for row in rows:
            row["in_both"] = row["track_id"] in both
    return songs_in_both(lists, pairs)


def songs_in_both(lists: Mapping[str, list[dict]], pairs: Iterable[tuple[int, int]]) -> int:
    """How many songs are in the graph and the audio list: groups of rows joined by one id
    or by ``pairs`` (copies) that hold a row of each. One list's two copies of song A beside
    song B, and the other's two copies of song B beside song A, were counted as 3 songs: the
    lists' counts of marked rows, 3 each. In each group, the smaller of the lists' counts of
    the songs by their tags (:func:`~musicsage.search.lists.copy_key`; untagged rows are
    copies of one of them, at least one song): a group is no song, as one row that is a copy
    of two songs (of one by tags, of the other by file: a retagged byte copy) joins both into
    one group, which was counted as 1 song for 2."""
    parent: dict[int, int] = {}

    def root(t: int) -> int:
        while parent.setdefault(t, t) != t:
            t = parent[t]
        return t

    for a, b in pairs:
        parent[root(a)] = root(b)
    keys: dict[int, tuple[set, set]] = {}  # group → the tag keys of each list's rows in it
    for i, name in enumerate(SPACES):
        for r in lists[name]:
            keys.setdefault(root(int(r["track_id"])), (set(), set()))[i].add(copy_key(r))
    return sum(min(len(g - {None}) or 1, len(a - {None}) or 1)
               for g, a in keys.values() if g and a)

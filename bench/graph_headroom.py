"""How much the metadata can tell about a cold target: a diagnostic, not a method.

Under protocol 3 most spotify_songs pairs have a *cold* target: its only playlist was the
held-out one, so its vector comes from its features, album and artist alone. This script
asks how far album and artist could carry such a target, with more information than any
single query vector holds — the whole playlist's training members:

- the share of cold targets whose artist (album) is among the playlist's training members;
- the HR@10 of a *playlist-level vote*: every track without a training playlist scored by
  how many of the playlist's members share its artist (+ 0.5 per member sharing its album),
  ranked among those tracks (the "cold" ranking of docs/protocol.md), ties broken at random
  (the expected hit rate is counted).

With ``--hits model,crude`` it also trains those methods on the same splits and says where
their overall hits come from: the overall HR@10 broken down by how the target is linked to the
playlist — *warm* (it kept another training playlist), *artist in playlist* (cold, and its
artist is among the playlist's training members), *album in playlist* (cold, its album but
not its artist is), *artist elsewhere* (cold, its artist has other tracks, none in the
playlist), *no link* (cold, a one-track artist).

With ``--competitors model`` it asks what stands above the *cold targets whose artist is in
the playlist* (the pairs the model scores best on): for each such pair, how many candidates
outrank the target (the protocol's filtered ranking, ties against it) by the target's own
artist, by the playlist's *other* artists, and by anyone else, and how many candidates the
playlist's artists have in all.

With ``--playlist-queries model`` it asks whether the *query* or the *targets' vectors* hold
the model back: the same trained vectors, each pair's query vector replaced by the centroid of
the playlist's training members' vectors (knowledge the evaluation never gives a query), or by
half query, half centroid; the ranking is the protocol's (the query's known co-members and the
query itself filtered, ties against the target).

Run on validation splits (tuning seeds), so it informs choices without touching reported
splits::

    .venv/bin/python bench/graph_headroom.py [--setting spotify] [--seeds 0,1,2] \
        [--hits model,crude] [--competitors model] [--playlist-queries model]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_bench import METHODS, trained_scores  # noqa: E402
from graph_common import (TUNING_SEEDS, dataset_dir, load_setting,  # noqa: E402
                          make_split, name_list, seed_list, set_threads)
from musicsage.graph.evaluate import (cosine_scorer, filtered_ranks,  # noqa: E402
                                      membership_matrix, metrics_from_ranks, rank_pairs)
from musicsage.graph.split import EvalPairs  # noqa: E402
from musicsage.vectors import unit_rows  # noqa: E402

LINKS = ("warm", "artist in playlist", "album in playlist", "artist elsewhere", "no link")


def metadata_codes(setting: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of each track's artist and album, in the dataset dir's track order."""
    from graph_common import SETTINGS

    with open(dataset_dir(SETTINGS[setting][0]) / "tracks.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    codes = []
    for column in ("artist", "album"):
        _, code = np.unique([r.get(column) or f"\0{i}" for i, r in enumerate(rows)],
                            return_inverse=True)
        codes.append(code)
    return codes[0], codes[1]


def members_by_playlist(split, n_playlists: int) -> tuple[np.ndarray, np.ndarray]:
    """Training memberships sorted by playlist, and where each playlist's rows start."""
    members = np.asarray(split.train_memberships)
    members = members[np.argsort(members[:, 1], kind="stable")]
    return members, np.searchsorted(members[:, 1], np.arange(n_playlists + 1))


def cold_target_headroom(data, split, artist: np.ndarray, album: np.ndarray) -> dict:
    """The shares and the vote's expected HR@10 over the split's cold-target pairs."""
    members, starts = members_by_playlist(split, data.n_playlists)
    cold = np.ones(data.n_tracks, bool)
    cold[members[:, 0]] = False
    pairs = split.pairs
    artist_in, album_in, hits, n = 0, 0, 0.0, 0
    for t, p in zip(pairs.positives, pairs.playlists):
        if not cold[t]:
            continue
        n += 1
        tracks = members[starts[p]:starts[p + 1], 0]
        artist_in += artist[t] in set(artist[tracks])
        album_in += album[t] in set(album[tracks])
        score = (np.bincount(artist[tracks], minlength=artist.max() + 1)[artist]
                 + 0.5 * np.bincount(album[tracks], minlength=album.max() + 1)[album])
        better = int(np.sum(cold & (score > score[t])))
        tied = int(np.sum(cold & (score == score[t])))  # the target included
        hits += 0.0 if better >= 10 else min(1.0, (10 - better) / tied)
    return {"cold_pairs": n, "artist_in_playlist": artist_in / max(n, 1),
            "album_in_playlist": album_in / max(n, 1), "vote_hr@10": hits / max(n, 1)}


def target_links(data, split, artist: np.ndarray, album: np.ndarray,
                 is_warm: np.ndarray) -> np.ndarray:
    """For each pair, which of :data:`LINKS` ties its target to its playlist."""
    members, starts = members_by_playlist(split, data.n_playlists)
    artist_size = np.bincount(artist)
    out = []
    for t, p, warm in zip(split.pairs.positives, split.pairs.playlists, is_warm):
        tracks = members[starts[p]:starts[p + 1], 0]
        out.append("warm" if warm
                   else "artist in playlist" if artist[t] in set(artist[tracks])
                   else "album in playlist" if album[t] in set(album[tracks])
                   else "artist elsewhere" if artist_size[artist[t]] > 1 else "no link")
    return np.array(out)


def hits_by_link(setting, data, contexts, split, seed, method, artist, album) -> dict:
    """Overall HR@10 of ``method`` and each link's share of pairs and HR@10 within it."""
    ranks = rank_pairs(trained_scores(method, setting, data, contexts, split, seed), split,
                       data.n_tracks, data.n_playlists)
    hit = ranks["overall"] <= 10
    links = target_links(data, split, artist, album, ranks["pairs_warm"])
    return {"hr@10": float(hit.mean()),
            "links": {k: {"share": float(np.mean(links == k)),
                          "hr@10": float(hit[links == k].mean()) if (links == k).any() else None}
                      for k in LINKS}}


def artist_competitors(emb: np.ndarray, split, n_tracks: int, n_playlists: int,
                       artist: np.ndarray, pair_index: np.ndarray) -> np.ndarray:
    """For the pairs ``pair_index``, the candidates ranked at or above the target (filtered
    ranking, the protocol's own code), counted by group: ``[rank, by the target's artist, by
    the playlist's other artists, by anyone else, candidates of the playlist's artists]``.
    The three counts add up to rank − 1."""
    membership = membership_matrix(split.train_memberships, n_tracks, n_playlists).tocsr()
    members, starts = members_by_playlist(split, n_playlists)
    pairs = split.pairs
    everyone = np.ones(n_tracks, bool)
    score = cosine_scorer(emb)  # the vectors normalised once, not in every ranking below

    def tie_all(queries: np.ndarray) -> np.ndarray:
        """One score for every track: each candidate ties with the target, so rank − 1
        counts the candidates."""
        return np.ones((len(queries), n_tracks))

    rows = []
    for i in pair_index:
        one = pairs.subset(np.arange(len(pairs)) == i)
        t, p = pairs.positives[i], pairs.playlists[i]
        same = artist == artist[t]
        in_playlist = np.isin(artist, artist[members[starts[p]:starts[p + 1], 0]])
        others = in_playlist & ~same
        others[t] = in_playlist[t] = True  # the target is always allowed (and no competitor)
        rank, by_same, by_others = (int(filtered_ranks(score, one, membership, allowed=a)[0])
                                    for a in (everyone, same, others))
        pool = int(filtered_ranks(tie_all, one, membership, allowed=in_playlist)[0]) - 1
        rows.append((rank, by_same - 1, by_others - 1, rank - by_same - by_others + 1, pool))
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


def playlist_query_metrics(emb: np.ndarray, split, n_tracks: int, n_playlists: int,
                           query_share: float) -> dict:
    """HR@10 and MRR when each pair's query vector is unit(share · query + (1 − share) ·
    centroid of the playlist's training members). The mixed queries are appended to the
    vectors as extra rows that are no candidates; each carries its query track's memberships,
    so the protocol's filter (the query's known co-members, the query itself) is unchanged."""
    e = unit_rows(np.asarray(emb, np.float32))
    membership = membership_matrix(split.train_memberships, n_tracks, n_playlists).tocsr()
    centroids = unit_rows(np.asarray(membership.T @ e))
    pairs = split.pairs
    queries = unit_rows(query_share * e[pairs.queries]
                        + (1 - query_share) * centroids[pairs.playlists])
    import scipy.sparse as sp

    extra = np.arange(n_tracks, n_tracks + len(pairs))
    ranks = filtered_ranks(np.vstack([e, queries]),
                           EvalPairs(extra, pairs.positives, pairs.playlists),
                           sp.vstack([membership, membership[pairs.queries]]).tocsr(),
                           allowed=np.arange(n_tracks + len(pairs)) < n_tracks)
    return metrics_from_ranks(ranks)


def competitor_summary(emb: np.ndarray, data, split, artist: np.ndarray,
                       album: np.ndarray) -> str:
    """One line on what outranks the cold targets whose artist is in their playlist."""
    warm = rank_pairs(emb, split, data.n_tracks, data.n_playlists)["pairs_warm"]
    index = np.flatnonzero(target_links(data, split, artist, album, warm) == "artist in playlist")
    c = artist_competitors(emb, split, data.n_tracks, data.n_playlists, artist, index)
    miss = c[c[:, 0] > 10]
    return (f"{len(c)} cold targets with their artist in the playlist: HR@10 "
            f"{np.mean(c[:, 0] <= 10):.3f}, median rank {np.median(c[:, 0]):.0f}; above the "
            f"target (medians) {np.median(c[:, 1]):.0f} of its own artist, "
            f"{np.median(c[:, 2]):.0f} of the playlist's other artists, "
            f"{np.median(c[:, 3]):.0f} others; of the misses, "
            f"{np.mean(miss[:, 2] >= 10) if len(miss) else 0:.2f} have 10 or more of the "
            f"playlist's other artists above the target; the playlist's artists have "
            f"{np.median(c[:, 4]):.0f} candidates (median)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--setting", default="spotify")
    ap.add_argument("--seeds", default=list(TUNING_SEEDS), type=seed_list)
    methods = name_list(METHODS, "method")  # checked before the data set loads and trains
    ap.add_argument("--hits", default=[], type=methods,
                    help="methods to break down, e.g. model,crude")
    ap.add_argument("--playlist-queries", default=[], type=methods, metavar="METHODS",
                    help="methods whose queries to replace by playlist centroids, e.g. model")
    ap.add_argument("--competitors", default=[], type=methods, metavar="METHODS",
                    help="methods whose shared-artist cold targets to examine, e.g. model")
    args = ap.parse_args(argv)
    set_threads(1)
    data, contexts = load_setting(args.setting)
    artist, album = metadata_codes(args.setting)
    for seed in args.seeds:
        split = make_split(data, seed, "val")
        out = cold_target_headroom(data, split, artist, album)
        print(f"{args.setting} seed {seed}: {out['cold_pairs']} cold-target pairs; artist in "
              f"the playlist {out['artist_in_playlist']:.3f}, album {out['album_in_playlist']:.3f};"
              f" playlist-level vote HR@10 (cold ranking) {out['vote_hr@10']:.3f}")
        for method in args.hits:
            h = hits_by_link(args.setting, data, contexts, split, seed, method, artist, album)
            parts = "; ".join(f"{k} {v['share']:.2f} of pairs, HR@10 "
                              + ("-" if v["hr@10"] is None else f"{v['hr@10']:.3f}")
                              for k, v in h["links"].items())
            print(f"  {method}: overall HR@10 {h['hr@10']:.3f} = {parts}", flush=True)
        for method in args.competitors:
            print(f"  {method}: " + competitor_summary(
                trained_scores(method, args.setting, data, contexts, split, seed),
                data, split, artist, album), flush=True)
        for method in args.playlist_queries:
            emb = trained_scores(method, args.setting, data, contexts, split, seed)
            parts = []
            for name, share in (("the query (as evaluated)", 1.0), ("playlist centroid", 0.0),
                                ("half and half", 0.5)):
                m = playlist_query_metrics(emb, split, data.n_tracks, data.n_playlists, share)
                parts.append(f"{name} HR@10 {m['hr@10']:.4f} MRR {m['mrr']:.4f}")
            print(f"  {method} queries: " + "; ".join(parts), flush=True)


if __name__ == "__main__":
    main()

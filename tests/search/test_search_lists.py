"""What a list may show: copies of the query folded, variety, through the real DB and index."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import add_track

from musicsage import cli
from musicsage.search.lists import ListCurator, copy_key, title_key
from musicsage.usecases.search import similar_tracks


@pytest.mark.parametrize("title", ["Tender Love (Single Version)", "Tender Love - 2011 Remaster",
                                   "tender  love", "Tender Love [Album Version]",
                                   "Tender Love (feat. Cy)", "Tender Love - Remastered",
                                   "Ｔｅｎｄｅｒ Ｌｏｖｅ"])
def test_versions_of_a_song_share_its_title_key(title):
    assert title_key(title) == title_key("Tender Love") == "tender love"


@pytest.mark.parametrize("title", ["Tender Love (Live)", "Tender Love (Remix)",
                                   "Tender Love (Acoustic)", "Tender Loving", "Love Tender"])
def test_other_recordings_keep_their_own_key(title):
    assert title_key(title) != title_key("Tender Love")


def test_untagged_tracks_are_nobodys_copy():
    assert copy_key({"title": "Track 01", "artist": None}) is None
    assert copy_key({"title": "", "artist": "Ann"}) is None
    assert copy_key({"title": "Song", "artist": "Ann feat. Bo"}) == ("song", "ann")


def test_the_curator_folds_anchor_copies_and_keeps_one_per_artist():
    rows = [{"track_id": i, "title": t, "artist": a} for i, (t, a) in enumerate([
        ("Hit (Radio Edit)", "Ann"), ("Other", "Ann"), ("Hit", "Ann"), ("Blue", "Bo"),
        ("Blue - Remastered", "Bo"), ("Green", "Cy"), ("Red", "Bo")], start=1)]
    plain = ListCurator(10, anchors=[{"title": "Hit", "artist": "Ann"}])
    for r in rows:
        plain.offer(r)
    assert [r["track_id"] for r in plain.rows] == [2, 4, 6, 7]  # copies of the anchor, then of Blue
    assert plain.folded == [1, 3] and [r["rank"] for r in plain.rows] == [1, 2, 3, 4]
    varied = ListCurator(10, anchors=[{"title": "Hit", "artist": "Ann"}], variety=True)
    for r in rows:
        varied.offer(r)
    assert [r["track_id"] for r in varied.rows] == [2, 4, 6]


@pytest.fixture
def crowded(ctx, library):
    """A query by Ann, two copies of it (single, remaster: near-identical vectors), a live
    take, then five more Ann songs closest to it, then other artists further away."""
    rng = np.random.default_rng(1)
    base = rng.normal(size=8).astype(np.float32)
    conn = library.conn
    specs = [("Tender Love", "Ann", 0.0), ("Tender Love (Single Version)", "Ann", 0.001),
             ("Tender Love - 2011 Remaster", "ANN", 0.002), ("Tender Love (Live)", "Ann", 0.05)]
    specs += [(f"Ann song {i}", "Ann", 0.1 + 0.01 * i) for i in range(5)]
    specs += [(f"Tune {i}", f"Band {i}", 0.6 + 0.05 * i) for i in range(10)]
    ids, vectors = [], []
    for i, (title, artist, dist) in enumerate(specs):
        ids.append(add_track(conn, str(library.root / f"{i:02d}.wav"), title=title, artist=artist))
        direction = rng.normal(size=8).astype(np.float32)
        vectors.append(base + dist * 8 * direction / np.linalg.norm(direction))
    library.ids = ids
    library.embed(np.stack(vectors))
    return ids


def test_copies_of_the_query_never_appear(ctx, crowded):
    result = similar_tracks(ctx, crowded[0], k=8, space="audio")
    listed = [r["track_id"] for r in result.audio]
    assert crowded[1] not in listed and crowded[2] not in listed
    assert sorted(result.folded["audio"]) == sorted(crowded[1:3])
    assert listed[0] == crowded[3], "the live take is another recording: it stays"
    assert len(listed) == 8 and [r["rank"] for r in result.audio] == list(range(1, 9))
    # a copy as the query folds the original out the same way
    again = similar_tracks(ctx, crowded[1], k=5, space="audio")
    assert crowded[0] not in [r["track_id"] for r in again.audio]


def test_variety_keeps_one_track_per_artist(ctx, crowded):
    plain = similar_tracks(ctx, crowded[0], k=6, space="audio")
    assert sum(r["artist"] == "Ann" for r in plain.audio) == 6, "Ann fills the plain list"
    varied = similar_tracks(ctx, crowded[0], k=6, space="audio", variety=True)
    artists = [r["artist"].casefold() for r in varied.audio]
    assert len(artists) == 6 and len(set(artists)) == 6 and artists.count("ann") == 1
    assert varied.variety and varied.to_dict()["variety"] is True


def test_variety_from_the_command_line(capsys, ctx, crowded):
    rc = cli.main(["similar", str(crowded[0]), "-k", "4", "--space", "audio", "--variety",
                   "--json", "--data-dir", str(ctx.data_dir)])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and data["variety"] is True
    assert len({r["artist"].casefold() for r in data["audio"]}) == 4
    assert set(data["folded"]["audio"]) == set(crowded[1:3])

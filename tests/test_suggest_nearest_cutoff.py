"""`suggest --method nearest`: the "not close" cut-off is measured the way the method scores.

A track's nearest score is its best cosine to any member; the best of 30 cosines to unrelated
tracks is above the 0.1 that one cosine must pass, so unrelated suggestions read "close in
sound". The cut-off is now what the method gives an unrelated track — its best cosine to as
many random tracks of the space — plus 0.1; not the candidates' own mean, which called a
one-style list "not close" for standing no higher than its like.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent / "search"))
from search_helpers import Library, add_playlist, run_cli  # noqa: E402


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    """70 tracks of unrelated sound (random 256-d vectors), 30 of them a playlist, and one
    track outside it that sounds like its first member."""
    lib = Library(ctx, tmp_path / "music")
    lib.add(70)
    vectors = np.random.default_rng(0).normal(size=(70, 256)).astype(np.float32)
    vectors[30] = vectors[0] + 0.3 * np.random.default_rng(1).normal(size=256)
    lib.embed(vectors)
    add_playlist(lib.conn, str(tmp_path / "mix.m3u"), "Mix", lib.ids[:30])
    lib.conn.commit()
    return lib


def _audio_rows(capsys, ctx, method: str) -> list[dict]:
    rc, out, err = run_cli(capsys, ctx, "suggest", "Mix", "--space", "audio", "-k", "40",
                           "--method", method, "--json")
    assert rc == 0, err
    return json.loads(out)["audio"]


def test_nearest_says_unrelated_suggestions_are_not_close(capsys, ctx, library):
    rows = _audio_rows(capsys, ctx, "nearest")
    close = [r["track_id"] for r in rows if not r["why"]["text"].startswith("not close")]
    assert close == [library.ids[30]], "only the track that sounds like a member is close"
    unrelated = [r for r in rows if r["track_id"] != library.ids[30]]
    assert len(unrelated) == 39 and min(r["score"] for r in unrelated) > 0.05, \
        "their best cosines are above a single unrelated one's"


def test_the_nearest_cut_off_is_an_unrelated_tracks_best_cosine_plus_the_margin(ctx, library):
    from musicsage.search.index import SpaceIndex
    from musicsage.search.why import CLOSE_SCORE, SpaceRanks, best_of_level, list_cut_off
    space = SpaceIndex("audio", np.array(library.ids), np.random.default_rng(2).normal(
        size=(70, 8)).astype(np.float32), model_id="a", directory=ctx.data_dir / "a")
    members = space.matrix[:30]
    ranks = SpaceRanks.of(space, members, "nearest", np.array(library.ids),
                          set(library.ids[:30]))
    level = best_of_level(space, 30)
    assert 0.5 < level < 1.0, "the best of 30 cosines in 8 dimensions is high"
    assert list_cut_off(ranks, "nearest", members) == pytest.approx(level + CLOSE_SCORE)
    assert list_cut_off(ranks, "centroid", members) == CLOSE_SCORE, "centroid as before"
    assert list_cut_off(ranks, "nearest", members[:1]) == CLOSE_SCORE, "one member: a cosine"


def test_a_list_of_one_style_is_not_called_not_close_for_its_likeness(ctx, library):
    """Members and candidates of one style (one tight cluster among unrelated tracks): their
    best cosines (~0.9) are far above an unrelated track's, whatever the other candidates
    score; measured on the candidates themselves, most of such a list read 'not close'."""
    from musicsage.search.index import SpaceIndex
    from musicsage.search.why import SpaceRanks, list_cut_off
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(70, 64)).astype(np.float32)
    style = rng.normal(size=64).astype(np.float32) * 3
    matrix[:40] += style  # 40 tracks of one style: 10 members, 30 candidates of it
    space = SpaceIndex("audio", np.array(library.ids), matrix, model_id="a",
                       directory=ctx.data_dir / "a")
    members = space.matrix[:10]
    candidates = set(library.ids[10:40])
    ranks = SpaceRanks.of(space, members, "nearest", np.array(library.ids[:40]),
                          set(library.ids[:10]))
    scores = dict(zip(library.ids, ranks.scores))
    cut = list_cut_off(ranks, "nearest", members)
    assert all(scores[t] >= cut for t in candidates), "every track of the style reads close"

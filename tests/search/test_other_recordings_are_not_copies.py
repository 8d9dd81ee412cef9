"""An acoustic, live or instrumental take named with a version word ("(Acoustic Version)",
"- Live Version", "(Live at Wembley / Remastered 2011)") is another recording: it is listed
among the studio track's neighbours and a radio from the studio track plays it. Such titles
were folded as copies of the studio track (the bracket left out for its "Version" or
"Remastered"), so they never showed up beside it, nor played after it — while a plain
"(Live)" or "(Acoustic)" did. A single or a remaster is still a copy, left out. Two
concerts, two remixes, told apart by their year or their line-up alone ("(Live 1977)", "(Live
1985)"; "(Live with the LSO)") are two recordings: one of them was hidden as the other's copy."""

from __future__ import annotations

import numpy as np
import pytest
from search_helpers import add_track

from musicsage.search.lists import title_key
from musicsage.usecases.radio import radio_tracks
from musicsage.usecases.search import similar_tracks

OTHER_TAKES = ["Tender Love (Acoustic Version)", "Tender Love - Live Version",
               "Tender Love (Live at Wembley / Remastered 2011)",
               "Tender Love [Instrumental Version]", "Tender Love (Extended Version)",
               "Tender Love (Live 1977)", "Tender Love (Live 1985)", "Tender Love (2009 Remix)",
               "Tender Love (2019 Remix)", "Tender Love (Live with the LSO)",
               "Tender Love (Live with the Berlin Phil)"]


@pytest.mark.parametrize("title", OTHER_TAKES)
def test_another_recording_named_with_a_version_word_keeps_its_own_key(title):
    assert title_key(title) != title_key("Tender Love")


@pytest.mark.parametrize("one, other", [
    ("Song (Live 1977)", "Song (Live 1985)"), ("Song (2009 Remix)", "Song (2019 Remix)"),
    ("Song (Demo 1979)", "Song (1981 Demo)"), ("Song - Live 1977 / 2011 Remaster", "Song (Live)"),
    ("Song (Live with the LSO)", "Song (Live with the Berlin Phil)"),
    ("Song (Dance with Me)", "Song (Dance with You)"), ("Song - Dance with Me", "Song - Dance")])
def test_a_year_or_a_with_that_names_the_take_keeps_two_takes_apart(one, other):
    """A year counts unless it dates a remaster; "with" is a featured artist only where a
    bracket or a part starts with it."""
    assert title_key(one) != title_key(other)


@pytest.fixture
def takes(ctx, library):
    """The studio track by Ann, its single (a copy), the other takes close by (near-identical
    sound), then other artists further away."""
    rng = np.random.default_rng(3)
    base = rng.normal(size=8).astype(np.float32)
    specs = [("Tender Love", "Ann", 0.0), ("Tender Love (Single Version)", "Ann", 0.001)]
    specs += [(t, "Ann", 0.02 + 0.004 * i) for i, t in enumerate(OTHER_TAKES)]
    specs += [(f"Tune {i}", f"Band {i}", 0.6 + 0.05 * i) for i in range(8)]
    ids, vectors = [], []
    for i, (title, artist, dist) in enumerate(specs):
        ids.append(add_track(library.conn, str(library.root / f"{i:02d}.wav"), title=title,
                             artist=artist))
        direction = rng.normal(size=8).astype(np.float32)
        vectors.append(base + dist * 8 * direction / np.linalg.norm(direction))
    library.ids = ids
    library.embed(np.stack(vectors))
    library.conn.commit()
    return ids


def test_other_takes_are_the_studio_tracks_nearest_neighbours(ctx, takes):
    result = similar_tracks(ctx, takes[0], k=len(OTHER_TAKES), space="audio")
    assert sorted(r["track_id"] for r in result.audio) == takes[2:2 + len(OTHER_TAKES)]
    assert result.folded["audio"] == [takes[1]], "the single is a copy: left out"


def test_a_radio_from_the_studio_track_plays_the_other_takes(ctx, takes):
    result = radio_tracks(ctx, takes[0], length=len(OTHER_TAKES))
    assert sorted(r["track_id"] for r in result.tracks) == sorted(takes[2:2 + len(OTHER_TAKES)])

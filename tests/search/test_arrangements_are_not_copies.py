"""Another arrangement, take or language of a song ("(Piano Version)", "(Orchestral Version)",
"(Alternate Version)", "(Spanish Version)") is another recording: listed beside the song, not
folded away as its copy for the word "Version" — as an acoustic or live take already was. A
single or album version is still a copy, and so is a release named in a language without
"Version" ("(Japanese Edition)", "(Japanese Bonus Track)", "(French Edit)"): counting the
language word anywhere listed such a copy beside the song, and radio queued the song twice.
A language take's own names ("(Spanish Language Version)", "(Spanish Radio Edit)", a language
before any "... Version": "(Italian Remastered Version)", "(Spanish Mono Version)") are that
take, not the song: they were folded as its copies, and similar and radio hid them."""

from __future__ import annotations

import numpy as np
import pytest
from search_helpers import add_track

from musicsage.search.lists import title_key
from musicsage.usecases.search import similar_tracks

ARRANGEMENTS = ["Tender Love (Piano Version)", "Tender Love (Orchestral Version)",
                "Tender Love (Alternate Version)", "Tender Love - Early Version",
                "Tender Love (Spanish Version)", "Tender Love (Symphonic Version)",
                "Tender Love (Korean Ver.)", "Tender Love (Italian Remastered Version)"]
RELEASES_IN_A_LANGUAGE = ["Tender Love (Japanese Edition)", "Tender Love (Japanese Bonus Track)",
                          "Tender Love (French Edit)",
                          "Tender Love - Remastered 2011 (Japanese Edition)",
                          "Tender Love - Japanese Edition", "Tender Love (Italian Edit)"]
NAMES_OF_A_LANGUAGE_TAKE = ["Tender Love (Spanish Language Version)",
                            "Tender Love (Spanish Language)", "Tender Love (Spanish Radio Edit)",
                            "Tender Love - Spanish Radio Edit", "Tender Love (Spanish Ver.)",
                            "Tender Love (Spanish Album Version)",
                            "Tender Love (Spanish Single Version)",
                            "Tender Love (Spanish Mono Version)",
                            "Tender Love - Spanish Remastered Version"]
RELEASES_OF_A_LANGUAGE_TAKE = [("Tender Love (Italian Remastered Version)", "Italian"),
                               ("Tender Love (German Single Version)", "German"),
                               ("Tender Love (French Single Ver.)", "French")]


@pytest.mark.parametrize("title", ARRANGEMENTS)
def test_an_arrangement_named_with_a_version_word_keeps_its_own_key(title):
    assert title_key(title) != title_key("Tender Love")


@pytest.mark.parametrize("title", RELEASES_IN_A_LANGUAGE)
def test_a_release_named_in_a_language_is_a_copy(title):
    assert title_key(title) == title_key("Tender Love")


@pytest.mark.parametrize("title", NAMES_OF_A_LANGUAGE_TAKE)
def test_a_language_take_however_named_is_that_take_not_the_song(title):
    spanish = title_key("Tender Love (Spanish Version)")
    assert title_key(title) == spanish != title_key("Tender Love")


@pytest.mark.parametrize(("title", "language"), RELEASES_OF_A_LANGUAGE_TAKE)
def test_a_language_before_any_version_is_that_languages_take(title, language):
    """"(Italian Remastered Version)" is the Italian take, remastered: it was folded into the
    song for its release word, as "(German Single Version)" was."""
    take = title_key(f"Tender Love ({language} Version)")
    assert title_key(title) == take != title_key("Tender Love")


def test_one_arrangement_however_its_release_names_it():
    assert title_key("Tender Love (Piano Version)") == title_key("Tender Love (Piano)")
    assert title_key("Tender Love (Single Version)") == title_key("Tender Love")
    assert (title_key("Tender Love (Spanish Version)") == title_key("Tender Love (Spanish)")
            == title_key("Tender Love - Spanish Ver."))
    assert title_key("Tender Love (Korean Ver.)") == title_key("Tender Love (Korean Version)")


def test_the_song_lists_its_arrangements_and_folds_its_releases(ctx, library):
    rng = np.random.default_rng(4)
    base = rng.normal(size=8).astype(np.float32)
    copies = ["Tender Love (Single Version)", *RELEASES_IN_A_LANGUAGE]
    titles = ["Tender Love", *copies, *ARRANGEMENTS, *(f"Tune {i}" for i in range(6))]
    vectors, ids = [], []
    for i, title in enumerate(titles):
        ids.append(add_track(library.conn, str(library.root / f"{i:02d}.wav"), title=title,
                             artist="Ann" if title.startswith("Tender") else f"Band {i}"))
        direction = rng.normal(size=8).astype(np.float32)
        far = 0.01 * (i + 1) if title.startswith("Tender") else 3.0  # tunes far off
        vectors.append(base + far * 8 * direction / np.linalg.norm(direction))
    library.ids = ids
    library.embed(np.stack(vectors))

    result = similar_tracks(ctx, ids[0], k=len(ARRANGEMENTS), space="audio")
    got = sorted(r["title"] for r in result.audio)
    assert got == sorted(ARRANGEMENTS), got
    assert sorted(result.folded["audio"]) == ids[1:1 + len(copies)]

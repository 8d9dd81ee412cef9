"""The map legend's grey entry (:func:`musicsage.controllers.colouring.other_entry`)."""

from __future__ import annotations

from musicsage.controllers.colouring import other_entry


def test_the_grey_entry_counts_tracks_like_the_entries_that_count_points():
    assert other_entry("other", 84, by_size=False) == ("other (84 tracks)", "")
    assert other_entry("no track has a genre tag", 1, by_size=False)[0] == \
        "no track has a genre tag (1 track)"


def test_beside_playlist_sizes_the_grey_entry_says_its_tracks_are_in_none_of_them():
    """"28 other playlists or none (56)" beside "Dinner Party 2 (29)" (a playlist's size)
    read as if the 28 playlists held 56 tracks: the 56 are the grey points."""
    text, tip = other_entry("28 other playlists or none", 56, by_size=True)
    assert text == "56 tracks in none of these"
    assert tip == ("Grey: the 56 tracks in none of the coloured playlists (28 other playlists "
                   "or none).")

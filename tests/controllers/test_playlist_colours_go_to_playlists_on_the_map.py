"""Coloured by playlist, the twelve largest playlists took the colours even where none of
their tracks was on the map (imported playlists of tracks with no audio): their entries were
left off the legend and the map's own playlists drawn grey. Only playlists with a track on
the map take a colour."""

from __future__ import annotations

from musicsage.controllers.colouring import MAX_CATEGORIES, multi_categorical


def test_playlists_with_no_track_on_the_map_take_no_colour():
    on_map = list(range(1, 41))
    off_map = range(1000, 1100)
    memberships = [(f"imported {p:02d}", t) for p in range(MAX_CATEGORIES)
                   for t in off_map]  # 100 tracks each, none on the map
    memberships += [(f"mine {p:02d}", t) for p in range(3) for t in on_map[p * 10:p * 10 + 5]]
    codes, names = multi_categorical(on_map, memberships)
    assert names == ["mine 00", "mine 01", "mine 02"]
    assert (codes[:5] == 0).all() and (codes[10:15] == 1).all() and (codes[20:25] == 2).all()
    assert (codes[5:10] == -1).all()


def test_a_big_playlist_partly_on_the_map_still_comes_first():
    memberships = [("big", t) for t in range(1, 200)] + [("small", t) for t in (1, 2, 3)]
    codes, names = multi_categorical([1, 2, 3, 4], memberships)
    assert names == ["big", "small"]
    assert codes.tolist() == [0, 0, 0, 0]  # the largest wins a shared track


def test_a_playlist_wholly_on_the_map_outranks_big_ones_barely_on_it():
    """Twelve imported playlists of 101 tracks, one of each on the map, took every colour by
    their size; a 50-track playlist wholly on the map was left grey."""
    on_map = list(range(1, 51)) + [1000 + p for p in range(MAX_CATEGORIES)]
    memberships = [(f"imported {p:02d}", 1000 + p) for p in range(MAX_CATEGORIES)]
    memberships += [(f"imported {p:02d}", t) for p in range(MAX_CATEGORIES)
                    for t in range(5000 + 100 * p, 5100 + 100 * p)]  # off the map
    memberships += [("mine", t) for t in range(1, 51)]
    codes, names = multi_categorical(on_map, memberships)
    assert "mine" in names and len(names) == MAX_CATEGORIES
    assert (codes[:50] == names.index("mine")).all()
    # the legend's order, its numbers (the sizes) and which colour a shared track takes stay
    # by size: "imported" (101 tracks each) before "mine" (50)
    assert names[-1] == "mine"

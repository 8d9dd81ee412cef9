"""Colour by ▸ Playlist on playlists that share a name (an imported dataset had four called
"Indie Poptimism", of 79, 46, 92 and 91 tracks): each gets its own colour and legend entry
with its own size, as the playlist list shows it, not one "Indie Poptimism (308)"."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from musicsage.controllers.colouring import playlist_labels
from musicsage.controllers.map import MapController
from musicsage.library.browse import PlaylistInfo
from musicsage.usecases.snapshot import LibrarySnapshot


def _map(lists: dict[int, tuple[str, list[int]]]) -> MapController:
    """A map controller over a snapshot of ``lists`` (id: (name, track ids)) alone."""
    playlists = [PlaylistInfo(pid, f"/lists/{pid}.m3u8", name, "m3u8", len(ids), len(ids), 0)
                 for pid, (name, ids) in lists.items()]
    snap = LibrarySnapshot(stats=None, tracks=[], playlists=playlists,
                           memberships=[(pid, t) for pid, (_n, ids) in lists.items()
                                        for t in ids], audio_model=None, graph_model=None)
    m = MapController(SimpleNamespace(library=SimpleNamespace(snapshot=snap)))
    m.colour_by = "playlist"
    return m


def test_same_named_playlists_get_a_colour_each_and_their_own_sizes():
    m = _map({68: ("Indie Poptimism", list(range(0, 4))), 74: ("Indie Poptimism", [10, 11]),
              77: ("Indie Poptimism", list(range(20, 25))), 5: ("Chill", [0, 30, 31])})
    ids = np.array([0, 1, 2, 3, 10, 11, 20, 21, 22, 23, 24, 30, 31, 99])
    codes, names, other = m.colouring(ids)
    assert names == ["Indie Poptimism", "Indie Poptimism", "Chill", "Indie Poptimism"]
    assert other == "in no playlist"
    counts, _note = m.legend_counts(names)
    assert sorted(zip(names, counts)) == [("Chill", 3), ("Indie Poptimism", 2),
                                          ("Indie Poptimism", 4), ("Indie Poptimism", 5)]
    code_of = dict(zip(ids.tolist(), codes.tolist()))
    assert len({code_of[10], code_of[1], code_of[20]}) == 3, "one colour per playlist"
    assert code_of[0] == code_of[1], "a track in two playlists takes the larger one's colour"
    assert code_of[99] == -1


def test_same_named_playlists_of_one_size_are_numbered_in_the_lists_order():
    m = _map({9: ("Mix", [1, 2]), 3: ("Mix", [3, 4]), 4: ("mix", [5, 6])})
    _codes, names, _other = m.colouring(np.arange(1, 7))
    assert sorted(names) == ["Mix #1", "Mix #2", "mix"]
    assert m.legend_counts(names)[0] == [2, 2, 2]
    assert playlist_labels([(9, "Mix", 2), (3, "Mix", 2)]) == {3: "Mix #1", 9: "Mix #2"}

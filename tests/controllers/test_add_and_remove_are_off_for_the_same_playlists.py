"""The window's Add (Suggestions tab) and Remove (Playlist tab) are off for the same
playlists — a player's, a dataset's: no file of its own — and on for a playlist file. Each
controller decided it by a rule of its own (one from ``suggest``'s ``source``, one from the
stored path), which could drift apart; both now ask
:func:`~musicsage.library.playlists.no_file.why_not_editable`."""

from __future__ import annotations

import pytest

from musicsage.controllers.playlist_tracks import why_not_removable
from musicsage.controllers.suggestions import why_not_addable
from musicsage.library.browse import PlaylistInfo
from musicsage.library.playlists.no_file import no_file_reason, why_not_editable
from musicsage.search.playlist_query import json_playlist


@pytest.mark.parametrize("stored", [
    "/home/u/Mix.m3u8",
    "rhythmbox:/home/u/.local/share/rhythmbox/playlists.xml#Mix",
    "dataset:/data/spotify#pl7",
])
def test_add_and_remove_are_refused_for_the_same_playlists_in_the_same_words(stored):
    info = PlaylistInfo(7, stored, "Mix", "m3u", 3, 3, 0)
    suggested = {**json_playlist(stored), "name": "Mix"}  # SuggestResult.playlist

    addable, removable = why_not_addable(suggested), why_not_removable(info, "Mix")

    assert addable == why_not_editable(stored, "Mix", "add")
    assert removable == why_not_editable(stored, "Mix", "remove")
    if stored.startswith("/"):
        assert addable == removable == ""
    else:
        assert addable == no_file_reason(stored, "Mix", "add")
        assert removable == no_file_reason(stored, "Mix", "remove")


def test_nothing_shown_has_nothing_to_refuse():
    assert why_not_addable({}) == ""

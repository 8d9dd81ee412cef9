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
from musicsage.library.playlists.no_file import no_file_reason
from musicsage.search.playlist_query import json_playlist


@pytest.mark.parametrize("stored, starts, ends", [
    ("/home/u/Mix.m3u8", "", ""),
    ("rhythmbox:/home/u/.local/share/rhythmbox/playlists.xml#Mix",
     "playlist 'Mix' is kept in a player's library file (Rhythmbox playlists (playlists.xml): ",
     "playlists.xml), which musicsage never writes; {edit} the track in that player"),
    ("dataset:/data/spotify#pl7",
     "playlist 'Mix' came from a dataset dir and has no file of its own: {edit} the track ",
     " that dir's memberships.csv and import it again"),
])
def test_add_and_remove_are_refused_for_the_same_playlists_in_the_same_words(stored, starts,
                                                                              ends):
    """Each says where to make the change instead, in the same words but for its verb."""
    info = PlaylistInfo(7, stored, "Mix", "m3u", 3, 3, 0)
    suggested = {**json_playlist(stored), "name": "Mix"}  # SuggestResult.playlist

    addable, removable = why_not_addable(suggested), why_not_removable(info, "Mix")

    for why, edit in ((addable, "add"), (removable, "remove")):
        assert why.startswith(starts.format(edit=edit)), why
        assert why.endswith(ends.format(edit=edit)), why
    if stored.startswith("/"):
        assert addable == removable == ""
    else:
        assert addable == no_file_reason(stored, "Mix", "add")
        assert removable == no_file_reason(stored, "Mix", "remove")


def test_nothing_shown_has_nothing_to_refuse():
    assert why_not_addable({}) == ""

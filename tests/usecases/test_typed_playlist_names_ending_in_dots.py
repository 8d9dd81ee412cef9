"""A name typed in the "Save as playlist" dialog that ends in a dot or a space, or that is
nothing but dots or an extension: "mix." was written as "mix..m3u8", "mix.m3u8 " (a space
left by a paste) as "mix.m3u8 .m3u8", and ".m3u" as the hidden file ".m3u.m3u8", which a
file manager does not show and a scan of the folder leaves out."""

from __future__ import annotations

import os

import pytest

from musicsage.library.playlists import is_playlist_file
from musicsage.usecases.playlist_names import with_playlist_suffix


@pytest.mark.parametrize("typed, written", [
    ("/music/mix.", "/music/mix.m3u8"), ("/music/mix..", "/music/mix.m3u8"),
    ("/music/mix. . ", "/music/mix.m3u8"), ("/music/mix.m3u8 ", "/music/mix.m3u8"),
    ("/music/mix.m3u.", "/music/mix.m3u"), ("/music/mix\t", "/music/mix.m3u8"),
    ("mix.", "mix.m3u8")])
def test_dots_and_spaces_at_the_end_of_a_name_are_not_doubled(typed, written):
    assert with_playlist_suffix(typed) == written
    assert is_playlist_file(written)


@pytest.mark.parametrize("typed, written", [
    ("/music/.m3u", "/music/Playlist.m3u"), ("/music/.M3U8", "/music/Playlist.M3U8"),
    ("/music/...", "/music/Playlist.m3u8"), ("/music/. .", "/music/Playlist.m3u8"),
    ("/music/ ", "/music/Playlist.m3u8")])
def test_a_name_of_only_dots_or_an_extension_is_named_playlist(typed, written):
    assert with_playlist_suffix(typed) == written
    assert not os.path.basename(written).startswith("."), "not a hidden file"
    assert is_playlist_file(written)


@pytest.mark.parametrize("typed", ["/music/mix.M3U", "/music/mix.m3u8", "/music/.mix.m3u8",
                                   "/music/Mr. Brightside.m3u8", ""])
def test_a_name_that_is_already_a_playlist_is_kept_as_typed(typed):
    """A leading dot the user typed before a name is theirs: a hidden playlist on purpose."""
    assert with_playlist_suffix(typed) == typed

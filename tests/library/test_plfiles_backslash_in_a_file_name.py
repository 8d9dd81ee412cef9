"""A backslash is a legal character of a Linux or macOS file name (``AC\\DC - Song.wav``, as
some rippers name them). Every playlist entry naming such a file — its exact path, its path
relative to the playlist, its ``file://`` URI — was read with the backslash as a folder's
end and named no track, and "Add to playlist" of the track failed ("does not read back").
Windows paths (``..\\music\\a.wav``) still read as they did."""

from __future__ import annotations

import pytest
from library_audio import write_audio

from musicsage.library import paths as P
from musicsage.library.playlists.resolve import TrackIndex, resolve_entry
from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist

BACKSLASHED = "Band/AC\\DC - Song.wav"


@pytest.fixture
def lib(ctx, tmp_path):
    """``(ctx, music folder, playlists folder, {name under music: track id})``."""
    music = tmp_path / "music"
    for i, name in enumerate([BACKSLASHED, "Band/plain.wav"]):
        write_audio(music / name, seconds=0.2, freq=220.0 + 110 * i)
    scan_library(ctx, [str(music)])
    ids = {t.path.split("/music/", 1)[1]: t.id for t in list_tracks(ctx)}
    lists = tmp_path / "lists"
    lists.mkdir()
    return ctx, music, lists, ids


def _imported(ctx, path) -> int:
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    return report.playlist_id


def test_entries_naming_a_file_with_a_backslash_resolve(lib):
    ctx, music, lists, ids = lib
    track = ids[BACKSLASHED]
    uri = P.file_uri(P.from_fs(str(music / BACKSLASHED)))
    assert "%5C" in uri
    playlist = lists / "mix.m3u"
    playlist.write_text(f"{music / BACKSLASHED}\n../music/{BACKSLASHED}\n{uri}\n"
                        "/elsewhere/old/Band/AC\\DC - Song.wav\n", encoding="utf-8")

    assert playlist_track_ids(ctx, _imported(ctx, playlist)) == [track] * 4


def test_windows_paths_still_read_as_before(lib, tmp_path):
    ctx, music, lists, ids = lib
    rows = [(tid, P.from_fs(str(music / name))) for name, tid in ids.items()]
    index = TrackIndex(rows, [P.from_fs(str(music))])
    folder = P.from_fs(str(lists))
    assert resolve_entry("..\\music\\Band\\plain.wav", folder, index).track_id == ids["Band/plain.wav"]
    assert resolve_entry("C:\\Music\\Band\\plain.wav", folder, index).track_id == ids["Band/plain.wav"]
    assert resolve_entry("\\\\nas\\music\\Band\\plain.wav", folder,
                         index).track_id == ids["Band/plain.wav"]


@pytest.mark.parametrize("body", ["#EXTM3U\n../music/Band/plain.wav\n",
                                  "#EXTM3U\r\n..\\music\\Band\\plain.wav\r\n"])
def test_a_track_with_a_backslash_is_added_and_reads_back(lib, body):
    """Relative with ``/`` (the name as it is) or with ``\\`` like the file's entries (then a
    URI: ``AC\\DC`` written ``AC\\DC`` would read as two folders either way)."""
    ctx, music, lists, ids = lib
    playlist = lists / "mix.m3u"
    playlist.write_bytes(body.encode())
    pid = _imported(ctx, playlist)

    report = add_to_playlist(ctx, pid, [ids[BACKSLASHED]])

    assert report.added == [ids[BACKSLASHED]]
    assert playlist_track_ids(ctx, _imported(ctx, playlist)) == [ids["Band/plain.wav"],
                                                                 ids[BACKSLASHED]]
    assert playlist.read_bytes().startswith(body.encode()), "the user's lines kept"

"""An entry holding a ``\\`` is tried as written (a Linux or macOS name may hold one) and read
with ``\\`` as ``/``; the name as written won even by a case-insensitive match, or at a library
root, over the file the entry's ``/`` reading names exactly in the playlist's folder: a
Windows player's ``Band\\z.wav`` beside ``Band/z.wav`` named ``band\\Z.wav`` (unzipped from a
Windows archive) instead. The name as written wins only by an exact match, at the playlist's
folder or a base before the one the ``/`` reading matches at."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.library.playlists.resolve import TrackIndex, resolve_entry
from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library


def test_a_windows_entry_names_the_file_its_folders_name(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "Band" / "z.wav", seconds=0.2, freq=220.0)
    write_audio(music / "band\\Z.wav", seconds=0.2, freq=330.0)
    scan_library(ctx, [str(music)])
    ids = {t.path.rsplit("/music/", 1)[1]: t.id for t in list_tracks(ctx)}
    playlist = music / "win.m3u"
    playlist.write_bytes(b"#EXTM3U\r\nBand\\z.wav\r\nband\\z.wav\r\nband\\Z.wav\r\n")

    pid = scan_library(ctx, [], [str(playlist)]).playlists[0].playlist_id

    assert playlist_track_ids(ctx, pid) == [ids["Band/z.wav"], ids["Band/z.wav"],
                                            ids["band\\Z.wav"]]


def test_the_playlists_folder_before_a_library_root():
    index = TrackIndex([(1, "/m/lists/Band/x.wav"), (2, "/m/Band\\x.wav"),
                        (3, "/m/lists/Qu/Band/y.wav"), (4, "/m/lists/qu\\band\\Y.wav")], ["/m"])
    assert resolve_entry("Band\\x.wav", "/m/lists", index).track_id == 1
    assert resolve_entry("Qu\\Band\\y.wav", "/m/lists", index).track_id == 3
    assert resolve_entry("/m/Band\\x.wav", "/m/lists", index).track_id == 2
    assert resolve_entry("../Band\\x.wav", "/m/lists", index).track_id == 2

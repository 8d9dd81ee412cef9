"""A single audio file scanned as a music folder (``scan ~/song.flac``): the watch observed its
parent folder with all its sub-folders — for a file directly in the home folder, the whole
home folder (inotify watches on every folder there, the system limit soon reached). The
file's own folder, without its sub-folders, is all it needs."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.library.watch_apply import WatchPlan


def test_a_single_file_music_folder_is_watched_in_its_folder_alone(tmp_path):
    song = tmp_path / "song.wav"
    write_audio(song, seconds=0.2)
    (tmp_path / "Projects" / "deep").mkdir(parents=True)
    assert WatchPlan(roots=[str(song)]).folders() == [(str(tmp_path), False)]


def test_a_music_folder_beside_it_is_still_watched_whole(tmp_path):
    song = tmp_path / "song.wav"
    write_audio(song, seconds=0.2)
    (tmp_path / "music").mkdir()
    plan = WatchPlan(roots=[str(song), str(tmp_path / "music")])
    assert sorted(plan.folders()) == [(str(tmp_path), False), (str(tmp_path / "music"), True)]


def test_a_file_listed_before_its_own_music_folder_keeps_that_folder_watched_whole(tmp_path):
    """``scan Music/song.wav Music --watch``: the file's folder, met first, dropped Music's
    recursive watch, and new files in Music/Album were never added."""
    music = tmp_path / "Music"
    (music / "Album").mkdir(parents=True)
    song = music / "song.wav"
    write_audio(song, seconds=0.2)
    assert WatchPlan(roots=[str(song), str(music)]).folders() == [(str(music), True)]
    assert WatchPlan(roots=[str(music / "Album"), str(song)]).folders() == [
        (str(music / "Album"), True), (str(music), False)]

"""``tags FILE`` given a playlist file (a ``.m3u`` dragged in for its song, a ``.pls`` of a
radio) says it is a playlist and to give one of its tracks: it said "not a readable audio file
(Invalid data found when processing input)", which read as a damaged file."""

from __future__ import annotations

import pytest

from musicsage import cli

PLAYLISTS = {"mix.m3u": "#EXTM3U\nsong.wav\n", "mix.m3u8": "#EXTM3U\nsong.wav\n",
             "radio.pls": "[playlist]\nFile1=song.wav\nNumberOfEntries=1\n",
             "mix.xspf": '<?xml version="1.0"?><playlist version="1" '
                         'xmlns="http://xspf.org/ns/0/"><trackList/></playlist>'}


@pytest.mark.parametrize("name", sorted(PLAYLISTS))
def test_tags_of_a_playlist_says_it_is_one(tmp_path, data_dir, capsys, name):
    playlist = tmp_path / name
    playlist.write_text(PLAYLISTS[name])
    code = cli.main(["tags", str(playlist), "--data-dir", str(data_dir)])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err == (f"musicsage tags: {name}: a playlist, not an audio file: give one of its "
                   "tracks"), err
    assert playlist.read_text() == PLAYLISTS[name]


def test_a_damaged_audio_file_is_still_said_unreadable(tmp_path, data_dir, capsys):
    song = tmp_path / "song.mp3"
    song.write_bytes(b"\x00garbage" * 500)
    assert cli.main(["tags", str(song), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "not a readable audio file" in err and "playlist" not in err

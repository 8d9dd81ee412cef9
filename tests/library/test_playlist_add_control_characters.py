"""A track whose title or artist holds a control character (a NUL stored by a library older
than the tag reader's cleaning) is added to the user's playlist with a space there: the NUL
was written into the #EXTINF/TitleN line, and the user's playlist became "binary data" to
every reader, this app's re-import included, and into an XSPF's <title>: XML no parser
reads."""

from __future__ import annotations

import pytest

from musicsage.library.playlists import format_for
from musicsage.library.playlists.append import append_tracks

BEFORE = {"mix.m3u": b"#EXTM3U\n#EXTINF:1,a\n/music/a.flac\n",
          "mix.pls": b"[playlist]\nFile1=/music/a.flac\nNumberOfEntries=1\n",
          "mix.xspf": b'<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" '
                      b'xmlns="http://xspf.org/ns/0/">\n  <trackList>\n    <track><location>'
                      b'file:///music/a.flac</location></track>\n  </trackList>\n</playlist>\n'}


@pytest.mark.parametrize("filename", sorted(BEFORE))
def test_control_characters_in_a_title_leave_the_playlist_readable(filename):
    track = {"path": "/music/b.flac", "title": "Intro\x00(live)", "artist": "Band\x1b",
             "duration": 3}
    written = append_tracks(BEFORE[filename], f"/music/{filename}", [track])
    assert b"\x00" not in written and b"\x1b" not in written
    entries = format_for(filename).parse(written, filename).entries
    assert [e.raw.removeprefix("file://") for e in entries] == ["/music/a.flac",
                                                                "/music/b.flac"]
    assert (b"<title>Intro (live)</title>" if filename.endswith(".xspf")
            else b"Band - Intro (live)") in written


def test_an_add_that_would_leave_the_file_unreadable_is_refused_untouched(ctx, tmp_path,
                                                                          monkeypatch):
    """Whatever a writer gets wrong: the new bytes must read as a playlist of the file's
    format before they replace the user's file. The re-import's failure was taken for no
    fault of the entries, and the broken file stayed (its backup the only way back)."""
    from library_audio import write_audio

    from musicsage.errors import MusicsageError
    from musicsage.library.playlists import edit
    from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library
    from musicsage.usecases.suggest import add_to_playlist

    music = tmp_path / "music"
    write_audio(music / "first.wav", seconds=0.2, freq=220.0)
    write_audio(music / "second.wav", seconds=0.2, freq=330.0)
    scan_library(ctx, [str(music)])
    ids = {t.path.rsplit("/", 1)[1]: t.id for t in list_tracks(ctx)}
    path = music / "mix.xspf"
    path.write_bytes(BEFORE["mix.xspf"].replace(b"file:///music/a.flac", b"first.wav"))
    before = path.read_bytes()
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    real = edit.append_tracks
    monkeypatch.setattr(edit, "append_tracks",  # a writer's slip: one stray "<" in the XML
                        lambda data, fs_path, tracks: real(data, fs_path, tracks) + b"<")

    with pytest.raises(MusicsageError, match=r"^cannot add to this playlist: the file would "
                                             r"no longer read as a playlist \(.*\); the file "
                                             r"was not touched$"):
        add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]
    backups = ctx.data_dir / edit.BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())

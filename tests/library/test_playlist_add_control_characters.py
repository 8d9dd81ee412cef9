"""A track whose title or artist holds a control character (a NUL stored by a library older
than the tag reader's cleaning) is added to the user's playlist with a space there: the NUL
was written into the #EXTINF/TitleN line, and the user's playlist became "binary data" to
every reader, this app's re-import included, and into an XSPF's <title>: XML no parser
reads. So were U+FFFF, U+FFFE and a lone surrogate in an XSPF, and a title mostly
unprintable (sixty U+FFFD) made an M3U or a PLS "mostly unprintable characters": the title
is then left out, the file stays readable."""

from __future__ import annotations

import pytest
from scan_support import library_with_a_playlist

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


@pytest.mark.parametrize("odd", ["\uffff", "\ufffe", "\ud800"], ids=["U+FFFF", "U+FFFE", "surrogate"])
def test_a_character_xml_cannot_hold_leaves_the_xspf_readable(odd):
    """Not a control character, yet no XML either (not even as a character reference): the
    XSPF was one no parser reads, and the add was refused as if the user's file were at fault."""
    track = {"path": "/music/b.flac", "title": f"Intro{odd}live", "artist": f"Band{odd}",
             "duration": 3}
    written = append_tracks(BEFORE["mix.xspf"], "/music/mix.xspf", [track])
    entries = format_for("mix.xspf").parse(written, "mix.xspf").entries
    assert [e.title for e in entries] == [None, "Band\ufffd - Intro\ufffdlive"]


def _titled(ctx, track_id: int, title: str, artist: str | None) -> None:
    """The track's title and artist as a library older than the tag reader's cleaning, or
    a tag read badly, stored them."""
    from musicsage.library.db import connect

    with connect(ctx) as conn:
        conn.execute("UPDATE tracks SET title = ?, artist = ? WHERE id = ?",
                     (title, artist, track_id))


ODD_TITLES = {"controls": ("Intro\x00(live)", "Band\x1b"),
              "no XML": ("Intro\uffff(live)", "Band\ufffe"),
              "unreadable": ("\ufffd" * 60, None)}
"""Titles from the library as "suggest --add" writes them: with a NUL and an escape, with
characters XML cannot hold, and sixty U+FFFD (a tag read badly): the last made a playlist of
that one entry "mostly unprintable characters" to every later read."""
EMPTY = {"mix.m3u": b"", "mix.pls": b"", "mix.xspf": BEFORE["mix.xspf"].replace(
    b"    <track><location>file:///music/a.flac</location></track>\n", b"")}


@pytest.mark.parametrize("title", sorted(ODD_TITLES))
@pytest.mark.parametrize("filename", sorted(EMPTY))
def test_suggest_add_writes_an_odd_title_into_a_playlist_that_still_reads(ctx, tmp_path,
                                                                          filename, title):
    """End to end, as ``suggest PLAYLIST --add`` and the window's button add: the file is
    read back and the track is a member; nothing refused, no backup left to undo it with."""
    from musicsage.usecases.library import playlist_track_ids
    from musicsage.usecases.suggest import add_to_playlist

    pid, ids, path = library_with_a_playlist(ctx, tmp_path, filename, EMPTY[filename])
    _titled(ctx, ids["second.wav"], *ODD_TITLES[title])

    report = add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert report.added == [ids["second.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["second.wav"]]
    written = path.read_bytes()
    assert format_for(filename).parse(written, filename).entries[0].raw.endswith("second.wav")
    assert b"\x00" not in written and b"\x1b" not in written


def test_an_add_that_would_leave_the_file_unreadable_is_refused_untouched(ctx, tmp_path,
                                                                          monkeypatch):
    """Whatever a writer gets wrong: the new bytes must read as a playlist of the file's
    format before they replace the user's file. The re-import's failure was taken for no
    fault of the entries, and the broken file stayed (its backup the only way back)."""
    from musicsage.errors import MusicsageError
    from musicsage.library.playlists import edit
    from musicsage.usecases.library import playlist_track_ids
    from musicsage.usecases.suggest import add_to_playlist

    before = BEFORE["mix.xspf"].replace(b"file:///music/a.flac", b"first.wav")
    pid, ids, path = library_with_a_playlist(ctx, tmp_path, "mix.xspf", before)
    real = edit.append_tracks
    monkeypatch.setattr(edit, "append_tracks",  # a writer's slip: one stray "<" in the XML
                        lambda data, fs_path, tracks: real(data, fs_path, tracks) + b"<")

    with pytest.raises(MusicsageError, match=r"^cannot add .*would not read back \(.*\); "
                                             r"the file was not touched$"):
        add_to_playlist(ctx, pid, [ids["second.wav"]])

    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == [ids["first.wav"]]
    backups = ctx.data_dir / edit.BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())

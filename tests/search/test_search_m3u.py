"""M3U8 export: the lines a player reads, encodings, what is left out."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.search.m3u import Written
from musicsage.search.types import SimilarResult
from musicsage.usecases.search import write_m3u


def test_m3u8_lines(tmp_path):
    dest = tmp_path / "list.m3u8"
    tracks = [
        {"track_id": 1, "path": "/music/Björk/Jóga.flac", "title": "Jóga", "artist": "Björk",
         "duration": 305.4},
        {"track_id": 2, "path": "/music/x/untitled.wav", "title": None, "artist": None,
         "duration": None},
        {"track_id": 3, "path": "dataset:/data/spotify#6f807x", "title": "No file",
         "artist": "Nobody", "duration": 200.0},
        {"track_id": 4, "path": "/music/a/b.mp3", "title": "Two\nlines", "artist": "A",
         "duration": 0},
    ]
    assert write_m3u(dest, tracks) == Written(3, left_out=1)  # said, not dropped silently
    raw = dest.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert raw.decode("utf-8").splitlines() == [
        "#EXTM3U",
        "#EXTINF:305,Björk - Jóga",
        "/music/Björk/Jóga.flac",
        "#EXTINF:-1,untitled",
        "/music/x/untitled.wav",
        "#EXTINF:-1,A - Two lines",
        "/music/a/b.mp3",
    ]


def test_undecodable_file_names_become_file_uris(tmp_path):
    from musicsage.library.paths import from_fs

    stored = from_fs(b"/music/caf\xe9.mp3")  # a Latin-1 name on a UTF-8 system
    dest = tmp_path / "odd.m3u8"
    write_m3u(dest, [{"path": stored, "title": "Café", "artist": None, "duration": 1}])
    lines = dest.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "file:///music/caf%E9.mp3"


def test_unwritable_destination_is_a_clear_error(tmp_path):
    with pytest.raises(MusicsageError, match="cannot write playlist"):
        write_m3u(tmp_path / "no" / "such" / "dir.m3u8", [])


def test_an_existing_file_that_is_no_playlist_is_never_replaced(tmp_path):
    track = {"track_id": 1, "path": "/music/a.flac", "title": "A", "artist": "B", "duration": 1}
    song = tmp_path / "song.flac"
    song.write_bytes(b"fLaC\x00\x00\x00\x22 audio")
    with pytest.raises(MusicsageError, match="song.flac exists and is not a playlist musicsage "
                                             "wrote: choose another name"):
        write_m3u(song, [track])
    with pytest.raises(MusicsageError, match="not an M3U playlist: not overwritten"):
        write_m3u(song, [track], overwrite=True)  # even when the user agreed to replace it
    assert song.read_bytes() == b"fLaC\x00\x00\x00\x22 audio"
    with pytest.raises(MusicsageError, match="it is a folder"):
        write_m3u(tmp_path, [track])
    # what may be replaced: an empty file, a playlist this app wrote (with a name, or empty)
    own = tmp_path / "own.txt"
    write_m3u(own, [track, track], name="Mine")
    for name, old in (("empty", b""), ("own.txt", own.read_bytes()),
                      ("bare.m3u8", b"#EXTM3U\n")):
        (tmp_path / name).write_bytes(old)
        assert write_m3u(tmp_path / name, [track], name="New").tracks == 1
        assert (tmp_path / name).read_text().startswith("#EXTM3U\n#PLAYLIST:New\n")


ANOTHERS_PLAYLISTS = {
    "notes.m3u8": b"my notes\nline two\n",  # the audit's: any text under a playlist's name
    "plain.m3u": b"/x.mp3\n",
    "bare.m3u8": b"#EXTM3U\n/x.mp3\n",  # no #EXTINF
    "vlc.m3u8": b"#EXTM3U\n#EXTINF:61,X - A\n/music/a.flac\n",  # no #PLAYLIST name
    "crlf.m3u8": b"#EXTM3U\r\n#PLAYLIST:Mix\r\n#EXTINF:61,X - A\r\n/music/a.flac\r\n",
    "directive.m3u8": b"#EXTM3U\n#PLAYLIST:Mix\n#EXTGRP:Rock\n#EXTINF:61,X - A\n/a.flac\n",
    "latin1.m3u": "#EXTM3U\n#PLAYLIST:Caf\u00e9\n".encode("latin-1"),
    "unended.m3u8": b"#EXTM3U\n#PLAYLIST:Mix\n#EXTINF:61,X - A\n/music/a.flac",
}


def test_a_playlist_it_did_not_write_is_never_replaced(tmp_path):
    """``similar … --m3u mine.m3u8`` replaced a file of the user's with no backup: any file
    ending in .m3u8 was fair game. Only a playlist this app wrote is replaced now; the window
    (its save dialog asked the user first) still replaces any playlist."""
    from musicsage.search.m3u import written_here

    track = {"track_id": 1, "path": "/music/a.flac", "title": "A", "artist": "X", "duration": 61}
    for name, old in ANOTHERS_PLAYLISTS.items():
        dest = tmp_path / name
        dest.write_bytes(old)
        assert not written_here(old), name
        with pytest.raises(MusicsageError) as refused:
            write_m3u(dest, [track], name="Mix")
        assert str(refused.value) == (f"{dest} exists and is not a playlist musicsage wrote: "
                                      "choose another name (nothing was written)")
        assert dest.read_bytes() == old, name
        assert write_m3u(dest, [track], name="Mix", overwrite=True).tracks == 1
        assert written_here(dest.read_bytes()), name


def test_what_it_wrote_it_recognises_odd_names_and_empty_lists_too(tmp_path):
    from musicsage.library.paths import from_fs
    from musicsage.search.m3u import m3u_text, written_here

    odd = [{"path": from_fs(b"/music/caf\xe9.mp3"), "title": "Caf\u00e9", "artist": None},
           {"path": "/music/two\nlines.flac", "title": "Two\r\nlines", "artist": "A\tB",
            "duration": 12.6},
           {"path": "dataset:/data/spotify#6f807x", "title": "No file"}]
    for tracks in (odd, []):
        for name in ("Mix\r\nof #EXTINF:", None):
            text, _count = m3u_text(tracks, name=name)
            assert written_here(text.encode("utf-8")) is (bool(name) or not tracks), (tracks, name)


def test_a_similar_result_becomes_query_then_neighbours(tmp_path):
    def row(i, status="present"):
        return {"track_id": i, "path": f"/m/{i}.flac", "title": f"T{i}", "artist": "A",
                "duration": 60, "status": status}

    result = SimilarResult(query=row(1), graph=[row(2), row(3)], audio=[row(3), row(4)])
    dest = tmp_path / "radio.m3u8"
    assert write_m3u(dest, result) == Written(4)
    lines = dest.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "#PLAYLIST:Similar to A - T1"
    assert [ln for ln in lines if ln.startswith("/")] == ["/m/1.flac", "/m/2.flac", "/m/3.flac",
                                                          "/m/4.flac"]


def test_devices_and_pipes_are_never_replaced_nor_waited_on(tmp_path):
    """``--m3u /dev/null`` replaced the system's null device with a playlist (run as root), and
    a named pipe hung the command while it read the pipe to see whether it was a playlist."""
    import os
    import threading

    track = {"track_id": 1, "path": "/music/a.flac", "title": "A", "artist": "B", "duration": 1}
    pipe = tmp_path / "pipe.m3u"
    os.mkfifo(pipe)
    answers = []

    def write(dest):
        try:
            write_m3u(dest, [track])
            answers.append("written")
        except MusicsageError as exc:
            answers.append(str(exc))

    for dest in (pipe, tmp_path / "other-pipe"):
        if not dest.exists():
            os.mkfifo(dest)
        worker = threading.Thread(target=write, args=(dest,), daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), f"waited on the pipe {dest}"
        assert answers[-1] == f"cannot write playlist {dest}: not a regular file"
        assert dest.is_fifo()
    if os.path.exists("/dev/null"):
        with pytest.raises(MusicsageError, match="not a regular file"):
            write_m3u("/dev/null", [track])


@pytest.mark.parametrize("command", [["similar", "anything"], ["suggest", "any list"],
                                     ["radio", "anything"]])
def test_a_missing_folder_is_named_with_what_to_do(command, library, ctx, tmp_path, capsys):
    """``radio --m3u R/x.m3u`` with no folder R said only "No such file or directory"."""
    from musicsage import cli

    dest = tmp_path / "R" / "x.m3u"
    rc = cli.main([*command, "--m3u", str(dest), "--data-dir", str(ctx.data_dir)])
    err = capsys.readouterr().err.strip()
    assert rc == 1 and len(err.splitlines()) == 1
    assert (f"cannot write playlist {dest}: the folder {dest.parent} does not exist; create it "
            "first or choose another path") in err
    assert not dest.parent.exists()
    song = tmp_path / "song.flac"
    song.write_bytes(b"fLaC")
    with pytest.raises(MusicsageError, match=f"{song} is a file, not a folder"):
        write_m3u(song / "x.m3u", [])

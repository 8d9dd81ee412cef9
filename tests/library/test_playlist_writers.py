""""Add to playlist": each format round-trips through the real scan, writer and re-import;
existing bytes stay byte for byte, a backup is kept, a file changed on disk is refused."""

from __future__ import annotations

import json
import os
import re

import pytest
from library_audio import write_audio
from playlist_support import playlist_library

from musicsage import cli
from musicsage.library.playlists import PlaylistError, format_for
from musicsage.library.playlists.edit import BACKUP_DIR, PlaylistChanged
from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _cases(music):
    one = str(music / "A/One.wav")
    uri = "file://" + one.replace(" ", "%20")
    return {
        "crlf-bom.m3u8": ("utf-8", b"\xef\xbb\xbf#EXTM3U\r\n# my comment\r\n#EXTINF:1,Band A - One\r\n"
                          b"../music/A/One.wav\r\n\r\n", "relative"),
        "legacy.m3u": ("cp1252", b"# caf\xe9 list\n" + one.encode() + b"\n# tail comment", "absolute"),
        "windows.pls": ("cp1252", b"[playlist]\r\n; kept comment\r\nFile1=..\\music\\A\\One.wav\r\n"
                        b"Title1=One\r\nLength1=1\r\nNumberOfEntries=1\r\nVersion=2\r\n", "relative"),
        "uris.xspf": ("utf-8", ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                '<playlist version="1" xmlns="http://xspf.org/ns/0/">\n'
                                '    <!-- keep this comment -->\n    <title>Uris</title>\n'
                                '    <trackList>\n        <track>\n'
                                f'            <location>{uri}</location>\n'
                                '            <title>One</title>\n        </track>\n'
                                '    </trackList>\n</playlist>\n').encode(), "uri"),
        "latin.xspf": ("latin-1", ('<?xml version="1.0" encoding="ISO-8859-1"?>\r\n'
                                   '<playlist version="1" xmlns="http://xspf.org/ns/0/">\r\n'
                                   '\t<title>Caf\xe9</title>\r\n\t<trackList>\r\n\t\t<track>\r\n'
                                   '\t\t\t<location>../music/A/One.wav</location>\r\n'
                                   '\t\t</track>\r\n\t</trackList>\r\n</playlist>\r\n')
                      .encode("latin-1"), "relative"),
        "empty.m3u8": ("utf-8", b"", "absolute"),
        "empty.pls": ("utf-8", b"[playlist]\nNumberOfEntries=0\n", "absolute"),
        "closed.xspf": ("utf-8", b'<?xml version="1.0"?>\n<playlist version="1" '
                        b'xmlns="http://xspf.org/ns/0/"><trackList/></playlist>\n', "uri"),
    }


def _kept(old: bytes, new: bytes) -> bool:
    """``new`` is ``old`` with bytes inserted at one place."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return len(new) > len(old) and p + s >= len(old)


@pytest.mark.parametrize("filename", list(_cases(__import__("pathlib").Path("/x"))))
def test_add_round_trips_in_the_files_own_format(lib, filename):
    ctx, music, lists, ids = lib
    codec, old, style = _cases(music)[filename]
    path = lists / filename
    path.write_bytes(old)
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    pid, before = report.playlist_id, playlist_track_ids(ctx, report.playlist_id)
    chosen = [ids["B/Café Ω.wav"], ids["C/Five.wav"]]

    added = add_to_playlist(ctx, pid, chosen)

    new = path.read_bytes()
    assert added.added == chosen and added.skipped == []
    assert open(added.backup, "rb").read() == old
    assert os.path.dirname(added.backup) == str(ctx.data_dir / BACKUP_DIR)
    assert playlist_track_ids(ctx, pid) == before + chosen, "re-imported as a scan would"
    if filename == "windows.pls":
        old_lines = [ln for ln in re.split(rb"(?<=\r\n)", old) if ln and not ln.startswith(b"NumberOf")]
        new_lines = re.split(rb"(?<=\r\n)", new)
        assert [ln for ln in new_lines if ln in old_lines] == old_lines
        assert b"NumberOfEntries=3\r\n" in new and b"File2=" in new and b"File3=" in new
    elif filename == "empty.pls":
        assert new.startswith(b"[playlist]\nFile1=") and b"NumberOfEntries=2\n" in new
    elif filename == "closed.xspf":
        assert b"<trackList>\n" in new and new.count(b"<track>") == 2
    else:
        assert _kept(old, new), "existing bytes are kept byte for byte"
    new.decode(codec)  # the file's encoding
    if b"\r\n" in old:
        assert not re.search(rb"(?<!\r)\n", new), "CRLF file: no bare LF added"
    else:
        assert b"\r" not in new
    parsed = format_for(str(path)).parse(new, filename)
    written = [e.raw for e in parsed.entries[-2:]]
    if style == "relative":
        assert all(not w.startswith(("/", "file:")) for w in written), written
        if filename == "windows.pls":
            assert all("\\" in w for w in written), "the file's separator"
    elif style == "uri":
        assert all(w.startswith("file:///") for w in written)
    else:
        assert all(w.startswith(("/", "file:///")) for w in written)
    if filename == "legacy.m3u":  # Ω has no cp1252 byte: its name is percent-encoded
        assert "%CE%A9" in written[0] and written[1] == str(music / "C/Five.wav")
    if filename.endswith(".m3u8") and old:
        assert "#EXTINF:0,Band B - Café Ω" in new.decode("utf-8-sig")


def test_an_xspf_without_a_track_list_is_refused_untouched(lib):
    ctx, music, lists, ids = lib
    path = lists / "odd.xspf"
    old = b'<?xml version="1.0"?>\n<playlist version="1" xmlns="http://xspf.org/ns/0/"/>\n'
    path.write_bytes(old)
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    with pytest.raises(PlaylistError, match="no <trackList>"):
        add_to_playlist(ctx, pid, [ids["C/Five.wav"]])
    assert path.read_bytes() == old


def test_a_file_changed_on_disk_is_refused_and_untouched(lib):
    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("../music/A/Two.wav\n")  # another player added a track
    edited = path.read_bytes()
    with pytest.raises(PlaylistChanged, match="changed on disk since it was imported"):
        add_to_playlist(ctx, pid, [ids["C/Five.wav"]])
    assert path.read_bytes() == edited
    assert not (ctx.data_dir / BACKUP_DIR).exists() or not any((ctx.data_dir / BACKUP_DIR).iterdir())


def test_same_size_and_time_but_other_content_is_caught_by_the_hash(lib):
    from musicsage.usecases.suggest import suggest_tracks  # noqa: F401 - the window's path

    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    import hashlib

    read_hash = hashlib.sha256(path.read_bytes()).hexdigest()  # what the window saw
    st = os.stat(path)
    path.write_text("#EXTM3U\n../music/A/Two.wav\n", encoding="utf-8")  # same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(PlaylistChanged, match="content differs"):
        add_to_playlist(ctx, pid, [ids["C/Five.wav"]], expected_sha256=read_hash)
    assert "Two.wav" in path.read_text(encoding="utf-8")


def test_members_and_missing_files_are_skipped(lib):
    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    os.remove(music / "B/Three.wav")
    scan_library(ctx, [str(music)])
    report = add_to_playlist(ctx, pid, [ids["A/One.wav"], ids["B/Three.wav"]])
    assert report.added == [] and report.backup is None
    assert {s["reason"] for s in report.skipped} == {"already in the playlist", "the file is missing"}
    assert (report.entries, report.resolved) == (1, 1)  # what it holds, not 0 and 0
    assert path.read_text(encoding="utf-8") == "#EXTM3U\n../music/A/One.wav\n"


def test_an_add_during_a_scan_says_it_waits_then_writes(lib):
    """`suggest --add` while a scan held the library waited without a word."""
    import threading

    from musicsage.library.db import connect
    from musicsage.library.lock import scan_lock

    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    held, release = threading.Event(), threading.Event()

    def scanning() -> None:  # another scan: its own connection, its own hold on the lock
        with scan_lock(connect(ctx)):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=scanning)
    holder.start()
    assert held.wait(30)
    said = []

    def progress(p) -> None:
        said.append(p.message)
        release.set()  # the scan ends once the add has said it waits

    try:
        report = add_to_playlist(ctx, pid, [ids["A/Two.wav"]], progress=progress)
    finally:
        release.set()
        holder.join()
    assert any("another scan of this library is running" in m and "waiting" in m for m in said)
    assert report.added == [ids["A/Two.wav"]] and "Two.wav" in path.read_text(encoding="utf-8")


def test_a_symlinked_playlist_keeps_its_link(lib, tmp_path):
    ctx, music, lists, ids = lib
    target = tmp_path / "real.m3u8"
    target.write_text("#EXTM3U\n" + str(music / "A/One.wav") + "\n", encoding="utf-8")
    link = lists / "linked.m3u8"
    link.symlink_to(target)
    pid = scan_library(ctx, [], [str(link)]).playlists[0].playlist_id
    add_to_playlist(ctx, pid, [ids["A/Two.wav"]])
    assert link.is_symlink() and "Two.wav" in target.read_text(encoding="utf-8")
    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"], ids["A/Two.wav"]]


def test_add_from_the_command_line(capsys, lib):
    ctx, music, lists, ids = lib
    path = lists / "mix.pls"
    path.write_text("[playlist]\nFile1=../music/A/One.wav\nNumberOfEntries=1\n", encoding="utf-8")
    scan_library(ctx, [], [str(path)])
    rc = cli.main(["suggest", "mix", "--add", "Five", str(ids["A/Two.wav"]), "--json",
                   "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert rc == 0, err
    assert data["added"] == [ids["C/Five.wav"], ids["A/Two.wav"]] and data["entries"] == 3
    assert "NumberOfEntries=3" in path.read_text(encoding="utf-8")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("; touched\n")
    rc = cli.main(["suggest", "mix", "--add", "Three", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 1 and len(err.strip().splitlines()) == 1 and "changed on disk" in err


def test_an_add_removes_what_a_killed_add_left_beside_the_playlist(lib):
    """A `suggest --add` killed between its temporary and the rename left a hidden file in
    the user's folder for good; the next add to that playlist removes it (its name carries
    the app's mark and a process that no longer runs), and nothing that merely looks alike."""
    import subprocess
    import sys

    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n" + str(music / "A/One.wav") + "\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    leftover = lists / f".mix.m3u8.musicsage-{child.pid}-k1ll3d.tmp"
    look_alike = lists / ".mix.m3u8.k1ll3d.tmp"  # no mark: not provably ours
    for p in (leftover, look_alike):
        p.write_bytes(b"#EXTM3U\nhalf")
    add_to_playlist(ctx, pid, [ids["A/Two.wav"]])
    assert "Two.wav" in path.read_text(encoding="utf-8")
    assert not leftover.exists() and look_alike.read_bytes() == b"#EXTM3U\nhalf"
    assert sorted(p.name for p in lists.iterdir()) == [".mix.m3u8.k1ll3d.tmp", "mix.m3u8"]


ODD = "B/Line\u2028sep\x0cff\x85nel.wav"
"""A name with characters ``str.splitlines`` cut at (a title pasted from a tag): the playlist
line naming it was split in two, and a PLS in UTF-16 got the new entries inserted inside it."""


@pytest.mark.parametrize("filename, codec, newline", [
    ("odd.m3u8", "utf-8", "\n"), ("odd.m3u", "utf-8", "\r"), ("odd.pls", "utf-8", "\r\n"),
    ("utf16.pls", "utf-16", "\r\n")])
def test_adding_to_a_playlist_keeps_an_entry_with_a_line_separator_whole(lib, filename, codec,
                                                                         newline):
    ctx, music, lists, ids = lib
    write_audio(music / ODD, seconds=0.2)
    scan_library(ctx, [str(music)])
    odd = next(t.id for t in list_tracks(ctx) if t.path == str(music / ODD))
    entry = str(music / ODD)
    lines = (["[playlist]", f"File1={entry}", "NumberOfEntries=1"] if filename.endswith(".pls")
             else ["#EXTM3U", "#EXTINF:1,Odd", entry])
    path = lists / filename
    path.write_bytes("".join(line + newline for line in lines).encode(codec))
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert (report.resolved, report.unresolved) == (1, []), report

    add_to_playlist(ctx, report.playlist_id, [ids["C/Five.wav"]])

    assert playlist_track_ids(ctx, report.playlist_id) == [odd, ids["C/Five.wav"]]
    text = path.read_bytes().decode(codec)
    assert (f"File1={entry}{newline}" if filename.endswith(".pls")
            else f"{newline}{entry}{newline}") in text


def test_an_add_keeps_the_entries_naming_a_moved_file(lib):
    """The playlist still names a file the user moved (a rescan kept its track by content):
    `suggest --add` / "Add to playlist" re-imported the file without the old paths, and the
    moved track dropped out of the playlist until the next scan (a `train` in between missed
    it)."""
    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    (music / "Moved").mkdir()
    os.rename(music / "A/One.wav", music / "Moved/Uno.wav")
    assert scan_library(ctx, [str(music)]).moved == 1
    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"]]

    report = add_to_playlist(ctx, pid, [ids["A/Two.wav"]])

    assert (report.entries, report.resolved) == (2, 2)
    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"], ids["A/Two.wav"]]

""""Remove from playlist": each format through the real scan, remover and re-import; every
other byte stays as it was, a backup is kept, a file changed on disk is refused untouched."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library.playlists import format_for
from musicsage.library.playlists.edit import BACKUP_DIR, PlaylistChanged
from musicsage.library.playlists.remove import remove_entries
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.usecases.suggest import remove_from_playlist


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _cases(music: Path) -> dict[str, tuple[bytes, bytes]]:
    """File name → (the file, the file once Two is removed): Two is listed twice in some,
    beside a comment, an entry that names nothing and odd bytes that must all stay."""
    two = str(music / "A/Two.wav")
    uri = "file://" + str(music / "B/Café Ω.wav").replace(" ", "%20")
    xspf = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<playlist version="1" xmlns="http://xspf.org/ns/0/">\n'
            '    <!-- keep this comment, even <track> in it -->\n    <trackList>\n'
            '        <track>\n            <location>../music/A/One.wav</location>\n'
            '        </track>\n'
            '        <track>\n            <location>../music/A/Two.wav</location>\n'
            '            <title>Two</title>\n        </track>\n'
            f'        <track><location>{uri}</location></track>\n'
            '        <track><location>gone/Nowhere.wav</location></track>\n'
            '    </trackList>\n</playlist>\n')
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<playlist version="1" '
             'xmlns="http://xspf.org/ns/0/">\r\n\t<title>Caf\xe9</title>\r\n\t<trackList>\r\n'
             '\t\t<track><location>../music/A/Two.wav</location></track>\r\n'
             '\t\t<track><location>../music/A/One.wav</location>'
             '<title>\xc9t\xe9</title></track>\r\n\t</trackList>\r\n</playlist>\r\n')
    return {
        "crlf-bom.m3u8": (
            b"\xef\xbb\xbf#EXTM3U\r\n# my comment\r\n#EXTINF:1,Band A - One\r\n../music/A/One.wav\r\n"
            b"#EXTINF:1,Band A - Two\r\n#EXTVLCOPT:start-time=3\r\n../music/A/Two.wav\r\n\r\n"
            b"#EXTINF:1,Nothing\r\n../music/gone.wav\r\n#EXTINF:1,Two again\r\n" + two.encode()
            + b"\r\n",
            b"\xef\xbb\xbf#EXTM3U\r\n# my comment\r\n#EXTINF:1,Band A - One\r\n../music/A/One.wav\r\n"
            b"\r\n#EXTINF:1,Nothing\r\n../music/gone.wav\r\n"),
        "legacy.m3u": (
            b"# caf\xe9 \x81list\n" + two.encode() + b"\n../music/C/Five.wav\n# tail comment",
            b"# caf\xe9 \x81list\n../music/C/Five.wav\n# tail comment"),
        "windows.pls": (
            b"[playlist]\r\n; kept comment\r\nFile1=..\\music\\A\\One.wav\r\nTitle1=One\r\n"
            b"File2=..\\music\\A\\Two.wav\r\nTitle2=Two\r\nLength2=1\r\n"
            b"file3 = ..\\music\\C\\Five.wav\r\nTITLE3=Five \xe9\r\nNumberOfEntries=3\r\nVersion=2\r\n",
            b"[playlist]\r\n; kept comment\r\nFile1=..\\music\\A\\One.wav\r\nTitle1=One\r\n"
            b"file2 = ..\\music\\C\\Five.wav\r\nTITLE2=Five \xe9\r\nNumberOfEntries=2\r\nVersion=2\r\n"),
        "utf16.pls": (
            "\ufeff[playlist]\r\nFile1=../music/A/Two.wav\r\nFile2=../music/B/Café Ω.wav\r\n"
            "Title2=Café\r\nNumberOfEntries=2\r\n".encode("utf-16-le"),
            "\ufeff[playlist]\r\nFile1=../music/B/Café Ω.wav\r\nTitle1=Café\r\n"
            "NumberOfEntries=1\r\n".encode("utf-16-le")),
        "uris.xspf": (xspf.encode(), xspf.replace(
            '        <track>\n            <location>../music/A/Two.wav</location>\n'
            '            <title>Two</title>\n        </track>\n', "").encode()),
        "latin.xspf": (latin.encode("latin-1"), latin.replace(
            "\t\t<track><location>../music/A/Two.wav</location></track>\r\n", "")
            .encode("latin-1")),
    }


@pytest.mark.parametrize("filename", list(_cases(Path("/x"))))
def test_remove_keeps_every_other_byte_in_each_format(lib, filename):
    ctx, music, lists, ids = lib
    old, expected = _cases(music)[filename]
    path = lists / filename
    path.write_bytes(old)
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None and ids["A/Two.wav"] in playlist_track_ids(ctx, report.playlist_id)
    listed = playlist_track_ids(ctx, report.playlist_id).count(ids["A/Two.wav"])

    removed = remove_from_playlist(ctx, report.playlist_id, [ids["A/Two.wav"]])

    assert path.read_bytes() == expected
    assert removed.removed == [{"track_id": ids["A/Two.wav"], "entries": listed}]
    assert removed.skipped == [] and open(removed.backup, "rb").read() == old
    assert os.path.dirname(removed.backup) == str(ctx.data_dir / BACKUP_DIR)
    left = playlist_track_ids(ctx, report.playlist_id)
    assert ids["A/Two.wav"] not in left, "re-imported as a scan would"
    parsed = format_for(str(path)).parse(expected, filename)
    assert (removed.entries, removed.resolved) == (len(parsed.entries), len(left))


def test_a_track_listed_twice_loses_every_entry_and_the_cli_says_so(lib, capsys):
    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/Two.wav\n../music/A/One.wav\n"
                    f"{music / 'A/Two.wav'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(path)])
    rc = cli.main(["suggest", "mix", "--remove", str(ids["A/Two.wav"]), "Five",
                   "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert out.splitlines()[0].startswith(f"removed 1 track (2 entries) from {path} (m3u8); "
                                          "now 1 entry, 1 resolved; backup: ")
    assert f"#{ids['A/Two.wav']} was listed 2 times: every entry removed" in out
    assert f"skipped #{ids['C/Five.wav']}: not in the playlist" in err
    assert path.read_text(encoding="utf-8") == "#EXTM3U\n../music/A/One.wav\n"


def test_remove_from_the_command_line_json_and_refusals(lib, capsys):
    ctx, music, lists, ids = lib
    path = lists / "mix.pls"
    path.write_text("[playlist]\nFile1=../music/A/One.wav\nFile2=../music/C/Five.wav\n"
                    "NumberOfEntries=2\n", encoding="utf-8")
    scan_library(ctx, [], [str(path)])
    rc = cli.main(["suggest", "mix", "--remove", "One", "--json", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert rc == 0, err
    assert data["removed"] == [{"track_id": ids["A/One.wav"], "entries": 1}]
    assert (data["entries"], data["resolved"], data["skipped"]) == (1, 1, [])
    assert path.read_text(encoding="utf-8") == ("[playlist]\nFile1=../music/C/Five.wav\n"
                                                "NumberOfEntries=1\n")
    rc = cli.main(["suggest", "mix", "--remove", "Two", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith("nothing removed from ") and "not in the playlist" in err
    rc = cli.main(["suggest", "mix", "--add", "Two", "--remove", "Five",
                   "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 1 and err.strip().splitlines() == ["musicsage suggest: give --add or --remove, "
                                                    "not both"]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("; touched\n")
    rc = cli.main(["suggest", "mix", "--remove", "Five", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 1 and len(err.strip().splitlines()) == 1, err
    assert "changed on disk since it was imported" in err and "then remove again" in err


def test_a_file_changed_on_disk_is_refused_untouched_without_a_backup(lib):
    ctx, music, lists, ids = lib
    path = lists / "mix.m3u8"
    path.write_text("#EXTM3U\n../music/A/One.wav\n../music/A/Two.wav\n", encoding="utf-8")
    pid = scan_library(ctx, [], [str(path)]).playlists[0].playlist_id
    read_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    st = os.stat(path)
    path.write_text("#EXTM3U\n../music/A/Two.wav\n../music/A/One.wav\n", encoding="utf-8")
    edited = path.read_bytes()
    with pytest.raises(PlaylistChanged, match="since it was imported"):
        remove_from_playlist(ctx, pid, [ids["A/Two.wav"]])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and time: the hash tells
    with pytest.raises(PlaylistChanged, match="content differs"):
        remove_from_playlist(ctx, pid, [ids["A/Two.wav"]], expected_sha256=read_hash)
    with pytest.raises(PlaylistChanged, match="entries differ"):  # no hash: the entries tell
        remove_from_playlist(ctx, pid, [ids["A/Two.wav"]])
    assert path.read_bytes() == edited
    backups = ctx.data_dir / BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())


def test_a_players_library_playlist_is_refused_in_one_line(lib, tmp_path):
    from player_files import write_rhythmbox

    ctx, music, lists, ids = lib
    source = write_rhythmbox(tmp_path / "playlists.xml", [("Road trip", [music / "A/One.wav"])])
    before = source.read_bytes()
    (pid,) = [r.playlist_id for r in scan_library(ctx, [], [str(source)]).playlists
              if r.name == "Road trip"]
    with pytest.raises(MusicsageError) as caught:
        remove_from_playlist(ctx, pid, [ids["A/One.wav"]])
    assert "player's library file" in str(caught.value) and "\n" not in str(caught.value)
    assert source.read_bytes() == before


@pytest.mark.parametrize("filename, old, positions, expected", [
    # a TitleN without FileN keeps its number unless an entry now takes it
    ("orphan.pls", b"[playlist]\nTitle1=stray\nFile2=a\nFile3=b\nNumberOfEntries=2\n", {0},
     b"[playlist]\nTitle2=stray\nFile1=b\nNumberOfEntries=1\n"),
    ("late.pls", b"File1=a\nFile2=b\nLength7=3\n", {0}, b"File1=b\nLength7=3\n"),
    # elements sharing a line: only the element goes; an empty <track/> too
    ("inline.xspf", b'<playlist xmlns="http://xspf.org/ns/0/"><trackList><track><location>a'
     b'</location></track><track a=">"/><track/></trackList></playlist>', {1, 2},
     b'<playlist xmlns="http://xspf.org/ns/0/"><trackList><track><location>a'
     b'</location></track></trackList></playlist>'),
    ("cr.m3u", b"#EXTINF:1,a\ra\r#EXTINF:2,b\rb", {1}, b"#EXTINF:1,a\ra\r"),
])
def test_remove_entries_edge_cases(filename, old, positions, expected):
    assert remove_entries(old, f"/lists/{filename}", positions) == expected

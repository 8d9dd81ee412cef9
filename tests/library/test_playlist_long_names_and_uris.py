"""Four writes into the user's playlists that went wrong: a playlist with a long (legal) file
name could never be edited (its backup's and its temporary's names passed the 255 bytes a
file name may have); a track a Windows-1252 .m3u cannot name was written as a relative path
with %-escapes, a missing file to every other player; "Save as playlist" over a user's
playlist kept no backup of it; and a 0-byte .pls was refused where a 0-byte .m3u imports."""

from __future__ import annotations

import os

import pytest
from playlist_support import playlist_library

from musicsage.files import temporary_beside
from musicsage.library.playlists import format_for
from musicsage.library.playlists.backups import BACKUP_DIR, backup_copy, backup_pattern
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.usecases.search import write_m3u
from musicsage.usecases.suggest import add_to_playlist

NAME_MAX = 255


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _imported(ctx, path) -> int:
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None, report.error
    return report.playlist_id


def test_a_playlist_with_a_long_name_takes_adds_and_keeps_its_backups_apart(lib):
    ctx, music, lists, ids = lib
    long_a = lists / ("夜" * 78 + ".m3u8")  # 239 bytes: a legal name
    long_b = lists / ("夜" * 78 + "x.m3u8")  # the same first 220-odd bytes
    assert len(os.fsencode(long_a.name)) <= NAME_MAX
    for path in (long_a, long_b):
        path.write_text("#EXTM3U\n../music/A/One.wav\n", encoding="utf-8")
    pid_a, pid_b = _imported(ctx, long_a), _imported(ctx, long_b)

    first = add_to_playlist(ctx, pid_a, [ids["A/Two.wav"]])
    second = add_to_playlist(ctx, pid_a, [ids["C/Five.wav"]])
    other = add_to_playlist(ctx, pid_b, [ids["C/Five.wav"]])

    assert playlist_track_ids(ctx, pid_a) == [ids["A/One.wav"], ids["A/Two.wav"], ids["C/Five.wav"]]
    backups = [first.backup, second.backup, other.backup]
    assert all(len(os.fsencode(os.path.basename(b))) <= NAME_MAX for b in backups)
    assert all(os.path.basename(b).encode("utf-8") for b in backups)  # cut between characters
    mine, theirs = backup_pattern(str(long_a)), backup_pattern(str(long_b))
    assert [bool(mine.fullmatch(os.path.basename(b))) for b in backups] == [True, True, False]
    assert [bool(theirs.fullmatch(os.path.basename(b))) for b in backups] == [False, False, True]
    assert not [n for n in os.listdir(lists) if n.endswith(".tmp")]


@pytest.mark.parametrize("name_bytes", [250, 255])
def test_the_longest_names_get_a_temporary_and_a_backup(tmp_path, name_bytes):
    target = tmp_path / ("é" * ((name_bytes - 4) // 2) + "x" * ((name_bytes - 4) % 2) + ".pls")
    assert len(os.fsencode(target.name)) == name_bytes
    fd, tmp = temporary_beside(target)
    os.close(fd)
    assert len(os.fsencode(os.path.basename(tmp))) <= NAME_MAX
    os.path.basename(tmp).encode("utf-8")  # no half character
    backup = backup_copy(b"[playlist]\n", str(target), tmp_path / BACKUP_DIR)
    assert len(os.fsencode(backup.name)) <= NAME_MAX and backup.name.endswith(".pls")
    assert backup_pattern(str(target)).fullmatch(backup.name)


def test_a_name_a_cp1252_m3u_cannot_hold_is_written_as_a_file_uri(lib):
    ctx, music, lists, ids = lib
    path = lists / "winamp.m3u"
    old = "# Café\r\n..\\music\\B\\Three.wav\r\n".encode("cp1252")  # no UTF-8 file
    path.write_bytes(old)
    pid = _imported(ctx, path)

    report = add_to_playlist(ctx, pid, [ids["B/Café Ω.wav"], ids["C/Five.wav"]])

    assert report.added == [ids["B/Café Ω.wav"], ids["C/Five.wav"]]
    new = path.read_bytes()
    assert new.startswith(old)
    written = [e.raw for e in format_for(str(path)).parse(new, path.name).entries[1:]]
    assert written[0].startswith("file:///") and written[0].endswith("/B/Caf%C3%A9%20%CE%A9.wav")
    assert written[1] == "..\\music\\C\\Five.wav"  # one it can hold stays in the file's style


def test_save_as_playlist_over_a_linked_user_playlist_writes_the_target_and_backs_it_up(
        ctx, lib, tmp_path):
    _ctx, music, lists, ids = lib
    synced = tmp_path / "sync"
    synced.mkdir()
    target = synced / "fav.m3u8"
    users = b"# my favourites\n../music/A/One.wav\n"
    target.write_bytes(users)
    link = lists / "fav.m3u8"
    link.symlink_to(target)
    rows = [{"path": str(music / "C/Five.wav"), "title": "Five", "artist": "Band C",
             "duration": 1.0}]

    write_m3u(str(link), rows, name="Fav", ctx=ctx, overwrite=True)

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").endswith(str(music / "C/Five.wav") + "\n")
    backups = list((ctx.data_dir / BACKUP_DIR).iterdir())
    assert [b.read_bytes() for b in backups] == [users]
    assert backup_pattern(str(target)).fullmatch(backups[0].name)

    write_m3u(str(link), rows[:0] + rows, name="Fav", ctx=ctx, overwrite=True)
    assert len(list((ctx.data_dir / BACKUP_DIR).iterdir())) == 1, "ours replaced: no backup"


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_pls_imports_as_an_empty_playlist_and_takes_adds(lib, data):
    ctx, music, lists, ids = lib
    path = lists / "empty.pls"
    path.write_bytes(data)
    pid = _imported(ctx, path)
    assert playlist_track_ids(ctx, pid) == []

    add_to_playlist(ctx, pid, [ids["A/One.wav"]])

    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"]]

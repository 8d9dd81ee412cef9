""""Add to playlist" keeps a backup per write: the newest few of each playlist stay, older
ones of that playlist go — and nothing else in the backup folder, ever. A playlist with other
hard links (one name per player) is written in place, so every name gets the new entries."""

from __future__ import annotations

import errno
import os

import pytest
from library_audio import write_audio

from musicsage import cli
from musicsage.library.playlists import edit
from musicsage.library.playlists.edit import BACKUP_DIR, KEEP_BACKUPS, backup_key
from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist


@pytest.fixture
def lib(ctx, tmp_path):
    """Ten tracks and a folder for playlists."""
    music = tmp_path / "music"
    for i in range(10):
        write_audio(music / f"t{i}.wav", seconds=0.1, tags={"title": f"Song {i}"})
    scan_library(ctx, [str(music)])
    ids = {os.path.basename(t.path): t.id for t in list_tracks(ctx)}
    lists = tmp_path / "lists"
    lists.mkdir()
    return ctx, music, lists, [ids[f"t{i}.wav"] for i in range(10)]


def _playlist(ctx, path, first) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#EXTM3U\n{first}\n", encoding="utf-8")
    return scan_library(ctx, [], [str(path)]).playlists[0].playlist_id


def test_only_the_newest_backups_of_each_playlist_are_kept(lib):
    ctx, music, lists, ids = lib
    mine, other = lists / "rock" / "Mix.m3u", lists / "jazz" / "Mix.m3u"  # one name, two lists
    pid = _playlist(ctx, mine, music / "t0.wav")
    other_pid = _playlist(ctx, other, music / "t0.wav")
    theirs = add_to_playlist(ctx, other_pid, [ids[1]]).backup
    backups = ctx.data_dir / BACKUP_DIR
    key = backup_key(str(mine))
    strangers = [backups / "notes.txt", backups / "Mix.20200101-000000.m3u",  # an older name
                 backups / f"Mix.{key}.20200101-000000.m3u.bak",
                 backups / f"Mix.{key}.20200101-000000.m3u8"]
    for path in strangers:
        path.write_text("not ours to remove")
    folder = backups / f"Mix.{key}.20200101-000001.m3u"  # our name, but a folder, and a link
    folder.mkdir()
    link = backups / f"Mix.{key}.20200101-000002.m3u"
    link.symlink_to(backups / "notes.txt")

    versions, made = [], []
    for tid in ids[1:9]:
        versions.append(mine.read_bytes())
        made.append(add_to_playlist(ctx, pid, [tid]).backup)

    ours = {str(p) for p in backups.iterdir() if p.is_file() and not p.is_symlink()
            and p.name.startswith(f"Mix.{key}.") and p.suffix == ".m3u"}
    assert ours == set(made[-KEEP_BACKUPS:]), "the newest, each its own file"
    assert [open(p, "rb").read() for p in made[-KEEP_BACKUPS:]] == versions[-KEEP_BACKUPS:]
    assert os.path.exists(theirs), "the other Mix.m3u's backup is its own"
    assert all(p.read_text() == "not ours to remove" for p in strangers)
    assert folder.is_dir() and link.is_symlink()
    assert playlist_track_ids(ctx, pid) == ids[:9]


def test_a_hard_linked_playlist_keeps_its_links(lib, capsys):
    ctx, music, lists, ids = lib
    path = lists / "Mix.m3u"
    pid = _playlist(ctx, path, music / "t0.wav")
    other = lists / "for-the-other-player.m3u"
    os.link(path, other)
    before, inode = path.read_bytes(), path.stat().st_ino

    added = add_to_playlist(ctx, pid, [ids[1]])

    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert other.read_bytes() == path.read_bytes() != before
    assert open(added.backup, "rb").read() == before
    assert playlist_track_ids(ctx, pid) == ids[:2]
    rc = cli.main(["suggest", "Mix", "--add", "Song 2", "--data-dir", str(ctx.data_dir)])
    assert rc == 0, capsys.readouterr().err
    assert "t2.wav" in other.read_text(encoding="utf-8") and path.stat().st_nlink == 2


def _failing_once(monkeypatch, *, also_the_restore: bool = False):
    """The first overwrite writes half and meets a full disk (and the next one too)."""
    from musicsage.library.playlists import file_writes  # where the writes are made now

    real, calls = file_writes._overwrite, []

    def overwrite(fd, data):
        calls.append(data)
        if len(calls) == 1 or also_the_restore:
            os.pwrite(fd, data[:len(data) // 2], 0)
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(file_writes, "_overwrite", overwrite)


def test_a_linked_playlist_whose_write_fails_is_put_back(lib, monkeypatch):
    ctx, music, lists, ids = lib
    path = lists / "Mix.m3u"
    pid = _playlist(ctx, path, music / "t0.wav")
    os.link(path, lists / "other.m3u")
    before = path.read_bytes()
    _failing_once(monkeypatch)
    with pytest.raises(edit.MusicsageError, match="left as it was"):
        add_to_playlist(ctx, pid, [ids[1]])
    assert path.read_bytes() == before and path.stat().st_nlink == 2
    assert not any((ctx.data_dir / BACKUP_DIR).iterdir()), "a backup of an untouched file"


def test_a_linked_playlist_left_half_written_keeps_its_backup(lib, monkeypatch):
    ctx, music, lists, ids = lib
    path = lists / "Mix.m3u"
    pid = _playlist(ctx, path, music / "t0.wav")
    os.link(path, lists / "other.m3u")
    before = path.read_bytes()
    _failing_once(monkeypatch, also_the_restore=True)
    with pytest.raises(edit.WrittenHalfway) as caught:
        add_to_playlist(ctx, pid, [ids[1]])
    [backup] = (ctx.data_dir / BACKUP_DIR).iterdir()
    assert backup.read_bytes() == before and str(backup) in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1

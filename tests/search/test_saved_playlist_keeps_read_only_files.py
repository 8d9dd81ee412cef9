""""Save as playlist" (the window) and ``--m3u`` (the commands) never replace a playlist its
owner made read-only — the commands refuse it before any work —, and what they write is on
disk before it takes the old file's name."""

from __future__ import annotations

import contextlib
import os

import pytest

from musicsage.errors import MusicsageError
from musicsage.search import m3u
from musicsage.usecases.search import write_m3u

TRACK = {"path": "/music/b.flac", "title": "B", "artist": "Band", "duration": 3}
THEIRS = b"#EXTM3U\r\n# my road trip, do not touch\r\n/music/a.flac\r\n"


@pytest.mark.parametrize("overwrite", [True, False])
def test_a_read_only_playlist_is_refused_untouched(tmp_path, overwrite):
    dest = tmp_path / "road trip.m3u8"
    if overwrite:  # the window's dialog asked "Replace it?" and the user said yes
        dest.write_bytes(THEIRS)
    else:  # one this app wrote earlier, which --m3u would replace without asking
        m3u.write_m3u(dest, [TRACK], name="earlier")
    before = dest.read_bytes()
    os.chmod(dest, 0o444)
    try:
        with pytest.raises(MusicsageError, match=r"^cannot write playlist .*road trip\.m3u8: "
                                                 r"you may not write to it \(read-only\); "
                                                 r"nothing was written \(make it writable or "
                                                 r"choose another name\)$"):
            write_m3u(dest, [TRACK], name="new", overwrite=overwrite)
        assert dest.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["road trip.m3u8"]  # no temporary
    finally:
        os.chmod(dest, 0o644)


def test_a_read_only_playlist_gets_no_backup_either(tmp_path):
    dest = tmp_path / "mine.m3u"
    dest.write_bytes(THEIRS)
    os.chmod(dest, 0o400)
    backups = tmp_path / "backups"
    try:
        with pytest.raises(MusicsageError, match="read-only"):
            m3u.write_m3u(dest, [TRACK], overwrite=True, backup_root=backups)
    finally:
        os.chmod(dest, 0o644)
    assert dest.read_bytes() == THEIRS
    assert not backups.exists() or not any(backups.iterdir())


def test_the_new_playlist_is_on_disk_before_it_replaces_the_old(tmp_path, monkeypatch):
    dest = tmp_path / "mix.m3u8"
    m3u.write_m3u(dest, [TRACK], name="earlier")  # this app's: replaced with no backup
    done: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (done.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace",
                        lambda a, b: (done.append("replace"), real_replace(a, b))[1])
    m3u.write_m3u(dest, [TRACK], name="later")
    assert "replace" in done and "fsync" in done[:done.index("replace")]
    assert dest.read_bytes().endswith(b"/music/b.flac\n")



@pytest.mark.parametrize("command", [["similar", "anything"], ["suggest", "any list"],
                                     ["radio", "anything"]])
def test_the_commands_refuse_a_read_only_m3u_before_any_work(command, library, ctx, tmp_path,
                                                             capsys):
    """``radio --m3u mine.m3u8`` built its whole list (a model's work) and was refused only
    then: refused first, as a missing folder is, the QUERY not even looked up."""
    from musicsage import cli

    dest = tmp_path / "mine.m3u8"
    m3u.write_m3u(dest, [TRACK], name="earlier")
    before = dest.read_bytes()
    os.chmod(dest, 0o444)
    try:
        rc = cli.main([*command, "--m3u", str(dest), "--data-dir", str(ctx.data_dir)])
    finally:
        os.chmod(dest, 0o644)
    captured = capsys.readouterr()
    assert rc == 1 and captured.out == ""
    assert captured.err.strip().splitlines() == [
        f"musicsage {command[0]}: cannot write playlist {dest}: you may not write to it "
        "(read-only); nothing was written (make it writable or choose another name)"]
    assert dest.read_bytes() == before


def test_the_backup_of_a_replaced_playlist_is_kept_whatever_follows_the_rename(tmp_path,
                                                                               monkeypatch):
    """Once the new playlist has the old one's name, the copy of the user's playlist is the
    only one left: a failure after the rename (syncing the folder) never deletes it."""
    dest = tmp_path / "mine.m3u"
    dest.write_bytes(THEIRS)
    backups = tmp_path / "backups"

    def no_sync(folder):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(m3u, "fsync_folder", no_sync)
    with contextlib.suppress(OSError, MusicsageError):  # the backup is what matters here
        m3u.write_m3u(dest, [TRACK], overwrite=True, backup_root=backups)
    assert dest.read_bytes().endswith(b"/music/b.flac\n")
    kept = [p for p in backups.rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in kept] == [THEIRS]

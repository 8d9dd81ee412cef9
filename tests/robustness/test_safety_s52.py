"""What a killed or stopped write leaves behind: the temporaries of atomic writes are removed
by the next write of the same file (only this app's exact names, only when their process is
gone); a hard-linked playlist rewritten in place is never left half written by Ctrl-C or
SIGTERM, and its backup is on disk, name and all, before the first byte; backups named by
earlier versions are pruned like the newer ones. Real files in ``tmp_path``, no window."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import numpy as np
import pytest
import robust_support

from musicsage.cli import terminated_as_interrupted
from musicsage.commands.stopping import Terminated
from musicsage.files import replace_atomically
from musicsage.library.playlists import edit

pytestmark = pytest.mark.skipif(not hasattr(os, "pwrite"), reason="POSIX only")


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The id of a process that has finished: what a killed writer's name carries."""
    return robust_support.dead_pid()


def _leftovers(folder: Path, name: str, dead: int) -> tuple[Path, list[Path]]:
    """A killed writer's temporary of ``name`` in ``folder`` and files that must stay:
    a running writer's (this process, its parent), another file's, look-alikes."""
    killed = folder / f".{name}.{dead}.140234567.tmp"
    stay = [folder / f".{name}.{os.getpid()}.1.tmp", folder / f".{name}.{os.getppid()}.2.tmp",
            folder / f".other.npz.{dead}.3.tmp", folder / f".{name}.{dead}.x.tmp",
            folder / f".{name}.{dead}.4.tmp.bak", folder / f"{name}.{dead}.5.tmp"]
    for path in [killed, *stay]:
        path.write_bytes(b"half a file")
    return killed, stay


def test_an_atomic_write_removes_a_killed_writers_temporary_and_nothing_else(tmp_path,
                                                                            dead_pid):
    target = tmp_path / "metrics.json"
    killed, stay = _leftovers(tmp_path, target.name, dead_pid)
    victim = tmp_path / "user-file"
    victim.write_bytes(b"mine")
    link = tmp_path / f".{target.name}.{dead_pid}.6.tmp"  # our name, but a link: not ours
    link.symlink_to(victim)
    folder = tmp_path / f".{target.name}.{dead_pid}.7.tmp"
    folder.mkdir()
    replace_atomically(target, b"{}")
    assert target.read_bytes() == b"{}" and not killed.exists()
    assert all(p.read_bytes() == b"half a file" for p in stay)
    assert link.is_symlink() and victim.read_bytes() == b"mine" and folder.is_dir()


def test_a_map_save_removes_the_temporary_of_a_map_save_that_was_killed(tmp_path, dead_pid):
    from musicsage.search.projection import MAP_FILE, MapParams, save_map

    folder = tmp_path / "maps" / "graph-3"
    folder.mkdir(parents=True)
    killed, stay = _leftovers(folder, MAP_FILE, dead_pid)
    save_map(folder, fingerprint="f", model_id="graph-3", track_ids=np.arange(3),
             xy=np.zeros((3, 2)), params=MapParams(), method="circle")
    assert (folder / MAP_FILE).is_file() and not killed.exists()
    assert sorted(folder.iterdir()) == sorted([folder / MAP_FILE, *stay])


def test_the_index_key_temporary_of_a_killed_process_goes_even_once_the_key_exists(
        tmp_path, dead_pid):
    from musicsage.search.index import KEY_FILE, index_key

    (tmp_path / KEY_FILE).write_bytes(b"k" * 32)
    killed, stay = _leftovers(tmp_path, KEY_FILE, dead_pid)
    assert index_key(tmp_path) == b"k" * 32
    assert not killed.exists() and all(p.exists() for p in stay)


def _linked_playlist(tmp_path: Path) -> tuple[Path, Path, bytes]:
    lists = tmp_path / "lists"
    lists.mkdir()
    path = lists / "Mix.m3u"
    old = b"#EXTM3U\n" + b"".join(b"/music/t%d.flac\n" % i for i in range(200))
    path.write_bytes(old)
    os.link(path, lists / "other-player.m3u")
    return path, tmp_path / "data" / edit.BACKUP_DIR, old


def test_sigterm_during_an_in_place_write_waits_until_the_playlist_is_whole(tmp_path,
                                                                            monkeypatch):
    """The command line raises SIGTERM as Ctrl-C wherever the main thread is: between the
    write and the cut, a playlist losing entries kept the old file's tail after the new
    bytes — half a playlist, in every player that links it."""
    path, backups, old = _linked_playlist(tmp_path)
    new = b"#EXTM3U\n/music/t0.flac\n"  # shorter: the cut comes after the write
    real_pwrite = os.pwrite

    def pwrite_then_sigterm(fd, data, offset):
        done = real_pwrite(fd, data, offset)
        os.kill(os.getpid(), signal.SIGTERM)
        return done

    monkeypatch.setattr(os, "pwrite", pwrite_then_sigterm)
    with pytest.raises(Terminated), terminated_as_interrupted():
        edit.rewrite_file(str(path), lambda _data: new, backup_root=backups, imported=None,
                          expected_sha256=None, name="Mix", verb="remove")
    assert path.read_bytes() == new, "whole, not the new entries and the old tail"
    assert path.stat().st_nlink == 2
    [backup] = backups.iterdir()
    assert backup.read_bytes() == old, "kept: the command stopped before it pruned"
    assert signal.getsignal(signal.SIGTERM) is not None  # the handlers are back


def test_the_backup_and_its_name_are_on_disk_before_a_linked_playlist_is_touched(
        tmp_path, monkeypatch):
    """A power cut during the in-place write leaves a half playlist: its backup must then
    be there, and a file's own fsync does not keep its name — the folder's does."""
    path, backups, old = _linked_playlist(tmp_path)
    events: list[str] = []
    real_fsync, real_pwrite = os.fsync, os.pwrite

    def fsync(fd):
        events.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        return real_fsync(fd)

    def pwrite(fd, data, offset):
        events.append("write")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "pwrite", pwrite)
    backup = edit.rewrite_file(str(path), lambda data: data + b"/music/new.flac\n",
                               backup_root=backups, imported=None, expected_sha256=None,
                               name="Mix")
    assert "folder" in events[:events.index("write")], events
    assert backup.read_bytes() == old and path.stat().st_nlink == 2


def test_backups_named_by_earlier_versions_are_never_pruned(tmp_path):
    """Versions before the path key named backups ``STEM.STAMP[-N]EXT`` (local time). Such
    a name says neither which playlist of that name it copies nor that the app made it, so
    none is removed (as docs/cli.md promises), and nothing else the app did not name is."""
    playlist = tmp_path / "lists" / "Mix.m3u"
    playlist.parent.mkdir()
    playlist.write_bytes(b"#EXTM3U\n/music/a.flac\n")
    backups = tmp_path / edit.BACKUP_DIR
    backups.mkdir()
    legacy = [backups / f"Mix.20200101-0000{i:02d}{'-1' if i == 3 else ''}.m3u"
              for i in range(8)]
    strangers = [backups / "Mix.20200101-000000.m3u.bak", backups / "Mix.20200101-0000.m3u",
                 backups / "Other.20200101-000000.m3u", backups / "Mix.20200101-000000.m3u8",
                 backups / "notes.txt"]
    for age, path in enumerate(reversed(legacy + strangers)):
        path.write_bytes(b"old")
        os.utime(path, ns=(10**18 - age * 10**9,) * 2)
    link = backups / "Mix.20200101-000100.m3u"  # the name, but a link: not ours
    link.symlink_to(backups / "notes.txt")
    made = edit.rewrite_file(str(playlist), lambda data: data + b"/music/b.flac\n",
                             backup_root=backups, imported=None, expected_sha256=None,
                             name="Mix")
    kept = sorted(p for p in backups.iterdir() if p in legacy)
    assert kept == sorted(legacy), "every file of the old names stays"
    assert made.is_file() and all(p.read_bytes() == b"old" for p in strangers)
    assert link.is_symlink()

"""Atomic replacement of derived files: a reader or a crash sees the old file or the new one,
and nothing but the file itself and its own temporary is ever touched."""

from __future__ import annotations

import pytest

from musicsage.files import atomic_replacement, replace_atomically


def test_replace_atomically_swaps_the_contents_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "map.npz"
    target.write_bytes(b"old")
    neighbour = tmp_path / "user-file.txt"
    neighbour.write_bytes(b"not ours")
    replace_atomically(target, b"new")
    replace_atomically(tmp_path / "vectors.npz", b"fresh", durable=True)
    assert target.read_bytes() == b"new"
    assert (tmp_path / "vectors.npz").read_bytes() == b"fresh"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.npz", "user-file.txt",
                                                          "vectors.npz"]
    assert neighbour.read_bytes() == b"not ours"


def test_a_write_that_fails_leaves_the_old_file_and_removes_only_its_temporary(tmp_path):
    target = tmp_path / "index.bin"
    target.write_bytes(b"the previous index")
    other = tmp_path / ".index.bin.other.tmp"  # looks like a temporary, but is not ours
    other.write_bytes(b"someone else's")
    with pytest.raises(OSError, match="disk full"):
        with atomic_replacement(target) as tmp:
            assert tmp.parent == tmp_path and tmp != target
            tmp.write_bytes(b"half an ind")
            raise OSError("disk full")
    assert target.read_bytes() == b"the previous index"
    assert other.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".index.bin.other.tmp", "index.bin"]


def test_a_writer_that_writes_nothing_replaces_nothing(tmp_path):
    """The block must create the temporary; if it does not, the old file stays (the rename
    fails) rather than being deleted."""
    target = tmp_path / "meta.json"
    target.write_bytes(b"{}")
    with pytest.raises(FileNotFoundError):
        with atomic_replacement(target):
            pass
    assert target.read_bytes() == b"{}"


def _finished_process_id() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_writers_leftover_is_removed_by_the_next_write_and_nothing_else(tmp_path):
    """A playlist write killed before its rename leaves `.NAME.musicsage-PID-XXXX.tmp`; the
    next write of that playlist removes it when PID no longer runs. A running writer's
    temporary, another playlist's, and look-alikes the app did not make all stay."""
    import os

    from musicsage.search.m3u import write_m3u

    playlist = tmp_path / "Road trip.m3u8"
    dead = _finished_process_id()
    leftover = tmp_path / f".Road trip.m3u8.musicsage-{dead}-ab12_x.tmp"
    running = tmp_path / f".Road trip.m3u8.musicsage-{os.getppid()}-cd34.tmp"
    other_playlist = tmp_path / f".Chill.m3u8.musicsage-{dead}-ef56.tmp"
    not_ours = [tmp_path / ".Road trip.m3u8.ab12xyz.tmp",  # the old mkstemp names: unprovable
                tmp_path / f".Road trip.m3u8.musicsage-{dead}-ab12.tmp.bak"]
    for path in [leftover, running, other_playlist, *not_ours]:
        path.write_bytes(b"half a playlist")
    write_m3u(playlist, [{"path": "/music/a.flac", "title": "A", "artist": "X",
                          "duration": 61.0}])
    assert playlist.read_text(encoding="utf-8").startswith("#EXTM3U")
    assert not leftover.exists()
    assert running.exists() and other_playlist.exists() and all(p.exists() for p in not_ours)
    assert sorted(tmp_path.iterdir()) == sorted([playlist, running, other_playlist, *not_ours])


def test_a_full_disk_at_the_final_flush_names_the_file(tmp_path, monkeypatch):
    """A small file reaches the disk only when it is closed: a full disk then said "No space
    left on device" without a file name."""
    import errno

    from musicsage import files

    class FullAtClose:
        def __init__(self, path, mode):
            self.fh = open(path, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            raise OSError(errno.ENOSPC, "No space left on device")

        def write(self, data):
            return self.fh.write(data)

    target = tmp_path / "settings.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(files, "open", FullAtClose, raising=False)
    with pytest.raises(OSError) as err:
        replace_atomically(target, b"new")
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == [target.name]

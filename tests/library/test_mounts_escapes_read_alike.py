"""Mount points with odd names, as both readers of the kernel's mount table read them: the
folder watch (:mod:`musicsage.library.watch_mounts`, which drives came or went inside a music
folder) and the window's bounded looks (:mod:`musicsage.controllers.bounded_look`, which disk a
path is on). The table writes a space, a tab, a newline and a backslash in octal (``\\040``,
``\\011``, ``\\012``, ``\\134``) and other bytes as they are (a name that is not UTF-8): each
reader must give back the folder's own name, or a drive named so is never seen to go."""

from __future__ import annotations

import os

import pytest
from mounts_support import mount_tmpfs, unmount

import musicsage.controllers.bounded_look as B
from musicsage.library import watch_mounts

ODD_NAMES = {"space": "My Drive", "tab": "a\tb", "newline": "a\nb", "backslash": "a\\b",
             "not UTF-8": os.fsdecode(b"caf\xe9"), "escape-like": "x\\040y"}
LINE = b"%d 1 0:%d / %s rw - tmpfs musicsage-test rw\n"


def _as_the_kernel_writes(point: str) -> bytes:
    """``point`` as /proc/self/mountinfo writes it (fs/proc_namespace.c: mangle_path with
    " \\t\\n\\\\", each as a backslash and three octal digits)."""
    raw = os.fsencode(point)
    for char in b"\\ \t\n":
        raw = raw.replace(bytes([char]), b"\\%03o" % char)
    return raw


def _table(path, points: list[str]) -> None:
    rows = [LINE % (n, n, _as_the_kernel_writes(p)) for n, p in enumerate(["/", *points], 1)]
    path.write_bytes(b"".join(rows))


@pytest.fixture
def odd_points(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    points = [str(music / name) for name in ODD_NAMES.values()]
    for point in points:
        os.mkdir(point)
    return music, points


def test_the_watch_names_each_odd_mount_point_as_its_folder(tmp_path, monkeypatch, odd_points):
    music, points = odd_points
    table = tmp_path / "mountinfo"
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    _table(table, [])
    mounts = watch_mounts.MountChanges()
    assert mounts.since_last_look([str(music)]) == []
    _table(table, points)  # mounted
    assert mounts.since_last_look([str(music)]) == [(str(music), p) for p in sorted(points)]
    _table(table, [])  # unmounted
    assert mounts.since_last_look([str(music)]) == [(str(music), p) for p in sorted(points)]
    mounts.close()


def test_the_bounded_looks_name_each_odd_mount_point_as_its_disk(tmp_path, monkeypatch,
                                                                 odd_points):
    _music, points = odd_points
    table = tmp_path / "mountinfo"
    _table(table, points)
    monkeypatch.setattr(B, "MOUNTINFO", str(table), raising=False)
    monkeypatch.setattr(B, "_mounts_read", None, raising=False)
    assert set(points) <= set(B._mount_points())
    for point in points:
        assert B._root(os.path.join(point, "Album", "t.mp3")) == point


def test_real_drives_with_odd_names_are_read_alike(odd_points, monkeypatch):
    """The kernel's own table (root: real RAM drives mounted on the odd folders)."""
    music, points = odd_points
    mounts = watch_mounts.MountChanges()
    mounts.since_last_look([str(music)])
    mounted = []
    try:
        for point in points:
            if not mount_tmpfs(point, size="1m"):
                pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
            mounted.append(point)
        assert mounts.by_tree([str(music)]) == {str(music): sorted(points)}
        monkeypatch.setattr(B, "_mounts_read", None, raising=False)
        assert set(points) <= set(B._mount_points())
        for point in points:
            assert B._root(os.path.join(point, "t.mp3")) == point
    finally:
        for point in mounted:
            unmount(point)
        mounts.close()

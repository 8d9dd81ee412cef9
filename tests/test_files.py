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

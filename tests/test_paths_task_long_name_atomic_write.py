"""A file of a legal but long name (240 bytes and more) written through a temporary beside
it: the temporary's name (``.NAME.PID.THREAD.tmp``) was over the 255 bytes a name may have,
and the write failed — ``--screenshot`` of such a name said "could not write"."""

from __future__ import annotations

from musicsage.files import atomic_replacement, remove_stale_writes, write_temporary


def test_a_long_name_is_written_and_leaves_no_temporary(tmp_path):
    out = tmp_path / ("s" * 240 + ".png")  # 244 bytes: a legal name

    with atomic_replacement(out) as tmp:
        tmp.write_bytes(b"image")

    assert out.read_bytes() == b"image"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_killed_writers_temporary_of_a_long_name_is_found_again(tmp_path):
    out = tmp_path / ("é" * 120 + ".png")  # 244 bytes, cut between two characters
    mine = write_temporary(out)
    assert len(mine.name.encode()) <= 255
    dead = mine.with_name(mine.name.replace(f".{mine.name.split('.')[-3]}.", ".999999999.", 1))
    dead.write_bytes(b"left by a killed run")
    kept = tmp_path / "unrelated.png"
    kept.write_bytes(b"not ours")

    assert remove_stale_writes(out) == [dead]
    assert kept.exists() and not dead.exists()

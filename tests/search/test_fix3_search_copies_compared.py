"""Tracks of one content hash named by one text: a write (``suggest --add/--remove``) takes
them for one file only when every file's bytes were compared whole; a read (``similar``,
``radio``, ``--select``) looks at a few blocks. Two songs of one hash on a drive not mounted
were one file to ``--add`` (it wrote one of them), and an explicit ``--add`` of the other was
skipped as "a copy"; ``similar`` of two 100 MB copies read both whole."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import soundfile as sf
from search_helpers import run_cli


def _song(path, tone: float, seconds: int = 3, rate: int = 44100) -> None:
    """A tone between a second of silence at each end: songs as long share a content hash."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


def _ids(ctx, music) -> dict[str, int]:
    from musicsage.library.db import connect

    return {os.path.relpath(p, music): int(t)
            for t, p in connect(ctx).execute("SELECT id, path FROM tracks")}


def _listed(out: str) -> set[int]:
    """The track ids an ambiguous QUERY's candidate lines show (each starts with its id)."""
    return {int(w[0]) for w in map(str.split, out.splitlines()) if w and w[0].isdigit()}


@pytest.fixture
def unplugged(capsys, ctx, tmp_path):
    """Two songs of one content hash on ``drive`` (scanned, then the drive's folder gone, the
    tracks still 'present' as between scans), and ``mix.m3u`` holding drive/b/intro.wav."""
    drive = tmp_path / "drive"
    (drive / "a").mkdir(parents=True)
    (drive / "b").mkdir()
    _song(drive / "a" / "intro.wav", 220)
    _song(drive / "b" / "intro.wav", 330)
    assert run_cli(capsys, ctx, "scan", str(drive))[0] == 0
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{drive / 'b' / 'intro.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    ids = _ids(ctx, drive)
    shutil.move(str(drive), str(tmp_path / "elsewhere"))  # unplugged
    capsys.readouterr()
    return ids, mix


def test_a_write_does_not_take_two_uncompared_files_for_one(capsys, ctx, unplugged):
    ids, mix = unplugged
    before = mix.read_bytes()
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", "intro")
    assert rc == 1 and "'intro' matches 2 tracks" in err, (out, err)
    assert _listed(out) == {ids["a/intro.wav"], ids["b/intro.wav"]}
    assert mix.read_bytes() == before
    from musicsage.usecases.search import resolve_query

    assert resolve_query(ctx, "intro", copies=True) == ids["a/intro.wav"]  # a read: as before


def test_an_explicit_add_of_an_uncompared_file_of_a_members_hash_adds_it(capsys, ctx,
                                                                          unplugged):
    ids, mix = unplugged
    a = ids["a/intro.wav"]
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", str(a))
    assert rc == 0 and "copy of" not in out + err, (out, err)
    assert mix.read_text().splitlines()[-1].endswith(os.path.join("a", "intro.wav"))


@pytest.fixture
def twins(capsys, ctx, tmp_path):
    """``music/a/twins.wav`` (8 MB of noise) and ``music/b/twins.wav``, the same bytes,
    scanned; returns the music folder."""
    music = tmp_path / "music"
    (music / "a").mkdir(parents=True)
    (music / "b").mkdir()
    noise = np.random.default_rng(0).standard_normal((1 << 20, 2)) * 0.1
    sf.write(music / "a" / "twins.wav", noise.astype(np.float32), 44100, subtype="PCM_32")
    shutil.copyfile(music / "a" / "twins.wav", music / "b" / "twins.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    return music


def _bytes_read() -> int:
    with open("/proc/self/io") as fh:
        return int(next(line for line in fh if line.startswith("rchar")).split()[1])


def test_a_read_looks_at_a_few_blocks_a_write_at_every_byte(capsys, ctx, twins):
    from musicsage.search.query import AmbiguousQuery
    from musicsage.usecases.search import resolve_query

    ids, b = _ids(ctx, twins), twins / "b" / "twins.wav"
    before, size = _bytes_read(), b.stat().st_size
    assert resolve_query(ctx, "twins", copies=True) == ids["a/twins.wav"]  # similar, radio
    assert _bytes_read() - before < size // 4  # it read both files whole
    assert resolve_query(ctx, "twins") == ids["a/twins.wav"]  # suggest --add: compared whole
    st, data = b.stat(), bytearray(b.read_bytes())
    data[300_000] ^= 0xFF  # past the hash's first 64 KiB, before a read's first block (1/9)
    edited = b.with_name("edited.tmp")
    edited.write_bytes(bytes(data))
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))  # as scanned: its hash current
    os.replace(edited, b)
    assert resolve_query(ctx, "twins", copies=True) == ids["a/twins.wav"]
    with pytest.raises(AmbiguousQuery) as refused:  # a write: not one file
        resolve_query(ctx, "twins")
    assert {c.track_id for c in refused.value.candidates} == set(ids.values())

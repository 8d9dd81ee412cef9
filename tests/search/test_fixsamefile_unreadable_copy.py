"""A copy that exists but cannot be read now (another user's file: EACCES; a NAS's read
error: EIO) was judged another file, and that verdict kept: ``similar`` of a song listed its
own byte-copy as its nearest neighbour, for the rest of the session even once the disk
answered again. An unread pair is no verdict: the lists go by the content hash (as for a
file gone since the scan), a write trusts nothing it could not check, and nothing is kept."""

from __future__ import annotations

import errno
import json
import os
import shutil

import numpy as np
import pytest
import soundfile as sf
from search_helpers import clustered_vectors, run_cli

from musicsage.library.queries import store_embeddings


def _song(path, tone: float, seconds: int, rate: int = 44100) -> None:
    """A tone between a second of silence at each end."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


def _unreadable(monkeypatch, name: str, code: int) -> None:
    """Opening a file named ``name`` to compare it fails with ``code`` (as for another user's
    file, which root could read anyway: so the open itself is made to fail)."""
    from musicsage.search import same_file

    def failing(path, *args, **kwargs):
        if os.path.basename(str(path)) == name:
            raise OSError(code, os.strerror(code), str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(same_file, "open", failing, raising=False)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EIO])
def test_the_querys_unreadable_copy_is_folded_not_listed(capsys, ctx, tmp_path, monkeypatch,
                                                         code):
    music = tmp_path / "music"
    music.mkdir()
    for i, tone in enumerate((220, 330, 440, 550)):
        _song(music / f"s{i}.wav", tone, seconds=3 + i)
    shutil.copyfile(music / "s0.wav", music / "copy.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    from musicsage.library.db import connect

    conn = connect(ctx)
    paths = {int(r[0]): r[1] for r in conn.execute("SELECT id, path FROM tracks ORDER BY id")}
    ids = {os.path.basename(p)[:-4]: t for t, p in paths.items()}
    vectors = clustered_vectors(len(paths))
    order = list(paths)
    vectors[order.index(ids["copy"])] = vectors[order.index(ids["s0"])]  # one song's vector
    store_embeddings(conn, zip(paths, vectors), "spectral-test", "v1")
    conn.commit()
    from musicsage.search import same_file

    monkeypatch.setattr(same_file, "_verdicts", type(same_file._verdicts)())
    _unreadable(monkeypatch, "copy.wav", code)
    rc, out, err = run_cli(capsys, ctx, "similar", str(ids["s0"]), "-k", "5", "--space",
                           "audio", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert ids["copy"] not in {r["track_id"] for r in data["audio"]}, data["audio"]
    assert data["folded"]["audio"] == [ids["copy"]]


def test_a_read_error_is_no_verdict_and_is_not_kept(tmp_path, monkeypatch):
    from musicsage.search import same_file
    from musicsage.search.same_file import files_verdict, same_files

    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(os.urandom(1 << 20))
    shutil.copyfile(a, b)
    monkeypatch.setattr(same_file, "_verdicts", type(same_file._verdicts)())
    with monkeypatch.context() as failing:
        _unreadable(failing, "b.bin", errno.EIO)
        assert files_verdict([str(a), str(b)], whole=False) is None
        assert not same_files([str(a), str(b)], whole=True)  # a write never trusts it
    assert same_files([str(a), str(b)], whole=False)  # the disk answers again
    assert same_files([str(a), str(b)], whole=True)


def test_a_differing_pair_is_said_different_though_another_is_unread(tmp_path, monkeypatch):
    from musicsage.search.same_file import files_verdict

    a, b, c = (tmp_path / f"{n}.bin" for n in "abc")
    a.write_bytes(os.urandom(1 << 20))
    shutil.copyfile(a, b)
    c.write_bytes(os.urandom(1 << 20))
    _unreadable(monkeypatch, "b.bin", errno.EACCES)
    assert files_verdict([str(a), str(b), str(c)], whole=False) is False

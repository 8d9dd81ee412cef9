"""Tracks of one content hash (size, first and last 64 KiB) are one file only when their bytes
say so, in the neighbour lists too: ``similar`` of a song hid other songs of its length
between the same silences as "copies of the query left out". One verdict
(:mod:`musicsage.search.same_file`) is asked by the lists, the add's duplicate check and a
QUERY naming several tracks; bytes are compared only where hashes collide, once per pair
while the files stay as they are, and a whole compare hears a cancel."""

from __future__ import annotations

import json
import os
import shutil
import time

import numpy as np
import pytest
import soundfile as sf
from search_helpers import clustered_vectors, run_cli

from musicsage.errors import Cancelled
from musicsage.library.queries import store_embeddings
from musicsage.progress import CancelToken


def _song(path, tone: float, seconds: int = 3, rate: int = 44100) -> None:
    """A tone between a second of silence at each end: songs as long share a content hash."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


@pytest.fixture
def songs(capsys, ctx, tmp_path):
    """Four songs of one length and content hash (``s0``…``s3``), ``copy.wav`` a byte copy
    of ``s0``, and ``other.wav``: scanned, each with an audio vector. Their ids by name."""
    music = tmp_path / "music"
    music.mkdir()
    for i, tone in enumerate((220, 330, 440, 550)):
        _song(music / f"s{i}.wav", tone)
    shutil.copyfile(music / "s0.wav", music / "copy.wav")
    sf.write(music / "other.wav", np.full(40000, 0.2, np.float32), 8000)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    from musicsage.library.db import connect

    conn = connect(ctx)
    paths = {int(r[0]): r[1] for r in conn.execute("SELECT id, path FROM tracks ORDER BY id")}
    store_embeddings(conn, zip(paths, clustered_vectors(len(paths))), "spectral-test", "v1")
    conn.commit()
    return {os.path.basename(p)[:-4]: t for t, p in paths.items()}


def test_songs_of_one_hash_are_listed_and_a_copy_is_folded(capsys, ctx, songs):
    rc, out, err = run_cli(capsys, ctx, "similar", str(songs["s0"]), "-k", "5", "--space",
                           "audio", "--json")
    assert rc == 0, err
    data = json.loads(out)
    listed = {r["track_id"] for r in data["audio"]}
    assert listed == {songs["s1"], songs["s2"], songs["s3"], songs["other"]}, data
    assert data["folded"]["audio"] == [songs["copy"]]
    rc, out, err = run_cli(capsys, ctx, "radio", str(songs["s1"]), "--length", "4", "--json")
    assert rc == 0, err
    queued = [t["track_id"] for t in json.loads(out)["tracks"]]
    assert len(queued) == 4 and {songs["s2"], songs["s3"], songs["other"]} < set(queued)
    assert len({songs["s0"], songs["copy"]} & set(queued)) == 1  # one of the two copies


def test_the_lists_compare_only_where_hashes_collide_and_once(capsys, ctx, songs,
                                                              monkeypatch):
    from musicsage.search import same_file

    asked = []
    compare = same_file._compare
    monkeypatch.setattr(same_file, "_compare", lambda *a: asked.append(a[:2]) or compare(*a))
    monkeypatch.setattr(same_file, "_verdicts", type(same_file._verdicts)())
    rc, _, err = run_cli(capsys, ctx, "similar", str(songs["other"]), "-k", "5",
                         "--space", "audio")
    assert rc == 0, err
    pairs = {frozenset(os.path.basename(p) for p in pair) for pair in asked}
    assert all("other.wav" not in pair for pair in pairs)  # no collision: never compared
    n = len(asked)
    assert n and len(pairs) == n  # each pair once
    run_cli(capsys, ctx, "similar", str(songs["other"]), "-k", "5", "--space", "audio")
    assert len(asked) == n  # kept while the files stay as they are


def test_a_changed_file_is_compared_again(tmp_path):
    from musicsage.search.same_file import same_files

    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    _song(a, 220)
    _song(b, 330)
    assert not same_files([str(a), str(b)], whole=False)
    shutil.copyfile(a, tmp_path / "new.wav")
    os.replace(tmp_path / "new.wav", b)
    assert same_files([str(a), str(b)], whole=False)
    assert same_files([str(a), str(b)], whole=True)


def test_a_file_rewritten_in_place_its_size_and_mtime_kept_is_compared_again(tmp_path):
    """A tagger rewriting a file in place keeps its inode and size and may put its mtime
    back: only the ctime moves, and a verdict kept without it said the old file's."""
    from musicsage.search.same_file import same_files

    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    _song(a, 220)
    _song(b, 330)
    assert not same_files([str(a), str(b)], whole=False)
    before = os.stat(b)
    time.sleep(0.05)  # past the clock tick the ctime is kept in
    with open(b, "r+b") as f:
        f.write(a.read_bytes())
    os.utime(b, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(b)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino, before.st_size, before.st_mtime_ns)
    assert after.st_ctime_ns != before.st_ctime_ns
    assert same_files([str(a), str(b)], whole=False)


def test_a_whole_compare_hears_a_cancel_and_keeps_no_verdict(tmp_path):
    from musicsage.search.same_file import same_files

    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(os.urandom(3 << 20))
    shutil.copyfile(a, b)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        same_files([str(a), str(b)], whole=True, cancel=token)
    assert same_files([str(a), str(b)], whole=True)


def test_the_adds_copy_check_hears_a_cancel(ctx, songs):
    from musicsage.library.db import connect
    from musicsage.search.suggest import copies_of_members

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        copies_of_members(connect(ctx), [songs["copy"]], [songs["s0"]],
                          same_content_only=True, cancel=token)
    said = copies_of_members(connect(ctx), [songs["copy"], songs["s1"]], [songs["s0"]],
                             same_content_only=True)
    assert list(said) == [songs["copy"]]


def test_a_number_read_as_an_id_names_a_song_titled_so_of_the_same_hash(capsys, ctx,
                                                                        tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    _song(music / "0a.wav", 220)  # track #1
    _song(music / "1.wav", 330)  # track #2, titled "1": another song of #1's content hash
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    from musicsage.library.db import connect

    conn = connect(ctx)
    ids = {os.path.basename(p): int(t) for t, p in conn.execute("SELECT id, path FROM tracks")}
    assert ids == {"0a.wav": 1, "1.wav": 2}
    store_embeddings(conn, zip([1, 2], clustered_vectors(2)), "spectral-test", "v1")
    conn.commit()
    _, _, err = run_cli(capsys, ctx, "similar", "1", "--space", "audio")  # (two songs: no list)
    assert "'1' was read as track id #1 (? - 0a); to name the track titled '1', give '#2'" in err

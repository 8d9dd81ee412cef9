"""A library or demo music folder whose name is in bytes that are not UTF-8 (a Latin-1
``café`` on Linux: an old disk, a USB drive mounted so): the demo ended in "unexpected error
(UnicodeEncodeError …); this is a bug" — the manifest (naming the library) could not be
written, soundfile could not open the track it was to write, an absolute M3U8 entry could not
be written. It is built, scanned, and its playlists resolve."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from musicsage.context import AppContext
from musicsage.demo.library import MANIFEST
from musicsage.usecases.demo import build_demo

TINY = dict(n_tracks=8, seconds=1.0, audio_model="spectral", workers=1, until="scan")


def latin1(parent: Path, name: bytes) -> Path:
    """``parent/name``, ``name`` in bytes that are not UTF-8 (skipped where none can be made)."""
    path = Path(os.fsdecode(os.fsencode(parent) + b"/" + name))
    try:
        path.mkdir()
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


@pytest.mark.parametrize("where", ["library folder", "music folder"])
def test_a_folder_named_in_latin1_gets_its_demo(tmp_path, where):
    data = latin1(tmp_path, b"caf\xe9") if where == "library folder" else tmp_path / "data"
    music = latin1(tmp_path, b"mus\xe9") / "demo" if where == "music folder" else None
    ctx = AppContext.create(data)

    built = build_demo(ctx, music_dir=music, **TINY)

    assert built.stages["generate"]["rendered"] == 8
    scan = built.stages["scan"]
    assert scan["added"] == 8 and scan["errors"] == 0
    assert scan["playlists"] == built.n_playlists and scan["unresolved"] == 0
    manifest = json.loads((built.music_dir / MANIFEST).read_bytes())
    assert Path(manifest["library"]) == ctx.data_dir
    assert not [p for p in built.music_dir.rglob(".*.part")], "no temporary file left"

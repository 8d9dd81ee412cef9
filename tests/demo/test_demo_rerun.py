"""Re-running the demo with other settings (or another folder) on the same library: the old
demo's tracks and playlists leave the library, the user's own tracks stay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.demo.library import MANIFEST, PLAYLIST_DIR
from musicsage.usecases.demo import build_demo
from musicsage.usecases.library import (library_stats, list_playlists, list_tracks,
                                        music_folders, scan_library)

SMALL = dict(seconds=1.0, audio_model="spectral", workers=1, until="scan")


def demo_files(music: Path) -> tuple[set[str], set[str]]:
    """The tracks and playlists the demo manifest in ``music`` lists, as absolute paths."""
    files = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    paths = {f: str(music.joinpath(*f.split("/"))) for f in files}
    playlists = {p for f, p in paths.items() if f.startswith(PLAYLIST_DIR + "/")}
    return set(paths.values()) - playlists, playlists


@pytest.mark.parametrize("change", ["settings", "folder", "folder deleted first"])
def test_rerun_replaces_the_old_demo_in_the_library(ctx, tmp_path, change):
    own = tmp_path / "own music"
    own.mkdir()
    mine = own / "my song.wav"
    sf.write(mine, 0.1 * np.sin(np.linspace(0, 2000, 22050)), 22050)
    scan_library(ctx, [str(own)])
    first = build_demo(ctx, n_tracks=8, seed=0, **SMALL)
    assert library_stats(ctx).tracks.total == 9

    if change == "folder deleted first":  # no manifest left: the old plan says what it made
        shutil.rmtree(first.music_dir)
    new = {"settings": dict(n_tracks=10, seed=3), "folder": dict(music_dir=tmp_path / "other"),
           "folder deleted first": dict(n_tracks=12)}
    second = build_demo(ctx, **SMALL, **new[change])

    tracks, playlists = demo_files(second.music_dir)
    assert {t.path for t in list_tracks(ctx)} == tracks | {str(mine)}, \
        "the old demo's tracks must leave the library; the user's own track stays"
    assert library_stats(ctx).tracks.missing == 0
    assert {p.path for p in list_playlists(ctx)} == playlists
    folders = {folder for folder, _ in music_folders(ctx)}
    assert folders == {str(own), str(second.music_dir)}
    if change == "folder":  # its files are left where they are, outside the library
        assert first.music_dir != second.music_dir and demo_files(first.music_dir)[0]

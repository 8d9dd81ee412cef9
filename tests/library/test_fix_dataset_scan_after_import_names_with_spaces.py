"""A library's export imported into a new library first, then the music and its playlist
files scanned there (what the import's hint says to do): a playlist file ``mix .m3u`` (the
playlist ``mix ``) did not take the place of the imported copy, stored as ``mix`` (the dir's
reader drops the spaces around a name) — every such playlist twice, each membership counted
twice in training. The file's name is compared as the dir's reader read it."""

from __future__ import annotations

import shutil

from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.usecases.library import (export_dataset, import_dataset, list_playlists,
                                        scan_library)


def test_scan_after_import_takes_the_place_of_a_playlist_named_with_spaces(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    for name, freq in (("a", 300), ("b", 500)):
        write_audio(music / f"{name}.flac", seconds=0.2, freq=freq)
    (music / "mix .m3u").write_text("a.flac\nb.flac\n", encoding="utf-8")
    (music / "plain.m3u").write_text("b.flac\na.flac\n", encoding="utf-8")
    scan_library(ctx, [music], [music / "mix .m3u", music / "plain.m3u"])
    out = tmp_path / "out"
    export_dataset(ctx, out)
    moved = tmp_path / "moved"
    shutil.move(music, moved)  # the music on another machine
    other = AppContext.create(tmp_path / "other")
    import_dataset(other, out)
    assert sorted(p.name for p in list_playlists(other)) == ["mix", "plain"]

    scan_library(other, [moved], [moved / "mix .m3u", moved / "plain.m3u"])

    assert sorted(p.name for p in list_playlists(other)) == ["mix ", "plain"]

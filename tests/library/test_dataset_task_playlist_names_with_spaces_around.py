"""A playlist whose name has spaces around it — read from a file named ``mix .m3u`` — came
back doubled when the library's own export was imported into it: ``playlists.csv`` cells are
read with the spaces around them dropped (docs/dataset-dir.md), so the export's ``mix`` was
not taken for the library's ``mix `` and was stored a second time, beside the playlist read
from the file. The same with the music scanned elsewhere before the import: the file's
playlist did not stand for the imported one. The name is compared as the dir's reader reads
it, so such a playlist is already in the library, as any other."""

from __future__ import annotations

import shutil

from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.usecases.library import (export_dataset, import_dataset, list_playlists,
                                        scan_library)


def _music_with_lists(music):
    for name, freq in (("a", 300), ("b", 500)):
        write_audio(music / f"{name}.flac", seconds=0.2, freq=freq)
    (music / "mix .m3u").write_text("a.flac\nb.flac\n", encoding="utf-8")
    (music / " lead.m3u").write_text("b.flac\n", encoding="utf-8")


def test_own_export_imported_back_keeps_playlists_named_with_spaces_around(ctx, tmp_path):
    music = tmp_path / "music"
    _music_with_lists(music)
    scan_library(ctx, [music], [music / "mix .m3u", music / " lead.m3u"])
    before = sorted((p.id, p.name) for p in list_playlists(ctx))
    assert [name for _, name in before] == ["mix ", " lead"]
    out = tmp_path / "out"
    export_dataset(ctx, out)

    rep = import_dataset(ctx, out)

    assert sorted((p.id, p.name) for p in list_playlists(ctx)) == before
    assert (rep.known_playlists, rep.new_playlists) == (2, 0)


def test_playlist_file_scanned_elsewhere_stands_for_the_imported_one(ctx, tmp_path):
    music = tmp_path / "music"
    _music_with_lists(music)
    scan_library(ctx, [music], [music / "mix .m3u", music / " lead.m3u"])
    out = tmp_path / "out"
    export_dataset(ctx, out)
    moved = tmp_path / "moved"
    shutil.move(music, moved)  # the music on another machine: its export's paths name nothing
    other = AppContext.create(tmp_path / "other")
    scan_library(other, [moved], [moved / "mix .m3u", moved / " lead.m3u"])
    before = sorted((p.id, p.name) for p in list_playlists(other))

    rep = import_dataset(other, out)

    assert sorted((p.id, p.name) for p in list_playlists(other)) == before
    assert (rep.known_playlists, rep.new_playlists) == (2, 0)

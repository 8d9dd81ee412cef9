"""A playlist holding a track twice, exported: ``memberships.csv`` lists a membership once
(the graph reads a playlist as a set; docs/dataset-dir.md), so an import of the export into
another library gets that track once. The export said nothing of it: a user moving a playlist
to another machine lost its repeats without a word. Its report says so now."""

from __future__ import annotations

import csv

from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.usecases.library import export_dataset, import_dataset, playlist_track_ids, \
    scan_library


def test_an_export_names_the_playlists_whose_repeats_it_lists_once(ctx, tmp_path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    for name in ("a", "b"):
        write_audio(music / f"{name}.flac", seconds=0.2, freq=300 if name == "a" else 500)
    lists.mkdir()
    (lists / "twice.m3u8").write_text("../music/a.flac\n../music/b.flac\n../music/a.flac\n")
    (lists / "once.m3u8").write_text("../music/b.flac\n../music/a.flac\n")
    scan_library(ctx, [music], [lists])
    out = tmp_path / "out"

    rep = export_dataset(ctx, out)

    assert [n for n in rep.notes if "more than once" in n] == [
        "1 playlist holds a track more than once (memberships.csv lists it once, at its first "
        "place: an import gets it once): 'twice'"]
    rows = list(csv.reader(open(out / "memberships.csv", encoding="utf-8")))[1:]
    assert len(rows) == 4  # the rule the note tells of: a, b of 'twice'; b, a of 'once'
    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, out)
    assert sorted(len(playlist_track_ids(fresh, p)) for p in (1, 2)) == [2, 2]


def test_an_export_of_playlists_without_repeats_has_no_such_note(ctx, tmp_path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "a.flac", seconds=0.2)
    lists.mkdir()
    (lists / "once.m3u8").write_text("../music/a.flac\n")
    scan_library(ctx, [music], [lists])
    assert not [n for n in export_dataset(ctx, tmp_path / "out").notes if "more than once" in n]

"""A library exported, then imported where its music sits in another folder (another machine,
docs/dataset-dir.md): the import lists its tracks as missing, their paths not there. Scanning
the folder where the music is now found "3 new, 0 moved" — an imported track's content hash is
stored with size and mtime 0, which the move finder never matched — and ``forget --missing``
then removed every imported track, its playlist places left unresolved and its vectors lost.
The scan now finds them moved, keeping ids, playlist places and vectors; a file whose content
is not the exported one stays a new track; and tracks a scan already took for new (an older
version's) take their copies' places when the missing ones are removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.copy_moves import _READ_COLUMNS
from musicsage.library.db import connect
from musicsage.library.moves import MoveFinder
from musicsage.library.scan_write import TRACK_COLUMNS
from musicsage.usecases.library import (export_dataset, forget_missing_tracks, import_dataset,
                                        scan_library)

NAMES = ("a", "b", "c")


@pytest.fixture
def moved(ctx, tmp_path) -> tuple[AppContext, Path, dict[str, int]]:
    """:func:`_exported_and_moved`, the export then imported into a new library. Returns it,
    the new music folder and each file's track id in the exporting library."""
    elsewhere, ids = _exported_and_moved(ctx, tmp_path)
    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, tmp_path / "export")
    assert {t["status"] for t in q.all_tracks(connect(fresh))} == {"missing"}
    return fresh, elsewhere, ids


def _exported_and_moved(ctx, tmp_path) -> tuple[Path, dict[str, int]]:
    """Three tagged files in a playlist, with vectors, exported to ``tmp_path/export``; the
    music folder then moved elsewhere. Returns where, and each file's track id."""
    music = tmp_path / "music"
    for i, name in enumerate(NAMES):
        write_audio(music / f"{name}.flac", seconds=0.2, freq=300.0 + 100 * i,
                    tags={"title": f"Song {name}"})
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{music / n}.flac\n" for n in ("c", "a", "b")), encoding="utf-8")
    scan_library(ctx, [str(music)], [str(mix)])
    conn = connect(ctx)
    rng = np.random.default_rng(0)
    for track in q.all_tracks(conn):
        q.store_embedding(conn, track["id"], "spectral", "spectral-v1", rng.normal(size=8))
    ids = {Path(t["path"]).stem: t["id"] for t in q.all_tracks(conn)}
    export_dataset(ctx, tmp_path / "export")
    elsewhere = tmp_path / "new machine" / "Musik"
    elsewhere.parent.mkdir()
    music.rename(elsewhere)
    return elsewhere, ids


def _state(ctx) -> tuple[dict[tuple[str, str], tuple[int, int]], list[int], list[int]]:
    """(file name, status) → (id, needs_analysis): a missing track and a present one of one
    file name are two keys, whichever id is larger; the playlist's track ids in order; the
    ids with a vector."""
    conn = connect(ctx)
    tracks = {(Path(t["path"]).stem, t["status"]): (t["id"], t["needs_analysis"])
              for t in q.all_tracks(conn)}
    assert len(tracks) == len(q.all_tracks(conn)), "one track per file name and status"
    entries = [r[0] for r in conn.execute(
        "SELECT track_id FROM playlist_entries ORDER BY playlist_id, position")]
    return tracks, entries, sorted(q.get_embeddings(conn, "spectral")[0])


def test_scanning_the_music_where_it_now_is_finds_the_imported_tracks_moved(moved):
    fresh, elsewhere, ids = moved
    _tracks, entries_before, _vectors = _state(fresh)

    rep = scan_library(fresh, [str(elsewhere)])

    assert (rep.added, rep.moved, rep.missing, rep.errors) == (0, 3, 0, [])
    tracks, entries, vectors = _state(fresh)
    assert tracks == {(n, "present"): (ids[n], 0) for n in NAMES}, "ids kept, nothing to analyse"
    assert entries == entries_before == [ids["c"], ids["a"], ids["b"]]
    assert vectors == sorted(ids.values())
    assert {t["duration"] is not None for t in q.all_tracks(connect(fresh))} == {True}
    removed = forget_missing_tracks(fresh)
    assert (removed.tracks, removed.entries) == (0, 0), "nothing found is removed"
    again = scan_library(fresh, [str(elsewhere)])
    assert (again.added, again.moved, again.updated, again.unchanged) == (0, 0, 0, 3)


def test_a_file_whose_content_is_not_the_exported_one_stays_a_new_track(moved):
    fresh, elsewhere, ids = moved
    write_audio(elsewhere / "b.flac", seconds=0.4, freq=900.0, tags={"title": "Song b"})

    rep = scan_library(fresh, [str(elsewhere)])

    assert (rep.added, rep.moved) == (1, 2)
    conn = connect(fresh)
    rows = {(Path(t["path"]).stem, t["status"]): t["id"] for t in q.all_tracks(conn)}
    assert rows[("b", "missing")] == ids["b"], "the imported track is not merged with it"
    assert rows[("b", "present")] not in ids.values()


def test_removing_missing_tracks_moves_imported_ones_to_the_copies_a_scan_took_for_new(
        moved, monkeypatch):
    """A library an older version scanned: the files were taken for new tracks beside the
    missing imported ones. Removing the missing tracks moves each to its file instead."""
    fresh, elsewhere, ids = moved
    with monkeypatch.context() as m:
        m.setattr(MoveFinder, "claim", lambda self, f: None)
        assert scan_library(fresh, [str(elsewhere)]).added == 3

    removed = forget_missing_tracks(fresh)

    assert (removed.tracks, removed.moved, removed.entries) == (0, 3, 0)
    tracks, entries, vectors = _state(fresh)
    assert tracks == {(n, "present"): (ids[n], 0) for n in NAMES}
    assert entries == [ids["c"], ids["a"], ids["b"]] and vectors == sorted(ids.values())
    assert {t["duration"] is not None for t in q.all_tracks(connect(fresh))} == {True}
    again = scan_library(fresh, [str(elsewhere)])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    shutil.move(str(elsewhere), str(elsewhere.parent / "Music"))  # moved again: still found
    rep = scan_library(fresh, [str(elsewhere.parent / "Music")])
    assert (rep.added, rep.moved) == (0, 3)


def test_music_scanned_before_the_import_takes_the_imported_tracks_when_missing_are_removed(
        ctx, tmp_path):
    """On the new machine the music was scanned first, then the export imported: its tracks,
    the ones in the playlists and with the vectors, are missing beside the scanned ones, which
    are older. Removing the missing tracks moves each imported track to its file."""
    elsewhere = _exported_and_moved(ctx, tmp_path)[0]
    first = AppContext.create(tmp_path / "first")
    assert scan_library(first, [str(elsewhere)]).added == 3
    import_dataset(first, tmp_path / "export")
    tracks, entries, vectors = _state(first)
    assert set(tracks) == {(n, s) for n in NAMES for s in ("present", "missing")}
    imported = {n: tracks[(n, "missing")][0] for n in NAMES}
    assert set(entries) == set(vectors) == set(imported.values())
    scanned = _as_scanned(first)

    removed = forget_missing_tracks(first)

    assert (removed.tracks, removed.moved, removed.entries) == (0, 3, 0)
    tracks, entries, vectors = _state(first)
    assert tracks == {(n, "present"): (imported[n], 0) for n in NAMES}
    assert entries == [imported["c"], imported["a"], imported["b"]]
    assert vectors == sorted(imported.values())
    assert _as_scanned(first) == scanned, "what the scan wrote of each file, taken whole"


def _as_scanned(ctx) -> dict[str, tuple]:
    """File name → what a scan writes of its present track (every column it writes)."""
    return {Path(t["path"]).stem: tuple(t[c] for c in TRACK_COLUMNS)
            for t in q.all_tracks(connect(ctx)) if t["status"] == "present"}


def test_a_track_taking_its_copys_place_takes_every_column_a_scan_reads():
    """The columns an imported track takes from its copy are listed apart from the scan's
    own list (that module imports copy_moves): a column the scan learns to read must be
    taken too, or the track keeps the import's value of it for good."""
    assert _READ_COLUMNS == tuple(c for c in TRACK_COLUMNS
                                  if c not in ("path", "size", "mtime_ns"))

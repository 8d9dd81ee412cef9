"""An export imported where its music is in another folder (another machine): the import
lists the tracks missing, a scan of the music's folder finds them moved. Importing the same
export again matched its rows by path only: "imported 3 new tracks … updated 1 playlist",
three new missing tracks, the playlist pointed at them. It now takes the tracks found moved
(ids, playlist, vectors as they were) — never one whose content is not the row's. The
import's note on rows naming no file says how to find them: a scan of the music's folder, or
``forget --missing`` when that music was scanned before the import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import (export_dataset, forget_missing_tracks, import_dataset,
                                        scan_library)

NAMES = ("a", "b", "c")


def _export_then_move(ctx: AppContext, tmp_path: Path) -> Path:
    """Three tagged files in a playlist, with vectors, exported to ``tmp_path/export``; the
    music folder then moved to another folder, which is returned."""
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
    export_dataset(ctx, tmp_path / "export")
    elsewhere = tmp_path / "new machine" / "Musik"
    elsewhere.parent.mkdir()
    music.rename(elsewhere)
    return elsewhere


@pytest.fixture
def found_moved(ctx, tmp_path) -> tuple[AppContext, Path]:
    """The export imported into a new library, then the music's new folder scanned: every
    imported track found moved. Returns that library and the music's folder."""
    elsewhere = _export_then_move(ctx, tmp_path)
    fresh = AppContext.create(tmp_path / "fresh")
    import_dataset(fresh, tmp_path / "export")
    assert scan_library(fresh, [str(elsewhere)]).moved == 3
    return fresh, elsewhere


def _state(ctx: AppContext) -> tuple[dict[tuple[str, str], int], list[int], dict[int, list]]:
    """(file name, status) → track id; the playlist's track ids in order; each track's vector."""
    conn = connect(ctx)
    tracks = {(Path(t["path"]).stem, t["status"]): t["id"] for t in q.all_tracks(conn)}
    entries = [r[0] for r in conn.execute(
        "SELECT track_id FROM playlist_entries ORDER BY playlist_id, position")]
    ids, matrix = q.get_embeddings(conn, "spectral")
    return tracks, entries, {int(t): list(v) for t, v in zip(ids, matrix)}


def test_importing_the_export_again_keeps_the_tracks_a_scan_found_moved(found_moved, tmp_path):
    fresh, _elsewhere = found_moved
    before = _state(fresh)

    rep = import_dataset(fresh, tmp_path / "export")

    assert (rep.tracks, rep.new_tracks, rep.new_playlists, rep.updated_playlists) == (3, 0, 0, 0)
    assert _state(fresh) == before, "no new tracks; ids, playlist and vectors as they were"
    assert {s for _n, s in before[0]} == {"present"}
    assert not any("no file" in n for n in rep.notes), rep.notes


def test_a_moved_file_of_other_content_now_is_not_taken_for_the_exported_row(
        found_moved, tmp_path):
    fresh, elsewhere = found_moved
    write_audio(elsewhere / "b.flac", seconds=0.4, freq=900.0, tags={"title": "Song b"})
    assert scan_library(fresh, [str(elsewhere)]).updated == 1
    present_b = _state(fresh)[0][("b", "present")]

    rep = import_dataset(fresh, tmp_path / "export")

    assert rep.new_tracks == 1
    tracks, _entries, vectors = _state(fresh)
    assert tracks[("b", "present")] == present_b
    assert tracks[("b", "missing")] != present_b, "two contents are never one track"
    assert present_b not in vectors, "the exported vector is not the rewritten file's"


def test_the_note_on_rows_naming_no_file_says_a_scan_of_the_musics_folder_finds_them(
        ctx, tmp_path):
    _export_then_move(ctx, tmp_path)
    fresh = AppContext.create(tmp_path / "fresh")

    rep = import_dataset(fresh, tmp_path / "export")

    note = next(n for n in rep.notes if "no file" in n)
    assert note.startswith("3 rows of tracks.csv name no file (first: track_id ")
    assert "listed as missing (the music is in another folder now? `musicsage scan FOLDER` " \
           "finds them moved there" in note


def test_the_note_says_forget_missing_when_the_music_was_scanned_before_the_import(
        ctx, tmp_path):
    elsewhere = _export_then_move(ctx, tmp_path)
    first = AppContext.create(tmp_path / "first")
    scan_library(first, [str(elsewhere)])

    rep = import_dataset(first, tmp_path / "export")

    note = next(n for n in rep.notes if "no file" in n)
    assert "`musicsage forget --missing` moves each such track to its file" in note
    assert forget_missing_tracks(first).moved == 3  # what the note promises
    again = import_dataset(first, tmp_path / "export")
    assert again.new_tracks == 0 and not any("no file" in n for n in again.notes)


def test_an_export_naming_files_through_a_link_the_library_now_resolves_adds_nothing(
        ctx, tmp_path):
    """Scanned through ``Link -> Music/al``, exported, then ``Music`` scanned: the tracks take
    its spelling (a move, the files untouched). Importing the export into the library stored
    each file a second time, under the link's path, and its playlist twice."""
    music = tmp_path / "Music" / "al"
    for i, name in enumerate(NAMES):
        write_audio(music / f"{name}.flac", seconds=0.2, freq=300.0 + 100 * i)
    (tmp_path / "Link").symlink_to(music)
    mix = tmp_path / "mix.m3u"
    mix.write_text("".join(f"{tmp_path / 'Link' / n}.flac\n" for n in NAMES), encoding="utf-8")
    scan_library(ctx, [str(tmp_path / "Link")], [str(mix)])
    export_dataset(ctx, tmp_path / "export")
    scan_library(ctx, [str(tmp_path / "Music")])
    before = _state(ctx)
    assert {n for n, _s in before[0]} == set(NAMES)

    rep = import_dataset(ctx, tmp_path / "export")

    assert (rep.tracks, rep.new_tracks, rep.new_playlists) == (3, 0, 0)
    assert _state(ctx) == before

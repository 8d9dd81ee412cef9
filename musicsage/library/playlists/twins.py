"""One playlist stored twice: once from its file, once by a dataset import (under the synthetic
path ``dataset:<dir>#<id>``), and the one rule that tells them the same playlist — the same
name, and the same tracks in the same order among the tracks the dataset dir holds (what an
export writes of a playlist: it leaves out the tracks without the model's vectors).

Both ways in keep to it (docs/dataset-dir.md): an import does not store a playlist the library
already has (:mod:`musicsage.library.dataset_playlists`), and a scan that imports a playlist
file equal to one an import stored lets the file's playlist take that copy's place
(:func:`musicsage.library.playlists.store.import_playlist_file`); so does a playlist of a
player's library (:func:`musicsage.library.playlists.players.import_player_library`), which an
import counts as the library's own as it counts a file's. Exporting a library, importing
the export into a new one and importing the playlist files there (what the scan's hint says to
do) kept both: every playlist twice, each membership counted twice in training, and a held-out
membership's twin in the other copy showed it to the model in the library's own evaluation.
The other order — the music and its playlist files scanned first, then the export imported —
is told apart by the files the imported tracks name (:func:`file_twin`,
:mod:`musicsage.library.dataset_moved`).
"""

from __future__ import annotations

from typing import Sequence

from musicsage.library.paths import DATASET_PREFIX


def same_playlist(same_name: list[list[int]], ids: list[int | None], held: set[int]) -> bool:
    """Whether one of ``same_name`` (the tracks of each playlist of one name: resolved,
    distinct, in order) is the dataset playlist of tracks ``ids``: the same tracks in the same
    order, among the tracks the dir holds (``held``: an export leaves out the tracks without
    the model's vectors, and their memberships). A member absent from tracks.csv (None) is in
    no playlist of the library's."""
    if not ids or None in ids:
        return False
    wanted = list(dict.fromkeys(ids))
    return any([t for t in tracks if t in held] == wanted for tracks in same_name)


def dataset_twins(conn, name: str, track_ids: Sequence[int | None]) -> list[tuple[int, str]]:
    """The playlists a dataset import stored that are the playlist named ``name`` whose entries
    resolved to ``track_ids`` (None: unresolved), by :func:`same_playlist`: (id, stored path)
    each, by id. The tracks a dir holds are not kept once it is imported: those its playlists
    name stand for them (a track of the dir that is in none of them is taken as not the
    dir's, as a track of the library that the dir lacks is)."""
    tracks = [t for t in dict.fromkeys(track_ids) if t is not None]
    found: list[tuple[int, str]] = []
    for playlist_id, path in conn.execute(
            "SELECT id, path FROM playlists WHERE substr(path, 1, ?) = ? AND COALESCE(name, '') = ?"
            " ORDER BY id", (len(DATASET_PREFIX), DATASET_PREFIX, (name or "").strip())
            ).fetchall():  # the name as the dir's reader stored it: spaces around dropped
        ids = [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries WHERE"
                                          " playlist_id = ? ORDER BY position", (playlist_id,))]
        members = set(ids)
        if not members <= set(tracks):  # cheap first: it has a track the file has not
            continue
        held = members | (set(tracks) & _held_by(conn, path.rsplit("#", 1)[0] + "#"))
        if same_playlist([tracks], ids, held):
            found.append((playlist_id, path))
    return found


def _held_by(conn, prefix: str) -> set[int]:
    """The tracks that the playlists stored under ``prefix`` (a dir's ``dataset:<dir>#``)
    name."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT e.track_id FROM playlist_entries e JOIN playlists p"
        " ON p.id = e.playlist_id WHERE substr(p.path, 1, ?) = ? AND e.track_id IS NOT NULL",
        (len(prefix), prefix))}


def file_twin(conn, name: str, ids: Sequence[int | None], held: set[int]) -> int | None:
    """The id of the library's own playlist (read from a file or a player's library, not
    stored by a dataset import) named ``name`` that is the dataset playlist of tracks ``ids``
    (:func:`same_playlist`, ``held`` the tracks the dir holds), or None. The caller gives the
    ids of the tracks the library's playlists name (an imported track's scanned copy)."""
    for (playlist_id,) in conn.execute(
            "SELECT id FROM playlists WHERE substr(path, 1, ?) != ? AND COALESCE(name, '') = ?"
            " ORDER BY id", (len(DATASET_PREFIX), DATASET_PREFIX, name or "")).fetchall():
        tracks = [r[0] for r in conn.execute(  # resolved, distinct, in order: as exported
            "SELECT track_id FROM playlist_entries WHERE playlist_id = ? AND track_id IS NOT"
            " NULL GROUP BY track_id ORDER BY MIN(position)", (playlist_id,))]
        if same_playlist([tracks], list(ids), held):
            return int(playlist_id)
    return None

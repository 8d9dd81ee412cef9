"""Tracks to add to a playlist (what PinSage was built for: a board → pins to add).

The playlist's members are the anchors: every playable track outside the playlist is scored
against them in each space (:mod:`musicsage.search.scoring`), copies of a member are folded
out (a playlist does not need the album version of a single it holds), and the lists get
the same ``why`` as neighbour lists, with the playlist's members as the anchor.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Mapping

from musicsage.errors import MusicsageError
from musicsage.library.queries import track_summaries
from musicsage.library.relations import playlist_member_ids, playlist_row
from musicsage.search.index import SpaceIndex
from musicsage.search.similar import build_lists, explain_lists
from musicsage.search.types import SuggestResult
from musicsage.search.why import TagsOf

DEFAULT_METHOD = "centroid"
"""Chosen on validation splits by ``bench/suggest_bench.py`` (see docs/cli.md)."""


def file_sha256(fs_path: str) -> str | None:
    """The sha256 of a playlist file as it is now (None when it cannot be read)."""
    from musicsage.library.playlists.store import read_playlist_bytes

    try:
        return hashlib.sha256(read_playlist_bytes(fs_path)[1]).hexdigest()
    except (OSError, MusicsageError):
        return None


def playlist_summary(conn: sqlite3.Connection, playlist_id: int, members: list[int]) -> dict:
    from musicsage.library.paths import display, to_fs
    from musicsage.library.relations import playlist_names

    row = playlist_row(conn, playlist_id)
    if row is None:
        raise MusicsageError(f"no playlist with id {playlist_id}")
    path = row["path"]
    return {"playlist_id": int(row["id"]), "name": playlist_names(conn)[int(row["id"])],
            "path": display(path), "format": row["format"], "tracks": len(members),
            "sha256": file_sha256(to_fs(path)) if path.startswith("/") else None}


def suggestion_lists(conn: sqlite3.Connection, playlist_id: int,
                     spaces: Mapping[str, SpaceIndex | str], *, k: int, space: str = "both",
                     variety: bool = False, method: str = DEFAULT_METHOD,
                     rank_spaces: Mapping[str, SpaceIndex | str] | None = None,
                     tags_of: TagsOf | None = None) -> SuggestResult:
    """Suggestions for ``playlist_id`` in each space of ``spaces`` (a SpaceIndex, or a note
    saying why that space has no list); members are never suggested."""
    members = playlist_member_ids(conn, playlist_id)
    playlist = playlist_summary(conn, playlist_id, members)
    if not members:
        raise MusicsageError(f"playlist {playlist['name']!r} has no track of the library "
                             "(its entries did not resolve): nothing to suggest from")
    member_rows = list(track_summaries(conn, members).values())
    built = build_lists(conn, spaces, member_rows, k=k, variety=variety, method=method,
                        without_vector="no member of the playlist")
    explain_lists(conn, built, members, spaces if rank_spaces is None else rank_spaces,
                  method=method, playlist_id=int(playlist_id), tags_of=tags_of)
    return SuggestResult(playlist=playlist, graph=built.lists["graph"],
                         audio=built.lists["audio"], k=k, models=built.models, notes=built.notes,
                         skipped_missing=built.skipped, space=space, variety=variety,
                         method=method, members_used=built.anchor_counts, folded=built.folded)

"""Tracks to add to a playlist (what PinSage was built for: a board → pins to add).

The playlist's members are the anchors: every playable track outside the playlist is scored
against them in each space (:mod:`musicsage.search.scoring`), copies of a member are folded
out (a playlist does not need the album version of a single it holds), and the lists get
the same ``why`` as neighbour lists, with the playlist's members as the anchor.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Mapping, Sequence

from musicsage.errors import MusicsageError
from musicsage.library.playlists.m3u import shown_format
from musicsage.library.queries import playlist_entries, track_summaries
from musicsage.library.relations import playlist_member_ids, playlist_row
from musicsage.progress import CancelToken
from musicsage.search.index import SpaceIndex
from musicsage.search.similar import build_lists, explain_lists
from musicsage.search.types import SuggestResult
from musicsage.search.why import TagsOf

DEFAULT_METHOD = "centroid"
"""Chosen on validation splits by ``bench/suggest_bench.py`` (see docs/cli.md)."""

ONLY_MEMBER = "the playlist's only member"
"""Who has no vector in a playlist of one track, in every note on its members (its damaged
vector's too: "no member of the playlist …: its only member's" said it twice)."""


class NothingToSuggest(MusicsageError):
    """The playlist has no member to suggest from (empty, or no entry resolved): a state of
    the playlist, not a failure — the window says it in the tab, where an error box for
    choosing a fresh playlist (or emptying one) said something went wrong."""


def file_sha256(fs_path: str) -> str | None:
    """The sha256 of a playlist file as it is now (None when it cannot be read)."""
    from musicsage.library.playlists.store import read_playlist_bytes

    try:
        return hashlib.sha256(read_playlist_bytes(fs_path)[1]).hexdigest()
    except (OSError, MusicsageError):
        return None


def playlist_summary(conn: sqlite3.Connection, playlist_id: int, members: list[int]) -> dict:
    """The playlist as ``suggest --json`` gives it: ``path``, ``source``, ``source_path`` and
    ``uri`` as an ambiguous PLAYLIST's candidates have them
    (:func:`~musicsage.search.playlist_query.json_playlist`: ``path`` goes back in as
    PLAYLIST, a player's playlist's too)."""
    from musicsage.library.paths import to_fs
    from musicsage.library.relations import playlist_names
    from musicsage.search.playlist_query import json_playlist

    row = playlist_row(conn, playlist_id)
    if row is None:
        raise MusicsageError(f"no playlist with id {playlist_id}")
    path = row["path"]
    return {"playlist_id": int(row["id"]), "name": playlist_names(conn)[int(row["id"])],
            **json_playlist(path),
            "format": shown_format(path, row["format"]), "tracks": len(members),
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
        raise NothingToSuggest(f"playlist {playlist['name']!r} " + (
            "has no track of the library (its entries did not resolve)"
            if playlist_entries(conn, playlist_id) else "is empty") + ": nothing to suggest from")
    member_rows = list(track_summaries(conn, members).values())
    built = build_lists(conn, spaces, member_rows, k=k, variety=variety, method=method,
                        without_vector="no member of the playlist",
                        copies_of="the playlist's tracks", held_by="this playlist")
    explain_lists(conn, built, members, spaces if rank_spaces is None else rank_spaces,
                  method=method, playlist_id=int(playlist_id), tags_of=tags_of)
    return SuggestResult(playlist=playlist, graph=built.lists["graph"],
                         audio=built.lists["audio"], k=k, models=built.models, notes=built.notes,
                         skipped_missing=built.skipped, space=space, variety=variety,
                         method=method, members_used=built.anchor_counts, folded=built.folded,
                         songs_in_both=built.in_both)


def short_lists(result: SuggestResult) -> list[str]:
    """A note per list shorter than the ``-k`` asked for, in the words ``similar`` says it
    (:meth:`~musicsage.search.types.SimilarResult.short_lists`) and ``radio`` of a short
    queue: ``suggest Mix -k 10`` listed 3 tracks without a word, and the user could not tell
    a library run out from a cut. Members are never suggested, so they are named with the
    copies and missing files a list never holds."""
    return result.short_list_notes("the playlist's tracks, copies of them")


def copies_of_members(conn: sqlite3.Connection, track_ids: list[int],
                      members: list[int], *, same_content_only: bool = False,
                      cancel: CancelToken | None = None) -> dict[int, str]:
    """``{track_id: reason}`` for those of ``track_ids`` that are copies of a member (the
    rules by which suggestions leave them out, :mod:`musicsage.search.lists`): "Add to
    playlist" of such a track put the same song in twice without a word, though ``suggest``
    itself never proposes it. A member itself is not its own copy. ``same_content_only``:
    only the same file content counts (tracks the user named: "Tender Love (Single
    Version)" beside the album version is another recording, which they asked for).
    ``cancel`` is heard while two files are compared whole (two large copies take a while)."""
    from musicsage.library.moves import current_hashes
    from musicsage.search.lists import copy_key

    others = [t for t in dict.fromkeys(track_ids) if t not in set(members)]
    if not others:
        return {}
    rows = track_summaries(conn, [*members, *others])
    hashes = current_hashes(conn, [*members, *others])
    by_file: dict[str, list[int]] = {}
    for m in members:
        if m in hashes:
            by_file.setdefault(hashes[m], []).append(m)
    by_tags = {} if same_content_only else {
        k: m for m in reversed(members) if m in rows and (k := copy_key(rows[m]))}
    out = {}
    for tid in others:
        twin = next((m for m in by_file.get(hashes.get(tid, ""), ())
                     if _same_content(rows.get(tid), rows.get(m), cancel)), None)
        if twin is not None:
            out[tid] = f"a copy of #{twin} (the same file content), already in the playlist"
        elif tid in rows and copy_key(rows[tid]) in by_tags:
            out[tid] = (f"a copy of #{by_tags[copy_key(rows[tid])]} (the same title and "
                        "artist), already in the playlist")
    return out


def _same_content(track: Mapping | None, member: Mapping | None,
                  cancel: CancelToken | None = None) -> bool:
    """Whether two tracks of one content hash are one file copied: their bytes compared
    whole, both files on disk (:func:`~musicsage.search.same_file.same_files`, the verdict
    every copy check asks). The hash reads only the size and both ends: ``suggest --add 1``
    skipped #1 as "a copy of #3", another song of that length between the same silences.
    Files that cannot be compared (a drive not mounted) are not called copies: the track the
    user named is added, at worst twice, never refused for another song."""
    from musicsage.search.same_file import on_disk, same_files

    if track is None or member is None:
        return False
    paths = on_disk([track, member])
    return len(paths) == 2 and same_files(paths, whole=True, cancel=cancel)


def failed_members_note(conn: sqlite3.Connection, space: SpaceIndex, members: list[int],
                        used: int, note: str | None = None) -> str | None:
    """What ``similar`` says of a query whose file could not be read or analysed
    (:func:`~musicsage.search.similar.failed_note`), said of the playlist's members that have
    no vector in the audio ``space`` for that reason (``used``: how many members have one):
    a playlist of such tracks was sent to run ``embed``, which can only fail again, and one
    with a few had fewer anchors without a word. ``note``: the space's note so far, replaced
    when every member without a vector failed, else kept first. None when no member failed."""
    from musicsage.library.queries import read_failure
    from musicsage.text import noun

    rows = track_summaries(conn, [m for m in members if space.row_of(m) is None])
    failed = [f for row in rows.values()
              if (f := read_failure(conn, [str(row["path"])], space.model_id)) is not None]
    if not failed:
        return None
    n, count = len(members), len(failed)
    who = (ONLY_MEMBER if n == 1 else f"the playlist's {n} members"
           if count == n else f"{count} of the playlist's {n} members")
    said = f"{who} {noun(count, 'has', 'have')} no audio embedding: {failures_said(failed)}"
    if used:
        said += "; the suggestions come from the members that have one"
    every = count == len(rows) and not used  # nothing else to say: the note's advice voided
    return said if every or not note else f"{note}; {said}"


def failures_said(failed: Sequence[sqlite3.Row]) -> str:
    """Why the files of ``failed`` (:func:`~musicsage.library.queries.read_failure`'s rows,
    at least one) give no vector: the words of :func:`failed_members_note`, which the note on
    members with damaged vectors says of those of them that failed too
    (:func:`~musicsage.usecases.left_out_notes.damaged_vector_note`)."""
    if len(failed) == 1:
        how = ("the last scan could not read its file" if failed[0]["stage"] == "scan"
               else "analysing its file failed")
        return f"{how}: {failed[0]['message']}"
    return f"their files could not be read or analysed (first: {failed[0]['message']})"

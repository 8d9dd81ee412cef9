"""A playlist's entries that match no track of the library: the scan names them once, as it
reads the file (``unresolved #3: …``); after it they were only counted. The library keeps
each entry's text (``playlist_entries.raw``, its ``track_id`` NULL), so ``playlists NAME``
lists them (:func:`unmatched_entries`) and ``export``, which cannot write them, says how many
it left out (:func:`unmatched_note`).
"""

from __future__ import annotations

import sqlite3

from musicsage.text import counted, noun


def unmatched_entries(conn: sqlite3.Connection, playlist_id: int) -> list[dict]:
    """The entries of the playlist ``playlist_id`` that match no track, in its order, each
    as its file has it (``raw``) with its place among the file's entries counted from 1
    (``position``: the scan's ``unresolved #3``) — what a user moving a library needs to
    mend the list (a drive's old path, a typo)."""
    return [{"position": position + 1, "raw": raw} for position, raw in conn.execute(
        "SELECT position, raw FROM playlist_entries WHERE playlist_id = ? AND track_id IS NULL"
        " ORDER BY position", (int(playlist_id),))]


def unmatched_note(conn: sqlite3.Connection, playlists: list) -> list[str]:
    """The export's note (a list of one, or none) on the playlist entries that match no
    track of the library: memberships.csv pairs a playlist with a track, so they are not
    written. The export said only its counts, and an import of it had lost them without a
    word; ``playlists ID`` lists a playlist's (its id given for the one holding most)."""
    counts = conn.execute("SELECT playlist_id, COUNT(*) FROM playlist_entries"
                          " WHERE track_id IS NULL GROUP BY playlist_id"
                          " ORDER BY COUNT(*) DESC, playlist_id").fetchall()
    if not counts:
        return []
    total, names = sum(n for _, n in counts), {p["id"]: p["name"] for p in playlists}
    first = counts[0][0]
    if len(counts) == 1:
        where, lists = (f"of the playlist {names.get(first) or f'#{first}'!r}",
                        f"`musicsage playlists {first}` lists {noun(total, 'it', 'them')}")
    else:
        where, lists = (f"of {len(counts)} playlists", "`musicsage playlists ID` lists a "
                        f"playlist's (e.g. `musicsage playlists {first}`)")
    return [f"{counted(total, 'playlist entry', 'playlist entries')} {where} "
            f"{noun(total, 'matches', 'match')} no track of the library and "
            f"{noun(total, 'was', 'were')} not exported (memberships.csv holds tracks only): "
            f"{lists}"]

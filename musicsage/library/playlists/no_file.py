"""Why a playlist of the library has no file musicsage may add to or remove from: a player's
library file (Rhythmbox, Apple Music, Strawberry, Clementine), which musicsage never writes,
or a dataset dir's import. Its own module so that ``suggest --add`` (:mod:`.edit`) and
``--remove`` (:mod:`.remove`, which builds on :mod:`.edit`) refuse in the same words."""

from __future__ import annotations

from musicsage.library import paths as P


def no_file_reason(path: str, name: str, edit: str = "remove") -> str:
    """Why playlist ``name`` (stored at ``path``, not a file of its own) cannot be edited —
    ``edit`` is "add" or "remove", so that both refusals give the same whole reason and say
    where to make the change instead; the window's Playlist tab says it before anyone presses
    Remove. Told from the stored path alone (no file system call)."""
    from musicsage.library.playlists.players import PLAYER_FORMATS, split_playlist_db_path

    player = split_playlist_db_path(path)
    if player is not None:
        label = PLAYER_FORMATS[player[0]].label
        return (f"playlist {name!r} is kept in a player's library file ({label}: "
                f"{P.shown(P.to_fs(player[1]))}), which musicsage never writes; {edit} the "
                "track in that player")
    return (f"playlist {name!r} came from a dataset dir and has no file of its own: {edit} the "
            f"track {'to' if edit == 'add' else 'from'} that dir's memberships.csv and import "
            "it again")


def why_not_editable(path: str, name: str, edit: str = "remove") -> str:
    """Why tracks cannot be written into (``edit`` "add") or taken out of ("remove")
    playlist ``name`` stored at ``path`` (:func:`no_file_reason`), or "" for a playlist file
    of its own (the edit may still be refused: read-only, changed elsewhere). The one rule
    the window's Add and Remove buttons are set by, told from the stored path alone: each
    controller had its own (one from ``suggest``'s ``source``, one from the path)."""
    return "" if P.is_file_path(path) else no_file_reason(path, name, edit)

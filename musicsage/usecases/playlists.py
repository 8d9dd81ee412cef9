"""The library's playlists as a list to read: ``musicsage playlists [NAME_OR_ID]``.

The window's playlist list was the only place that showed them, and a playlist's id — which
``suggest`` takes — could be learnt only from an ambiguity error. The rows here are read the
way the window reads them (:func:`~musicsage.usecases.snapshot.load_snapshot`: the same
playlists and memberships, counted and named by the same
:class:`~musicsage.usecases.snapshot.LibrarySnapshot` methods), so a playlist's number of
tracks here is the one its row in the window shows; only the models, which a list of
playlists does not need, are left unread (and one playlist's list reads its own tracks
alone). Each row also says where the playlist comes from: its own file, a music player's
library file, or a dataset dir an ``import`` read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.library.browse import PlaylistInfo, TrackInfo
    from musicsage.usecases.snapshot import LibrarySnapshot

FILE, PLAYER, DATASET = "file", "player", "dataset"
"""What :attr:`PlaylistSummary.source` says of where a playlist comes from."""


@dataclass(frozen=True)
class PlaylistSummary:
    """One playlist as ``playlists`` lists it; :meth:`to_dict` is its ``--json`` contract
    (docs/cli.md)."""

    id: int
    name: str
    """As written in its file or player (control characters kept; text output escapes them)."""
    tracks: int
    """Its entries that are tracks of the library: the count the window's list shows."""
    entries: int
    unresolved: int
    """Entries naming no track of the library (not counted in :attr:`tracks`)."""
    format: str | None
    """As its file names it: ``m3u8`` for a .m3u8 (stored as an m3u), as the scan says."""
    source: str
    """:data:`FILE`, :data:`PLAYER` or :data:`DATASET`."""
    path: str
    """What names this playlist again as PLAYLIST (display form): its file, else the
    library's key for it (``rhythmbox:/…/playlists.xml#Road%20trip``, ``dataset:DIR#ID``), as
    an ambiguous PLAYLIST's candidates and ``suggest --json`` give it. The player's library
    file here named every playlist of that player, and went back in as none of them."""
    source_path: str
    """Where it comes from (display form): its file, the player's library file or the
    dataset dir — what the text list shows."""
    uri: str | None
    """The playlist's file as a ``file://`` URI (:func:`~musicsage.library.paths.file_uri`):
    what names it again as PLAYLIST whatever bytes its name holds; None unless :data:`FILE`."""
    player: str | None
    """The player's library kind ("Rhythmbox playlists (playlists.xml)") for :data:`PLAYER`."""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PlaylistMembers:
    """A playlist and its tracks in its order (repeats kept), as the window's Playlist tab
    lists them: ``(track id, its TrackInfo)``, None for an id gone from the library."""

    playlist: PlaylistSummary
    tracks: "list[tuple[int, TrackInfo | None]]"
    unmatched: list[dict]
    """Its entries that match no track, as its file has them, by their place among the file's
    entries (:func:`~musicsage.library.playlists.unmatched.unmatched_entries`): the scan
    names them once; after it the summary's count was all a user could learn."""


def _player_label(stored_path: str) -> str | None:
    """The kind of player library a playlist was read from (None unless from a player's)."""
    from musicsage.library.playlists.players import PLAYER_FORMATS, split_playlist_db_path

    player = split_playlist_db_path(stored_path)
    return PLAYER_FORMATS[player[0]].label if player is not None else None


def _summary(snap: "LibrarySnapshot", info: "PlaylistInfo", sizes: dict[int, int]
             ) -> PlaylistSummary:
    from musicsage.library.playlists.m3u import shown_format
    from musicsage.search.playlist_query import json_playlist

    place = json_playlist(info.path)  # as a candidate's: the same path, source and uri
    source = place["source"]  # told by origin() once
    return PlaylistSummary(id=info.id, name=snap.playlist_name(info),
                           tracks=sizes.get(info.id, 0), entries=info.entries,
                           unresolved=info.unresolved,
                           format=shown_format(info.path, info.format), source=source,
                           path=place["path"], source_path=place["source_path"],
                           uri=place["uri"],  # None unless a file, as for a candidate
                           player=_player_label(info.path))


def _playlists_snapshot(ctx: "AppContext") -> "LibrarySnapshot":
    """What :func:`~musicsage.usecases.snapshot.load_snapshot` reads of the playlists, read
    by the same service functions; neither the tracks nor the models (their vectors are
    checked there, which takes seconds on a large library)."""
    from musicsage.library.browse import library_stats
    from musicsage.library.db import connect
    from musicsage.usecases.library import list_playlists, playlist_track_ids
    from musicsage.usecases.snapshot import LibrarySnapshot

    playlists = list_playlists(ctx)
    memberships = [(p.id, tid) for p in playlists for tid in playlist_track_ids(ctx, p.id)]
    return LibrarySnapshot(stats=library_stats(connect(ctx)), tracks=[], playlists=playlists,
                           memberships=memberships, audio_model=None, graph_model=None)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def playlist_summaries(ctx: "AppContext") -> list[PlaylistSummary]:
    """Every playlist of the library, by id (the window's list sorts them by name:
    :func:`~musicsage.controllers.playlist_order.sorted_playlists`)."""
    snap = _playlists_snapshot(ctx)
    sizes = snap.playlist_sizes()
    return [_summary(snap, p, sizes) for p in snap.playlists]


@runs(Mode.LOOKUP, progress=False, cancel=False)
def playlist_members(ctx: "AppContext", playlist: int | str) -> PlaylistMembers:
    """The playlist ``playlist`` names (an id, its file's path or its name, as ``suggest``
    takes it: :func:`~musicsage.usecases.suggest.resolve_playlist`) and its tracks in order."""
    from musicsage.library.browse import get_track_info, library_stats
    from musicsage.library.db import connect
    from musicsage.usecases.library import list_playlists, playlist_track_ids
    from musicsage.usecases.snapshot import LibrarySnapshot
    from musicsage.library.playlists.unmatched import unmatched_entries
    from musicsage.usecases.suggest import resolve_playlist

    pid = resolve_playlist(ctx, playlist)
    # that playlist's members and their tracks only: every track and every playlist's
    # members, read for one playlist, took seconds on a library of 100,000 tracks
    info = next((p for p in list_playlists(ctx) if p.id == pid), None)
    if info is None:  # removed between the two reads (a scan in another terminal)
        from musicsage.errors import MusicsageError

        raise MusicsageError(f"playlist {pid} is no longer in the library; try again")
    ids = playlist_track_ids(ctx, pid)
    conn = connect(ctx)
    found = {tid: get_track_info(conn, tid) for tid in dict.fromkeys(ids)}
    snap = LibrarySnapshot(stats=library_stats(conn), tracks=[], playlists=[info],
                           memberships=[(pid, tid) for tid in ids], audio_model=None,
                           graph_model=None)  # counted and named as the window does
    return PlaylistMembers(_summary(snap, info, snap.playlist_sizes()),
                           [(tid, found[tid]) for tid in ids],
                           unmatched_entries(conn, pid) if info.unresolved else [])

"""Search use cases (vectors → neighbours, 2-D map, playlists): what a click and ``similar`` do.

Every function takes ``spaces``, the :class:`~musicsage.usecases.spaces.SearchSpaces` of the
library kept by the caller (the window keeps one per library; left out, a fresh one is made
for the call).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence, TypeVar

from musicsage.search.types import SPACES, MapPoints, SimilarResult, TwoLists
from musicsage.usecases.embedding import LIBRARY_HAS_NO_TRACKS
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.graph_vectors import (map_directories, model_gone,
                                              spare_space_directory, space_directory)
from musicsage.usecases.spaces import SearchSpaces, with_left_out

if TYPE_CHECKING:
    import sqlite3

    from musicsage.context import AppContext
    from musicsage.search.m3u import Written

_Lists = TypeVar("_Lists", bound=TwoLists)
"""A similar or suggest result: :func:`embed_places_it` gives back what it was given."""


def _spaces(ctx: "AppContext", spaces: SearchSpaces | None) -> SearchSpaces:
    return spaces if spaces is not None else SearchSpaces(ctx)


def _contents(ctx: "AppContext | None"):
    """The content hashes of tracks and the verdict on those of one hash, as the lists fold
    copies by (:class:`~musicsage.search.same_file.TrackFiles`); None without a library."""
    if ctx is None:
        return None
    from musicsage.library.db import connect
    from musicsage.search.same_file import TrackFiles

    return TrackFiles(connect(ctx))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def resolve_query(ctx: "AppContext", query: int | str, *, notes: list[str] | None = None,
                  copies: bool = False) -> int:
    """The track id a user's QUERY names: a track id, a path, title/artist text or a file name.
    ``notes`` hears which track was taken when the text named copies of one file, and how
    to name the tracks titled as a bare number taken as a track id ("22": track #22 or
    Taylor Swift's "22"?). ``copies``: a file outside the library names its byte-identical
    copy in it (:func:`_library_copy`), and text naming copies of one file takes the first
    after a look at a few blocks of each — for a list to listen to (``similar``, ``radio``),
    never for a write (``suggest --add/--remove``: a user's playlist file is not to gain or
    lose a track the user did not name; every copy's bytes are compared whole there).

    Raises :class:`~musicsage.search.query.AmbiguousQuery` (``.candidates``, ``.total``) when
    text matches several tracks, :class:`~musicsage.errors.MusicsageError` when nothing does.
    """
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.library.queries import track_exists
    from musicsage.search.query import SQLITE_INT, AmbiguousQuery
    from musicsage.search.query import resolve_query as resolve

    conn = connect(ctx)
    if isinstance(query, int) and not isinstance(query, bool):
        if query not in SQLITE_INT or not track_exists(conn, query):
            raise MusicsageError(f"no track with id {query}")
        return query
    try:
        return resolve(conn, str(query), notes, verify=not copies)  # a write compares bytes
    except AmbiguousQuery:
        raise
    except MusicsageError:
        copy = _library_copy(conn, str(query), notes) if copies else None
        if copy is None:
            raise
        return copy


def _library_copy(conn: "sqlite3.Connection", query: str, notes: list[str] | None) -> int | None:
    """The present track whose file has the very bytes of the file QUERY names outside the
    library, the lowest id first; ``notes`` hears which track was taken, and where it is.
    ``similar ~/Downloads/song.flac``, a copy of a library track, said "not in the library
    (scan its folder first)": that scan would add the same song a second time, and its
    neighbours were the library copy's all along. The content hash (size and both ends) only
    picks whom to compare: another song of that length between the same silences has it too.
    None when QUERY names no regular file, or no present track's file holds its bytes."""
    from musicsage.library import queries
    from musicsage.library.moves import content_hash, current_hashes
    from musicsage.library.paths import display, is_file_path, shown, to_fs
    from musicsage.search.query import uri_as_path
    from musicsage.search.same_file import same_files

    fs_path = os.path.realpath(os.path.expanduser(uri_as_path(query.strip())))
    try:
        size = os.stat(fs_path).st_size if os.path.isfile(fs_path) else None
    except OSError:
        size = None
    digest = content_hash(fs_path, size) if size is not None else None
    if digest is None:
        return None
    rows = {int(r["id"]): r for r in queries.all_tracks(conn) if r["size"] == size
            and r["status"] == "present" and is_file_path(r["path"])}
    for track_id in sorted(t for t, h in current_hashes(conn, rows).items() if h == digest):
        if not same_files([fs_path, to_fs(rows[track_id]["path"])]):  # False when unreadable
            continue
        if notes is not None:  # the stored path shown: never through from_fs
            notes.append(f"{shown(query)} is not in the library, but a copy of it is: took "
                         f"#{track_id}, the same content at {display(rows[track_id]['path'])}")
        return track_id
    return None


@runs(Mode.LOOKUP, progress=False, cancel=False)
def similar_tracks(ctx: "AppContext", query: int | str, k: int = 10, space: str = "both", *,
                   variety: bool = False, spaces: SearchSpaces | None = None) -> SimilarResult:
    """The nearest tracks to ``query`` (see :func:`resolve_query`) in the graph and/or audio
    space. The query, its copies (same song under another id) and missing files are never
    listed; ``variety`` keeps at most one track per artist. Every row carries ``why``: shared
    playlists, same artist/album, its rank in each space, and the MusiCNN tags it shares
    with the query where both were tagged before (tags are read from the cache, never
    computed here: see :func:`musicsage.usecases.tags.tag_library`)."""
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.search.similar import similar_lists

    if space not in ("graph", "audio", "both"):
        raise MusicsageError(f"unknown space {space!r} (graph, audio or both)")
    if int(k) < 1:
        raise MusicsageError("k must be at least 1")
    track_id = resolve_query(ctx, query)
    spaces = _spaces(ctx, spaces)
    wanted = SPACES if space == "both" else (space,)
    every = {name: spaces.get(name) for name in SPACES}
    found = {name: every[name] if name in wanted else f"{name} space not requested"
             for name in SPACES}
    result = similar_lists(connect(ctx), track_id, found, k=int(k), space=space,
                           variety=bool(variety), rank_spaces=every,
                           tags_of=cached_tags_of(ctx))
    result = with_left_out(embed_places_it(ctx, result, track_ids=[track_id]), spaces, wanted)
    return with_placed_note(ctx, result, track_id)


def with_placed_note(ctx: "AppContext", result: SimilarResult, track_id: int) -> SimilarResult:
    """``result`` with the note that the saved graph model placed the query after training
    (:func:`~musicsage.usecases.graph_vectors.placed_note`: not in the model's training, a
    retrain learns from it) beside a full graph list that has no note of its own. The window
    said it under its lists; ``similar`` listed the same neighbours, on stderr and in its JSON
    ``notes``, without a word of it."""
    from dataclasses import replace

    from musicsage.usecases.graph_vectors import placed_note

    if not result.graph or "graph" in result.notes:
        return result
    note = placed_note(ctx, track_id)
    return replace(result, notes={**result.notes, "graph": note}) if note else result


def embed_places_it(ctx: "AppContext", result: _Lists, what: str = "the query track", *,
                    track_ids: Sequence[int] = ()) -> _Lists:
    """``result`` with its note that ``what`` (the query; for ``suggest``, "no member of the
    playlist") has no graph vector in the sentence radio says too
    (:func:`~musicsage.usecases.embedding.unplaced_note`): while the current model can place
    tracks it never saw (its model.pt is fine), ``embed`` gives them one in seconds (a
    ``models --use`` stopped before it placed them). The note said to Retrain, minutes of
    work and not needed. Query tracks (``track_ids``: the query, or the members) whose
    vectors are damaged beyond what an embed mends are told so in both spaces instead
    (:func:`~musicsage.usecases.graph_vectors.damaged_note`): embed could never place them."""
    from dataclasses import replace

    from musicsage.search.similar import no_vector_note
    from musicsage.usecases.embedding import unplaced_note
    from musicsage.usecases.graph_vectors import damaged_note

    notes = dict(result.notes)
    if notes.get("graph") == no_vector_note("graph", what):
        notes["graph"] = unplaced_note(ctx, what, track_ids)
    if notes.get("audio") == no_vector_note("audio", what):
        notes["audio"] = damaged_note(ctx, "audio", track_ids, what) or notes["audio"]
    return replace(result, notes=notes) if notes != result.notes else result


def cached_tags_of(ctx: "AppContext"):
    """``tags_of(facts)`` for :mod:`musicsage.search.why`: the tags cached for those tracks
    by the model the window shows (MusiCNN MSD)."""
    from musicsage.library.tag_cache import cached_tags
    from musicsage.usecases.tags import EXPLAIN_TAG_MODEL, with_content_hashes

    return lambda facts: cached_tags(ctx.cache_dir, with_content_hashes(ctx, facts).values(),
                                     EXPLAIN_TAG_MODEL)


def cached_map(ctx: "AppContext", space: str, *, spaces: SearchSpaces | None = None,
               relayout: bool = False) -> MapPoints | None:
    """The map of ``space`` if one is cached for its current vectors, or the saved one carried
    over to them when they changed only a little (tracks added, removed or re-embedded:
    :mod:`musicsage.search.placement`), else None. Quick (no UMAP): what a window shows
    before it starts computing. ``relayout``: None, a fresh layout is wanted."""
    from musicsage.search.projection import MapParams, extend_saved_map, load_cached_map_from

    spaces = _spaces(ctx, spaces)
    found = _space_or_raise(space, spaces)
    if relayout:
        return None
    directories = map_directories(ctx, found.space, found.model_id)
    xy = load_cached_map_from(directories, fingerprint=found.fingerprint,
                              track_ids=found.track_ids, params=MapParams())
    if xy is not None:
        return _points(ctx, found, xy, spaces, method="cached", cached=True, seconds=0.0)
    res = extend_saved_map(directories, fingerprint=found.fingerprint, model_id=found.model_id,
                           track_ids=found.track_ids, matrix=found.matrix,
                           row_keys=found.row_keys, gone=model_gone(ctx, found.model_id))
    if res is None:
        return None
    return _points(ctx, found, res.xy, spaces, method=res.method, cached=False,
                   seconds=res.seconds, placed=res.placed)


@runs(Mode.PROCESS, fast_path=cached_map)
def map_points(ctx: "AppContext", space: str, progress=None, cancel=None, *,
               spaces: SearchSpaces | None = None, relayout: bool = False) -> MapPoints:
    """2-D map coordinates of ``space`` ('graph' | 'audio').

    Cached per embedding fingerprint under ``ctx.search_dir`` (the graph space: one map per
    model, so going back to a model shows its own map); vectors that changed a little
    (tracks added, removed, re-embedded) keep the saved map, their new tracks placed on it;
    a new model, or much change since the last layout, recomputes it (UMAP, in a child
    process from the window: numba holds the GIL). A new graph model's layout starts from
    the previous model's map, so a Retrain keeps the map's arrangement
    (:mod:`musicsage.search.map_init`). ``relayout``: lay it out afresh anyway, from UMAP's
    own start — a fresh layout is what is asked for (Map ▸ Recompute map, ``map --relayout``).
    Raises MusicsageError when the space has no vectors yet,
    :class:`~musicsage.errors.Cancelled` when cancelled.
    """
    from musicsage.search.projection import compute_map
    from musicsage.search.umap_runtime import configure_numba_cache

    spaces = _spaces(ctx, spaces)
    found = _space_or_raise(space, spaces)
    configure_numba_cache(ctx.numba_cache_dir)
    res = compute_map(found, progress=progress, cancel=cancel, use_cache=not relayout,
                      directories=map_directories(ctx, found.space, found.model_id),
                      init_from=None if relayout else _previous_map_init(ctx, found),
                      gone=model_gone(ctx, found.model_id))
    return _points(ctx, found, res.xy, spaces, method=res.method, cached=res.cached,
                   seconds=res.seconds, placed=res.placed, note=res.note,
                   note_level=res.note_level)


def _previous_map_init(ctx: "AppContext", found):
    """Where a graph model's layout starts: the map of the model before it, in this
    library's own folders (:mod:`musicsage.search.map_init`); None for the audio space."""
    from musicsage.search.map_init import retrain_init

    if found.space != "graph":
        return None
    return retrain_init(space_directory(ctx, "graph"), spare_space_directory(ctx, "graph"),
                        found.model_id)


NO_TRACKS = "nothing to map: " + LIBRARY_HAS_NO_TRACKS
"""Why a library with no track at all (never scanned, or its only folder forgotten) has no
map, in ``embed``'s words: "0 tracks mapped" beside "no audio embeddings yet (… embed)" sent
the user to an embed with nothing to embed."""


def refuse_a_library_without_tracks(ctx: "AppContext") -> None:
    """Raise :data:`NO_TRACKS` when the library has no track at all."""
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.library.queries import any_tracks

    if not any_tracks(connect(ctx)):
        raise MusicsageError(NO_TRACKS)


def _space_or_raise(space: str, spaces: SearchSpaces):
    """``space``'s vectors, or the one line saying why it has no map (asked of the library
    only when the space has no track: a map of some tracks needs no count)."""
    from musicsage.errors import MusicsageError

    found = spaces.get(space)
    if isinstance(found, str) or not len(found.track_ids):
        refuse_a_library_without_tracks(spaces.ctx)
    if isinstance(found, str):
        raise MusicsageError(f"no {space} map: {found}")
    return found


def check_m3u_destination(ctx: "AppContext | None", path: str | os.PathLike, *,
                          overwrite: bool = False) -> str | os.PathLike:
    """Refuse a playlist destination for every reason :func:`write_m3u` would, in the one
    order both ``--m3u``'s check before any work and the write itself use: the library's
    playlist first (with ``ctx``; on an unmounted drive too, which the folder check would
    have called a missing folder), then, on a symbolic link's target, what
    :func:`musicsage.search.m3u.check_replaceable` refuses (a missing folder, a folder, a
    read-only file, and, without ``overwrite``, a file musicsage did not write). Returns the
    file to write: the link's target, so that the link stays."""
    from musicsage.search.m3u import check_replaceable

    if ctx is not None:
        _refuse_library_playlist(ctx, path)
    fs_path = os.path.expanduser(os.fspath(path))  # `--m3u=~/lnk.m3u8`: bash leaves the ~
    if os.path.islink(fs_path):  # through the link, as `suggest --add` does: a file renamed
        path = _link_target(fs_path)  # over it replaced the user's link (and kept a stale
        # target); an audio file behind a `.m3u` link is then refused as audio
    check_replaceable(path, overwrite=overwrite)
    return path


def _refuse_library_playlist(ctx: "AppContext", path: str | os.PathLike) -> None:
    from musicsage.errors import MusicsageError
    from musicsage.library import paths as P
    from musicsage.library.db import connect
    from musicsage.library.relations import playlist_at, playlist_names

    conn = connect(ctx)
    pid = playlist_at(conn, path)
    if pid is not None:
        dest = os.path.abspath(os.path.expanduser(os.fspath(path)))
        raise MusicsageError(
            f"{P.shown(dest)} is the library's playlist {playlist_names(conn)[pid]!r}: not "
            "overwritten (give a new file name; Add to playlist or `suggest --add` adds "
            "tracks to it, after a backup)")


def _link_target(link: str | os.PathLike) -> str:
    """Where the symbolic link ``link`` leads (it may not exist yet); a loop is refused."""
    from musicsage.errors import MusicsageError
    from musicsage.library import paths as P

    target = os.path.realpath(link)
    if os.path.islink(target):
        raise MusicsageError(f"cannot write playlist {P.shown(link)}: a loop of symbolic "
                             "links (nothing was written)")
    return target


def _points(ctx: "AppContext", found, xy, spaces: SearchSpaces, **how) -> MapPoints:
    """The map as shown; ``extra["notes"]``: where a model's map was kept other than with the
    library, and why (:func:`~musicsage.search.model_maps.map_folder_notes`) — the window
    shows it, the log it also goes to is only seen in a terminal — and the tracks left out
    for a damaged vector (:func:`_damaged_left_out`, also :attr:`MapPoints.left_out`)."""
    import numpy as np

    from musicsage.library.db import connect
    from musicsage.library.queries import present_track_ids
    from musicsage.search.model_maps import map_folder_notes

    present = np.isin(found.track_ids, present_track_ids(connect(ctx)))
    notes = map_folder_notes(space_directory(ctx, found.space),
                             spare_space_directory(ctx, found.space),
                             found.model_id if found.space == "graph" else None)
    left_out = _damaged_left_out(connect(ctx), found, spaces.left_out_ids(found.space))
    notes = [*notes, left_out] if left_out else notes
    return MapPoints(track_ids=found.track_ids, xy=xy, space=found.space, model_id=found.model_id,
                     present=present, fingerprint=found.fingerprint, left_out=left_out,
                     extra={"notes": notes} if notes else {}, **how)


def _damaged_left_out(conn: "sqlite3.Connection", found, other_version: frozenset[int]
                      ) -> str | None:
    """The line on the tracks the audio map leaves out for a stored vector that is damaged
    (NaN or infinite values, or the wrong length), which the space drops: ``map`` said "4
    tracks mapped" of a library of five, naming none. Only tracks with a vector of the model
    that the map lacks are read (none, as a rule), those of another version aside. An embed
    mends only those it can analyse again: how many, when not all ("it" of three, two gone)."""
    import numpy as np

    from musicsage.errors import EMBED_HINT
    from musicsage.library.damaged_vectors import (DAMAGE_WORDS, beyond_reanalysis,
                                                   left_out_for_damage)
    from musicsage.library.queries import embedding_times
    from musicsage.text import counted, noun

    if found.space != "audio":  # a graph model with a damaged vector is refused whole
        return None
    ids = embedding_times(conn, found.model_id)[0]
    unmapped = [int(t) for t in ids[~np.isin(ids, found.track_ids)] if int(t) not in other_version]
    damaged = left_out_for_damage(conn, found.model_id, unmapped, beyond=unmapped).tolist()
    if not damaged:
        return None
    n, mendable = len(damaged), len(damaged) - len(beyond_reanalysis(conn, found.model_id, damaged))
    said = (f"{counted(n, 'track')} left out: {noun(n, 'its', 'their')} {found.model_id} "
            f"{noun(n, 'vector is', 'vectors are')} damaged ({DAMAGE_WORDS})")
    which = noun(n, "it", "them") if mendable == n else f"{mendable} of them"  # not "it" of 3
    return said + (f"; an embed analyses {which} again ({EMBED_HINT})" if mendable else "")


@runs(Mode.LOOKUP, progress=False, cancel=False)
def write_m3u(path: str | os.PathLike, tracks: SimilarResult | Iterable[Mapping], *,
              name: str | None = None, ctx: "AppContext | None" = None,
              overwrite: bool = False) -> "Written":
    """Write an M3U8 playlist of ``tracks`` (rows with path, title, artist, duration), or of a
    :func:`similar_tracks` result (the query first, then its neighbours; named after the query
    unless ``name`` is given). Returns how many entries were written, and how many tracks
    were left out for want of an audio file (none at all is refused). With ``ctx``, a
    playlist file the library imported is refused: saving a list over it would replace the
    user's playlist, with no backup (adding to it is :func:`add_to_playlist`'s work). A
    symbolic link is written through: its target gets the list, the link stays. Another
    existing file is replaced only if it is a playlist this app wrote, or, with ``overwrite``
    (the user agreed: the window's save dialog asks), any other playlist file, backed up
    first in the data dir when it is the user's (:func:`musicsage.search.m3u.write_m3u`)."""
    from musicsage.library.playlists.backups import BACKUP_DIR
    from musicsage.search.m3u import write_m3u as write

    path = check_m3u_destination(ctx, path, overwrite=overwrite)
    rows, name = _playlist_rows(tracks, name, ctx)
    backups = ctx.data_dir / BACKUP_DIR if ctx is not None else None  # as Add keeps them
    return write(path, rows, name=name, overwrite=overwrite, backup_root=backups)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def m3u_playlist(tracks: SimilarResult | Iterable[Mapping], *, name: str | None = None,
                 ctx: "AppContext | None" = None) -> tuple[bytes, "Written"]:
    """The bytes :func:`write_m3u` would write for ``tracks`` (the same name and entries) and
    what they hold, for a playlist that goes elsewhere than a file (``--m3u -``: stdout); a
    list none of whose tracks has an audio file is refused as the write refuses it."""
    from musicsage.search.m3u import m3u_bytes

    rows, name = _playlist_rows(tracks, name, ctx)
    return m3u_bytes(rows, name=name)


def _playlist_rows(tracks: SimilarResult | Iterable[Mapping], name: str | None,
                   ctx: "AppContext | None") -> tuple[Iterable[Mapping], str | None]:
    """A playlist's rows and name, one rule for a file and for stdout: a
    :func:`similar_tracks` result is the query then its neighbours, a song in both lists (or
    a copy of it) once, named after the query unless ``name`` is given."""
    from musicsage.search.report import track_label

    if not isinstance(tracks, SimilarResult):
        return tracks, name
    return (tracks.playlist_tracks(_contents(ctx)),
            name or f"Similar to {track_label(tracks.query)}")

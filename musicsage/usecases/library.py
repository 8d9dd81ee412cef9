"""Library use cases (files → DB): scan, removing a folder, counts, browsing, search, dataset
dirs.

Each opens the DB of ``ctx`` itself (one connection per thread, see
:mod:`musicsage.library.db`), so a front end may call it from any worker thread. Heavy
imports stay inside the functions: importing this module (window start-up, ``--help``) is
cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.scan_paths import (  # noqa: F401  names kept here
    ScanPaths, checked_scan_paths, lone_playlist_problem)

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.library.browse import LibraryStats, PlaylistInfo, TrackInfo
    from musicsage.library.dataset import DatasetReport
    from musicsage.library.forget import ForgetReport, MissingReport
    from musicsage.library.scan import ScanReport
    from musicsage.progress import CancelToken
    from os import PathLike


@runs(Mode.THREAD)
def scan_library(ctx: "AppContext", paths: Sequence[str] = (), playlists: Sequence[str] = (),
                 progress=None, cancel=None, *, refresh_playlists: bool = True,
                 checked: "ScanPaths | None" = None,
                 refuse_unreadable: bool = True) -> "ScanReport":
    """Scan music folders/files, then import playlist files/folders.

    No ``paths`` and no ``playlists``: re-scan every folder scanned before. Given paths must
    exist (a typo must not mark a folder's tracks missing); a remembered root that vanished
    (unmounted drive) marks its tracks missing, keeping them. With ``refresh_playlists``,
    playlist files imported before are re-imported when their file changed, or when this scan
    added tracks and they have unresolved entries; a playlist whose file is gone from its
    folder leaves the library (``playlists_gone``), one whose folder is gone stays, and a
    gone file's rename in its folder (same size and time) is imported.

    Playlist files in the music folders are not imported (rippers leave one per album) but
    counted (``playlist_files``, less those imported now); the text tells of them only when
    music folders were named, not on every plain re-scan.

    ``checked``: what :func:`checked_scan_paths` said of these ``paths`` and ``playlists``
    just before (the command line checks before it makes the data dir), not checked again;
    the audio files it read are not read again either, unless they changed since.
    ``refuse_unreadable``: as :func:`checked_scan_paths` (the window's drop: False).
    An audio file named in ``paths`` is read even at the size and time stored when its
    content hash no longer matches (retagged while no watch ran, its time put back).
    """
    import os

    from musicsage.errors import MusicsageError
    from musicsage.library import paths as P
    from musicsage.library.db import connect
    from musicsage.library.playlists import import_playlists, playlists_to_reimport
    from musicsage.library.queries import library_roots
    from musicsage.library.scan import ScanReport, scan_roots

    checked = checked or checked_scan_paths(paths, playlists, refuse_lone_playlist=False,
                                            refuse_unreadable=refuse_unreadable)
    playlist_paths, roots = list(checked.playlists), list(checked.roots)
    conn = connect(ctx)  # after the check: a refused path must not start a library
    if not paths and not playlist_paths:
        roots = [P.to_fs(r) for r in library_roots(conn)]
        if not roots:
            raise MusicsageError("nothing to scan: give a music folder (e.g. `musicsage scan ~/Music`)")
    named = [r for r in roots if paths and os.path.isfile(r)]  # a time put back: read them
    report = (scan_roots(conn, roots, progress=progress, cancel=cancel, written=named,
                         prober=checked.probed.probe) if roots else ScanReport())
    refreshing: list[str] = []  # re-read only because the library grew: report only news
    if refresh_playlists:  # a playlist whose file is gone leaves; its file renamed comes in
        playlist_paths, refreshing, report.playlists_gone = playlists_to_reimport(
            conn, list(playlist_paths), library_grew=report.added + report.reappeared > 0,
            progress=progress, cancel=cancel, unreachable=report.playlists_unreachable)
    if playlist_paths:
        report.playlists = import_playlists(conn, playlist_paths, refreshing=refreshing,
                                            read=checked.players, progress=progress,
                                            cancel=cancel)
        said = {p.path for p in report.playlists}  # imported now, or its error was said
        report.playlist_files = [f for f in report.playlist_files if f not in said]
    report.tell_playlist_files = bool(paths)
    return report


def checked_dataset_dir(src_dir: "str | PathLike[str]") -> None:
    """Refuse a dataset dir that is missing or holds no tracks.csv, before the library is
    opened or made (``import /typo`` left an empty library behind)."""
    from musicsage.library.dataset import dataset_source

    dataset_source(src_dir)


@runs(Mode.THREAD)
def forget_folder(ctx: "AppContext", folder: str, progress=None, cancel=None) -> "ForgetReport":
    """Remove a remembered music folder from the library: its tracks leave it (with their
    audio vectors), playlists keep their entries (unresolved), no file is touched; adding the
    folder back brings the tracks back (:mod:`musicsage.library.forget`). A dataset dir that
    was imported is taken too: its playlists and file-less tracks leave the library (the
    report is then a ``ForgottenDataset``, with a summary of its own)."""
    from musicsage.library.db import connect
    from musicsage.library.forget import forget_root

    return forget_root(connect(ctx), folder, progress=progress, cancel=cancel)


@runs(Mode.THREAD)
def forget_missing_tracks(ctx: "AppContext", folders: Sequence[str] = (), progress=None,
                          cancel=None, *, asked: "MissingReport | None" = None
                          ) -> "MissingReport":
    """Remove the tracks whose files are gone (under ``folders`` if given) from the library,
    as :func:`forget_folder` removes a folder's; those of a music folder that is itself gone
    (a drive unplugged) are kept unless it is named
    (:func:`~musicsage.library.forget.forget_missing`). ``forget --missing`` and the window's
    File › Remove missing tracks, which passes the check its question named and the user
    confirmed (``asked``, from :func:`missing_to_remove`): only those tracks go, not files
    gone missing while the question was open."""
    from musicsage.library.db import connect
    from musicsage.library.forget import forget_missing

    return forget_missing(connect(ctx), folders, asked=asked, progress=progress, cancel=cancel)


@runs(Mode.LOOKUP, progress=False)
def missing_to_remove(ctx: "AppContext", cancel=None) -> "MissingReport":
    """What :func:`forget_missing_tracks` with no folder would remove (nothing removed): the
    window's question names that count, not the missing tracks of an unplugged drive.
    ``cancel`` (the task's Cancel, a newer check) stops it between two files."""
    from musicsage.library.db import connect
    from musicsage.library.forget import missing_to_remove as planned

    return planned(connect(ctx), cancel=cancel)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def music_folders(ctx: "AppContext") -> list[tuple[str, int]]:
    """The library's music folders as shown, each with how many tracks lie under it (what
    File › Remove music folder lists): each name is the folder's alone
    (:func:`~musicsage.library.forget.folder_names`), so :func:`forget_folder` given it
    removes that folder, never another one that reads the same."""
    from musicsage.library.db import connect
    from musicsage.library.forget import folder_names
    from musicsage.library.queries import music_folders as folders_of

    folders = folders_of(connect(ctx))
    return list(zip(folder_names([root for root, _n in folders]), [n for _r, n in folders]))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def library_stats(ctx: "AppContext") -> "LibraryStats":
    """Counts of tracks, playlists, errors and vectors; ``.to_dict()`` is ``stats --json``.
    The current graph model's summary says how many tracks it did not see in training
    (``unseen``), how many of those have vectors from the saved model (``inductive``), how
    many it saw (``seen``) and how many present tracks have no vector of its audio model
    (``no_vector``: neither seen nor unseen, and without a graph vector).
    ``tracks.needs_analysis`` counts what ``embed`` would analyse for the audio model the
    library shows (the tracks' flags only when that cannot be told); ``tracks.unreadable``
    those of them whose analysis failed (every ``embed`` retries them), which a "to analyse"
    count that never went down hid among the rest; ``tracks.too_short`` those of the failed
    only too short to analyse (:mod:`~musicsage.usecases.track_counts`)."""
    import dataclasses

    from musicsage.audio.selection import pending_analysis
    from musicsage.library.browse import library_stats as stats
    from musicsage.library.browse import without_audio_file
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import no_vector_ways
    from musicsage.usecases.graph_vectors import coverage
    from musicsage.usecases.models import current_model_learned, current_model_problem
    from musicsage.usecases.track_counts import said_stats

    conn = connect(ctx)
    found = stats(conn)
    pending = pending_analysis(ctx)  # "to analyse": what embed would do, not a stale flag
    found = said_stats(ctx, found, pending)  # of the failed, the clicks too short said apart
    if found.graph_model is None:
        return found
    known = coverage(ctx, conn)
    graph = dict(found.graph_model, unseen=None if known is None else known.unseen,
                 inductive=0 if known is None else known.inductive,
                 seen=None if known is None else known.seen,
                 no_vector=0 if known is None else known.no_vector,
                 left_out=0 if known is None else known.left_out,
                 no_vector_no_file=without_audio_file(conn, found.graph_model["audio_model"])[1],
                 problem=current_model_problem(ctx),  # what `models` shows as DAMAGED
                 learned=current_model_learned(ctx))  # False: its figures are of no training
    graph["no_vector_ways"] = no_vector_ways(ctx, conn, graph["audio_model"], graph["no_vector"],
                                             graph["no_vector_no_file"])._asdict()
    return dataclasses.replace(found, graph_model=graph)


@dataclass(frozen=True)
class SeenInTraining:
    """What a line about the graph model tells of the tracks it did not see in training, from
    ``stats``' ``graph_model`` summary (:func:`seen_in_training`). Decided once here so that
    the ``stats`` line and the window's model line cannot disagree; each front end only puts
    it in its own words."""

    unseen: int
    """Tracks with a vector of its audio model that training did not see (0: none, or it
    cannot be told)."""
    inductive: int
    """Tracks with a graph vector from the saved model, without retraining."""
    no_vector: int
    """Present tracks with no vector of its audio model: no graph vector either."""
    all_seen: bool
    """Every track seen in training: none unseen, none without a vector, not an empty count."""
    none_with_vector: bool
    """No track of the library has a vector of its audio model (none unseen, seen or without
    one: after every folder was removed), where "every track seen" would be untrue."""


def seen_in_training(graph_model: dict) -> SeenInTraining:
    """Classify :func:`library_stats`' ``graph_model`` summary. Never "every track seen" while
    some track has no vector of its audio model, or training left one out for a damaged one
    (``left_out``: neither is seen nor unseen; the front ends word it), when nothing
    was seen, or when the unseen tracks cannot be told (``unseen`` None: nothing is said)."""
    unseen, seen = graph_model.get("unseen"), graph_model.get("seen")
    no_vector, left_out = graph_model.get("no_vector") or 0, graph_model.get("left_out") or 0
    # nothing left unseen, without a vector, or left out of training for a damaged one
    settled = unseen == 0 and not no_vector and not left_out
    return SeenInTraining(unseen=unseen or 0, inductive=graph_model.get("inductive") or 0,
                          no_vector=no_vector, all_seen=settled and seen != 0,
                          none_with_vector=settled and seen == 0)


@runs(Mode.THREAD, cancel=False)
def import_dataset(ctx: "AppContext", dir, *, progress=None, read=None) -> "DatasetReport":
    """Import a dataset dir (tracks.csv, memberships.csv, features.npy; docs/dataset-dir.md).
    ``progress`` hears it when the import waits for a scan of the library to finish. ``read``:
    ``dir``'s files as :func:`~musicsage.library.dataset_read.read_dataset` read them in the
    same command (the CLI's check before it makes a library), not to read them twice."""
    from musicsage.library.dataset import import_dataset as run
    from musicsage.library.db import connect

    checked_dataset_dir(dir)
    rep = run(connect(ctx), dir, progress=progress, read=read)
    if rep.analysis and rep.audio_model:  # the settings its vectors were made with
        from musicsage.audio.selection import adopt_analysis

        note = adopt_analysis(ctx, rep.audio_model, rep.analysis)
        rep.notes += [note] if note else []
    return rep


@runs(Mode.THREAD, progress=False, cancel=False)
def export_dataset(ctx: "AppContext", dir, audio_model: str | None = None) -> "DatasetReport":
    """Write the library as a dataset dir (features of ``audio_model``, a full id or a unique
    prefix such as 'openl3'; default: the chosen/most complete model). ``dir`` must be a
    folder (made if missing): an existing file there is refused and left as it was. A full
    disk, or a folder that cannot be written (a refusal naming no file only once a probe finds
    it so: one raised reading the library is no folder's), is named with what to do: the
    system's line named no disk, or the hidden stage folder, no way out, nor the export kept."""
    import errno
    import os
    from pathlib import Path

    from musicsage.audio.selection import analysis_behind
    from musicsage.errors import MusicsageError
    from musicsage.library.dataset import EXPORT_FILES, export_dataset as run
    from musicsage.library.dataset_export import export_files_state, unwritable_export_line
    from musicsage.usecases.export_dir import check_export_dir
    from musicsage.library.db import connect
    from musicsage.library.db_problems import NOT_WRITABLE_ERRORS, unwritable_folder

    from musicsage.library.paths import home_expanded

    out = home_expanded(dir, suffix=" (nothing was written)")
    if out.exists() and not out.is_dir():
        raise MusicsageError(f"{dir} is a file: a dataset dir is a folder (tracks.csv, "
                             "memberships.csv, features.npy); nothing was written")
    check_export_dir(ctx, out)  # not the data dir; its folder there (DIR itself is made)
    before = export_files_state(out, EXPORT_FILES)
    try:
        return run(connect(ctx), dir, audio_model=audio_model,
                   analysis_of=lambda model, version: analysis_behind(ctx, model, version))
    except OSError as exc:  # the folder's refusal names a file in it, or none (a write's)
        if exc.errno in NOT_WRITABLE_ERRORS and (
                Path(os.fsdecode(exc.filename)).parent == out.resolve() if exc.filename
                else unwritable_folder(out) is not None):
            raise MusicsageError(unwritable_export_line(
                out.resolve(), exc, before, export_files_state(out, EXPORT_FILES))) from None
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        what = exc.strerror or str(exc)
        what += f": {os.fsdecode(exc.filename)}" if exc.filename else ""
        raise MusicsageError(f"the disk holding {out.resolve()} is full ({what}): make room "
                             "and export again") from exc


@runs(Mode.LOOKUP, progress=False, cancel=False)
def list_tracks(ctx: "AppContext", *, present_only: bool = False) -> "list[TrackInfo]":
    """Every track, by id."""
    from musicsage.library.browse import list_tracks as run
    from musicsage.library.db import connect

    return run(connect(ctx), present_only=present_only)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def get_track(ctx: "AppContext", track_id: int) -> "TrackInfo | None":
    from musicsage.library.browse import get_track_info
    from musicsage.library.db import connect

    return get_track_info(connect(ctx), track_id)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def list_playlists(ctx: "AppContext") -> "list[PlaylistInfo]":
    """Every playlist with its entry/resolved/unresolved counts, by id."""
    from musicsage.library.browse import list_playlists as run
    from musicsage.library.db import connect

    return run(connect(ctx))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def playlist_track_ids(ctx: "AppContext", playlist_id: int) -> list[int]:
    """Resolved track ids of a playlist, in order."""
    from musicsage.library.browse import playlist_track_ids as run
    from musicsage.library.db import connect

    return run(connect(ctx), playlist_id)


@runs(Mode.LOOKUP, progress=False)
def search_tracks(ctx: "AppContext", text: str, *, limit: int | None = 50,
                  tracks: "Sequence[TrackInfo] | None" = None,
                  cancel: "CancelToken | None" = None) -> "list[TrackInfo]":
    """Tracks matching every word of ``text`` in title/artist/album/genre/file name, best
    first. ``tracks``: the window's library snapshot's, searched instead of a read of the
    library, their text folded once per snapshot (a keystroke scans prepared strings); a
    search ``cancel`` stops (a newer keystroke's) ends at its next look at it."""
    from musicsage.library.browse import search_in
    from musicsage.library.browse import search_tracks as run
    from musicsage.library.db import connect

    if tracks is None:
        return run(connect(ctx), text, limit=limit)
    return search_in(tracks, text, limit=limit, cancel=cancel)

"""Library use cases (files → DB): scan, removing a folder, counts, browsing, search, dataset
dirs.

Each opens the DB of ``ctx`` itself (one connection per thread, see
:mod:`musicsage.library.db`), so a front end may call it from any worker thread. Heavy
imports stay inside the functions: importing this module (window start-up, ``--help``) is
cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from musicsage.usecases.execution import Mode, runs

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.library.browse import LibraryStats, PlaylistInfo, TrackInfo
    from musicsage.library.dataset import DatasetReport
    from musicsage.library.forget import ForgetReport, MissingReport
    from musicsage.library.playlists.players import PlayerFileRead
    from musicsage.library.probed import ProbedFiles
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
    """
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
            raise MusicsageError("nothing to scan: give a music folder (e.g. musicsage scan ~/Music)")
    report = (scan_roots(conn, roots, progress=progress, cancel=cancel,
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


@dataclass(frozen=True)
class ScanPaths:
    """What a scan was given, checked (:func:`checked_scan_paths`): absolute OS paths, and
    what reading the audio files named found (:class:`~musicsage.library.probed.ProbedFiles`:
    the scan takes it instead of decoding each file again), and the player's library file
    read when it was all the scan was given (by OS path; the import takes it likewise)."""

    playlists: list[str]
    roots: list[str]
    probed: "ProbedFiles"
    players: "dict[str, PlayerFileRead]" = field(default_factory=dict)


def checked_scan_paths(paths: Sequence[str] = (), playlists: Sequence[str] = (), *,
                       refuse_lone_playlist: bool = True,
                       refuse_unreadable: bool = True) -> ScanPaths:
    """The playlist files and music roots a scan was given, as absolute paths, refused in one
    line when one is missing or not music, or is an audio file that cannot be read. Called
    before anything is opened or made (here and by the command line before it makes the data
    dir): ``scan /typo`` into a new ``--data-dir`` left an empty library behind, and so did
    ``scan junk.mp3``, which then listed the file as a music folder. An unreadable file inside
    a folder given is the scan's to report (an error line; the scan goes on). What the files
    read said is kept: give the result to :func:`scan_library` so that it reads none again.

    ``refuse_lone_playlist`` (the command line): a playlist file that cannot be imported,
    when it is all the scan was given, is refused too (``scan --playlists bad.xspf`` printed
    a warning and exited 0, as if it had worked; so did a broken iTunes ``Library.xml``); one
    among others is the scan's to report. The window's drop says it in its summary either
    way.

    ``refuse_unreadable`` False (the window's drop): an audio file given that
    cannot be read is the scan's to report, as one inside a folder is, so that one stray file
    does not stop the rest (a FIFO or a device is still refused: opening it could block)."""
    import os

    from musicsage.errors import MusicsageError
    from musicsage.library.paths import shown
    from musicsage.library.probed import ProbedFiles
    from musicsage.library.scan import resolve_roots
    from musicsage.library.tags import UnreadableAudio

    playlist_paths = resolve_roots(playlists, must_exist=True)
    roots = resolve_roots(paths, must_exist=True, music=True) if paths else []
    probed = ProbedFiles()
    for root in (r for r in roots if not os.path.isdir(r)):
        try:
            if not os.path.isfile(root):  # a FIFO or a device: opening it could block
                raise UnreadableAudio("not a regular file")
            if refuse_unreadable:
                probed.read(root)
        except UnreadableAudio as exc:
            raise MusicsageError(f"{shown(root)} cannot be read: {exc}; nothing was "
                                 "scanned") from exc
    lone = playlist_paths[0] if len(playlist_paths) == 1 and not roots else None
    players: dict = {}
    problem = (lone_playlist_problem(lone, players) if refuse_lone_playlist and lone
               else None)
    if problem:
        raise MusicsageError(f"{shown(lone)}: {problem}")
    if refuse_lone_playlist and not roots:
        _refuse_empty_playlist_folders(playlist_paths)
    return ScanPaths(playlist_paths, roots, probed, players)


def _refuse_empty_playlist_folders(playlist_paths: Sequence[str]) -> None:
    """``scan --playlists FOLDER…`` where no folder holds a playlist file, and nothing else was
    given: one line, before the data dir is made (it printed nothing, exited 0 and left an
    empty library behind). A folder holding a player's library file (Rhythmbox's) or one that
    cannot be listed is scanned (:func:`~musicsage.library.playlists.no_playlists_in`)."""
    from musicsage.errors import MusicsageError
    from musicsage.library.paths import shown_exactly
    from musicsage.library.playlists import no_playlists_in

    if playlist_paths and all(no_playlists_in(p) for p in playlist_paths):
        where = ", ".join(shown_exactly(p) for p in playlist_paths)
        raise MusicsageError(f"no playlist files in {where}; nothing was scanned")


def lone_playlist_problem(fs_path: str, players: dict | None = None) -> str | None:
    """Why the playlist file at ``fs_path`` would not import, in the words the scan uses
    (:func:`~musicsage.library.playlists.store.import_playlist_file`,
    :func:`~musicsage.library.playlists.players.import_player_library`), or None: a folder of
    playlists and a file that reads are left to the scan. A player's library file is read
    whole (a ``Library.xml`` that does not parse is refused as a broken M3U is; what its
    reader skips is the scan's to report); what it read goes in ``players``, so that the scan
    does not read it again."""
    import os

    from musicsage.library.playlists import (PlaylistError, format_for, player_format_for,
                                             playlist_extensions)
    from musicsage.library.playlists.players import player_read_problem, read_player_file
    from musicsage.library.playlists.store import read_playlist_bytes

    if os.path.isdir(fs_path):
        return None
    player = player_format_for(fs_path)
    if player is not None:
        try:
            read = read_player_file(fs_path, player)
        except (OSError, PlaylistError) as exc:
            return player_read_problem(exc)
        if players is not None:
            players[fs_path] = read
        return None
    fmt = format_for(fs_path)
    if fmt is None:
        return f"not a playlist file (extension not one of {' '.join(playlist_extensions())})"
    try:
        fmt.parse(read_playlist_bytes(fs_path)[1], os.path.basename(fs_path))
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    except PlaylistError as exc:
        return str(exc)
    return None


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
    count that never went down hid among the rest."""
    import dataclasses

    from musicsage.audio.selection import pending_analysis
    from musicsage.library.browse import library_stats as stats
    from musicsage.library.browse import without_audio_file
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import no_vector_ways
    from musicsage.usecases.graph_vectors import coverage
    from musicsage.usecases.models import current_model_problem

    conn = connect(ctx)
    found = stats(conn)
    pending = pending_analysis(ctx)  # "to analyse": what embed would do, not a stale flag
    if pending is not None:
        found = dataclasses.replace(found, tracks=dataclasses.replace(
            found.tracks, needs_analysis=pending[0], unreadable=pending[1]))
    if found.graph_model is None:
        return found
    known = coverage(ctx, conn)
    graph = dict(found.graph_model, unseen=None if known is None else known.unseen,
                 inductive=0 if known is None else known.inductive,
                 seen=None if known is None else known.seen,
                 no_vector=0 if known is None else known.no_vector,
                 left_out=0 if known is None else known.left_out,
                 no_vector_no_file=without_audio_file(conn, found.graph_model["audio_model"])[1],
                 problem=current_model_problem(ctx))  # what `models` shows as DAMAGED
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
def import_dataset(ctx: "AppContext", dir, *, progress=None) -> "DatasetReport":
    """Import a dataset dir (tracks.csv, memberships.csv, features.npy; docs/dataset-dir.md).
    ``progress`` hears it when the import waits for a scan of the library to finish."""
    from musicsage.library.dataset import import_dataset as run
    from musicsage.library.db import connect

    checked_dataset_dir(dir)
    rep = run(connect(ctx), dir, progress=progress)
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

    out = Path(dir).expanduser()
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

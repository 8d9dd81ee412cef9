"""Library ⇄ dataset dir (docs/dataset-dir.md): ``tracks.csv``, ``memberships.csv``, ``features.npy``.

Export (library → dir):

- ``tracks.csv``: ``track_id,title,artist,album,path,content_hash`` — track_id is the
  library's track id; path the absolute file path (empty for tracks that have no file, see
  below); content_hash the hash of the file's content as the library recorded it
  (:func:`musicsage.library.moves.content_hash`, written ``musicsage1:<hex>``; empty when not
  known), which tells an import whether the file is still the one the vectors were made from.
  A ``source`` column is added when a track has no file: its ``dataset:<dir>#<id>`` path,
  the identity that lets an import back into this library recognise it.
- ``memberships.csv``: ``playlist_id,track_id`` — resolved playlist entries, de-duplicated, in
  playlist order; playlist_id is the library's playlist id.
- ``playlists.csv`` (an extra, optional file): ``playlist_id,name`` — the name of every
  playlist memberships.csv names, so that an import shows "Road trip", not "12".
- ``features.npy``: float32 ``[n, d]`` of one audio model, row i = row i of tracks.csv. Which
  model: the one asked for (a full id, or a prefix such as ``openl3`` matching one model), else
  the ``audio_model`` setting when it has embeddings, else the model with the most embeddings.
  When a model is used, only tracks that have its embedding are exported (the file must be
  complete); the report says how many were left out. No embeddings at all → all tracks, no
  features.npy.
- ``features.json`` (an extra, optional file): ``{"model_id", "model_version"}`` so that an
  import restores the embeddings under the same audio model id (and ``analysis``, the settings
  they were made with, when the caller knows them), and fingerprints of the exported track
  ids (in order) and vectors. Both readers (import, ``train --dataset``) compare the
  fingerprints and refuse a folder whose pair does not match them in one line
  (:func:`musicsage.library.dataset_features.read_features_json`).

An export into a folder that holds an earlier one wrote its files one by one; killed half-way,
it left one export's features.npy beside the other's tracks.csv. It writes them into a hidden
stage now, swapped in as a set (:func:`musicsage.files.replaced_together`): killed, the folder
holds the earlier export whole, or — killed in the instant of the swap — no tracks.csv, which
both readers refuse as an interrupted export. The next export removes a dead one's stage.

Import (dir → library), all in one transaction (a bad file changes nothing):

- A row with a ``path`` names a real file (relative paths are taken relative to the dataset dir):
  the track is matched by that path (or is the one a scan found moved from it, of the same
  content: :func:`~musicsage.library.dataset_moved.moved_track`), or created
  (``needs_analysis=1``, 0 once it gets an embedder's vector from features.npy; size/mtime
  unknown, so the next scan of its folder reads its tags and records them, keeping its
  vectors — unless the row's ``content_hash`` differs from the file's then: the file was
  rewritten since the export, and the scan treats it as changed). A track the library has
  scanned whose hash (recorded, or read now when none is current) differs from the row's is
  another content than the vectors': its vectors are not imported. A ``content_hash`` of
  another kind (another tool's sha256 …) is ignored, with a note: compared, it would have
  called every file rewritten.
- A row without a path becomes a track with the synthetic path ``dataset:<dir>#<track_id>``,
  status 'present' and ``needs_analysis=0``: no audio, its vector (if any) from features.npy.
  A scan only marks missing the tracks under the folders it scans, and a synthetic path is
  under none: such tracks are never marked missing by a later scan; the embedder skips them
  (no file to decode: see :func:`musicsage.library.queries.tracks_needing_embedding`). Unless
  its ``source`` names such a track of this library (:func:`_sourced_tracks`): the row is that
  track, and the dir an export of this library: the playlists other imports stored are its own.
- Integer track/playlist ids are kept as the library's ids when free (so export → import into an
  empty library → export reproduces the same files): every free one first, then new ids.
- Playlists get the synthetic path ``dataset:<dir>#<playlist_id>``; re-importing the same dir
  updates them in place. Their names come from ``playlists.csv`` where it names them, else
  they are named by their ids. A playlist the library already has — the same name, and the
  same tracks in the same order among the tracks the dir holds: what an export of this
  library wrote — is not stored again (importing an export of the library into it doubled
  every playlist); a copy of it that an earlier import of the same dir stored is removed.
- ``features.npy`` is stored as audio embeddings under ``features.json``'s model id when present,
  else under ``spectral-dataset`` (version ``dataset``): audio model ids must start with
  openl3/musicnn/spectral, the features' true origin is unknown, and ``spectral-dataset`` is never
  produced (or judged stale) by an embedder, so these rows are not overwritten by ``embed``. The
  ``audio_model`` setting is set to that id if unset, so training on the library uses them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.files import replace_atomically, replaced_together, save_npy_atomically
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.dataset_content import check_content, other_content_note
from musicsage.library.dataset_export import claimed_export_dir, csv_text, finite_rows, repeats_note
from musicsage.library.dataset_features import (choose_audio_model, export_fingerprints,
                                                exported_vectors)
from musicsage.library.dataset_names import record_names
from musicsage.library.dataset_moved import (import_playlists_beside_files, moved_track,
                                             no_file_note)
from musicsage.library.dataset_playlists import memberless_notes, unnamed_note
from musicsage.library.dataset_read import (  # noqa: F401 (dataset_source: the use cases')
    DATASET_MODEL_ID, DatasetFiles, dataset_source, lookalike_hint, overlong_note,
    read_dataset, row_id, unkept_ids_note)
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.lock import scan_lock
from musicsage.library.moves import exported_hashes
from musicsage.library.track_ids import free_track_id, next_track_id
from musicsage.progress import ProgressFn
from musicsage.text import counted, noun

TRACK_COLUMNS = ("track_id", "title", "artist", "album", "path", "content_hash")
PLAYLIST_COLUMNS = ("playlist_id", "name")


@dataclass
class DatasetReport:
    dir: str
    tracks: int = 0
    playlists: int = 0
    memberships: int = 0
    features: tuple[int, int] | None = None
    audio_model: str | None = None
    skipped_tracks: int = 0
    """export: tracks left out for lacking the chosen model's embedding (or one of the
    version features.json names)."""
    unknown_memberships: int = 0
    """import: membership rows naming a track_id absent from tracks.csv (kept unresolved)."""
    known_playlists: int = 0
    """import: playlists the library already had
    (:func:`~musicsage.library.dataset_playlists.import_playlists`): not stored again, and not
    counted in ``playlists`` nor ``memberships``."""
    new_tracks: int = 0
    """import: of ``tracks``, those it added; the others were in the library already (their
    files, this library's export naming them, an earlier import of the dir)."""
    new_playlists: int = 0
    """import: of ``playlists``, those it added (the others: an earlier import's, updated)."""
    updated_playlists: int = 0
    """import: of the others, those whose name or entries the dir changed."""
    removed_playlists: int = 0
    """import: playlists an earlier import of the dir stored that it no longer holds."""
    replaced_vectors: int = 0
    """import: vectors stored over another one a track had (of the same model)."""
    given_vectors: int = 0
    """import: vectors given to tracks the library had, that had none of that model."""
    analysis: dict | None = None
    """features.json's ``analysis``: the hop/max_seconds the vectors were made with, if known."""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# --- export -----------------------------------------------------------------------------------


def _write_csv(path: Path, header, rows) -> None:
    replace_atomically(path, csv_text(header, rows).encode("utf-8"), durable=True)


#: what an export writes (and replaces in a folder an earlier export wrote), in the order it
#: swaps them in: tracks.csv last (removed first); the features first, or not at all
EXPORT_FILES = ("features.npy", "features.json", "memberships.csv", "playlists.csv", "tracks.csv")


def export_dataset(conn, out_dir: str | os.PathLike, *, audio_model: str | None = None,
                   analysis_of: Callable[[str, str], dict | None] | None = None
                   ) -> DatasetReport:
    """Write the library as a dataset dir (module doc). ``analysis_of(model_id, version)``:
    the analysis settings (hop, max_seconds) that made vectors of that version, if known
    (written into features.json, so that an import can keep them current)."""
    P.given_path(out_dir, "the export folder", "a folder to write the dataset into")
    out = P.home_expanded(out_dir, suffix=" (nothing was written)").resolve()  # ~nouser: refused
    rep = DatasetReport(dir=P.shown(out))  # as messages show paths (not OS stand-ins)
    # read as one snapshot: a scan committing between two reads paired a file's old vector
    # with its new content_hash (taken by an import as the new content's), say
    with transaction(conn, immediate=False):
        model = choose_audio_model(conn, audio_model)
        tracks = q.all_tracks(conn)
        matrix, version = None, ""
        if model is not None:
            tracks, matrix, version = exported_vectors(conn, model, tracks, rep)
            tracks, matrix = finite_rows(tracks, matrix, model, rep)
        exported = {t["id"] for t in tracks}
        pairs = [(pl, tr) for pl, tr in q.memberships(conn) if tr in exported]
        hashes, playlists = exported_hashes(conn), q.playlist_rows(conn)
        repeats = repeats_note(conn, exported, playlists)  # memberships.csv lists each once
    rep.analysis = analysis_of(model, version) if model and analysis_of and tracks else None
    named = {pl for pl, _ in pairs}
    # written into a stage, then swapped in as a set, tracks.csv removed first and put in
    # last: killed, the folder never holds one export's features.npy beside another's
    # tracks.csv; killed in the swap, it holds no tracks.csv, which import and train refuse
    # saying the export was interrupted (dataset_files.interrupted_hint)
    names = EXPORT_FILES if matrix is not None else EXPORT_FILES[2:]
    prints = {} if matrix is None else export_fingerprints([t["id"] for t in tracks], matrix)
    new = (prints["features_sha1"], matrix.shape) if prints else None  # a file of these: no loss
    with claimed_export_dir(out, EXPORT_FILES, new), replaced_together(
            out, names, obsolete=[n for n in EXPORT_FILES if n not in names]) as stage:
        if matrix is not None:  # the largest file first: a full disk refuses it soonest
            matrix = np.ascontiguousarray(matrix, dtype=np.float32)
            save_npy_atomically(stage / "features.npy", matrix, durable=True)
            replace_atomically(stage / "features.json", (json.dumps(
                {"model_id": model, "model_version": version,
                 **({"analysis": rep.analysis} if rep.analysis else {}), **prints},
                indent=2) + "\n").encode("utf-8"), durable=True)
        _write_csv(stage / "memberships.csv", ("playlist_id", "track_id"), pairs)
        _write_csv(stage / "playlists.csv", PLAYLIST_COLUMNS,
                   [(p["id"], p["name"] or "") for p in playlists if p["id"] in named])
        _write_csv(stage / "tracks.csv", *_with_source(
            TRACK_COLUMNS, [((t["id"], t["title"] or "", t["artist"] or "", t["album"] or "",
                              t["path"] if P.is_file_path(t["path"]) else "",
                              hashes.get(t["id"], "") if P.is_file_path(t["path"]) else ""),
                             t["path"]) for t in tracks]))
    rep.tracks, rep.memberships, rep.playlists = len(tracks), len(pairs), len(named)
    rep.notes += memberless_notes([p["name"] or f"#{p['id']}" for p in playlists
                                   if p["id"] not in named], "no exported tracks", "exported")
    rep.notes += repeats
    return rep


def _with_source(header: tuple[str, ...], rows: list[tuple[tuple, str]]
                 ) -> tuple[tuple[str, ...], list[tuple]]:
    """The header and rows of tracks.csv (``rows``: each row's cells and its track's stored
    path), with a ``source`` column holding the ``dataset:<dir>#<id>`` path of each track
    without an audio file — the identity that lets an import of this export back into the
    library recognise it (exported with an empty path, it was stored a second time). Only
    when there is one: the export of a library of files is as it was."""
    if not any(path.startswith(P.DATASET_PREFIX) for _, path in rows):
        return header, [cells for cells, _ in rows]
    return (*header, "source"), [
        (*cells, path if path.startswith(P.DATASET_PREFIX) else "") for cells, path in rows]


# --- import -----------------------------------------------------------------------------------


def import_dataset(conn, src_dir: str | os.PathLike, *, progress: ProgressFn | None = None,
                   read: DatasetFiles | None = None) -> DatasetReport:
    """Import the dataset dir ``src_dir`` (see the module doc), from ``read``, its files as
    :func:`read_dataset` read them in the same command, when given: the CLI's first
    ``import`` read them twice (2 s more CPU, 11 s against 9, at 50k tracks, 500k rows).

    Holds the library's scan lock while it writes: a scan running meanwhile (another
    terminal, the window's watch) decided which of its files are new before the import added
    the same paths, and its insert would then fail on the duplicate path. ``progress`` hears
    that the import waits for a scan, if it must."""
    read = read or read_dataset(src_dir)
    src, rows, keys, feats, model_id = read.src, read.rows, read.keys, read.features, \
        read.model_id
    rep = DatasetReport(dir=P.shown(src), analysis=read.analysis)
    synthetic = P.dataset_key_prefix(str(src))

    with scan_lock(conn, progress=progress, stage="import"), transaction(conn):
        sourced = _sourced_tracks(conn, rows, synthetic)
        known = {r[0] for r in conn.execute("SELECT id FROM tracks")}  # before the import
        track_of = _import_tracks(conn, src, synthetic, rows, sourced, rep)
        rep.tracks = len(set(track_of.values()))  # two rows naming one file: one track
        rep.new_tracks = len(set(track_of.values()) - known)
        other_content = check_content(conn, rows, track_of, rep)
        if feats is not None:
            _refuse_another_width(conn, model_id, int(feats.shape[1]), set(track_of.values()))
            stored_rows = [(track_of[k], feats[i]) for i, k in enumerate(keys)
                           if track_of[k] not in other_content]
            fresh = {t for t, _ in stored_rows} - {r[0] for r in conn.execute(
                "SELECT track_id FROM audio_embeddings WHERE model_id = ?", (model_id,))}
            rep.replaced_vectors = max(0, q.store_embeddings(
                conn, stored_rows, model_id, read.version, keep_same=True) - len(fresh))
            rep.given_vectors = len(fresh & known)  # a featureless import's tracks, say
            if model_id != DATASET_MODEL_ID:  # an embedder's vectors: analysed, as by embed
                q.mark_analysed(conn, set(track_of.values()) - other_content)
            if other_content:
                rep.notes.append(other_content_note(len(other_content)))
            rep.features = (int(feats.shape[0]), int(feats.shape[1]))
            rep.audio_model = model_id
            if q.get_setting(conn, "audio_model") is None:
                q.set_setting(conn, "audio_model", model_id)
        stored = import_playlists_beside_files(conn, read, synthetic, track_of,
                                               own_export=bool(sourced))
        record_names(conn, synthetic, rows, track_of, stored.named)  # for forget: see there
        stored.count_into(rep)
    if sourced:  # "imported 200 tracks" alone read as 200 more: these are its own
        rep.notes.append(f"{counted(len(sourced), 'track')} already in the library (this "
                         "library's export names them): not stored again")
    rep.notes += stored.notes()
    _add_notes(rep, rows, read, no_file_note(conn, rows, track_of, src))
    if read.overlong:  # a title with a comma, unquoted, shifts every cell after it
        rep.notes.append(overlong_note(read.overlong))
    if read.unnamed_lines:  # ',Late night': it was "a playlist '' … not imported"
        rep.notes.append(unnamed_note(read.unnamed_lines))
    return rep


def _add_notes(rep: DatasetReport, rows: list[dict[str, str]], read: DatasetFiles,
               no_file: str | None) -> None:
    """What the report says beside its counts: rows sharing a file, rows naming no file
    (``no_file``: :func:`no_file_note`), memberships of unknown tracks (the first by its line
    in memberships.csv)."""
    shared = len(rows) - rep.tracks
    if shared:
        rows_name = "1 row of tracks.csv names" if shared == 1 else \
            f"{shared} rows of tracks.csv name"
        rep.notes.append(f"{rows_name} a file that another row names too (one track per file; "
                         "the last row's features kept)")
    if no_file:
        rep.notes.append(no_file)
    if read.features is None:  # "imported 60 tracks … from DIR" alone: the vectors were there
        rep.notes += _unread_features_note(read.src)
    if rep.unknown_memberships:
        known = {r["track_id"] for r in rows}
        memberships = read.memberships
        first = next(i for i, m in enumerate(memberships) if m["track_id"] not in known)
        rep.notes.append(f"{counted(rep.unknown_memberships, 'membership')} "
                         f"{noun(rep.unknown_memberships, 'names a track id', 'name track ids')} "
                         "absent from tracks.csv (first: memberships.csv line "
                         f"{read.membership_lines[first]}, "
                         f"track_id {memberships[first]['track_id']!r}; kept as unresolved "
                         f"entries{lookalike_hint(memberships[first]['track_id'], read.keys)})")


def _unread_features_note(src: Path) -> list[str]:
    """The note (a list of one, or none) of an import that read no vectors from ``src``
    where it holds them in a form it does not read: a ``features.npz`` (``numpy.savez``), a
    ``features.csv``, or a ``features.json`` whose features.npy is gone. The import's line
    only lacked its "features …" part, and ``train`` then said the library had no audio
    vectors."""
    try:
        found = sorted(entry.name for entry in os.scandir(src)  # Features.npy too, no folder
                       if entry.name.lower().startswith("features.")
                       and entry.name != "features.npy" and not entry.is_dir())
    except OSError:
        return []
    if not found:
        return []
    return [f"no features.npy beside {', '.join(found)}: no audio vectors were imported "
            "(import reads them from features.npy alone, one array saved with numpy.save)"]


def _sourced_tracks(conn, rows: list[dict[str, str]], synthetic: str) -> dict[str, str]:
    """The track_id of each row without a path whose ``source`` names a track of this
    library without an audio file (``dataset:<dir>#<id>``, as its export writes), with that
    path: the row is that track, so a library's export imported back into it stores none of
    them twice. Never two rows one track: a source is ignored (the row imported as before)
    when the row's own ``dataset:<this dir>#<track_id>`` track is there, when an earlier row
    named it, or when it is the own path of another row; and so is one naming anything else."""
    own = {synthetic + r["track_id"] for r in rows if not r.get("path")}
    have = {r[0] for r in conn.execute(
        "SELECT path FROM tracks WHERE substr(path, 1, ?) = ?",
        (len(P.DATASET_PREFIX), P.DATASET_PREFIX))}
    found: dict[str, str] = {}
    for r in rows:
        source = r.get("source") or ""
        if not r.get("path") and source in have and source not in own \
                and synthetic + r["track_id"] not in have:
            found[r["track_id"]] = source
            have.discard(source)  # claimed
    return found


def _import_tracks(conn, src: Path, synthetic: str, rows: list[dict[str, str]],
                   sourced: dict[str, str], rep: DatasetReport) -> dict[str, int]:
    """The library id of each row of tracks.csv (:func:`_import_track`), in two passes: every
    row whose own id is free keeps it, then the others take new ids. Row by row, ids 0…2707
    (Cora's) all moved: 0 is no row id, so row 0 took id 1, row 1 then found 1 taken, and
    so on. ``rep`` notes the rows whose integer id could not be kept."""
    track_of: dict[str, int] = {}
    later = []
    for row in rows:
        found = _import_track(conn, src, synthetic, row, sourced.get(row["track_id"]),
                              fresh=False)
        if found is None:
            later.append(row)
        else:
            track_of[row["track_id"]] = found
    first_fresh = next_track_id(conn)
    for row in later:
        track_of[row["track_id"]] = _import_track(conn, src, synthetic, row,
                                                  sourced.get(row["track_id"]))
    note = unkept_ids_note([(r["track_id"], track_of[r["track_id"]]) for r in later
                            if track_of[r["track_id"]] >= first_fresh])
    if note:
        rep.notes.append(note)
    return {row["track_id"]: track_of[row["track_id"]] for row in rows}  # in the rows' order


def _import_track(conn, src: Path, synthetic: str, row: dict[str, str],
                  source: str | None = None, *, fresh: bool = True) -> int | None:
    """The library id of a tracks.csv row: the track at its path (updated) — or at
    ``source``, the library's track it names (:func:`_sourced_tracks`) —, else a new one,
    with the row's own id when it is free; else a new id, or None when not ``fresh`` (the
    first pass of :func:`_import_tracks`, which keeps every free id before it gives new ones)."""
    key = row["track_id"]
    raw_path = row.get("path", "")
    if source is not None:
        db_path = source
    elif raw_path:
        # the cell is text, as stored (UTF-8, odd bytes as stand-ins): not re-encoded by the
        # locale (an ASCII one crashed on the first 'é'), only the folder is an OS path
        db_path = os.path.normpath(os.path.join(P.from_fs(src), raw_path))
    else:
        db_path = synthetic + key
    meta = {c: (row.get(c) or None) for c in ("title", "artist", "album")}
    at_path = conn.execute("SELECT id FROM tracks WHERE path = ?", (db_path,)).fetchone()
    existing = at_path[0] if at_path is not None else moved_track(conn, db_path, row)
    if existing is not None:
        conn.execute(f"UPDATE tracks SET title = coalesce(?, title), artist = coalesce(?, artist),"
                     f" album = coalesce(?, album), updated_at = {NOW_SQL} WHERE id = ?",
                     (meta["title"], meta["artist"], meta["album"], existing))
        return existing
    new_id = free_track_id(conn, row_id(key))
    if new_id is None and not fresh:
        return None
    new_id = next_track_id(conn) if new_id is None else new_id
    # a path that names no file (gone, a folder) is a missing track, as a scan would say
    status = "present" if not raw_path or os.path.isfile(P.to_fs(db_path)) else "missing"
    conn.execute(
        "INSERT INTO tracks(id, path, title, artist, album, status, needs_analysis)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new_id, db_path, meta["title"], meta["artist"], meta["album"], status,
         1 if raw_path else 0))
    return new_id


def _refuse_another_width(conn, model_id: str, width: int, imported: set[int]) -> None:
    """Vectors of one model must all have one width: a library whose ``model_id`` vectors
    are of another width (an earlier import, or the app's own embedding of that model) would
    be left unable to search, map or export. Raised inside the import's transaction, so
    nothing of the import is kept."""
    other = {int(r[0]): int(r[1]) for r in conn.execute(
        "SELECT track_id, dim FROM audio_embeddings WHERE model_id = ? AND dim != ?",
        (model_id, width))}
    kept = [dim for tid, dim in other.items() if tid not in imported]
    if kept:
        raise MusicsageError(
            f"features.npy: {width} values per track, but the library's {model_id!r} vectors "
            f"have {kept[0]}: nothing imported (import into another library, or give "
            "features.json a model_id of its own)")

"""What ``export`` (:mod:`musicsage.library.dataset`) must write so that its readers get the
library back as it was: every cell whole, and only vectors they accept.

- A cell holding a carriage return (a title, a playlist name, a file name: Linux allows one)
  was written unquoted: Python's CSV writer quotes the line ending it writes (``\\n``) and
  not a lone ``\\r``, where every reader (``import``, ``train --dataset``, a spreadsheet)
  ends the row. ``Late\\rNight`` came back as the playlist ``Late``, with a note of a
  playlist ``Night`` that had no members; a path cut in two made a missing track and a
  made-up one from the rest of its row. :func:`csv_text` quotes such a cell.
- A damaged stored vector (NaN or infinite values, or cut short: read as NaN) went into
  ``features.npy``, and both readers refused the whole folder (``features must be finite
  numbers``) — found at the import, when the library it came from may be gone.
  :func:`finite_rows` leaves such tracks out, as it leaves out those without a vector, and
  says so; when every vector is damaged it refuses the export before anything is written
  (it wrote an export of 0 tracks over the earlier one, exit 0).
- A folder that turns out not to be writable is said in one line
  (:func:`unwritable_export_line`); that "the earlier export is kept" only where its files
  are the ones there before (:func:`export_files_state`): the swap of the new set for the old
  one may have begun.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.files import claim_output_dir
from musicsage.library import paths as P
from musicsage.library.damaged_vectors import DAMAGE_WORDS
from musicsage.library.dataset_playlists import playlists_note
from musicsage.text import counted, noun

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """``header`` and ``rows`` as CSV text, each row ending ``\\n``, a cell holding ``\\n``,
    ``\\r``, a comma or a quote quoted (written one row at a time through a writer ending
    rows with ``\\r\\n``, which quotes both, then ended with ``\\n`` as exports always were)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in (header, *rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def finite_rows(tracks: list, matrix: np.ndarray, model: str, report
                ) -> tuple[list, np.ndarray]:
    """``tracks`` and their rows of ``matrix`` without those whose vector is not finite;
    ``report`` (a ``DatasetReport``) counts them as left out, with a note saying why and
    what mends them (``embed`` analyses again a damaged vector of a track with its file).
    Every one damaged is refused (:class:`MusicsageError`), before the caller claims the
    export's folder: an export of no track would replace a good earlier one there."""
    whole = np.isfinite(matrix).all(axis=1)
    damaged = int(len(whole) - whole.sum())
    if not damaged:
        return tracks, matrix
    if damaged == len(whole):
        raise MusicsageError(f"every {model} vector is damaged ({DAMAGE_WORDS})"
                             f"{_mended_by(tracks)}, then export again; nothing was written")
    report.skipped_tracks += damaged
    report.features = (int(whole.sum()), int(matrix.shape[1]))
    report.notes.append(f"{counted(damaged, 'track')} whose {model} "
                        f"{noun(damaged, 'vector is', 'vectors are')} damaged ({DAMAGE_WORDS}) "
                        f"{noun(damaged, 'was', 'were')} left out (`musicsage embed` analyses "
                        "the tracks of audio files again; then export again)")
    return [t for t, ok in zip(tracks, whole) if ok], matrix[whole]


def _mended_by(tracks: list) -> str:
    """The refusal's rest: what gives ``tracks`` (every one's vector damaged) whole vectors
    again — ``embed``, where one has an audio file to analyse; else importing again the
    dataset dir they came from (``embed`` cannot analyse a track without a file: said in
    vain)."""
    if not tracks or any(P.is_file_path(t["path"]) for t in tracks):
        return ": run `musicsage embed`"
    dirs = sorted({P.dataset_source(t["path"]) for t in tracks})
    command = f"`musicsage import {P.shell_word(P.to_fs(dirs[0]))}`"
    which = f"dir they came from again ({command})" if len(dirs) == 1 else \
        f"dirs they came from again (first: {command})"
    return (", all of tracks imported without an audio file (`musicsage embed` cannot analyse "
            f"them): import the dataset {which}")


def repeats_note(conn, exported: set[int], playlists: list) -> list[str]:
    """The export's note (a list of one, or none) on the playlists of ``playlists`` (rows of
    :func:`~musicsage.library.queries.playlist_rows`) that hold one of the ``exported``
    tracks more than once: memberships.csv lists it once, at its first place."""
    repeated = {pl for pl, track in conn.execute(
        "SELECT playlist_id, track_id FROM playlist_entries WHERE track_id IS NOT NULL"
        " GROUP BY playlist_id, track_id HAVING COUNT(*) > 1") if track in exported}
    return playlists_note([p["name"] or f"#{p['id']}" for p in playlists if p["id"] in repeated],
                          lambda n: f"{noun(n, 'holds', 'hold')} a track more than once "
                          "(memberships.csv lists it once, at its first place: an import gets "
                          "it once)")


FilesState = dict[str, tuple[int, int]]
"""The files of an export in a folder: name -> (device, inode)."""


def export_files_state(out: Path, names: Iterable[str]) -> FilesState:
    """Which of the export's files ``names`` are in ``out``, each by device and inode: the
    same after a failed export, they are the earlier export's, untouched (the swap replaces
    each by another file)."""
    state: FilesState = {}
    for name in names:
        try:
            found = os.stat(out / name)
        except OSError:  # not there (or not to be looked at): not the earlier export's
            continue
        state[name] = (found.st_dev, found.st_ino)
    return state


def unwritable_export_line(out: Path, exc: OSError, before: FilesState,
                           after: FilesState) -> str:
    """The line for an export refused by its folder ``out`` (``exc``: read-only, no
    permission), by the export's files there ``before`` the export and ``after`` it failed:
    unchanged, nothing was written (and an earlier export is kept); changed, the swap had
    begun and the folder may hold part of an export."""
    reason = exc.strerror or str(exc)
    if before != after:
        return (f"cannot write into {out} ({reason}) while its files were being replaced: it "
                "may hold part of an export now; make it writable, then export again")
    kept = "; the earlier export is kept" if "tracks.csv" in before else ""
    return (f"cannot write into {out} ({reason}); make it writable or choose another folder "
            f"(nothing was written{kept})")


@contextmanager
def export_lock(out: Path) -> Iterator[None]:
    """Hold the export folder ``out`` (made and claimed) against another export into it for
    the block; one running already is refused in one line, before anything is written. The
    folder itself is locked (``flock`` on its descriptor, released when the process ends,
    killed or not): no lock file to make in a read-only folder holding an earlier export, or
    to leave behind. Where the folder cannot be opened, or the system cannot lock it (some
    network file systems), the export goes on as before: its writes say what is wrong."""
    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        fd = -1
    try:
        if fd >= 0 and fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise MusicsageError(f"another export into {P.shown(out)} is running: wait for "
                                     "it to finish, then export again (nothing was written)"
                                     ) from None
            except OSError:  # no locks there: unlocked, as every export was
                pass
        yield
    finally:
        if fd >= 0:
            os.close(fd)


@contextmanager
def claimed_export_dir(out: Path, names: Sequence[str]) -> Iterator[None]:
    """Claim ``out`` for an export writing ``names`` (:func:`claim_output_dir`: the library
    read and the model chosen first, so a refused export makes no folder) and hold it
    (:func:`export_lock`) for the block; refuse, before anything is written, a
    ``features.npy`` there that the last finished export did not write
    (:func:`_foreign_features`): the export would replace it, or remove it as that export's.
    Such a file is the user's, or the new vectors of an older version's export killed before
    its features.json (which ``import`` refuses saying "export again"): the line says what to
    do in either case."""
    claim_output_dir(out, names, "export")
    with export_lock(out):
        why = _foreign_features(out)
        if why:
            raise MusicsageError(f"{P.shown(out / 'features.npy')} is not the one the last "
                                 f"finished export wrote ({why}): if it is yours, move it "
                                 "away; if an export into this folder was interrupted, delete "
                                 "it; then export again (nothing was written)")
        yield


def _foreign_features(out: Path) -> str | None:
    """Why the ``features.npy`` in ``out`` is not the earlier export's, None when it is (or
    there is none, or no ``tracks.csv``: an interrupted swap leaves the new export's alone).
    An export writes it with a ``features.json`` whose ``features_sha1`` fingerprints it; every
    export has written them since before exports marked their folders, so one without them in
    a folder an export claims (the hand-written ``{"model_id", "model_version"}`` of
    docs/dataset-dir.md) describes vectors of the user's. Read with a byte-order mark
    accepted, as ``import`` reads it (an editor's save); neither file opened unless it is a
    regular file (a FIFO would keep the export waiting for ever, the folder locked)."""
    npy, info = out / "features.npy", out / "features.json"
    if not os.path.lexists(npy) or not os.path.lexists(out / "tracks.csv"):
        return None
    for path, which in ((npy, "it"), (info, "features.json beside it")):
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return f"{which} is not a regular file"
        except OSError:  # not there, a broken link: said below as before
            pass
    try:
        recorded = json.loads(info.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return "there is no features.json beside it"
    except (OSError, ValueError):
        return "features.json beside it cannot be read"
    wanted = recorded.get("features_sha1") if isinstance(recorded, dict) else None
    if not isinstance(wanted, str):
        return "features.json beside it has no fingerprints"
    try:
        vectors = np.load(npy, mmap_mode="r", allow_pickle=False)
        found = hashlib.sha1(np.ascontiguousarray(vectors, dtype=np.float32)).hexdigest()
    except (OSError, ValueError, TypeError, EOFError):
        found = None
    return None if found == wanted else "its vectors are not those features.json describes"

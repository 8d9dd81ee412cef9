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
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.files import OUTPUT_MARKER, claim_output_dir, output_mark, replace_atomically
from musicsage.library import paths as P
from musicsage.library.damaged_vectors import DAMAGE_WORDS
from musicsage.library.dataset_features import export_fingerprints
from musicsage.library.dataset_files import MISSING, file_problem
from musicsage.library.dataset_playlists import playlists_note
from musicsage.library.dataset_read import read_tracks_csv
from musicsage.library.export_claim import unclaimed_on_failure
from musicsage.library.playlists.unmatched import unmatched_note
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
    """The export's notes on the playlist entries memberships.csv does not hold as the library
    does: the playlists of ``playlists`` (rows of
    :func:`~musicsage.library.queries.playlist_rows`) that hold one of the ``exported``
    tracks more than once (memberships.csv lists it once, at its first place), and the
    entries matching no track (:func:`unmatched_note`)."""
    repeated = {pl for pl, track in conn.execute(
        "SELECT playlist_id, track_id FROM playlist_entries WHERE track_id IS NOT NULL"
        " GROUP BY playlist_id, track_id HAVING COUNT(*) > 1") if track in exported}
    return playlists_note([p["name"] or f"#{p['id']}" for p in playlists if p["id"] in repeated],
                          lambda n: f"{noun(n, 'holds', 'hold')} a track more than once "
                          "(memberships.csv lists it once, at its first place: an import gets "
                          "it once)") + unmatched_note(conn, playlists)


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
def claimed_export_dir(out: Path, names: Sequence[str],
                       new: tuple[str, tuple[int, ...]] | None = None) -> Iterator[None]:
    """Claim ``out`` for an export writing ``names`` (:func:`claim_output_dir`: the library
    read and the model chosen first, so a refused export makes no folder) and hold it
    (:func:`export_lock`) for the block; refuse, before anything is written, what the export
    would have to replace or remove and cannot, or must not: one of ``names`` that is a
    folder, a FIFO or a device (the swap unlinked tracks.csv, then failed on a folder: the
    earlier export lost), and a ``features.npy`` or ``features.json`` the last finished export
    did not write (:func:`_foreign_features`; ``new``: the ``features_sha1`` and shape of the
    vectors this export writes, None without). Such a file is the user's, or left by an older
    version's export killed half-way: "move it away" fits both, and loses nothing either way.

    The mark records the vectors the block writes (:func:`_record_vectors`): before it, with
    those there now (killed before or in the swap, the folder holds one or the other), and
    once it finished, alone — rewritten then even when unchanged, so that it is newer than
    the tracks.csv the block wrote (a later tracks.csv: an older version exported since)."""
    made, marked = not os.path.lexists(out), output_mark(out) is not None
    claim_output_dir(out, names, "export")
    with export_lock(out), unclaimed_on_failure(out, names, made, marked):
        for name in names:
            _refuse_unlike_a_file(out / name)
        found = _foreign_features(out, new)
        if found:
            path, words, both = found
            them = "it and features.json beside it" if both else "it"
            # a file problem (a broken link) is no export's leaving
            why = " (yours, or left by an interrupted export)" if words.startswith(_NOT_LAST) \
                else ""
            raise MusicsageError(f"{P.shown(path)} {words}: move {them} away{why}, then export "
                                 "again (nothing was written)")
        ours = {f"{new[0]} {_dims(new[1])}"} if new else set()
        _record_vectors(out, _vectors_there(out) | ours, durable=True)
        yield
        with suppress(OSError):  # the swap is done; the record before it still holds these
            _record_vectors(out, ours, always=True)


def _refuse_unlike_a_file(path: Path) -> None:
    """Refuse ``path`` when it is there and is not a regular file (through a link too),
    named as what it is: the swap cannot unlink a folder, and a FIFO or a device is no file
    an export wrote (opening one may wait for ever, the folder locked). A broken link is left
    to :func:`_foreign_features` (one named like a CSV is replaced, as ever)."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # not there, or a broken link
        return
    if not regular:
        raise MusicsageError(f"{P.shown(path)} {file_problem(path)}: move it away, then export "
                             "again (nothing was written)")


_NOT_LAST = "is not the one the last finished export wrote"

_MARKED_VECTORS = "features_sha1"
"""The key of the folder's mark (:data:`~musicsage.files.OUTPUT_MARKER`) listing the vectors
an export wrote there, each as ``"<features_sha1> <rows>x<columns>"`` (fb921d4 wrote the
sha1 alone: any 2-D shape fits it): those of the last one to finish, and while an export
runs, those it writes too."""


def _dims(shape: tuple[int, ...]) -> str:
    """A shape as the mark's list writes it (``2x3``)."""
    return "x".join(str(n) for n in shape)


def _holds(entries: set[str], sha1: str, shape: tuple[int, ...] | None = None) -> bool:
    """Whether the mark's ``entries`` list the vectors of ``sha1`` (of ``shape`` too, where
    given: a 2-D one the entry records, or any where it records none)."""
    return any(e.split(" ")[0] == sha1 and (shape is None or len(shape) == 2 and e in (
        sha1, f"{sha1} {_dims(shape)}")) for e in entries)


def _marked_vectors(out: Path) -> set[str] | None:
    """The vectors the folder's mark says an export wrote there; None for a mark an older
    version wrote (it records none), where the older rule decides instead
    (:func:`_older_fingerprints`). Where the mark lists them, only the list decides: a
    tracks.csv the user edited since must not let a pair moved in from another export of the
    same tracks pass as the export's own (it was overwritten); an older version's export
    into a folder this one marked is refused — move its files away, nothing is lost."""
    listed = (output_mark(out) or {}).get(_MARKED_VECTORS)
    if not (isinstance(listed, list) and all(isinstance(entry, str) for entry in listed)):
        return None
    return set(listed)


def _record_vectors(out: Path, entries: set[str], *, durable: bool = False,
                    always: bool = False) -> None:
    """Record ``entries`` in the folder's mark, keeping what else it says (the commands that
    license the folder); a mark that cannot be read is left as it is (it licenses nothing),
    as is one that records them already, unless ``always``."""
    mark = output_mark(out) or {}
    if mark and (always or mark.get(_MARKED_VECTORS) != sorted(entries)):
        mark[_MARKED_VECTORS] = sorted(entries)
        replace_atomically(out / OUTPUT_MARKER, (json.dumps(mark) + "\n").encode("utf-8"),
                           durable=durable)


def _vectors_there(out: Path) -> set[str]:
    """The export's vectors the folder may hold now (its files judged the export's by
    :func:`_foreign_features`): the mark's, or where it lists none (an older version's), those
    the features.json there fingerprints by the older rule — or, with no features.json and no
    tracks.csv, the lone features.npy an older version's swap cut short left: once listed, an
    export failing after this record (a full disk) must not leave it refused for good."""
    marked = _marked_vectors(out)
    if marked is not None:
        return marked
    if os.path.lexists(out / "features.json"):
        own, _why = _older_fingerprints(out)
        return {own} if own is not None else set()
    if not os.path.lexists(out / "features.npy") or os.path.lexists(out / "tracks.csv"):
        return set()
    try:
        vectors = np.load(out / "features.npy", mmap_mode="r", allow_pickle=False)
        return {f"{export_fingerprints((), vectors)['features_sha1']} {_dims(vectors.shape)}"}
    except (OSError, ValueError, TypeError, EOFError):
        return set()


def _foreign_features(out: Path, new: tuple[str, tuple[int, ...]] | None
                      ) -> tuple[Path, str, bool] | None:
    """The ``features.npy`` or ``features.json`` in ``out`` that the last finished export did
    not write, the words saying why, and whether features.json beside that features.npy is
    not its either; None when what is there is its own (or there is none). Called once no FIFO
    is there (:func:`_refuse_unlike_a_file`): neither file is opened unless it is a regular file.

    A file that cannot be read is said as it is (a broken link is not "other vectors"). Its
    own are, where the folder's mark lists vectors (:func:`_marked_vectors`: every folder an
    export of this version wrote), those it lists, whatever tracks.csv lists now (the user
    sorted it); where it lists none (an older version's mark), those :func:`_older_fingerprints`
    passes — with no tracks.csv there (an older version's swap cut short), by the vectors alone,
    and a lone float32 2-D features.npy too, which such a swap leaves between its two files
    (an earlier rule let every file there through: a user's own pair put there was removed;
    one no reader takes as a .npy file is the user's too — a swap moves whole files in).
    Only float32 vectors of 2 dimensions (of the shape the list records) are: a float64 file
    of the same numbers, cast, is the user's. A features.npy of the very vectors
    this export writes (``new``), as float32 of their shape, is replaced at no loss — the
    app's own advice for an export without vectors puts them there, imports the folder, then
    exports again — unless beside a features.json of the user's; as is a features.json
    fingerprinting them (:func:`_listed_fingerprints`)."""
    npy, info = out / "features.npy", out / "features.json"
    if not (os.path.lexists(npy) or os.path.lexists(info)):
        return None
    marked = _marked_vectors(out)
    for path in (npy, info):
        problem = file_problem(path)
        if problem not in (None, MISSING):
            return path, problem, False
    prints, why = _info_fingerprints(out, marked, new)
    # features.npy alone, no tracks.csv, an older version's mark: its swap cut short
    lone = marked is None and not os.path.lexists(info) and not os.path.lexists(out / "tracks.csv")
    if os.path.lexists(npy):
        try:
            vectors = np.load(npy, mmap_mode="r", allow_pickle=False)
            found = export_fingerprints((), vectors)["features_sha1"]
        except (OSError, ValueError, TypeError, EOFError):
            return npy, f"{_NOT_LAST} (it cannot be read as a .npy file)", False
        if lone and vectors.dtype == "<f4" and vectors.ndim == 2:
            return None
        if not _own_vectors(vectors, found, new, marked, prints):
            return _foreign_vectors(npy, vectors, found, new, prints, why)
    return (info, f"{_NOT_LAST} (it {why})", False) if why else None


def _info_fingerprints(out: Path, marked: set[str] | None,
                       new: tuple[str, tuple[int, ...]] | None) -> tuple[str | None, str]:
    """The ``features_sha1`` of the export's own features.json in ``out`` and '', else None
    and what it is instead ('' where there is none): by the mark's list (``marked``, with
    the vectors this export writes, ``new``), or by the older rule where it lists none."""
    if not os.path.lexists(out / "features.json"):
        return None, ""
    if marked is None:
        return _older_fingerprints(out)
    return _listed_fingerprints(out, marked | ({new[0]} if new else set()))


def _own_vectors(vectors: np.ndarray, found: str, new: tuple[str, tuple[int, ...]] | None,
                 marked: set[str] | None, prints: str | None) -> bool:
    """Whether ``vectors`` (of features.npy, fingerprinted ``found``) are the export's own:
    float32 only (a float64 file of the same numbers, cast, loses the user's precision); the
    very ones this export writes (``new``) at no loss; else 2-D ones the mark's list
    (``marked``) records, of their shape, or where it lists none, those features.json
    fingerprints (``prints``, by the older rule)."""
    if vectors.dtype != "<f4":
        return False
    if new is not None and (found, vectors.shape) == new:
        return True
    if vectors.ndim != 2:
        return False
    return found == prints if marked is None else _holds(marked, found, vectors.shape)


def _foreign_vectors(npy: Path, vectors: np.ndarray, found: str,
                     new: tuple[str, tuple[int, ...]] | None, prints: str | None, why: str
                     ) -> tuple[Path, str, bool]:
    """The refusal of ``npy``, not the export's own (:func:`_own_vectors`), saying why: the
    features.json beside it is not the export's either (``why``), it holds this export's
    vectors in another type or shape, no features.json describes it, or another one does."""
    if why:
        return npy, f"{_NOT_LAST} (features.json beside it {why})", True
    if new is not None and found == new[0]:  # cast to float32, the user's file loses precision
        return npy, (f"{_NOT_LAST} (it holds the vectors as {vectors.dtype} of shape "
                     f"{vectors.shape}; the export writes float32 of shape {new[1]})"), False
    if prints is None:
        return npy, f"{_NOT_LAST} (there is no features.json beside it)", False
    return npy, f"{_NOT_LAST} (its vectors are not those features.json describes)", False


def _fingerprints(out: Path) -> tuple[dict[str, str] | None, str]:
    """The fingerprints in the features.json in ``out`` (a regular file), else None and what
    it is instead ("has no fingerprints", …). An export's has them (every export into a
    folder it marks wrote them): one without (the hand-written form of docs/dataset-dir.md)
    is the user's, even alone (once the user moved the vectors away as told, it was removed).
    Read with a byte-order mark accepted, as ``import`` reads it (an editor's save)."""
    try:
        recorded = json.loads((out / "features.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None, "is not JSON"
    except RecursionError:  # ``[[[[…]]]]``, or an object holding such a value: JSON, too deep
        return None, "is nested too deeply to read"
    prints = recorded if isinstance(recorded, dict) else {}
    if not all(isinstance(prints.get(k), str) for k in ("track_ids_sha1", "features_sha1")):
        return None, "has no fingerprints"
    return prints, ""


def _listed_fingerprints(out: Path, listed: set[str]) -> tuple[str | None, str]:
    """The ``features_sha1`` of the features.json in ``out`` and '' where the folder's mark
    lists vectors: the export's where ``listed`` (the mark's, and those this export writes)
    holds the vectors it fingerprints, else None and what it is instead — one fingerprinting
    other vectors came from elsewhere (with its vectors from another export, say)."""
    prints, why = _fingerprints(out)
    if prints is None:
        return None, why
    if _holds(listed, prints["features_sha1"]):
        return prints["features_sha1"], ""
    return None, "fingerprints other vectors"


def _older_fingerprints(out: Path) -> tuple[str | None, str]:
    """The older rule, for the folders an older version's export marked (their mark lists no
    vectors, :func:`_marked_vectors`): the ``features_sha1`` of the features.json in ``out``
    and '' where its ``track_ids_sha1`` is that of the ids in the tracks.csv beside it (or
    that cannot be read: then the vectors alone decide), else None and what it is instead."""
    prints, why = _fingerprints(out)
    if prints is None:
        return None, why
    try:
        ids = read_tracks_csv(out / "tracks.csv").column("track_id")
    except (MusicsageError, OSError):
        ids = None
    if ids is not None and prints["track_ids_sha1"] != \
            export_fingerprints(ids, np.empty(0))["track_ids_sha1"]:
        return None, "fingerprints other tracks than tracks.csv lists"
    return prints["features_sha1"], ""

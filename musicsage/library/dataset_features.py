"""A dataset dir's ``features.npy`` and ``features.json``, read and checked (docs/dataset-dir.md).

Both readers of dataset dirs — ``import`` (:mod:`musicsage.library.dataset`) and
``train``/``eval --dataset`` (:meth:`musicsage.graph.data.GraphData.from_dataset_dir`) — load the
features here, so a file that is no array, holds no numbers, or holds a value no float32 can
carry is refused in one line naming the file and the cell, the same way for each. Their CSV
files go through one reader (:mod:`musicsage.library.dataset_read`), which takes the hints
for a header written with another separator from here. Which model's vectors an export
writes, and which tracks have them, is chosen here too (:func:`choose_audio_model`).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from musicsage.audio_models import MODEL_ID_PREFIXES
from musicsage.errors import MusicsageError
from musicsage.library.dataset_files import dataset_file
from musicsage.library import queries as q
from musicsage.text import CONTROLS, counted, noun

if TYPE_CHECKING:
    from musicsage.library.dataset import DatasetReport

NPY_MAGIC = b"\x93NUMPY"
FLOAT32_MAX = float(np.finfo(np.float32).max)


def load_features(path: Path, n_tracks: int | None = None) -> np.ndarray:
    """The array in a dataset dir's ``features.npy``, refused in one line unless it is a
    whole NumPy ``.npy`` file of real numbers, each finite and within float32's range, and —
    given ``n_tracks``, the rows of tracks.csv — of :func:`check_feature_shape`'s shape.

    An empty file, an ``.npz`` archive saved under this name, a pickle, an array of strings or
    a file cut short is a :class:`MusicsageError` instead of whatever numpy raises. The file is
    memory-mapped first: a header that claims more data than the file holds, or an array of
    the wrong shape, is refused before anything is allocated (a 1 GB features.npy beside a
    tracks.csv of 3 rows was read whole — 2 GB of memory — before its shape was refused).
    """
    with open(path, "rb") as fh:
        if fh.read(len(NPY_MAGIC)) != NPY_MAGIC:
            raise MusicsageError(f"{path.name}: not a NumPy .npy file (empty, or another "
                                 "format; save it with numpy.save)")
        _check_npy_header(fh, path)
    try:
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, EOFError) as exc:
        raise MusicsageError(f"{path.name}: not a readable array ({exc})") from exc
    if mapped.dtype.kind not in "fiub":
        raise MusicsageError(f"{path.name}: holds {mapped.dtype} values, not real numbers")
    if n_tracks is not None:
        check_feature_shape(mapped, n_tracks)
    feats = np.array(mapped)
    del mapped  # closes the map
    check_feature_values(feats, path.name)
    return feats


def _check_npy_header(fh, path: Path) -> None:
    """Refuse in one line a ``.npy`` header numpy cannot parse — its own words named a Python
    syntax node ("malformed node or string on line 1: <ast.Name object at 0x…>") — and a
    file shorter than its header says (a copy or download cut short: numpy said "mmap length
    is greater than file size", which says neither what is wrong nor what to do)."""
    fh.seek(0)
    try:
        version = np.lib.format.read_magic(fh)
        reader = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if reader is None:  # a 3.0 header is left to np.load
            return
        shape, _fortran, dtype = reader(fh)
    except (ValueError, SyntaxError, EOFError):
        raise MusicsageError(f"{path.name}: damaged .npy header: save it again with "
                             "numpy.save") from None
    if dtype.hasobject:  # np.load's own words spoke of memory maps, not of the file
        raise MusicsageError(f"{path.name}: holds Python objects, not numbers (rows of "
                             "different lengths, or cells that are not numbers); save a 2-D "
                             "array of numbers, every row as long as the others")
    needed = fh.tell() + math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    size = os.fstat(fh.fileno()).st_size
    if size < needed:
        raise MusicsageError(f"{path.name}: cut short ({size:,} bytes; an array of shape "
                             f"{tuple(shape)} needs {needed:,}): copy or save it again")


def not_utf8(path: Path) -> MusicsageError:
    """The refusal of a dataset dir's text file that is not UTF-8 (a CSV a spreadsheet saved
    as Latin-1, say), naming the file, its first such byte and line, and what to do: the
    decoder's own message ("'utf-8' codec can't decode byte 0xe9 …") names none of them."""
    try:
        found = _first_non_utf8(path)
    except OSError:
        found = None
    where = f" (byte 0x{found[0]:02x} on line {found[1]})" if found else ""
    return MusicsageError(f"{path} is not UTF-8 text{where}: save it as UTF-8")


UTF8_CHUNK = 1 << 20
"""How many bytes :func:`_first_non_utf8` reads at a time (read when it runs: tests make it
small, to check with small files that no more than a chunk is held)."""


def _first_non_utf8(path: Path) -> tuple[int, int] | None:
    """The first byte of ``path`` that is not UTF-8, and its line; None when there is none.
    Read :data:`UTF8_CHUNK` bytes at a time: the whole file was read into memory to find
    it, a gigabyte for a 1 GB file of anything but text named tracks.csv."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(UTF8_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:  # its object: the chunk, after bytes held over
                return exc.object[exc.start], line + exc.object.count(b"\n", 0, exc.start)
            if not chunk:
                return None
            line += chunk.count(b"\n")


def header_hint(header: list[str], column: str, raw: list[str] | None = None) -> str:
    """Why a CSV ``header`` may lack ``column`` although it seems to have it, as a clause to
    add to the refusal ('' when nothing shows): one header cell holding a ';' or a tab (a
    spreadsheet saved with another separator), or the column in another case or spelled
    with a space ('Track_ID', 'track id'), or a spreadsheet's ``sep=,`` line above the
    header (read as the header: "missing column(s) track_id" named no cause); column names
    are matched exactly. ``raw``: the header's cells as read, before stripping, where the
    caller has them: the tab of a ``sep=<tab>`` line is then shown only when it is there (a
    line 'sep=' or 'sep= ' was shown as 'sep=\\t'); without them a bare 'sep=' is taken for
    'sep=<tab>', its likeliest line."""
    line = ",".join(header)
    if header and header[0].casefold().startswith("sep=") and len(line) <= 5:
        # the cells come stripped: a ``sep=<tab>`` line reads as 'sep=' and was shown so
        tab = "\t" in "".join(raw) if raw is not None else len(line) == 4
        shown = line + "\t" if tab and len(line) == 4 else line
        return (f" (its first line {shown!r} is a spreadsheet's separator line, "
                "not a header: delete that line)")
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            if sep in header[0]:
                return (f" (its header {header[0]!r} reads as one column: the file separates "
                        f"columns with {name}; save it with commas)")
    near = [h for h in header if h.casefold().replace(" ", "_") == column]
    if near:
        return f" (it has {near[0]!r}: names must match exactly; rename it {column})"
    return ""


def check_feature_shape(feats: np.ndarray, n_tracks: int) -> None:
    """Refuse a features.npy that is not one row per track of tracks.csv and at least one
    feature column: a 1-D array was told it did not match as many tracks as it had rows,
    and ``train --dataset`` took one of shape ``(n, 0)`` and trained on nothing."""
    shape = tuple(feats.shape)
    if feats.ndim != 2:
        raise MusicsageError(f"features.npy has shape {shape}: it must be 2-D, one row per "
                             f"track of tracks.csv ({n_tracks}) and one column per feature")
    if shape[0] != n_tracks:
        raise MusicsageError(f"features.npy has shape {shape}, which does not match "
                             f"{counted(n_tracks, 'track')} in tracks.csv (row i holds the "
                             "features of the track on row i)")
    if shape[1] == 0:
        raise MusicsageError(f"features.npy has shape {shape}: no feature columns; every "
                             "track needs at least one value")


def check_feature_values(feats: np.ndarray, name: str) -> None:
    """Refuse a NaN, an infinity, or a value beyond float32's range (±3.4e38), naming the
    first such cell: ``features.npy: row 2, column 1 (from 0): too large a feature value
    (1e+300, …)``.

    The features are stored and trained as float32. A float64 (or long double) ``1e300``
    became an infinity in that cast, with numpy's "overflow encountered in cast" warning on
    stderr and a message about NaN the file never held; the check runs on the values as the
    file has them, so no arithmetic on them can overflow first.
    """
    if feats.dtype.kind != "f" or feats.size == 0:
        return  # integers and booleans always fit (a uint64 loses precision, not range)
    with np.errstate(all="ignore"):
        bad = ~np.isfinite(feats) | (np.abs(feats) > FLOAT32_MAX)
    if not bad.any():
        return
    cell = tuple(int(i) for i in np.argwhere(bad)[0])
    value = feats[cell]
    where = (f"row {cell[0]}, column {cell[1]} (from 0)" if len(cell) == 2
             else f"index {list(cell)}")
    count = int(bad.sum())
    more = f"; {counted(count - 1, 'more such value')}" if count > 1 else ""
    if not np.isfinite(value):
        what = "NaN (not a number)" if np.isnan(value) else "an infinite value"
        raise MusicsageError(f"{name}: {where}: {what}{more}; features must be finite numbers")
    shown = np.format_float_scientific(value, precision=3, trim="-")
    raise MusicsageError(f"{name}: {where}: too large a feature value ({shown}, beyond "
                         f"float32's range of ±3.4e+38){more}; rescale the features")


def plain_text(value: object, key: str) -> str:
    """``features.json``'s ``key`` (``model_id``, ``model_version``) as text, refused in one
    line when it holds a line break or another control character: the id names the vectors
    in the library, in ``stats`` and in every list header, where such a character would break
    the line or drive the terminal."""
    text = str(value)
    bad = CONTROLS.search(text)
    if bad:
        raise MusicsageError(f"features.json: {key} holds a control character "
                             f"(U+{ord(bad.group()):04X}); use plain text")
    return text


ANALYSIS_KEYS = ("hop", "max_seconds")
"""What ``features.json``'s optional ``analysis`` holds: the budget the vectors were made with."""


def read_analysis(info: dict) -> dict[str, float] | None:
    """``features.json``'s ``analysis`` (``{"max_seconds": 6}``: how much of each track the
    exported vectors analysed), or None when it has none (an older export, another tool).

    Refused in one line when present but not such a mapping of positive numbers: an import
    adopts it as the library's analysis setting, which decides whether ``embed`` counts the
    imported vectors as current."""
    analysis = info.get("analysis")
    if analysis is None:
        return None
    if not isinstance(analysis, dict) or set(analysis) - set(ANALYSIS_KEYS):
        raise MusicsageError("features.json: analysis must map hop and/or max_seconds to "
                             "seconds; delete the key to import without it")
    for key, value in analysis.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not 0 < value < FLOAT32_MAX:
            raise MusicsageError(f"features.json: analysis {key} must be a positive number of "
                                 f"seconds (got {value!r}); delete the key to import without it")
    return {k: float(v) for k, v in analysis.items()} or None


def export_fingerprints(track_ids, features: np.ndarray) -> dict[str, str]:
    """features.json's fingerprints of an export: its track ids in row order, its vectors
    (as float32, hashed in place: ``tobytes`` copied a whole features.npy into memory)."""
    ids = hashlib.sha1("\n".join(str(t) for t in track_ids).encode("utf-8")).hexdigest()
    vectors = hashlib.sha1(np.ascontiguousarray(features, dtype=np.float32))
    return {"track_ids_sha1": ids, "features_sha1": vectors.hexdigest()}


def read_features_json(src: Path, track_ids, features: np.ndarray | None
                       ) -> tuple[str, str | None, dict[str, float] | None] | None:
    """``src``'s features.json, checked against tracks.csv's ``track_ids`` and ``features``:
    (model id, model version or None, analysis settings or None), or None without the file.
    Without features.npy (``features`` None) it describes no vectors, but is still checked:
    a broken one was imported without a word, though the docs promise it is refused.

    Both readers call it, so a folder one refuses the other refuses too (``train --dataset``
    skipped a file that was not JSON, or not the object export writes, without a word):
    refused in one line naming the file unless it is a JSON object whose ``model_id`` names
    a known audio model family, in plain text; where it has fingerprints, unless they match
    (:func:`check_fingerprints`); where it has ``analysis``, unless that is well formed."""
    path = dataset_file(src, "features.json", required=False)  # a broken link is no absence
    if path is None:
        return None
    try:
        info = json.loads(path.read_text(encoding="utf-8-sig"))  # a BOM as the CSVs
        if not isinstance(info, dict) or "model_id" not in info:
            raise ValueError('not a JSON object with a model_id: {"model_id": "…", …}')
        model_id = plain_text(info["model_id"], "model_id")
        if not model_id.startswith(MODEL_ID_PREFIXES):  # a tuple's repr is no message
            families = ", ".join(MODEL_ID_PREFIXES[:-1]) + f" or {MODEL_ID_PREFIXES[-1]}"
            raise ValueError(f"audio model id {model_id!r} names no known audio model family;"
                             f" it must start with {families}")
        version = info.get("model_version")
        version = plain_text(version, "model_version") if version else None
    except UnicodeDecodeError:  # the codec's words named no byte, line, nor what to do
        raise not_utf8(path) from None
    except (OSError, ValueError) as exc:
        raise MusicsageError(f"{path}: not usable ({exc}); fix it, or delete it") from None
    except RecursionError:  # ``[[[[…]]]]``: the JSON reader recurses once per level
        raise MusicsageError(f"{path}: not usable (nested too deeply to read); fix it, or "
                             "delete it") from None
    if features is not None:
        check_fingerprints(src, info, track_ids, features)
    return model_id, version, read_analysis(info)


def check_fingerprints(src: Path, recorded, track_ids, features: np.ndarray) -> None:
    """Refuse a dataset dir whose tracks.csv and features.npy are not the ones its
    features.json (``recorded``) fingerprinted (see :mod:`musicsage.library.dataset`); a
    features.json without fingerprints (another tool's, an older export's) is not checked."""
    if not isinstance(recorded, dict) or "track_ids_sha1" not in recorded:
        return
    now = export_fingerprints(track_ids, features)
    if any(recorded.get(key) != value for key, value in now.items()):
        raise MusicsageError(
            f"{src}: tracks.csv and features.npy are not the pair features.json describes "
            "(an export into this folder was interrupted?): export again; if you changed "
            "them on purpose, delete features.json")


# --- which vectors an export writes ---------------------------------------------------------


def choose_audio_model(conn, requested: str | None) -> str | None:
    """The audio model id an export writes the features of (the one asked for, else the
    ``audio_model`` setting, else the most complete: :mod:`musicsage.library.dataset`), or
    None when the library has no embeddings. An empty ``requested`` (``--audio-model
    "$MODEL"``, the variable unset) is refused, as ``train`` refuses it: it exported the
    default model's vectors without a word."""
    if requested is not None and not requested.strip():
        raise MusicsageError("--audio-model is empty: name an audio model, or leave it out "
                             "for the library's (nothing was written)")
    counts = q.embedding_counts(conn)
    if requested:
        if requested in counts:
            return requested
        matches = [m for m in counts if m.startswith(requested)]
        if len(matches) == 1:
            return matches[0]
        have = ", ".join(counts) or "none"
        if not matches:
            raise MusicsageError(f"no embeddings for audio model {requested!r} (have: {have})")
        raise MusicsageError(f"{requested!r} matches several audio models ({', '.join(matches)}); "
                             "give the full id")
    setting = q.get_setting(conn, "audio_model")
    if isinstance(setting, str) and setting in counts:
        return setting
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def exported_vectors(conn, model: str, tracks: list, rep: "DatasetReport"
                     ) -> tuple[list, np.ndarray, str]:
    """The tracks to export with ``model``'s vectors, their matrix, and the one version
    features.json names (the most common); ``rep`` hears what was left out, and why.

    Vectors of another version (a re-analysis cut short) are left out: labelled with the
    version, they would be mislabelled, and an import would take them as current."""
    version_of = q.embedding_versions(conn, model)
    versions = Counter(version_of[t["id"]] for t in tracks if t["id"] in version_of)
    version = versions.most_common(1)[0][0] if versions else ""
    ids, vectors = q.get_embeddings(conn, model, model_version=version)
    row_of = {int(t): i for i, t in enumerate(ids)}
    kept = [t for t in tracks if t["id"] in row_of]
    other = sum(versions.values()) - len(kept)
    rep.skipped_tracks = len(tracks) - len(kept)
    matrix = vectors[[row_of[t["id"]] for t in kept]] if kept else vectors[:0]
    rep.audio_model = model
    rep.features = (int(matrix.shape[0]), int(matrix.shape[1]) if matrix.ndim == 2 else 0)
    lacking = rep.skipped_tracks - other
    if lacking:
        rep.notes.append(f"{counted(lacking, 'track')} without a {model} embedding "
                         f"{noun(lacking, 'was', 'were')} left out")
    if other:
        rep.notes.append(f"{counted(other, 'track')} whose {model} vectors were made with "
                         "other analysis settings left out (finish `musicsage embed`, then "
                         "export again)")
    return kept, matrix, version

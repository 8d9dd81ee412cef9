"""Trained graph models of a library: ``graph_models`` rows + files under ctx.graph_models_dir.

Each model gets its own directory (model.pt, embeddings.npy, track_ids.npy); the row stores it
relative to ``graph_models_dir``. A new model becomes current in one transaction *after* its
files are complete, so a cancelled or failed training never leaves a half-written current
model, and the previous one stays current until then.

A training process killed between creating its directory and registering it leaves an
orphan. Each directory is born with a marker file (:data:`MARKER`: who made it, which process,
for which library); :func:`remove_orphan_dirs` deletes — at the next training's start —
directories that carry the marker of *this* library, hold nothing but files this module writes,
are in no ``graph_models`` row, and whose process is gone. Anything else under the folder is
left alone: ``graph_models`` may be a link to a folder other libraries use too, whose models
this library's rows do not name (a training of one deleted every model of the other).

A row is what says a folder's files are needed, however it spells the folder (a hand-edited
or restored database: an absolute path, ``./x``, a link to it), and two rows may name one
folder: the clean-up keeps every folder a row names, and :func:`remove_model` deletes a
folder only when no other row names it. A folder of a version from before the marker is
never an orphan, but its model can be removed like any other (:func:`foreign_content`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from musicsage.errors import TRAIN_HINT, MusicsageError
from musicsage.files import process_runs, save_npy_atomically
from musicsage.graph.model_folder import delete_model_folder, write_marker
from musicsage.graph.models_dir import cannot_save, check_models_dir  # noqa: F401 - read from here


@dataclass(frozen=True)
class GraphModelInfo:
    id: int
    name: str
    audio_model: str
    created_at: str
    dir: Path
    params: dict
    metrics: dict
    fingerprint: str
    is_current: bool

    @property
    def checkpoint_path(self) -> Path:
        return self.dir / "model.pt"

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "audio_model": self.audio_model,
                "created_at": self.created_at, "dir": str(self.dir), "metrics": self.metrics,
                "params": self.params, "fingerprint": self.fingerprint,
                "is_current": self.is_current}


MARKER = ".musicsage-model"
#: every file name a model directory may hold (``*.tmp``: an interrupted atomic write)
MODEL_FILES = {MARKER, "model.pt", "embeddings.npy", "track_ids.npy"}
_STAMPED = re.compile(r"^\d{8}-\d{6}-[A-Za-z0-9_-]+$")


def new_model_dir(ctx, audio_model: str) -> Path:
    """A fresh directory for one model's files, holding only its :data:`MARKER`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    # ASCII only, as :data:`_STAMPED` (the orphan clean-up) reads it: "spectral-é" made a
    # folder a killed training left for good
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_"
                   for c in audio_model)
    base = ctx.graph_models_dir
    for n in range(1000):
        d = base / f"{stamp}-{safe}" if n == 0 else base / f"{stamp}-{safe}-{n}"
        try:
            d.mkdir(parents=True, exist_ok=False)
        except FileExistsError:
            continue
        except OSError as exc:  # a full disk, graph_models now a file: one line, no folder
            raise cannot_save(d, exc) from None
        write_marker(d, MARKER, library=library_identity(ctx))
        return d
    raise MusicsageError(f"cannot create a model directory under {base}")


def library_identity(ctx) -> str:
    """What a :data:`MARKER` records of the library that made the folder: its database's
    resolved path. Not an id kept inside the database: a library copied whole (``cp -a``,
    its ``graph_models`` link too) would carry the same id into a folder both use."""
    return str(_real(Path(ctx.db_path)))


def _made_by_this_library(marker: dict, ctx) -> bool:
    """Whether ``marker`` names this library (the same database file, however reached). A
    marker of a version from before the library was recorded names none: it may be another
    library's, so it is never taken for this one's — a killed training's folder stays."""
    made_by = marker.get("library")
    if not isinstance(made_by, str) or not made_by:
        return False
    if made_by == library_identity(ctx):
        return True
    try:
        return os.path.samefile(made_by, ctx.db_path)
    except (OSError, ValueError):
        return False


def write_embeddings(model_dir: Path, track_ids: np.ndarray, embeddings: np.ndarray) -> None:
    """The model's vectors, on disk for good before :func:`register_model` commits the row
    that makes them current (a power cut must not leave a current model with torn files)."""
    save_npy_atomically(model_dir / "track_ids.npy", np.asarray(track_ids, np.int64),
                        durable=True)
    save_npy_atomically(model_dir / "embeddings.npy", np.asarray(embeddings, np.float32),
                        durable=True)


def register_model(conn, ctx, model_dir: Path, *, name: str, audio_model: str, params: dict,
                   metrics: dict, fingerprint: str, make_current: bool = True) -> int:
    """Insert the row for a complete model directory (and make it current); returns its id."""
    from musicsage.library.db import transaction

    rel = str(Path(model_dir).resolve().relative_to(Path(ctx.graph_models_dir).resolve()))
    with transaction(conn):
        model_id = _next_model_id(conn)
        conn.execute(
            "INSERT INTO graph_models(id, name, audio_model, dir, params, metrics, fingerprint,"
            " is_current) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            (model_id, name, audio_model, rel, json.dumps(params, default=str),
             json.dumps(metrics, default=float), fingerprint))
        if make_current:
            conn.execute("UPDATE graph_models SET is_current = (id = ?)", (model_id,))
    return model_id


MODEL_ID_FLOOR_KEY = "graph_model_id_floor"
"""``settings`` key: the largest model id ever used by a model removed since."""


def _next_model_id(conn) -> int:
    """The id for a new model: above every id in use and every id removed. SQLite would give
    a removed newest model's id to the next one, and "model 3" in a note, a log or a user's
    memory would then name two models (its cached map and index are keyed by the id too)."""
    from musicsage.library.track_ids import next_id

    return next_id(conn, "graph_models", MODEL_ID_FLOOR_KEY)


def _json_object(text) -> dict:
    """A row's JSON column as a dict; {} for one that is not JSON of an object (a damaged or
    hand-edited row crashed `models`, which lists every row)."""
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _info(ctx, row) -> GraphModelInfo:
    return GraphModelInfo(
        id=int(row["id"]), name=row["name"] or "", audio_model=row["audio_model"] or "",
        created_at=row["created_at"] or "", dir=Path(ctx.graph_models_dir) / (row["dir"] or ""),
        params=_json_object(row["params"]), metrics=_json_object(row["metrics"]),
        fingerprint=row["fingerprint"] or "", is_current=bool(row["is_current"]))


def current_model(conn, ctx) -> GraphModelInfo | None:
    row = conn.execute("SELECT * FROM graph_models WHERE is_current = 1"
                       " ORDER BY id DESC LIMIT 1").fetchone()
    return _info(ctx, row) if row is not None else None


def load_embeddings(info: GraphModelInfo) -> tuple[np.ndarray, np.ndarray]:
    """(track ids, unit-length embeddings) saved with a model."""
    try:
        ids = np.load(info.dir / "track_ids.npy", allow_pickle=False)
        emb = np.load(info.dir / "embeddings.npy", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise MusicsageError(f"graph model {info.id}: cannot read its embeddings ({exc}); "
                             f"retrain it ({TRAIN_HINT})") from None
    if len(ids) != len(emb):
        raise MusicsageError(f"graph model {info.id}: track_ids.npy and embeddings.npy differ "
                             f"in length; retrain it ({TRAIN_HINT})")
    return ids.astype(np.int64), emb.astype(np.float32)


def discard_dir(model_dir: Path, conn=None, ctx=None) -> int | None:
    """Remove a model directory after a cancel or failure of its saving, unless a committed
    ``graph_models`` row names it; returns that row's id (None: no row, the folder is gone).
    ``conn``: the connection :func:`register_model` was given; None when the saving stopped
    before registering (no row can name the folder).

    Why the check: a stop (Ctrl-C, SIGTERM) landing after :func:`register_model` committed,
    before its caller had the id back, deleted the files of a registered, current model. A
    database that cannot be read keeps the folder: :func:`remove_orphan_dirs` removes it at
    the next training when no row names it."""
    if conn is not None:
        try:
            key = _folder_key(model_dir)
            named = [m.id for m in list_models(conn, ctx) if _folder_key(m.dir) == key]
        except Exception:  # noqa: BLE001 - unsure whether it is registered: never delete
            return None
        if named:
            return named[-1]
    shutil.rmtree(model_dir, ignore_errors=True)
    return None


def _written_here(name: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether a file named ``name`` in a model directory is one this app writes there: one
    of :data:`MODEL_FILES` or ``also``, or the temporary file of an interrupted atomic write
    of one (``.model.pt.PID.THREAD.tmp``, :mod:`musicsage.files`; ``model.pt.tmp`` of earlier
    versions). A user's own ``notes.tmp`` is not: it was deleted with the folder."""
    names = MODEL_FILES | also
    if name in names:
        return True
    bare = name[1:] if name.startswith(".") else name  # earlier versions wrote model.pt.tmp
    return name.endswith(".tmp") and any(bare.startswith(f"{n}.") for n in names)


def _marker(d: Path) -> dict | None:
    """The :data:`MARKER` of ``d`` when this app wrote it, else None."""
    try:
        marker = json.loads((d / MARKER).read_text())
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("app") == "musicsage" else None


def _folder_key(path: Path) -> tuple:
    """One key per folder on disk however a path spells it (``x``, ``./x``, ``y/../x``, an
    absolute path, a link to it, another case on a case-blind disk): its device and inode;
    its resolved path when it cannot be read."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in a hand-edited row
        return ("path", str(_real(path)))
    return ("inode", st.st_dev, st.st_ino)


def _real(path: Path) -> Path:
    """``path`` with its links and ``..`` resolved; only made absolute when it is no path
    the system takes (a NUL in a hand-edited row)."""
    try:
        return Path(os.path.realpath(path))
    except ValueError:
        return Path(os.path.abspath(path))


def _folders_in_use(conn, ctx) -> set[tuple]:
    """:func:`_folder_key` of every folder a ``graph_models`` row names, and of the folders
    above it: a row is the only record that a model's files are needed, whatever its
    spelling (a hand-edited or restored database may name a folder as no training wrote it)."""
    keys = set()
    for info in list_models(conn, ctx):
        folder = _real(info.dir)
        keys.update(_folder_key(p) for p in (folder, *folder.parents))
    return keys


def _is_orphan(d: Path, in_use: set[tuple], ctx) -> bool:
    """An unregistered model directory this app made (:func:`foreign_content`) for this
    library (:func:`_made_by_this_library`), whose training process is gone."""
    base = Path(ctx.graph_models_dir)
    if not _STAMPED.match(d.name) or _folder_key(d) in in_use or foreign_content(d, base):
        return False
    marker = _marker(d)
    try:
        pid = int(marker["pid"])
    except (KeyError, TypeError, ValueError):
        return False
    return _made_by_this_library(marker, ctx) and not process_runs(pid)


def remove_orphan_dirs(conn, ctx) -> list[Path]:
    """Delete orphaned model directories (see the module doc); returns what was removed."""
    base = Path(ctx.graph_models_dir)
    if not base.is_dir():
        return []
    in_use = _folders_in_use(conn, ctx)
    removed = []
    for d in sorted(base.iterdir()):
        if _is_orphan(d, in_use, ctx):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


# --- choosing among a library's models (``models``, Analyse ▸ Graph model) ---------------------


def list_models(conn, ctx) -> list[GraphModelInfo]:
    """Every registered model of the library, oldest first."""
    return [_info(ctx, row) for row in conn.execute("SELECT * FROM graph_models ORDER BY id")]


def still_registered(conn, model_id: int) -> bool:
    """Whether graph model ``model_id``'s row is there once any removal under way has ended:
    :func:`remove_model` deletes the folder inside its transaction, before its commit, so a
    reader that found the folder gone could still read the row. The write lock (``BEGIN
    IMMEDIATE``) waits for that commit."""
    from musicsage.library.db import transaction

    with transaction(conn):
        return conn.execute("SELECT 1 FROM graph_models WHERE id = ?",
                            (int(model_id),)).fetchone() is not None


def _model_row(conn, ctx, model_id: int) -> GraphModelInfo:
    in_range = -(2 ** 63) <= int(model_id) < 2 ** 63  # SQLite's integers: larger ones overflow
    row = (conn.execute("SELECT * FROM graph_models WHERE id = ?", (int(model_id),)).fetchone()
           if in_range else None)
    if row is None:
        raise MusicsageError(f"no graph model {model_id} in this library (`musicsage models` "
                             "lists them)")
    return _info(ctx, row)


def set_current(conn, ctx, model_id: int, check=None) -> GraphModelInfo:
    """Make model ``model_id`` the current one, in one transaction; ``check(info)`` runs inside
    it (the write lock held, so the row cannot be removed meanwhile) and refuses by raising.
    Returns the model as it now is."""
    from musicsage.library.db import transaction

    with transaction(conn):
        info = _model_row(conn, ctx, model_id)
        if check is not None:
            check(info)
        conn.execute("UPDATE graph_models SET is_current = (id = ?)", (info.id,))
    return _model_row(conn, ctx, model_id)


def foreign_content(model_dir: Path, base: Path, also: frozenset[str] = frozenset(),
                    *, named_by_row: bool = False) -> str | None:
    """Why ``model_dir`` is not a model directory this app made and may delete, or None.

    Ours: a real directory directly under ``base``, carrying :data:`MARKER` (written by this
    app), holding only :data:`MODEL_FILES`, the names in ``also`` (files written beside a
    model later, e.g. its inductive vectors) and the temporary files of their interrupted
    writes (:func:`_written_here`), no folder, no link. ``named_by_row``: the folder of the
    model being removed; it may lack the marker when it is one :func:`_made_before_marker`
    (the orphan clean-up never passes it: it needs the marker's process id anyway)."""
    d = Path(model_dir)
    if d.is_symlink():  # deleting through it would delete what it leads to, not ours
        return f"{d} is a link, not a folder musicsage made"
    if not d.is_dir():
        return f"{d} is not a folder"
    if d.resolve().parent != Path(base).resolve():
        return f"{d} is not inside {base}"
    for f in d.iterdir():
        if f.is_symlink() or not f.is_file():
            return f"{d} holds {f.name}, which is not a plain file"
        if not _written_here(f.name, also):
            return f"{d} holds {f.name}, which musicsage did not write"
    if _marker(d) is None and not (named_by_row and _made_before_marker(d)):
        return f"{d} carries no {MARKER} marker written by musicsage"
    return None


def _made_before_marker(d: Path) -> bool:
    """Whether ``d`` is a model folder of a version from before :data:`MARKER` (commit
    20981f9): no marker file at all (one this app did not write is foreign, not old) and
    the name :func:`new_model_dir` gives (``20261204-024919-spectral``). Its files were
    checked by the caller: such versions wrote only model.pt (through ``model.pt.tmp``) and
    the two ``.npy`` files there. Without it, a model trained before the upgrade could never
    be removed although musicsage made it."""
    return not os.path.lexists(d / MARKER) and _STAMPED.match(d.resolve().name) is not None


def remove_model(conn, ctx, model_id: int, also: frozenset[str] = frozenset()
                 ) -> tuple[GraphModelInfo, list[int], str | None, str | None]:
    """Delete a model that is not current: its directory (only if this app made it, see
    :func:`foreign_content`; one already gone is fine) and its row, in one transaction — a
    directory that cannot be moved aside leaves the row and every file; one moved aside whose
    files cannot all be deleted still lets the row go (:func:`delete_model_folder`). Raises
    :class:`MusicsageError` for the current model or a directory holding anything else
    (nothing is deleted then).

    A directory another row names too (a hand-edited or restored database) holds that
    model's files: only the row goes; so does one another library made, through a linked
    folder both name (:func:`made_by_another_library`: a ``cp -a`` of a library removed the
    original's files). Returns the model as it was, the ids of the models its directory was
    kept for (empty: it went, or was gone already), the database of the library it was
    kept for (None: none) and a note on a folder left part-deleted (None: none)."""
    from musicsage.library.db import transaction
    from musicsage.library.track_ids import retire_ids

    with transaction(conn):
        info = _model_row(conn, ctx, model_id)
        if info.is_current:  # "make another current" when there is none sent the user nowhere
            alone = conn.execute("SELECT COUNT(*) FROM graph_models").fetchone()[0] == 1
            raise MusicsageError(f"graph model {info.id} is the current one: " + (
                "it is the library's only graph model (`musicsage train` makes another)"
                if alone else "make another current first (`musicsage models --use ID`)"))
        sharing = _sharing(conn, ctx, info)
        maker = None if sharing else made_by_another_library(info.dir, ctx)
        left = _delete_folder(ctx, info, also) if not sharing and maker is None else None
        retire_ids(conn, "graph_models", MODEL_ID_FLOOR_KEY)  # a refusal above rolls back
        conn.execute("DELETE FROM graph_models WHERE id = ?", (info.id,))
    return info, sharing, maker, left


def made_by_another_library(model_dir: Path | str, ctx) -> str | None:
    """The database the marker of ``model_dir`` names when that is another library's that
    still exists and names this very folder (a ``cp -a`` copy whose ``graph_models`` link
    leads to the original's folders), else None."""
    d = Path(model_dir)
    marker = _marker(d) if d.is_dir() and not d.is_symlink() else None
    made_by = marker.get("library") if marker else None
    if not isinstance(made_by, str) or not made_by or _made_by_this_library(marker, ctx):
        return None
    theirs = Path(made_by).parent / Path(ctx.graph_models_dir).name / d.name
    # the same folder on disk in that library: a copy (cp -a of a plain folder) only carried
    # the marker over, and the folder is this library's alone
    if not os.path.exists(made_by) or not os.path.lexists(theirs):
        return None
    return made_by if _folder_key(theirs) == _folder_key(d) else None


def _sharing(conn, ctx, info: GraphModelInfo) -> list[int]:
    """The other models whose row names ``info``'s directory (however spelled: see
    :func:`_folder_key`); none when it is gone."""
    if not os.path.lexists(info.dir):
        return []
    key = _folder_key(info.dir)
    return [m.id for m in list_models(conn, ctx) if m.id != info.id
            and os.path.lexists(m.dir) and _folder_key(m.dir) == key]


def _delete_folder(ctx, info: GraphModelInfo, also: frozenset[str]) -> str | None:
    """Delete ``info``'s directory when this app made it (:func:`foreign_content`); refuse,
    deleting nothing, when it did not; nothing to do when it is gone (or is the models
    folder itself). Returns :func:`delete_model_folder`'s note on a folder left, or None."""
    base = Path(ctx.graph_models_dir)
    if os.path.lexists(info.dir) and Path(info.dir).resolve() != base.resolve():
        problem = foreign_content(info.dir, base, also, named_by_row=True)
        if problem is not None:
            raise MusicsageError(f"graph model {info.id} not removed: {problem}; "
                                 "nothing was deleted")
        return delete_model_folder(info.dir, info.id)
    return None

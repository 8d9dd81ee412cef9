"""Trained graph models of a library: ``graph_models`` rows + files under ctx.graph_models_dir.

Each model gets its own directory (model.pt, embeddings.npy, track_ids.npy); the row stores it
relative to ``graph_models_dir``. A new model becomes current in one transaction *after* its
files are complete, so a cancelled or failed training never leaves a half-written current
model, and the previous one stays current until then.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from musicsage.errors import MusicsageError


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


def new_model_dir(ctx, audio_model: str) -> Path:
    """A fresh, empty directory for one model's files."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in audio_model)
    base = ctx.graph_models_dir
    for n in range(1000):
        d = base / f"{stamp}-{safe}" if n == 0 else base / f"{stamp}-{safe}-{n}"
        try:
            d.mkdir(parents=True, exist_ok=False)
            return d
        except FileExistsError:
            continue
    raise MusicsageError(f"cannot create a model directory under {base}")


def write_embeddings(model_dir: Path, track_ids: np.ndarray, embeddings: np.ndarray) -> None:
    np.save(model_dir / "track_ids.npy", np.asarray(track_ids, np.int64))
    np.save(model_dir / "embeddings.npy", np.asarray(embeddings, np.float32))


def register_model(conn, ctx, model_dir: Path, *, name: str, audio_model: str, params: dict,
                   metrics: dict, fingerprint: str, make_current: bool = True) -> int:
    """Insert the row for a complete model directory (and make it current); returns its id."""
    from musicsage.library.db import transaction

    rel = str(Path(model_dir).resolve().relative_to(Path(ctx.graph_models_dir).resolve()))
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO graph_models(name, audio_model, dir, params, metrics, fingerprint,"
            " is_current) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (name, audio_model, rel, json.dumps(params, default=str),
             json.dumps(metrics, default=float), fingerprint))
        model_id = int(cur.lastrowid)
        if make_current:
            conn.execute("UPDATE graph_models SET is_current = (id = ?)", (model_id,))
    return model_id


def _info(ctx, row) -> GraphModelInfo:
    return GraphModelInfo(
        id=int(row["id"]), name=row["name"] or "", audio_model=row["audio_model"] or "",
        created_at=row["created_at"] or "", dir=Path(ctx.graph_models_dir) / (row["dir"] or ""),
        params=json.loads(row["params"] or "{}"), metrics=json.loads(row["metrics"] or "{}"),
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
                             "retrain with 'musicsage train'") from None
    if len(ids) != len(emb):
        raise MusicsageError(f"graph model {info.id}: track_ids.npy and embeddings.npy differ "
                             "in length; retrain with 'musicsage train'")
    return ids.astype(np.int64), emb.astype(np.float32)


def discard_dir(model_dir: Path) -> None:
    """Remove an unregistered model directory (after a cancel or failure)."""
    shutil.rmtree(model_dir, ignore_errors=True)

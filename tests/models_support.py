"""A small library with two graph models, for the tests of choosing between them.

The first model is trained (a few steps); the second is made from it without training — its
own folder, checkpoint and ids, but every track's vector taken from another track — so the
two give visibly different neighbour lists and cost one training, not two. The second is
current, as after a Retrain.
"""

from __future__ import annotations

import io
import pickle
import shutil
import zipfile
from pathlib import Path

import numpy as np

from music_support import make_music

def _stand_in_checkpoint() -> bytes:
    """A model.pt's stand-in: a whole zip archive, as torch saves one, holding no weights.
    Listing a model checks only that its model.pt is such an archive (or torch's older
    pickle) whose description names musicsage's format: plain bytes such as b"a model",
    or an archive of another program's, are listed damaged."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("archive/data.pkl",
                         pickle.dumps({"format": "musicsage-graph", "version": 4}, protocol=2))
    return buf.getvalue()


#: :func:`_stand_in_checkpoint`'s bytes, for tests that write model.pt without training
STAND_IN_MODEL_PT = _stand_in_checkpoint()
N_TRACKS = 72  # more than the graph model's embedding size
TRAIN = {"max_steps": 30}


def build_two_models(root: Path):
    """(ctx, first model id, second model id) of a library under ``root``."""
    from musicsage.context import AppContext
    from musicsage.graph.store import (load_embeddings, new_model_dir, register_model,
                                       write_embeddings)
    from musicsage.library.db import connect
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.training import current_graph_model, train_graph

    music, playlists, _ = make_music(root / "src", n_tracks=N_TRACKS, seconds=1.0)
    ctx = AppContext.create(root / "data")
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    train_graph(ctx, **TRAIN)
    first = current_graph_model(ctx)
    ids, emb = load_embeddings(first)
    second_dir = new_model_dir(ctx, first.audio_model)
    write_embeddings(second_dir, ids, np.roll(emb, 17, axis=0))
    shutil.copy2(first.checkpoint_path, second_dir / "model.pt")
    metrics = {"graph": {"hr@10": 0.05, "mrr": 0.01}, "protocol": {"version": 3}}
    second = register_model(connect(ctx), ctx, second_dir, name=first.name,
                            audio_model=first.audio_model, params=dict(first.params),
                            metrics=metrics, fingerprint=first.fingerprint + "-second")
    return ctx, first.id, second


def copy_library(template: Path, dest: Path):
    """A context on a private copy of a template's data dir."""
    from musicsage.context import AppContext

    shutil.copytree(template / "data", dest / "data")
    return AppContext.create(dest / "data")


def model_with_metrics(ctx, metrics: dict) -> int:
    """A current graph model (three tracks' vectors, a stand-in checkpoint) whose row holds
    ``metrics`` as given, through JSON as a saved row holds them: for the readers of saved
    figures, pair counts and protocols."""
    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect

    folder = new_model_dir(ctx, "spectral")
    write_embeddings(folder, np.arange(3), np.ones((3, 4), np.float32))
    (folder / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    return register_model(connect(ctx), ctx, folder, name="pinsage-spectral",
                          audio_model="spectral", params={}, metrics=metrics, fingerprint="f")

"""Model folders made before the ``.musicsage-model`` marker existed (commit 20981f9): after an
upgrade their models could be listed as ok but never removed (`models --remove`, the window's
"Remove older models…"), "carries no .musicsage-model marker". They are removed now when
their row names them, their name is the one musicsage gives and they hold only its files;
anything else in them is still refused, and the orphan clean-up still needs the marker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.store import MARKER, remove_orphan_dirs
from musicsage.library.db import connect
from musicsage.usecases.models import list_graph_models, remove_graph_model, remove_graph_models

OLD = "20261204-024919-spectral"
"""A folder name as versions before the marker gave it (and as they still do)."""


def old_folder(ctx, name: str = OLD) -> Path:
    """A model folder as a version before the marker left it: the model's files, no marker."""
    folder = Path(ctx.graph_models_dir) / name
    folder.mkdir(parents=True)
    for f in ("model.pt", "embeddings.npy", "track_ids.npy"):
        (folder / f).write_bytes(b"old " + f.encode())
    return folder


def register(ctx, folder: Path) -> None:
    """Rows as the old version wrote them: model 1 in ``folder``, model 2 current."""
    current = Path(ctx.graph_models_dir) / "20261204-030431-spectral"
    current.mkdir()
    (current / MARKER).write_text(json.dumps({"app": "musicsage", "pid": 1, "created": 0}))
    conn = connect(ctx)
    with conn:
        conn.execute("INSERT INTO graph_models(id, audio_model, dir, is_current) VALUES"
                     " (1, 'spectral', ?, 0), (2, 'spectral', ?, 1)",
                     (folder.name, current.name))


def test_models_remove_deletes_a_folder_made_before_the_marker(ctx, capsys):
    folder = old_folder(ctx)
    (folder / "model.pt.tmp").write_bytes(b"cut short")  # their interrupted checkpoint write
    (folder / "inductive.npz").write_bytes(b"written since the upgrade")
    register(ctx, folder)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", "1"])
    out, err = capsys.readouterr()
    assert (rc, err) == (0, ""), err
    assert out.startswith("removed graph model 1 ") and out.rstrip().endswith(str(folder)), out
    assert not folder.exists() and [r.id for r in list_graph_models(ctx)] == [2]


def test_the_windows_removal_deletes_a_folder_made_before_the_marker(ctx):
    folder = old_folder(ctx)
    register(ctx, folder)
    size = sum(f.stat().st_size for f in folder.iterdir())
    removal = remove_graph_models(ctx, [1])
    assert removal.refused == () and [r.id for r in removal.removed] == [1]
    assert not folder.exists() and removal.freed == size


@pytest.mark.parametrize("what", ["user file", "subfolder", "foreign marker", "own name"])
def test_a_folder_without_the_marker_holding_anything_else_is_still_refused(ctx, what):
    """A user's file or folder in it, a marker musicsage did not write, or a folder named as
    musicsage never names one: nothing is deleted, the row stays."""
    folder = old_folder(ctx, "my models" if what == "own name" else OLD)
    if what == "user file":
        (folder / "notes.txt").write_text("mine")
    elif what == "subfolder":
        (folder / "keep").mkdir()
    elif what == "foreign marker":
        (folder / MARKER).write_text("another program's")
    register(ctx, folder)
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(MusicsageError, match=r"not removed: .*; nothing was deleted$"):
        remove_graph_model(ctx, 1)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert [r.id for r in list_graph_models(ctx)] == [1, 2]


def test_the_orphan_clean_up_still_needs_the_marker(ctx):
    """An unregistered folder without the marker is no orphan of a killed training: kept."""
    folder = old_folder(ctx)
    assert remove_orphan_dirs(connect(ctx), ctx) == [] and folder.is_dir()

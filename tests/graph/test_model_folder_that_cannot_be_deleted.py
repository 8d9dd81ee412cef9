"""``models --remove`` (and the window's Remove older models…) of a model whose folder holds
a file that cannot be deleted (an immutable file, a read-only disk): ``shutil.rmtree`` had
deleted part of the folder when it stopped, and the bare error read "Operation not
permitted: embeddings.npy" — naming neither the model nor what became of it. One line now says
the model stays (its row rolled back, listed as damaged) and what to do."""

from __future__ import annotations

import os
import shutil

from musicsage import cli
from musicsage.graph import model_folder
from musicsage.graph.store import MARKER
from musicsage.usecases.models import list_graph_models, remove_graph_models


def _stuck_on_vectors(monkeypatch):
    """rmtree as on a folder whose embeddings.npy may not be deleted: the files before it go."""
    real = shutil.rmtree

    def stuck(path, *args, **kwargs):
        for name in (MARKER, "model.pt"):
            os.unlink(os.path.join(path, name))
        raise PermissionError(1, "Operation not permitted", os.path.join(path, "embeddings.npy"))

    monkeypatch.setattr(model_folder.shutil, "rmtree", stuck)
    return lambda: monkeypatch.setattr(model_folder.shutil, "rmtree", real)


def test_a_folder_that_cannot_be_deleted_is_one_line_and_the_model_stays(two_models, capsys,
                                                                        monkeypatch):
    ctx, first, _second = two_models
    undo = _stuck_on_vectors(monkeypatch)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert f"graph model {first} not removed: embeddings.npy in " in err
    assert "(Operation not permitted)" in err and "remove it again" in err
    rows = {r.id: r for r in list_graph_models(ctx)}
    assert first in rows and rows[first].problem == "model.pt is missing"  # said as damaged
    undo()
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)]) == 0
    assert first not in {r.id for r in list_graph_models(ctx)}


def test_the_window_names_the_model_its_folder_stopped(two_models, monkeypatch):
    ctx, first, _second = two_models
    _stuck_on_vectors(monkeypatch)
    removal = remove_graph_models(ctx, [first])
    assert removal.removed == () and [i for i, _why in removal.refused] == [first]
    assert removal.refused[0][1].startswith(f"graph model {first} not removed: embeddings.npy")

"""``models --remove`` (and the window's Remove older models…) of a model whose folder holds
a file that cannot be deleted (an immutable file, a read-only disk): ``shutil.rmtree`` had
deleted part of the folder when it stopped, and the model stayed listed, damaged. The folder
is now moved aside (a hidden name in graph_models) before it is deleted, so the model is
either whole or gone: a folder that cannot be moved is one line and nothing deleted; a file
of the moved folder that cannot be deleted leaves the model gone, and a warning names the
hidden folder left."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from musicsage import cli
from musicsage.graph import model_folder
from musicsage.graph.store import MARKER
from musicsage.usecases.models import list_graph_models, remove_graph_models


def _stuck_on_vectors(monkeypatch):
    """The deletion as on a folder whose embeddings.npy may not be deleted: the files before
    it go."""
    def stuck(path):
        for name in (MARKER, "model.pt"):
            os.unlink(os.path.join(path, name))
        raise PermissionError(1, "Operation not permitted", os.path.join(path, "embeddings.npy"))

    monkeypatch.setattr(model_folder, "_delete_tree", stuck)


def _rename_refused(monkeypatch):
    """A folder that cannot be moved (its parent read-only, say): the undo of the seam."""
    def refused(src, dst):
        raise PermissionError(13, "Permission denied", os.fspath(src))

    monkeypatch.setattr(model_folder, "_move", refused)
    return monkeypatch.undo


def _leftovers(ctx) -> list[str]:
    return [p.name for p in ctx.graph_models_dir.iterdir() if p.name.startswith(".")]


def test_a_file_that_cannot_be_deleted_leaves_the_model_gone_not_damaged(two_models, caplog,
                                                                         monkeypatch):
    ctx, first, second = two_models
    folder = Path(next(r.dir for r in list_graph_models(ctx) if r.id == first))
    _stuck_on_vectors(monkeypatch)
    with caplog.at_level(logging.WARNING):
        rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)])
    assert rc == 0
    assert [r.id for r in list_graph_models(ctx)] == [second]  # gone, not listed damaged
    assert not folder.exists()
    [left] = _leftovers(ctx)
    assert left.startswith(f".{folder.name}.removing-")
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith(f"graph model {first} removed, but embeddings.npy in its old "
                              f"folder {ctx.graph_models_dir / left} cannot be deleted "
                              "(Operation not permitted)")


def test_a_folder_that_cannot_be_moved_aside_is_one_line_and_nothing_deleted(two_models,
                                                                            capsys,
                                                                            monkeypatch):
    ctx, first, _second = two_models
    folder = Path(next(r.dir for r in list_graph_models(ctx) if r.id == first))
    before = sorted(p.name for p in folder.iterdir())
    undo = _rename_refused(monkeypatch)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert f"graph model {first} not removed: its folder {folder} cannot be moved aside" in err
    assert "(Permission denied)" in err and "nothing was deleted" in err
    assert sorted(p.name for p in folder.iterdir()) == before and _leftovers(ctx) == []
    rows = {r.id: r for r in list_graph_models(ctx)}
    assert rows[first].problem is None  # whole
    undo()
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)]) == 0
    assert first not in {r.id for r in list_graph_models(ctx)} and not folder.exists()


def test_the_window_names_the_model_whose_folder_could_not_be_moved(two_models, monkeypatch):
    ctx, first, _second = two_models
    _rename_refused(monkeypatch)
    removal = remove_graph_models(ctx, [first])
    assert removal.removed == () and [i for i, _why in removal.refused] == [first]
    assert removal.refused[0][1].startswith(f"graph model {first} not removed: its folder")

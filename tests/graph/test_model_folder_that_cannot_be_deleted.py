"""``models --remove`` (and the window's Remove older models…) of a model whose folder holds
a file that cannot be deleted (an immutable file, a read-only disk): ``shutil.rmtree`` had
deleted part of the folder when it stopped, and the model stayed listed, damaged. The folder
is now moved aside (a hidden name beside it) before it is deleted, so the model is
either whole or gone: a folder that cannot be moved is one line and nothing deleted; a file
of the moved folder that cannot be deleted leaves the model gone, and the line saying so
names the hidden folder left (it was only a log warning, and its bytes counted as freed)."""

from __future__ import annotations

import os
from pathlib import Path

from musicsage import cli
from musicsage.controllers.models import describe_removal
from musicsage.graph import model_folder
from musicsage.graph.store import MARKER, remove_orphan_dirs
from musicsage.library.db import connect
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


def test_a_file_that_cannot_be_deleted_leaves_the_model_gone_not_damaged(two_models, capsys,
                                                                         monkeypatch):
    ctx, first, second = two_models
    folder = Path(next(r.dir for r in list_graph_models(ctx) if r.id == first))
    _stuck_on_vectors(monkeypatch)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)])
    out, _err = capsys.readouterr()
    assert rc == 0
    assert [r.id for r in list_graph_models(ctx)] == [second]  # gone, not listed damaged
    assert not folder.exists()
    [left] = _leftovers(ctx)
    assert left.startswith(f".{folder.name}.removing-")
    # said where the user reads it, not "and its folder X" as if all of it went
    assert out.startswith(f"removed graph model {first} (") and "and its folder" not in out
    assert out.rstrip().endswith(f"; its old folder is left as {ctx.graph_models_dir / left}: "
                                 "embeddings.npy in it cannot be deleted (Operation not "
                                 "permitted); delete it yourself once it can be")


def test_the_window_names_a_folder_left_part_deleted_and_frees_none_of_it(two_models,
                                                                          monkeypatch):
    ctx, first, _second = two_models
    _stuck_on_vectors(monkeypatch)
    removal = remove_graph_models(ctx, [first])
    assert [r.id for r in removal.removed] == [first] and removal.freed == 0
    [left] = _leftovers(ctx)
    # the orphan clean-up leaves it (its marker may be gone: nothing proves it this library's)
    assert remove_orphan_dirs(connect(ctx), ctx) == [] and _leftovers(ctx) == [left]
    _level, text = describe_removal(removal)
    assert (f"; model {first}: its old folder is left as {ctx.graph_models_dir / left}: "
            "embeddings.npy in it cannot be deleted") in text


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

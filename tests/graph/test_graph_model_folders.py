"""A model folder that more than one row names, or a link or file where a model folder should
be (a hand-edited or restored database, a user's own link): removing a model, the orphan
clean-up and a new training never delete or overwrite what another model or the user needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from models_support import STAND_IN_MODEL_PT

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph import store
from musicsage.graph.store import MARKER, new_model_dir, remove_orphan_dirs
from musicsage.library.db import connect
from musicsage.usecases.models import (files_problem, list_graph_models, remove_graph_model,
                                       remove_graph_models, use_graph_model)
from musicsage.usecases.training import current_graph_model


def folder_of(ctx, model_id) -> str:
    return next(r for r in list_graph_models(ctx) if r.id == model_id).dir


def set_dir(ctx, model_id, spelled: str) -> None:
    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE graph_models SET dir = ? WHERE id = ?", (spelled, model_id))


def spelling(ctx, folder: str, how: str) -> str:
    """``folder`` as a row may name it."""
    name = os.path.basename(folder)
    if how == "same":
        return name
    if how == "dotted":
        return f"./{name}/"
    if how == "absolute":
        return str(folder)
    alias = ctx.graph_models_dir / "alias"
    alias.symlink_to(folder)
    return alias.name


@pytest.mark.parametrize("how", ["same", "dotted", "absolute"])
def test_removing_a_model_keeps_a_folder_another_model_uses(two_models, capsys, how):
    """Two rows naming one folder: `models --remove A` deleted the folder B still uses."""
    ctx, first, second = two_models
    shared = folder_of(ctx, second)
    set_dir(ctx, first, spelling(ctx, shared, how))
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)])
    out, err = capsys.readouterr()
    assert rc == 0 and err == ""
    assert out.strip().endswith(f"; its folder is kept: graph model {second} uses it too"), out
    assert [r.id for r in list_graph_models(ctx)] == [second]
    assert files_problem(current_graph_model(ctx), deep=True) is None
    assert use_graph_model(ctx, second).model.id == second


def test_the_windows_removal_frees_nothing_for_a_folder_kept(two_models):
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    set_dir(ctx, second, os.path.basename(folder_of(ctx, first)))
    removal = remove_graph_models(ctx, [second])
    assert [r.id for r in removal.removed] == [second] and removal.freed == 0
    assert "kept: graph model" in removal.removed[0].problem
    assert files_problem(current_graph_model(ctx), deep=True) is None


@pytest.mark.parametrize("shared", [True, False])
def test_the_json_of_a_removal_says_what_became_of_the_folder(two_models, capsys, shared):
    """A model whose folder was kept for another was reported ``"status": "damaged"``."""
    ctx, first, second = two_models
    if shared:
        set_dir(ctx, first, os.path.basename(folder_of(ctx, second)))
    data = ["--data-dir", str(ctx.data_dir), "models", "--json", "--remove", str(first)]
    assert cli.main(data) == 0
    gone = json.loads(capsys.readouterr().out)["removed"]
    assert (gone["status"], gone["problem"]) == (
        ("kept", f"its folder is kept: graph model {second} uses it too") if shared
        else ("removed", None))
    assert set(gone) == {"id", "created_at", "audio_model", "contexts", "hr@10", "mrr",
                         "tracks", "is_current", "status", "problem", "dir", "pairs",
                         "older_protocol", "learned"}
    assert [r.to_dict()["status"] for r in list_graph_models(ctx)] == ["ok"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("how", ["absolute", "link", "dotted"])
def test_the_orphan_clean_up_keeps_a_folder_a_row_names_however_spelled(ctx, how):
    """A row naming its folder by an absolute path, or through a link, left the folder
    looking unregistered: with its training's process gone (as for every trained model),
    the next training deleted it."""
    folder = new_model_dir(ctx, "spectral-48")
    marker = json.loads((folder / MARKER).read_text())
    (folder / MARKER).write_text(json.dumps(dict(marker, pid=_dead_pid())))
    (folder / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    conn = connect(ctx)
    with conn:
        conn.execute("INSERT INTO graph_models(id, dir) VALUES (1, ?)",
                     (spelling(ctx, str(folder), how),))
    assert remove_orphan_dirs(conn, ctx) == []
    assert (folder / "model.pt").read_bytes() == STAND_IN_MODEL_PT


def test_removing_a_model_whose_folder_is_a_link_deletes_nothing(two_models, tmp_path):
    """The row names a link (to a folder that looks like a model's): nothing is deleted
    through it, and the line says it is a link rather than "not a folder"."""
    ctx, first, second = two_models
    elsewhere = tmp_path / "elsewhere"
    os.rename(folder_of(ctx, first), elsewhere)
    os.symlink(elsewhere, folder_of(ctx, first))
    with pytest.raises(MusicsageError, match=r"is a link, not a folder musicsage made; "
                                             "nothing was deleted"):
        remove_graph_model(ctx, first)
    assert os.path.islink(folder_of(ctx, first)) and (elsewhere / "model.pt").is_file()
    assert [r.id for r in list_graph_models(ctx)] == [first, second]


def test_removing_a_model_whose_folder_is_a_file_deletes_nothing(two_models):
    import shutil

    ctx, first, second = two_models
    shutil.rmtree(folder_of(ctx, first))
    with open(folder_of(ctx, first), "w") as fh:
        fh.write("mine")
    with pytest.raises(MusicsageError, match="is not a folder; nothing was deleted"):
        remove_graph_model(ctx, first)
    assert open(folder_of(ctx, first)).read() == "mine"


def test_a_new_model_folder_never_takes_a_users_link_or_file(ctx, tmp_path, monkeypatch):
    """A new training's folder name taken by a link (to another library's model) or a file:
    the training gets a name of its own, and writes nothing through the link."""
    monkeypatch.setattr(store.time, "strftime", lambda _fmt: "20260101-000000")
    ctx.graph_models_dir.mkdir()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (ctx.graph_models_dir / "20260101-000000-spectral").symlink_to(theirs)
    (ctx.graph_models_dir / "20260101-000000-spectral-1").write_text("mine")
    (ctx.graph_models_dir / "20260101-000000-spectral-2").symlink_to(tmp_path / "nowhere")
    made = new_model_dir(ctx, "spectral")
    assert made.name == "20260101-000000-spectral-3" and not made.is_symlink()
    assert list(theirs.iterdir()) == [] and not (tmp_path / "nowhere").exists()
    assert (ctx.graph_models_dir / "20260101-000000-spectral-1").read_text() == "mine"


def test_a_row_naming_no_path_at_all_does_not_stop_the_clean_up(ctx):
    """A NUL in a hand-edited row's folder: no path the system takes, yet the clean-up
    (at every training's start) must still run, and keep the folders other rows name."""
    folder = new_model_dir(ctx, "spectral-48")
    marker = json.loads((folder / MARKER).read_text())
    (folder / MARKER).write_text(json.dumps(dict(marker, pid=_dead_pid())))
    conn = connect(ctx)
    with conn:
        conn.execute("INSERT INTO graph_models(id, dir) VALUES (1, ?), (2, ?)",
                     ("a\x00b", str(folder)))
    assert remove_orphan_dirs(conn, ctx) == [] and folder.is_dir()

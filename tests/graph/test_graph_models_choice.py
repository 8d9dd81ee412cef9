"""Going back to an earlier graph model: list, switch (refusals), remove, and the CLI's
`models` command — on a library with two models (tests/models_support.py)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from music_support import make_music
from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.store import MARKER
from musicsage.library.db import connect
from musicsage.library.lock import training_lock
from musicsage.usecases.models import list_graph_models, remove_graph_model, use_graph_model
from musicsage.usecases.search import map_points, similar_tracks
from musicsage.usecases.spaces import SearchSpaces
from musicsage.usecases.training import current_graph_model

ROW_KEYS = {"id", "created_at", "audio_model", "contexts", "hr@10", "mrr", "tracks",
            "is_current", "status", "problem", "dir", "pairs", "older_protocol", "learned"}


def graph_ids(ctx, spaces, query=5):
    return [r["track_id"] for r in similar_tracks(ctx, query, k=5, space="graph",
                                               spaces=spaces).graph]


def test_list_shows_both_models_the_current_one_marked(two_models):
    ctx, first, second = two_models
    rows = list_graph_models(ctx)
    assert [r.id for r in rows] == [first, second]
    assert [r.is_current for r in rows] == [False, True]
    assert rows[1].hr10 == 0.05 and rows[1].mrr == 0.01 and rows[0].hr10 is not None
    assert all(r.usable and r.tracks == 72 and r.audio_model.startswith("spectral")
               for r in rows)
    assert set(rows[0].to_dict()) == ROW_KEYS and rows[0].to_dict()["status"] == "ok"


def test_switching_serves_each_models_own_vectors_index_and_map(two_models):
    ctx, first, second = two_models
    spaces = SearchSpaces(ctx)  # one object across the switches, as the window keeps it
    with_second = graph_ids(ctx, spaces)
    map_second = map_points(ctx, "graph", spaces=spaces)
    switch = use_graph_model(ctx, first)
    assert switch.changed and switch.previous == second and switch.model.is_current
    assert current_graph_model(ctx).id == first
    with_first = graph_ids(ctx, spaces)
    assert with_first != with_second
    map_first = map_points(ctx, "graph", spaces=spaces)
    assert map_first.model_id == f"graph-{first}" != map_second.model_id
    assert map_first.fingerprint != map_second.fingerprint and not map_first.cached
    use_graph_model(ctx, second)  # and back: the same lists as before, never first's
    assert graph_ids(ctx, spaces) == with_second
    assert map_points(ctx, "graph", spaces=spaces).model_id == f"graph-{second}"


def test_switching_back_gives_the_model_vectors_for_music_added_since(two_models, tmp_path):
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    ctx, first, second = two_models
    music, _, _ = make_music(tmp_path / "new", n_tracks=4, seconds=1.0, seed=3)
    before = {r[0] for r in connect(ctx).execute("SELECT id FROM tracks")}
    scan_library(ctx, [str(music)])
    embed_library(ctx, "spectral")  # the current (second) model embeds them
    new = sorted({r[0] for r in connect(ctx).execute("SELECT id FROM tracks")} - before)
    assert len(new) == 4
    switch = use_graph_model(ctx, first)
    assert switch.inductive is not None and switch.inductive.embedded == 4
    space = SearchSpaces(ctx).get("graph")
    assert all(space.row_of(t) is not None for t in new)


def test_a_damaged_model_is_refused_and_nothing_changes(two_models):
    ctx, first, second = two_models
    path = next(r for r in list_graph_models(ctx) if r.id == first).dir
    with open(os.path.join(path, "embeddings.npy"), "r+b") as fh:
        fh.truncate(200)
    row = next(r for r in list_graph_models(ctx) if r.id == first)
    assert not row.usable and row.to_dict()["status"] == "damaged"
    with pytest.raises(MusicsageError, match=f"graph model {first} is unusable"):
        use_graph_model(ctx, first)
    assert current_graph_model(ctx).id == second


def test_a_model_with_nan_vectors_is_refused(two_models):
    ctx, first, second = two_models
    path = os.path.join(next(r for r in list_graph_models(ctx) if r.id == first).dir,
                        "embeddings.npy")
    emb = np.load(path)
    emb[3, 0] = np.nan
    np.save(path, emb)
    with pytest.raises(MusicsageError, match="unusable"):
        use_graph_model(ctx, first)
    assert current_graph_model(ctx).id == second


def test_a_model_whose_audio_vectors_are_gone_is_refused(two_models):
    ctx, first, second = two_models
    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE graph_models SET audio_model = 'openl3-gone' WHERE id = ?",
                     (first,))
    with pytest.raises(MusicsageError, match="has none any more"):
        use_graph_model(ctx, first)
    assert current_graph_model(ctx).id == second


def test_unknown_id_and_a_running_training_are_refused(two_models):
    ctx, first, second = two_models
    with pytest.raises(MusicsageError, match="no graph model 99"):
        use_graph_model(ctx, 99)
    with training_lock(connect(ctx)):  # as a training in another process holds it
        with pytest.raises(MusicsageError, match="a training of this library is running"):
            use_graph_model(ctx, first)
    assert current_graph_model(ctx).id == second
    assert use_graph_model(ctx, first).model.id == first  # once it is over


def test_a_training_holds_the_lock_that_refuses_a_switch(two_models):
    from musicsage.library.lock import no_training_running
    from musicsage.usecases.training import train_graph

    ctx, _first, _second = two_models
    refusals = []

    def progress(_report) -> None:
        if not refusals:
            try:
                with no_training_running(connect(ctx), "switch models"):
                    refusals.append(None)
            except MusicsageError as exc:
                refusals.append(str(exc))

    train_graph(ctx, max_steps=10, progress=progress)
    assert refusals and refusals[0] and "switch models after it finishes" in refusals[0]
    with no_training_running(connect(ctx), "switch models"):  # released at its end
        pass


def test_remove_refuses_the_current_model(two_models):
    ctx, first, second = two_models
    with pytest.raises(MusicsageError, match="is the current one"):
        remove_graph_model(ctx, second)
    assert [r.id for r in list_graph_models(ctx)] == [first, second]


def test_remove_deletes_row_and_folder_of_an_old_model(two_models):
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    use_graph_model(ctx, second)
    folder = next(r for r in list_graph_models(ctx) if r.id == first).dir
    gone = remove_graph_model(ctx, first)
    assert gone.id == first and not os.path.exists(folder)
    assert [r.id for r in list_graph_models(ctx)] == [second]


def test_a_removed_models_id_is_never_given_to_a_new_one(two_models):
    """SQLite gives a new row the largest id plus one: removing the newest model let the next
    training take its id, and "model 2" named two models."""
    from musicsage.graph.store import (load_embeddings, new_model_dir, register_model,
                                       write_embeddings)

    ctx, first, second = two_models
    use_graph_model(ctx, first)
    remove_graph_model(ctx, second)  # the newest
    info = current_graph_model(ctx)
    d = new_model_dir(ctx, info.audio_model)
    write_embeddings(d, *load_embeddings(info))
    (d / "model.pt").write_bytes(info.checkpoint_path.read_bytes())
    third = register_model(connect(ctx), ctx, d, name=info.name, audio_model=info.audio_model,
                           params=dict(info.params), metrics={}, fingerprint="third")
    assert third == second + 1
    assert [r.id for r in list_graph_models(ctx)] == [first, third]


@pytest.mark.parametrize("damage", ["foreign file", "foreign marker", "outside"])
def test_remove_refuses_a_folder_the_app_did_not_make(two_models, tmp_path, damage):
    ctx, first, second = two_models
    folder = next(r for r in list_graph_models(ctx) if r.id == first).dir
    if damage == "foreign file":
        with open(os.path.join(folder, "notes.txt"), "w") as fh:
            fh.write("mine")
    elif damage == "foreign marker":  # no marker at all: tests/graph/test_pre_marker_model_folders
        with open(os.path.join(folder, MARKER), "w") as fh:
            fh.write("another program's")
    else:
        outside = tmp_path / "elsewhere"
        outside.mkdir()
        (outside / MARKER).write_text('{"app": "musicsage"}')
        conn = connect(ctx)
        with conn:
            conn.execute("UPDATE graph_models SET dir = ? WHERE id = ?",
                         (str(os.path.relpath(outside, ctx.graph_models_dir)), first))
        folder = str(outside)
    with pytest.raises(MusicsageError, match="nothing was deleted"):
        remove_graph_model(ctx, first)
    assert os.path.isdir(folder) and [r.id for r in list_graph_models(ctx)] == [first, second]


# --- the command line --------------------------------------------------------------------------


def run(capsys, ctx, *args):
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_lists_switches_and_removes(two_models, capsys):
    ctx, first, second = two_models
    rc, out, _ = run(capsys, ctx)
    assert rc == 0
    lines = [line for line in out.splitlines() if line.strip()[:1].isdigit() or
             line.startswith("*")]
    assert any(line.startswith("*") and f" {second} " in line for line in lines)
    rc, out, _ = run(capsys, ctx, "--json")
    listed = json.loads(out)["models"]
    assert rc == 0 and [m["id"] for m in listed] == [first, second]
    assert all(set(m) == ROW_KEYS for m in listed)
    rc, out, _ = run(capsys, ctx, "--use", str(first), "--json")
    switched = json.loads(out)
    assert rc == 0 and switched["model"]["id"] == first and switched["previous"] == second
    assert switched["changed"] and set(switched) == {"model", "previous", "changed", "now",
                                                     "removed_meanwhile", "graph"}
    assert switched["now"] == first and switched["removed_meanwhile"] is False
    rc, out, _ = run(capsys, ctx, "--use", str(first))
    assert rc == 0 and "already the current one" in out
    rc, out, _ = run(capsys, ctx, "--remove", str(second))
    assert rc == 0 and f"removed graph model {second}" in out
    assert [m["id"] for m in json.loads(run(capsys, ctx, "--json")[1])["models"]] == [first]


def test_removing_a_model_whose_folder_is_gone_says_so(two_models, capsys):
    """A model folder deleted by hand: the row is removed, and the line does not claim that
    the folder was deleted ("… and its folder X")."""
    import shutil

    ctx, first, second = two_models
    shutil.rmtree(next(r for r in list_graph_models(ctx) if r.id == first).dir)
    rc, out, _ = run(capsys, ctx, "--remove", str(first))
    assert rc == 0 and f"removed graph model {first}" in out
    assert "its folder was already gone" in out and "and its folder" not in out
    assert [r.id for r in list_graph_models(ctx)] == [second]


def test_cli_refusals_are_one_line(two_models, capsys):
    ctx, first, second = two_models
    for args, words in ((["--use", "42"], "no graph model 42"),
                        (["--remove", str(second)], "is the current one")):
        rc, out, err = run(capsys, ctx, *args)
        assert rc == 1 and out == ""
        assert len(err.strip().splitlines()) == 1 and words in err
    with pytest.raises(SystemExit):  # argparse: one action at a time
        cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", "1", "--remove", "2"])


def test_removing_several_models_deletes_each_it_may_and_never_the_current_one(two_models):
    """The window's "Remove older models…": the ids the user confirmed; one made current
    since (a terminal's `models --use`) is refused on its own, the others still go."""
    from pathlib import Path

    from musicsage.usecases.models import folder_bytes, remove_graph_models

    ctx, first, second = two_models
    first_dir = next(r.dir for r in list_graph_models(ctx) if r.id == first)
    size = folder_bytes(first_dir)
    assert size > 0
    removal = remove_graph_models(ctx, [second, first])
    assert [r.id for r in removal.removed] == [first] and removal.freed == size
    assert [i for i, _why in removal.refused] == [second]
    assert "is the current one" in removal.refused[0][1]
    assert [r.id for r in list_graph_models(ctx)] == [second] and not Path(first_dir).exists()
    assert current_graph_model(ctx).id == second

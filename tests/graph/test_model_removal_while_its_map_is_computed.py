"""Removing a graph model (`models --remove`, the window's Remove older models…) deleted its
map folder's `map-lock` even while another process held it, laying out that model's map:
the lock then protected nothing, and the run saved its map into the folder being removed.
Now the removal is refused in one line while the map is computed, and a map run that was
waiting for the lock when the model went — or that loaded the model before the removal and
reached the lock after it, or saw the model's folder just before the removal deleted it — is
told so, saves nothing and leaves no folder for the model."""

from __future__ import annotations

import subprocess
import sys
import threading
from contextlib import ExitStack

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.library import lock
from musicsage.library.lock import MAP_LOCK, MAP_REMOVED, WAIT_WORDS, map_lock, map_lock_now
from musicsage.search.index import SpaceIndex
from musicsage.search.model_maps import MAPS_DIR
from musicsage.search.projection import MAP_FILE, compute_map
from musicsage.usecases.graph_vectors import space_directory, spare_space_directory
from musicsage.usecases.models import list_graph_models, remove_graph_model, use_graph_model
from musicsage.usecases import search
from musicsage.usecases.search import map_points

HOLD = ("import sys\nfrom pathlib import Path\nfrom musicsage.library.lock import map_lock\n"
        "with map_lock([Path(sys.argv[1])]):\n    print('held', flush=True)\n"
        "    sys.stdin.read()\n")


def map_folder(ctx, model_id):
    return ctx.search_dir / "graph" / MAPS_DIR / f"graph-{model_id}"


def model_folders(ctx, model_id):
    """The model's map folder in the library's cache and in the spare one (a read-only
    library's): where a map run of it could make one."""
    return [base / MAPS_DIR / f"graph-{model_id}"
            for base in (space_directory(ctx, "graph"), spare_space_directory(ctx, "graph"))]


def mapped_then_other_current(ctx, first, second):
    use_graph_model(ctx, first)
    map_points(ctx, "graph")
    use_graph_model(ctx, second)
    return map_folder(ctx, first)


def test_removal_is_refused_while_another_process_computes_the_models_map(two_models):
    ctx, first, second = two_models
    folder = mapped_then_other_current(ctx, first, second)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(MusicsageError) as refused:
            remove_graph_model(ctx, first)
        message = str(refused.value)
        assert "\n" not in message
        assert f"graph model {first} not removed" in message
        assert (f"its map is being computed (process {holder.pid}: the window's map or a "
                "`musicsage map`)") in message  # from the window: mostly its own map job
        assert "another process" not in message
        assert "try again when that ends" in message
        assert (folder / MAP_LOCK).is_file() and (folder / MAP_FILE).is_file()
        assert first in [m.id for m in list_graph_models(ctx)]  # nothing was deleted
    finally:
        holder.communicate("", timeout=30)
    remove_graph_model(ctx, first)  # the map done: the removal goes through
    assert not folder.exists() and first not in [m.id for m in list_graph_models(ctx)]


def test_a_map_run_waiting_for_a_removed_model_saves_nothing(two_models, monkeypatch):
    ctx, first, second = two_models
    folder = mapped_then_other_current(ctx, first, second)
    space = SpaceIndex("graph", np.arange(1, 31), np.random.default_rng(0).normal(
        size=(30, 8)).astype(np.float32), model_id=f"graph-{first}", directory=folder)
    waiting, outcome = threading.Event(), []

    def progress(p):
        if WAIT_WORDS in p.message:
            waiting.set()

    def relayout():
        try:
            outcome.append(compute_map(space, directories=[folder], use_cache=False,
                                       progress=progress))
        except MusicsageError as exc:
            outcome.append(exc)

    import musicsage.graph.store as store

    removing = store.remove_model

    def remove_while_a_map_waits(*args, **kwargs):
        run.start()  # a map run of this model reaches its lock while the removal holds it
        assert waiting.wait(30)
        return removing(*args, **kwargs)

    run = threading.Thread(target=relayout)
    monkeypatch.setattr(store, "remove_model", remove_while_a_map_waits)
    remove_graph_model(ctx, first)
    run.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], MusicsageError), outcome
    assert str(outcome[0]) == MAP_REMOVED
    assert MAP_REMOVED.startswith("this map's graph model was removed before its map was laid "
                                  "out: nothing was laid out")
    assert not folder.exists(), "the map of a removed model was saved into its folder"


@pytest.mark.parametrize("relayout", [False, True])
def test_a_map_run_reaching_its_lock_after_the_removal_makes_no_folder(two_models, monkeypatch,
                                                                        relayout):
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    map_points(ctx, "graph")
    folder = map_folder(ctx, first)
    loaded = search._space_or_raise

    def removed_once_loaded(*args, **kwargs):
        found = loaded(*args, **kwargs)  # the run has the model's vectors: then it goes
        use_graph_model(ctx, second)
        remove_graph_model(ctx, first)
        assert not folder.exists()
        return found

    monkeypatch.setattr(search, "_space_or_raise", removed_once_loaded)
    with pytest.raises(MusicsageError) as stopped:
        map_points(ctx, "graph", relayout=relayout)
    assert str(stopped.value) == MAP_REMOVED
    assert not folder.exists(), "the removed model's map folder was made again"
    assert not any(f.exists() for f in model_folders(ctx, first)), "nor the spare one"


@pytest.mark.parametrize("removed_in", ["_map_lock_path", "_missing_folders"])
def test_a_model_removed_as_its_map_lock_is_made_leaves_no_lock_behind(two_models, monkeypatch,
                                                                       removed_in):
    """The removal ends after the check before the lock (the model still there) and before
    the lock is held: the run made the folder again for its lock; it is told once it holds
    the lock, and the lock and folder it made go — also when it saw the folder still there
    (``_missing_folders``) just before the removal deleted it."""
    ctx, first, second = two_models
    use_graph_model(ctx, first)
    map_points(ctx, "graph")
    folder = map_folder(ctx, first)
    original = getattr(lock, removed_in)

    def remove_it():
        use_graph_model(ctx, second)
        remove_graph_model(ctx, first)
        assert not folder.exists()

    def removed_meanwhile(where, *args, **kwargs):
        still_there = first in [m.id for m in list_graph_models(ctx)]
        if still_there and removed_in == "_map_lock_path":
            remove_it()  # before the run looks at its folder
        found = original(where, *args, **kwargs)
        if still_there and removed_in == "_missing_folders":
            remove_it()  # the run saw its folder there; then it went
        return found

    monkeypatch.setattr(lock, removed_in, removed_meanwhile)
    with pytest.raises(MusicsageError) as stopped:
        map_points(ctx, "graph", relayout=True)  # straight to the lock: no saved map looked at
    assert str(stopped.value) == MAP_REMOVED
    assert not (folder / MAP_LOCK).exists(), "the removed model's map lock was left behind"
    assert not any(f.exists() for f in model_folders(ctx, first))


def test_a_run_that_waited_on_a_deleted_lock_file_does_not_hold_the_map(tmp_path):
    folder = tmp_path / "maps" / "graph-1"
    waiting, outcome = threading.Event(), []

    def progress(p):
        if WAIT_WORDS in p.message:
            waiting.set()

    def second_run():
        try:
            with map_lock([folder], progress=progress):
                outcome.append("held")
        except MusicsageError as exc:
            outcome.append(str(exc))

    run = threading.Thread(target=second_run)
    with ExitStack() as third:
        with map_lock([folder]):  # a first run lays the map out; a second waits for it
            run.start()
            assert waiting.wait(30)
            (folder / MAP_LOCK).unlink()  # the model's removal deletes the folder's files
            assert third.enter_context(map_lock_now([folder]))  # a third locks a new file
        run.join(30)  # the first ended: the second got the deleted file's lock
    assert outcome == [MAP_REMOVED], "two runs held the map's lock at once"

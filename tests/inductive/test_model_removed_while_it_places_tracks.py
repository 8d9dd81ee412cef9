"""A graph model removed while ``embed`` places new tracks with it: another terminal made an
earlier model current and removed this one (``models --use``, ``--remove``: neither waits for
an ``embed``). Its note said "FileNotFoundError: [Errno 2] No such file or directory" of a
temporary file in the removed folder (and ``models --use`` of the model failed with it). It
keeps its audio vectors and says in one note what happened; the folder is not made again.
The test runs the removal at the moment that matters itself, so nothing races a clock."""

from __future__ import annotations

import shutil

from musicsage.graph.store import (current_model, list_models, new_model_dir,
                                   register_model, set_current)
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.models import remove_graph_model


def _second_model(ctx) -> tuple[int, int]:
    """(the trained model, a copy of it registered as a second one, made current)."""
    conn = connect(ctx)
    first = current_model(conn, ctx)
    folder = new_model_dir(ctx, first.audio_model)
    for name in ("model.pt", "embeddings.npy", "track_ids.npy"):
        shutil.copy2(first.dir / name, folder / name)
    second = register_model(conn, ctx, folder, name=first.name, audio_model=first.audio_model,
                            params=dict(first.params), metrics=dict(first.metrics),
                            fingerprint=first.fingerprint + "-copy")
    return first.id, second


def _switch_back_and_remove(ctx, first: int, second: int) -> None:
    """What another terminal does: ``models --use FIRST``, then ``models --remove SECOND``."""
    set_current(connect(ctx), ctx, first)
    assert remove_graph_model(ctx, second).removal == "removed"


def _folder_deleted_by_hand_first(monkeypatch) -> None:
    """Placing tracks finds the model's folder deleted by hand (its row stays): the folder is
    removed just before the placement writes into it."""
    from musicsage.usecases import inductive

    write = inductive.write_inductive

    def deleted_first(info, found):
        shutil.rmtree(info.dir)
        return write(info, found)

    monkeypatch.setattr(inductive, "write_inductive", deleted_first)


def _assert_removed_cleanly(ctx, report, first: int, second: int, new: list[int]) -> None:
    assert report.embedded == len(new)  # the audio vectors are kept
    note = report.graph.note
    assert f"graph model {second} was removed while" in note, note
    assert "No such file" not in note and "retrain" not in note
    conn = connect(ctx)
    assert [(m.id, m.is_current) for m in list_models(conn, ctx)] == [(first, True)]
    assert sorted(p.name for p in ctx.graph_models_dir.iterdir()) == \
        [current_model(conn, ctx).dir.name]  # the removed folder was not made again


def test_removed_before_its_vectors_are_written(trained, add_music, monkeypatch):
    from musicsage.usecases import inductive

    ctx = trained
    first, second = _second_model(ctx)
    new = add_music(ctx)
    write = inductive.write_inductive

    def removed_first(info, found):
        _switch_back_and_remove(ctx, first, second)
        return write(info, found)

    monkeypatch.setattr(inductive, "write_inductive", removed_first)
    report = embed_library(ctx, "spectral")
    _assert_removed_cleanly(ctx, report, first, second, new)


def test_a_switch_whose_model_is_removed_meanwhile_says_so(trained, add_music, monkeypatch):
    """``models --use`` of a model removed while it placed the tracks it never saw failed
    with "No such file or directory" instead of saying what happened."""
    from musicsage.usecases import inductive
    from musicsage.usecases.models import use_graph_model

    ctx = trained
    first, second = _second_model(ctx)
    set_current(connect(ctx), ctx, first)
    add_music(ctx)
    embed_library(ctx, "spectral")  # model 1 places them; model 2 has yet to
    write = inductive.write_inductive

    def removed_first(info, found):
        _switch_back_and_remove(ctx, first, second)
        return write(info, found)

    monkeypatch.setattr(inductive, "write_inductive", removed_first)
    switch = use_graph_model(ctx, second)
    assert f"graph model {second} was removed while" in switch.inductive.note
    assert [(m.id, m.is_current) for m in list_models(connect(ctx), ctx)] == [(first, True)]
    assert switch.inductive.removed and switch.now == first


def test_the_switch_line_says_the_model_was_removed_meanwhile(trained, add_music, monkeypatch,
                                                               capsys):
    """``models --use 2`` exited saying "graph model 2 (…) is now current", and the window
    "Graph model 2 … is now in use", of a model removed meanwhile while model 1 was current."""
    from musicsage import cli
    from musicsage.controllers.models import describe_switch
    from musicsage.usecases import inductive
    from musicsage.usecases import models as usecase

    ctx = trained
    first, second = _second_model(ctx)
    set_current(connect(ctx), ctx, first)
    add_music(ctx)
    embed_library(ctx, "spectral")
    write = inductive.write_inductive
    switches = []

    def removed_first(info, found):
        _switch_back_and_remove(ctx, first, second)
        return write(info, found)

    def kept(*args, **kwargs):
        switches.append(use(*args, **kwargs))
        return switches[-1]

    use = usecase.use_graph_model
    monkeypatch.setattr(inductive, "write_inductive", removed_first)
    monkeypatch.setattr(usecase, "use_graph_model", kept)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(second)])
    out, err = capsys.readouterr()
    said = (f"graph model {second} was made current, then removed meanwhile; "
            f"graph model {first} is current")
    assert rc == 0 and out.strip() == said and "is now current" not in out
    assert describe_switch(switches[0]) == said[0].upper() + said[1:]
    described = switches[0].to_dict()  # `models --use --json` said only "changed": true
    assert described["now"] == first and described["removed_meanwhile"] is True


def test_a_folder_deleted_by_hand_while_placing_says_so(trained, add_music, monkeypatch):
    """A model's folder gone while its row stays (deleted by hand) ended the note in
    "FileNotFoundError: … .tmp"."""
    ctx = trained
    add_music(ctx)
    _folder_deleted_by_hand_first(monkeypatch)
    model = current_model(connect(ctx), ctx)
    note = embed_library(ctx, "spectral").graph.note
    assert note == (f"graph model {model.id}'s folder {model.dir} is gone, so nothing was "
                    "stored for it; retrain to rebuild it")
    assert not model.dir.exists()


def test_a_folder_gone_in_a_library_that_cannot_take_the_write_lock_says_so(
        trained, add_music, monkeypatch):
    """Asking whether the model was removed takes the write lock, which a library the user
    may only read refuses with a MusicsageError: it escaped ``embed`` instead of its note."""
    from musicsage.errors import MusicsageError
    from musicsage.graph import store
    ctx = trained
    add_music(ctx)
    _folder_deleted_by_hand_first(monkeypatch)

    def read_only(conn, model_id):
        raise MusicsageError("the library is read-only: cannot write to it")

    monkeypatch.setattr(store, "still_registered", read_only)
    model = current_model(connect(ctx), ctx)
    note = embed_library(ctx, "spectral").graph.note
    assert note.startswith(f"graph model {model.id}'s folder {model.dir} is gone"), note


def test_a_removal_yet_to_commit_is_waited_for(trained, add_music, monkeypatch):
    """``models --remove`` deletes the folder inside its transaction, before the row's
    deletion commits: a placement that found the folder gone then still read the row and
    called the removal damage."""
    import threading
    import time

    from musicsage.library import track_ids
    from musicsage.usecases import inductive

    ctx = trained
    first, second = _second_model(ctx)
    new = add_music(ctx)
    write, retire = inductive.write_inductive, track_ids.retire_ids
    folder_deleted = threading.Event()
    remover = threading.Thread(target=remove_graph_model, args=(ctx, second))

    def slow_commit(*args, **kwargs):  # the folder is gone, the row not yet
        folder_deleted.set()
        time.sleep(1.0)
        return retire(*args, **kwargs)

    def removed_first(info, found):
        set_current(connect(ctx), ctx, first)
        remover.start()
        assert folder_deleted.wait(10)
        return write(info, found)  # the removal has yet to commit

    monkeypatch.setattr(track_ids, "retire_ids", slow_commit)
    monkeypatch.setattr(inductive, "write_inductive", removed_first)
    report = embed_library(ctx, "spectral")
    remover.join()
    _assert_removed_cleanly(ctx, report, first, second, new)

"""`models --use/--remove` against odd ids and damaged or foreign model folders (audit): one
line, nothing changed, no file deleted that the app did not write."""

from __future__ import annotations

import json
import os

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.usecases.models import list_graph_models, remove_graph_model, use_graph_model
from musicsage.usecases.training import current_graph_model
from hints_told_support import as_default


def folder_of(ctx, model_id) -> str:
    return next(r for r in list_graph_models(ctx) if r.id == model_id).dir


@pytest.mark.parametrize("action", ["--use", "--remove"])
def test_an_id_beyond_sqlites_integers_is_an_unknown_model(two_models, capsys, action):
    """It was a crash ("OverflowError: Python int too large to convert to SQLite INTEGER")."""
    ctx, first, second = two_models
    huge = str(2 ** 70)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", action, huge])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err and "bug" not in err
    assert as_default(err, ctx.data_dir).strip().splitlines() == [
        f"musicsage models: no graph model {huge} in this "
                                        "library (`musicsage models` lists them)"]
    assert current_graph_model(ctx).id == second
    assert [r.id for r in list_graph_models(ctx)] == [first, second]


def test_a_truncated_checkpoint_is_refused_by_a_switch(two_models):
    """Only an empty model.pt was refused: a truncated one became current and failed later,
    when new music needed its vectors."""
    ctx, first, second = two_models
    with open(os.path.join(folder_of(ctx, first), "model.pt"), "r+b") as fh:
        fh.truncate(100)
    with pytest.raises(MusicsageError, match=f"graph model {first} is unusable: model.pt"):
        use_graph_model(ctx, first)
    assert current_graph_model(ctx).id == second


def test_a_users_tmp_file_in_a_model_folder_is_never_deleted(two_models):
    """Any ``*.tmp`` counted as the app's own: ``notes.tmp`` went with the folder."""
    ctx, first, second = two_models
    notes = os.path.join(folder_of(ctx, first), "notes.tmp")
    with open(notes, "w") as fh:
        fh.write("mine")
    with pytest.raises(MusicsageError, match="notes.tmp, which musicsage did not write"):
        remove_graph_model(ctx, first)
    assert open(notes).read() == "mine"
    assert [r.id for r in list_graph_models(ctx)] == [first, second]


def test_the_apps_own_leftover_temporary_does_not_block_a_removal(two_models):
    ctx, first, second = two_models
    folder = folder_of(ctx, first)
    with open(os.path.join(folder, f".model.pt.{os.getpid()}.1234.tmp"), "wb") as fh:
        fh.write(b"half a write")
    assert remove_graph_model(ctx, first).id == first
    assert not os.path.exists(folder)


def test_models_and_stats_print_a_models_names_escaped(two_models, capsys):
    """An audio model id with a terminal escape or a right-to-left override (a features.json
    of an earlier version, which did not refuse them) was printed as it is by `models`,
    `models --remove` and `stats`; JSON keeps it."""
    from musicsage.library.db import connect

    ctx, first, second = two_models
    odd = "spectral\x1b[31m\u202eved"
    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE graph_models SET audio_model = ?", (odd,))
    for args in (["models"], ["stats"], ["models", "--remove", str(first)]):
        assert cli.main(["--data-dir", str(ctx.data_dir), *args]) == 0
        out, err = capsys.readouterr()
        assert "\x1b" not in out + err and "\u202e" not in out + err, (args, out)
        assert "spectral\\x1b[31m\\u202eved" in out, (args, out)
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", "--json"]) == 0
    assert [m["audio_model"] for m in json.loads(capsys.readouterr().out)["models"]] == [odd]


def test_a_switch_waits_for_another_switch_instead_of_blaming_a_training(two_models):
    """Two `models --use` at once: the second said "a training of this library is running
    (process N)", naming a training long gone. A switch holds the lock for a moment; the
    second now waits for it, and a real training is still refused."""
    import threading

    from musicsage.library.db import connect
    from musicsage.library.lock import no_training_running, training_lock

    ctx, first, second = two_models
    held, release = threading.Event(), threading.Event()

    def other_switch() -> None:
        with no_training_running(connect(ctx), "switch models"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=other_switch)
    thread.start()
    assert held.wait(10)
    threading.Timer(0.5, release.set).start()
    try:
        assert use_graph_model(ctx, first).model.id == first
    finally:
        release.set()
        thread.join()
    with training_lock(connect(ctx)):
        with pytest.raises(MusicsageError, match="a training of this library is running"):
            use_graph_model(ctx, second)
    assert current_graph_model(ctx).id == first


def test_a_row_with_damaged_json_is_listed_not_a_crash(two_models, capsys):
    """`models` crashed (JSONDecodeError) on one row whose params were not JSON."""
    from musicsage.library.db import connect

    ctx, first, second = two_models
    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE graph_models SET params = 'not json', metrics = '[1, 2]' "
                     "WHERE id = ?", (first,))
    assert cli.main(["--data-dir", str(ctx.data_dir), "models"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and any(line.split()[:1] == [str(first)] for line in out.splitlines())
    row = next(r for r in list_graph_models(ctx) if r.id == first)
    assert (row.tracks, row.contexts, row.hr10) == (None, (), None)


def test_training_is_refused_at_once_when_graph_models_is_a_file(two_models):
    """`graph_models` replaced by a file: the training ran to its end, then failed with
    "Not a directory", its work lost. Now it is refused before it starts; the file stays."""
    import shutil

    from musicsage.usecases.training import train_graph

    ctx, first, second = two_models
    base = ctx.graph_models_dir
    shutil.rmtree(base)
    base.write_text("mine")
    stages = []
    with pytest.raises(MusicsageError, match="is not a folder.*nothing was trained"):
        train_graph(ctx, max_steps=5, progress=lambda p: stages.append(p.stage))
    assert "train" not in stages and base.read_text() == "mine"
    assert current_graph_model(ctx).id == second


def test_graph_models_as_a_link_to_nowhere_is_said_so(ctx, tmp_path):
    """A broken ``graph_models`` link was told to "move the file aside": there is no file."""
    from musicsage.graph.store import check_models_dir

    ctx.graph_models_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.graph_models_dir.symlink_to(tmp_path / "unmounted" / "models")
    with pytest.raises(MusicsageError) as err:
        check_models_dir(ctx)
    assert str(err.value) == (
        f"{ctx.graph_models_dir} is a link to {tmp_path / 'unmounted' / 'models'}, which does "
        "not exist (a drive not mounted?): a new graph model is kept there (mount it, or move "
        "the link away); nothing was trained")
    assert ctx.graph_models_dir.is_symlink() and not (tmp_path / "unmounted").exists()

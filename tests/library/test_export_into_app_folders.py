"""``export DIR`` into a folder of the app's own (``DATA/cache``, a graph model's folder, the
cache dir) is refused in one line before anything is written: only the data dir itself was,
and an export inside it mixed the user's CSVs into folders the app clears and prunes."""

from __future__ import annotations

import pytest

from musicsage.cli import main


@pytest.mark.parametrize("where", ["cache", "graph_models/x", "new"])
def test_export_inside_the_data_dir_is_refused_in_one_line(ctx, capsys, where):
    from musicsage.library.db import connect

    connect(ctx)  # an (empty) library
    (ctx.data_dir / "graph_models").mkdir(parents=True, exist_ok=True)
    ctx.cache_dir.mkdir(parents=True, exist_ok=True)
    out = ctx.data_dir / where
    existed = out.exists()

    code = main(["export", str(out), "--data-dir", str(ctx.data_dir)])
    captured = capsys.readouterr()

    assert code == 1 and captured.out == ""
    assert captured.err == (f"musicsage export: {out} is inside the library's own data dir "
                            f"({ctx.data_dir}): export into a folder of your own (nothing "
                            "was written)\n")
    assert out.exists() == existed
    assert not existed or not list(out.iterdir())


def test_export_into_the_cache_dir_through_a_link_is_refused(ctx, tmp_path, capsys):
    from musicsage.context import AppContext
    from musicsage.errors import MusicsageError
    from musicsage.usecases.export_dir import check_export_dir

    cache = tmp_path / "elsewhere-cache"
    cache.mkdir()
    split = AppContext(data_dir=ctx.data_dir, cache_dir=cache)
    (tmp_path / "link").symlink_to(cache)
    with pytest.raises(MusicsageError, match=r"is inside the library's own cache dir"):
        check_export_dir(split, tmp_path / "link" / "out")
    check_export_dir(split, tmp_path / "out")  # beside them: fine


def test_a_link_to_a_folder_inside_the_data_dir_is_refused(ctx, tmp_path, capsys):
    """``links/gm`` → ``DATA/graph_models`` was let through: the written-out folders above
    ``links/gm/x`` (``links``, ``tmp``, …) are none of the app's."""
    from musicsage.library.db import connect

    connect(ctx)  # an (empty) library
    (ctx.data_dir / "graph_models").mkdir(parents=True)
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "gm").symlink_to(ctx.data_dir / "graph_models")
    for out in (tmp_path / "links" / "gm", tmp_path / "links" / "gm" / "x"):
        code = main(["export", str(out), "--data-dir", str(ctx.data_dir)])
        captured = capsys.readouterr()
        assert code == 1 and captured.err == (
            f"musicsage export: {out} is inside the library's own data dir ({ctx.data_dir}): "
            "export into a folder of your own (nothing was written)\n"), captured.err
    assert not (ctx.data_dir / "graph_models" / "x").exists()


def test_the_folder_above_the_data_dir_is_no_folder_of_the_app(ctx):
    """``export DATA/..`` was refused as inside the data dir: ``DATA`` is written in it."""
    from musicsage.errors import MusicsageError
    from musicsage.usecases.export_dir import check_export_dir

    check_export_dir(ctx, ctx.data_dir / "..")  # the data dir's parent: the user's own
    with pytest.raises(MusicsageError, match=r"is the library's own data dir"):
        check_export_dir(ctx, ctx.data_dir / ".." / ctx.data_dir.name)

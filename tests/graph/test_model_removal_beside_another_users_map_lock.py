"""Removing a graph model also prunes the maps of models no longer in the library. One of those
folders holding another user's map lock (a ``sudo musicsage map`` once: root's, mode 0644)
is refused by the lock's one line — after the model was removed and committed: ``models
--remove`` then exited 1 saying the lock file could not be opened, though the model was gone.
The removal is reported done; the map left there is only logged, as a map that cannot be
deleted is."""

from __future__ import annotations

import errno
import logging
import os

from musicsage.cli import main
from musicsage.library.lock import MAP_LOCK
from musicsage.search.model_maps import MAPS_DIR
from musicsage.usecases.models import list_graph_models


def test_removal_is_done_though_an_old_maps_lock_is_another_users(two_models, monkeypatch,
                                                                   capsys, caplog):
    ctx, first, _second = two_models
    old = ctx.search_dir / "graph" / MAPS_DIR / "graph-999"  # a model removed long ago
    old.mkdir(parents=True)
    (old / MAP_LOCK).write_text("")
    real_open = os.open

    def another_users(path, flags, *args, **kwargs):
        if os.fspath(path) == os.fspath(old / MAP_LOCK):  # as for any user not root
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", another_users)
    capsys.readouterr()

    with caplog.at_level(logging.WARNING, logger="musicsage.usecases.models"):
        code = main(["--data-dir", str(ctx.data_dir), "models", "--remove", str(first)])

    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert first not in [m.id for m in list_graph_models(ctx)]
    assert (old / MAP_LOCK).is_file(), "another user's file is left as it is"
    assert any(f"could not delete the map of graph model {first}" in r.getMessage()
               and str(old / MAP_LOCK) in r.getMessage() for r in caplog.records)

"""The window open while commands run in a terminal on the same library: what they change (a
new graph model made current by ``train``, tracks and playlists added by ``import``) shows up
in the window by itself. Before, the window kept the tracks, playlists and model it had read
at start (the model's label and evaluation, a map without the new tracks) while its
neighbour lists already came from the new model, until the user happened to rescan."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from gui_support import settle
from musicsage.context import AppContext
from musicsage.graph.synthetic import hidden_factor_data, write_dataset_dir
from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import current_graph_model, train_graph

REPO = Path(__file__).resolve().parents[2]


def terminal(*args: str, data_dir: Path) -> None:
    """``python -m musicsage ARGS --data-dir D`` as another process, as from a terminal."""
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-m", "musicsage", *args, "--data-dir", str(data_dir)],
                         capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-3000:]


def test_the_window_shows_what_terminal_commands_changed(qtbot, make_window, tmp_path, caplog,
                                                        monkeypatch):
    import musicsage.gui.main_window as main_window

    # the window asks every 3 s whether the library changed; a tenth of that here, so each
    # change shows up as soon as the window is free to read it, not up to 3 s later
    monkeypatch.setattr(main_window, "CHANGE_CHECK_MS", 300)
    caplog.set_level(logging.WARNING)
    ctx = AppContext.create(tmp_path / "data")
    import_dataset(ctx, write_dataset_dir(hidden_factor_data(n_tracks=120, n_playlists=12),
                                          tmp_path / "ds"))
    train_graph(ctx, max_steps=10)
    first = current_graph_model(ctx).id
    w = make_window(ctx)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 120, timeout=120_000)
    assert w.app.library.snapshot.graph_model.id == first

    terminal("train", "--max-steps", "10", "--seed", "3", data_dir=ctx.data_dir)
    second = current_graph_model(ctx).id
    assert second != first
    qtbot.waitUntil(lambda: w.app.library.snapshot.graph_model.id == second, timeout=30_000)

    more = write_dataset_dir(hidden_factor_data(n_tracks=30, n_playlists=3, seed=7),
                             tmp_path / "more")
    terminal("import", str(more), data_dir=ctx.data_dir)
    qtbot.waitUntil(lambda: w.app.library.snapshot.stats.tracks.total == 150, timeout=30_000)
    assert len(w.app.library.snapshot.playlists) == 15
    settle(qtbot, w)
    w.app.map.choose_space("audio")  # the new tracks have audio vectors, not graph ones yet
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 150, timeout=120_000)
    assert "150 tracks" in w.library.summary.text().replace("<b>", "").replace("</b>", "")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert not [t for level, t in w.app.notifications if level == "error"]

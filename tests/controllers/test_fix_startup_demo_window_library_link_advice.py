"""Open demo library in the window, where the demo's own library folder is a link to a drive
not mounted: the refusal's way on is the window's — start musicsage with ``--data-dir FOLDER
--demo`` — not the command line's "give --data-dir …", which the window has no place for."""

from __future__ import annotations

import os

from musicsage.context import default_data_dir


def test_the_window_says_how_to_start_it_on_another_folder(ctx, make_app, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default_data_dir().mkdir(parents=True)
    os.symlink(tmp_path / "drive-not-mounted", default_data_dir() / "demo")
    app, runner = make_app(ctx)  # the demo's own library: demo_data_dir()

    app.demo.open()
    runner.drain()

    level, text = app.notifications[-1]
    assert level == "error" and text.startswith("Cannot open the demo library: the demo's "
                                                "library folder "), text
    assert text.endswith("mount the drive, or start musicsage with `--data-dir FOLDER "
                         "--demo`"), text
    assert "give --data-dir" not in text

"""``musicsage demo`` without ``--data-dir`` builds into the demo's own library (the one
``main.py --demo`` opens), never into the user's default library: it was scanned into theirs,
its tracks and playlists among their own."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from musicsage.cli import main
from musicsage.context import AppContext, default_data_dir
from musicsage.usecases.demo import demo_data_dir
from musicsage.usecases.library import list_playlists, list_tracks, music_folders


def test_demo_without_data_dir_leaves_the_default_library_alone(tmp_path):
    own = tmp_path / "own music"
    own.mkdir()
    sf.write(own / "mine.wav", 0.1 * np.sin(np.linspace(0, 2000, 22050)), 22050)
    assert main(["scan", str(own)]) == 0
    mine = AppContext.create(default_data_dir())
    before = {t.path for t in list_tracks(mine)}

    assert main(["demo", "--tracks", "8", "--seconds", "1", "--until", "scan"]) == 0

    assert {t.path for t in list_tracks(mine)} == before == {str(own / "mine.wav")}
    assert list_playlists(mine) == []
    assert {folder for folder, _ in music_folders(mine)} == {str(own)}
    demo = AppContext.create(demo_data_dir())
    assert len(list_tracks(demo)) == 8, "the demo goes into the library main.py --demo opens"
    assert not (default_data_dir() / "demo-state.json").exists()


def test_a_demo_already_built_in_the_default_library_is_reused_there(tmp_path):
    assert main(["--data-dir", str(default_data_dir()), "demo", "--tracks", "8",
                 "--seconds", "1", "--until", "scan"]) == 0
    assert main(["demo", "--until", "scan"]) == 0
    assert len(list_tracks(AppContext.create(default_data_dir()))) == 8
    assert not demo_data_dir().exists()

"""A scan of the user's library started before Open demo library goes on beside the demo's
build, by design: the two are different libraries that share nothing a run writes — another
data folder, database, cache folder and lock files (the demo's library is ``<user data
dir>/demo``, the user's the user data dir itself). Holding the build for the scan kept the
demo shut for the hours a new music folder's first scan takes, as it would for an embedding
run of the user's library (:meth:`DemoController._run_going` waits only for runs of the
demo's own library). Where the two are one library (``--data-dir D --demo``, a Rescan of D
going), the library's scan lock makes the build's scan stage wait for the Rescan, saying so."""

from __future__ import annotations

from music_support import make_music
from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.usecases.demo import demo_data_dir

SMALL = dict(n_tracks=8, seconds=1.0, audio_model="spectral", until="scan", workers=1)


def test_the_window_s_own_library_and_its_demo_share_no_file():
    home = AppContext.create(None)  # the window's library with no --data-dir (the test's home)
    demo = AppContext.create(demo_data_dir())  # Open demo library's (gui/app.py)
    assert home.data_dir != demo.data_dir
    assert home.db_path != demo.db_path and home.cache_dir != demo.cache_dir
    assert not demo.cache_dir.is_relative_to(home.cache_dir)
    assert home.db_path.parent != demo.db_path.parent, "the libraries' lock files lie beside"


def _paths(ctx: AppContext) -> list[str]:
    with connect(ctx.db_path) as conn:
        return [row[0] for row in conn.execute("SELECT path FROM tracks")]


def test_a_scan_going_at_the_click_lands_in_the_user_s_library_and_the_build_in_the_demo_s(
        library, make_app, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    app, runner = make_app(library, demo_ctx=lambda: demo, demo_options=SMALL)
    before = len(_paths(library))
    mine, _playlists, _ = make_music(tmp_path / "mine", n_tracks=2, seed=5)
    app.library.scan([str(mine)])  # the user's scan, started before the click, still queued
    app.demo.open()
    runner.drain()
    assert runner.ran.count("Building the demo library") == 1, "the scan did not hold the build"
    assert app.ctx == demo
    assert not any("not built while" in text for _level, text in app.notifications)
    user_tracks, demo_tracks = _paths(library), _paths(demo)
    assert len(user_tracks) == before + 2 and len(demo_tracks) == 8
    assert not set(user_tracks) & set(demo_tracks)
    assert all(str(tmp_path / "demo") in p for p in demo_tracks)

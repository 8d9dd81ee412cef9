"""The demo shown instead of a user's own library: the window says so, File ▸ Back to my
library brings their library back, and music added meanwhile never goes into the demo.

The audit (File ▸ Open demo library) found no way back but adding music or a restart, and
nothing but a path in the title saying the library shown was the demo."""

from __future__ import annotations

import pytest

from gui_support import settle, slow_demo_build
from music_support import make_music
from musicsage.context import AppContext
from musicsage.usecases.library import list_tracks


@pytest.fixture(scope="module")
def ready_demo_template(tmp_path_factory):
    """A finished demo library of 8 tracks (scanned, embedded, its map laid out, its state
    complete), built once for the module: its music is read, never changed."""
    from musicsage.demo.state import STAGES, DemoState, write_state
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.search import map_points

    root = tmp_path_factory.mktemp("ready-demo")
    demo = AppContext.create(root / "data")
    music, playlists, _ = make_music(root / "demo-src", n_tracks=8, seed=3)
    scan_library(demo, [str(music)], [str(playlists)])
    embed_library(demo, "spectral")
    map_points(demo, "audio")  # 8 tracks: a PCA layout, no numba compile
    write_state(demo.data_dir, DemoState(str(music), "0123456789abcdef", 8, 3, 1.5,
                                         {stage: {} for stage in STAGES}))
    return root


@pytest.fixture
def ready_demo(ready_demo_template, tmp_path):
    """A test's own copy of the finished demo, so that opening it builds nothing and lays out
    no map."""
    from models_support import copy_library

    return copy_library(ready_demo_template, tmp_path / "demo")


def _file_menu(w):
    return w.menuBar().actions()[0].menu().actions()


def _tracks(w) -> int:
    snap = w.app.library.snapshot
    return -1 if snap is None else snap.stats.tracks.total


def _open_demo(qtbot, w, tracks: int) -> None:
    w.actions_.demo.trigger()
    qtbot.waitUntil(lambda: _tracks(w) == tracks, timeout=60_000)
    settle(qtbot, w)


def test_the_demo_says_so_and_file_takes_you_back(qtbot, make_window, mapped_library,
                                                  ready_demo):
    w = make_window(mapped_library, demo_ctx=lambda: ready_demo)
    acts = w.actions_
    assert acts.home in _file_menu(w)
    assert not acts.home.isVisible() and not acts.demo_banner.isVisible()  # at home

    _open_demo(qtbot, w, 8)
    assert acts.demo_banner.isVisible()
    acts.demo.trigger()  # again, with the finished demo shown: it did nothing, said nothing
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert "The demo library is already shown" in [t for _l, t in w.app.notifications]
    text = acts.demo_banner_text.text()
    assert text.startswith("Demo library") and "goes into your own library" in text
    assert "Demo library" in w.windowTitle()
    assert acts.home.isVisible() and acts.home.isEnabled()
    assert acts.home.text() == "Back to my library"

    acts.home.trigger()
    qtbot.waitUntil(lambda: _tracks(w) == 12, timeout=60_000)
    settle(qtbot, w)
    assert w.app.ctx.data_dir == mapped_library.data_dir
    assert not acts.demo_banner.isVisible() and not acts.home.isVisible()
    assert "Demo library" not in w.windowTitle()
    assert f"Back to your own library ({mapped_library.data_dir})" in [
        t for _l, t in w.app.notifications]


def test_music_added_while_the_demo_is_shown_goes_into_your_own_library(
        qtbot, make_window, mapped_library, ready_demo, tmp_path):
    w = make_window(mapped_library, demo_ctx=lambda: ready_demo)
    _open_demo(qtbot, w, 8)
    more, _playlists, _ = make_music(tmp_path / "mine", n_tracks=2, seed=5)
    w.app.library.scan([str(more)])
    qtbot.waitUntil(lambda: _tracks(w) == 14, timeout=60_000)
    settle(qtbot, w)
    assert w.app.ctx.data_dir == mapped_library.data_dir and len(list_tracks(ready_demo)) == 8
    assert not w.actions_.demo_banner.isVisible()


@pytest.fixture
def building(monkeypatch, make_window, mapped_library, tmp_path, qtbot):
    """A window on the user's library whose demo (in a library of its own) is being built by
    a stand-in build that records nothing until cancelled."""
    import musicsage.controllers.demo as demo

    monkeypatch.setattr(demo, "build_demo", slow_demo_build)
    demo_ctx = AppContext.create(tmp_path / "demo")
    w = make_window(mapped_library, demo_ctx=lambda: demo_ctx)
    w.actions_.demo.trigger()
    qtbot.waitUntil(lambda: w.status_line.task.text().startswith("Composing"), timeout=10_000)
    return w, demo_ctx


def test_back_while_the_demo_is_built_stops_the_build(qtbot, building, mapped_library):
    w, _demo = building
    assert w.actions_.demo_banner.isVisible() and w.actions_.home.isVisible()
    w.actions_.home.trigger()
    qtbot.waitUntil(lambda: w.app.demo.task is None and _tracks(w) == 12, timeout=10_000)
    settle(qtbot, w)
    notes = [t for _l, t in w.app.notifications]
    # nothing recorded yet: the status line says what the card says (it said "open the demo
    # library again to resume" of a build opening would start afresh)
    assert ("The demo build was cancelled before it made anything: File ▸ Open demo library "
            "starts it.") in notes
    assert notes[-1].startswith("Back to your own library")
    assert w.app.ctx.data_dir == mapped_library.data_dir
    assert not w.actions_.demo_banner.isVisible()


def test_music_added_after_a_build_cancelled_at_once_goes_home(qtbot, building,
                                                               mapped_library, tmp_path):
    """Cancelled before it recorded anything, the demo's library did not count as the demo:
    music added then went into it instead of the user's library."""
    w, demo = building
    w.app.tasks.cancel()
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=10_000)
    settle(qtbot, w)
    assert w.app.ctx.data_dir == demo.data_dir and w.actions_.demo_banner.isVisible()
    more, _playlists, _ = make_music(tmp_path / "mine", n_tracks=2, seed=5)
    w.app.library.scan([str(more)])
    qtbot.waitUntil(lambda: _tracks(w) == 14, timeout=60_000)
    settle(qtbot, w)
    assert w.app.ctx.data_dir == mapped_library.data_dir and list_tracks(demo) == []


def test_a_window_closed_on_the_demo_opens_without_its_banner(qtbot, make_window,
                                                              mapped_library, ready_demo):
    """The window's saved layout has the banner shown: restored, it must not come back on the
    user's own library, not even until the library has loaded."""
    w = make_window(mapped_library, demo_ctx=lambda: ready_demo)
    _open_demo(qtbot, w, 8)
    w.close()
    again = make_window(mapped_library, demo_ctx=lambda: ready_demo, wait=False)
    assert not again.actions_.demo_banner.isVisible()
    settle(qtbot, again)
    assert not again.actions_.demo_banner.isVisible() and not again.actions_.home.isVisible()

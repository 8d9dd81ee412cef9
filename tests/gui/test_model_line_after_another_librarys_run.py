"""The training dock's model line of the library shown while a Retrain of another one went
(File ▸ Open demo library during a Retrain): once that run ended, the line still said "No
graph model yet: the first one is training" of a library nothing trained (and that could not
train at all: no playlists)."""

from __future__ import annotations

from gui_support import settle
from music_support import make_music


def test_the_shown_librarys_model_line_stops_saying_a_run_goes_once_it_ended(
        qtbot, make_window, library, slow_runs, tmp_path):
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])  # no playlists, no graph model
    w = make_window(library)
    panel = w.training.panel
    w.app.training.start()
    w.app.set_context(other)
    w.app.library.reload()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=60_000)
    assert w.app.training.running and not w.app.training.trains_shown_library, (
        "the run goes on, but not of the library shown")
    qtbot.waitUntil(lambda: panel.model_line.text().startswith("No graph model yet"))
    qtbot.wait(200)  # the run's progress goes on meanwhile
    assert "is training" not in panel.model_line.text(), (
        "while the other library's run goes on, the shown one's line says nothing trains it")

    with qtbot.waitSignal(w.training_finished, timeout=30_000):
        w.app.training.cancel()
    settle(qtbot, w)
    line = panel.model_line.text()
    assert line.startswith("No graph model yet: training one needs playlists"), line
    assert "is training" not in line
    assert panel.status.text().startswith("Training cancelled (library "), (
        "the run's own outcome stays in the dock")


def test_a_run_of_the_library_shown_is_one_it_trains(qtbot, make_window, library, slow_runs):
    w = make_window(library)
    assert not w.app.training.trains_shown_library
    w.app.training.start()
    assert w.app.training.trains_shown_library
    with qtbot.waitSignal(w.training_finished, timeout=30_000):
        w.app.training.cancel()
    assert not w.app.training.trains_shown_library

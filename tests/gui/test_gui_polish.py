"""What a GUI audit of the window at 1024x640 and 1600x1000 found: the map's legend and tools
crowding the map and hiding the selected name, a cramped evaluation table, neighbours that
looked like categories, legend counts unlike the playlist list's, "Add music" left on during
the demo build, and two progress bars for one task."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gui_support import settle, shown_map, slow_demo_build
from musicsage.errors import Cancelled
from musicsage.gui.map_view import PALETTE, Colouring, MapView
from musicsage.progress import report
from musicsage.usecases.execution import Mode, runs

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def _colour_by(w, key: str) -> None:
    w.colour_combo.setCurrentIndex(w.colour_combo.findData(key))


GENRES = ["Drum & Bass", "Jazz", "Synthwave", "Indie Rock", "Techno", "Ambient", "Dub Reggae",
          "Lo-Fi Hip Hop", "Chiptune", "Folk", "Deep House"]
"""The demo's genres, as the audit saw them."""


@pytest.mark.parametrize("width, folded", [(350, True), (610, False)])
def test_a_legend_too_wide_for_the_room_beside_the_tools_folds(qtbot, width, folded):
    """The map of a 1024x640 window is ~350 px wide: the open legend did not fit beside the
    tools, went under them and took the top half of the map. It now folds to its header
    there, beside the tools; at 1600x1000 (~610 px) it stays open beside them."""
    view, tools = shown_map(qtbot, width, 530)
    n = 44
    xy = np.random.default_rng(6).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % len(GENRES), GENRES))
    qtbot.wait(20)
    legend = view.legend
    assert legend.collapsed == folded and legend.y() == 10
    assert not legend.geometry().intersects(tools.toolbar.geometry())
    if folded:
        qtbot.mouseClick(legend.header, Qt.MouseButton.LeftButton)  # opened: under the tools
        qtbot.wait(20)
        assert not legend.collapsed and not legend.geometry().intersects(tools.toolbar.geometry())


@pytest.mark.parametrize("size", [(1024, 640), (1600, 1000)])
def test_the_selected_name_stays_in_view(qtbot, make_window, library, size):
    """The legend and the tools keep to the top of the map, and the selected track's name is
    never under them."""
    w = make_window(library)
    w.resize(*size)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    tid = int(w.map.track_ids[0])
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    settle(qtbot, w)
    n = len(w.map.track_ids)
    w.map.set_colouring(Colouring(np.arange(n) % len(GENRES), GENRES))
    qtbot.wait(50)
    legend, bar, label = (w.map.legend.geometry(), w.map_tools.toolbar.geometry(),
                          w.map._label.geometry())
    assert legend.top() == 10, "beside the tools, not under them over the map"
    assert w.map._label.isVisible() and w.map._label.text()
    assert not label.intersects(legend) and not label.intersects(bar), (label, legend, bar)
    assert not legend.intersects(bar)


def test_the_selected_name_moves_clear_of_the_legend(qtbot):
    """A point panned near the legend: its name went above it, under the legend."""
    view, _ = shown_map(qtbot, 700, 500, tools=False)
    n = 30
    xy = np.random.default_rng(4).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"Track number {i} — Artist" for i in range(n)],
                    Colouring(np.arange(n) % 6, [f"Genre {i}" for i in range(6)]))
    qtbot.wait(20)
    legend = view.legend.geometry()
    # the selected point sits right under the legend's top-left rows
    target = view.view.mapSceneToView(view.plot.mapToScene(legend.x() + 20, legend.y() + 30))
    x, y = view.xy[0]
    view.view.translateBy(x=float(x - target.x()), y=float(y - target.y()))
    view.set_selection(1)
    qtbot.wait(20)
    assert view.legend.geometry().contains(view.plot.mapFromScene(view.scene_pos_of(1)))
    siblings = view.children()  # no clear place: the name is drawn over the legend
    assert siblings.index(view._label) > siblings.index(view.legend)
    # just under the legend's bottom edge: the name went above the point, under the legend
    target = view.view.mapSceneToView(view.plot.mapToScene(legend.x() + 20, legend.bottom() + 8))
    x, y = view.xy[0]
    view.view.translateBy(x=float(x - target.x()), y=float(y - target.y()))
    qtbot.wait(20)
    assert view._label.isVisible()
    assert not view._label.geometry().intersects(view.legend.geometry())


def test_neighbours_are_rings_unlike_any_category(qtbot):
    """Neighbours were discs of orange, cyan and pink among discs of the palette's orange,
    teal and pink: they are now rings (no fill) around the track's own dot."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    n = 12
    xy = np.random.default_rng(5).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % 4, ["a", "b", "c", "d"]))
    view.set_selection(1, graph_ids=[2, 3], audio_ids=[3, 4])
    spots = view._neigh.data
    assert len(spots) == 3
    palette = {c.lower() for c in PALETTE}
    for brush, pen in zip(spots["brush"], spots["pen"]):
        assert brush.style() == Qt.BrushStyle.NoBrush or brush.color().alpha() == 0, "a ring"
        assert pen.widthF() >= 2 and pen.color().name() not in palette
    assert "&#9711;" in view.selection_key.text()


def test_the_playlist_legend_counts_what_the_playlist_list_counts(qtbot, make_window, library):
    """A track in several playlists takes the largest one's colour, so counting points gave
    smaller numbers than the playlist list: the legend now gives each playlist's size, and
    says so in its tooltip."""
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    _colour_by(w, "playlist")
    listed = [w.library.playlists.item(i).text() for i in range(w.library.playlists.count())]
    coloured = {name for name, _colour, _points in w.map.categories}
    assert coloured
    shared = False
    for row in listed:  # "Mix 1  (7)": the list's count
        name, count = row.rsplit("  (", 1)
        if name in coloured:
            assert f"{name} ({count}" in w.map.legend.text(), (row, w.map.legend.text())
            points = next(p for n, _c, p in w.map.categories if n == name)
            shared = shared or points < int(count.rstrip(")"))
    assert shared, "some track is in several playlists (else the test shows nothing)"
    assert "playlist list" in w.map.legend.body.toolTip()


def test_the_evaluation_table_is_readable_in_a_small_window(qtbot):
    """In a 1024x640 window the dock is ~170 px high: the table's rows are compact, its
    columns never narrower than their numbers (a narrow table scrolls sideways), and the
    table is beside the column of texts, not under it."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show_metrics({"graph": {"hr@10": 0.628, "mrr": 0.283},
                        "audio": {"hr@10": 0.326, "mrr": 0.102}, "pairs": 43})
    panel.resize(1012, 170)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    row = table.fontMetrics().height() + 8
    assert all(table.rowHeight(r) <= row for r in range(table.rowCount()))
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
    number = table.fontMetrics().horizontalAdvance("0.000") + 8
    assert all(table.columnWidth(c) >= number for c in range(table.columnCount()))
    # the table sits in a column of its own: wrapped texts cannot push it out of the dock
    assert not panel.side_scroll.isAncestorOf(table)
    assert table.geometry().left() >= panel.side_scroll.geometry().right()


@pytest.fixture
def building(monkeypatch, make_window, ctx, qtbot):
    """A window whose demo build is running (a stand-in build that waits to be cancelled)."""
    import musicsage.controllers.demo as demo

    monkeypatch.setattr(demo, "build_demo", slow_demo_build)
    w = make_window(ctx, demo_ctx=lambda: ctx)
    w.app.demo.open()
    qtbot.waitUntil(lambda: w.status_line.task.text().startswith("Composing"), timeout=10_000)
    return w


def test_adding_music_is_off_while_the_demo_is_built(qtbot, building):
    w = building
    acts = w.actions_
    changing = (acts.add_folder, acts.import_playlists, acts.rescan, acts.embed, acts.retrain,
                acts.remove_folder.menuAction())
    assert not any(a.isEnabled() for a in changing)
    assert not w.app.library.add_dropped([__file__])  # a drop waits too
    w.app.tasks.cancel()
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=10_000)
    settle(qtbot, w)
    assert acts.add_folder.isEnabled() and acts.import_playlists.isEnabled()


def test_one_progress_bar_for_the_demo_build(qtbot, building):
    """The welcome page draws the build's bar and Cancel: the status line keeps to its text."""
    w = building
    assert w.welcome.busy_box.isVisible() and w.welcome.progress.isVisible()
    assert not w.status_line.progress.isVisible() and not w.status_line.cancel.isVisible()
    assert w.status_line.task.text().startswith("Composing and rendering music")
    w.app.tasks.cancel()
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=10_000)


def test_one_progress_bar_for_training(qtbot, make_window, library, monkeypatch):
    """The training dock draws the run's bar and Cancel; closed, the status line does."""
    import musicsage.controllers.training as training

    @runs(Mode.THREAD)
    def slow_train(ctx, progress=None, cancel=None, **_options):
        report(progress, "train", 1, 100, "loss 1.000", step=1, loss=1.0)
        while not cancel.cancelled:
            threading.Event().wait(0.02)
        raise Cancelled()

    monkeypatch.setattr(training.pipeline, "train", slow_train)
    w = make_window(library)
    w.app.training.start()
    qtbot.waitUntil(lambda: w.training.panel.progress.isVisible(), timeout=10_000)
    qtbot.wait(100)
    assert not w.status_line.progress.isVisible() and not w.status_line.cancel.isVisible()
    assert w.status_line.task.text()
    w.training.hide()  # the dock closed: the status line shows the bar again
    w.app.tasks.progressed.emit("Training the graph model…", 2, 100)
    assert w.status_line.progress.isVisible() and w.status_line.cancel.isVisible()
    w.app.training.cancel()
    qtbot.waitUntil(lambda: not w.app.training.running, timeout=10_000)

"""Keys and greyed-out actions as users expect them of a desktop app (a GUI audit): Esc
clears the search box and the map's region, Down and Up move between the search box and its
results, and what an empty library cannot do is off, saying why."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui_support import shown_map


def test_esc_on_the_map_clears_its_region_and_only_then(qtbot):
    view, tools = shown_map(qtbot, 500, 400)
    n = 20
    xy = np.random.default_rng(1).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)])
    cleared = []
    tools.clear_region_requested.connect(lambda: cleared.append(True))
    view.activateWindow()
    view.plot.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.plot)
    qtbot.keyClick(view.plot, Qt.Key.Key_Escape)
    assert cleared == [], "no region: Esc asks nothing"
    tools.show_region([1, 2, 3])
    qtbot.keyClick(view.plot, Qt.Key.Key_Escape)
    assert cleared == [True]


def _searched(qtbot, w, text: str):
    w.activateWindow()
    w.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.library.search)
    qtbot.keyClicks(w.library.search, text)
    results = w.library.results
    qtbot.waitUntil(lambda: results.isVisible() and results.count() > 0
                    and results.item(0).data(Qt.ItemDataRole.UserRole) is not None,
                    timeout=10_000)
    return results


def test_down_and_up_move_between_the_search_box_and_its_results(qtbot, make_window, library):
    w = make_window(library)
    results = _searched(qtbot, w, "Techno")
    qtbot.keyClick(w.library.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is results and results.currentRow() == 0
    assert results.item(0).isSelected()
    qtbot.keyClick(results, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is w.library.search
    assert w.library.search.text() == "Techno"


def test_esc_clears_the_search_box_its_results_and_its_map_rings(qtbot, make_window, library):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    results = _searched(qtbot, w, "Techno")
    qtbot.waitUntil(lambda: len(w.map_tools.match_ids) > 0, timeout=10_000)
    qtbot.keyClick(w.library.search, Qt.Key.Key_Escape)
    assert w.library.search.text() == "" and not results.isVisible() and results.count() == 0
    qtbot.waitUntil(lambda: w.map_tools.match_ids == [], timeout=10_000)
    assert w.isVisible(), "Esc closes nothing"
    _searched(qtbot, w, "Techno")  # Esc from the results list too
    qtbot.keyClick(w.library.search, Qt.Key.Key_Down)
    qtbot.keyClick(results, Qt.Key.Key_Escape)
    assert w.library.search.text() == "" and not results.isVisible()
    assert QApplication.focusWidget() is w.library.search


def test_an_empty_library_greys_out_what_it_cannot_do_and_says_why(make_window, ctx):
    w = make_window(ctx)
    acts = w.actions_
    for action in (acts.recompute_map, acts.rescan, acts.embed, acts.retrain, acts.fit):
        assert not action.isEnabled(), action.text()
        assert "add a music folder" in action.toolTip(), action.text()
    folders = acts.remove_folder.menuAction()
    assert not folders.isEnabled() and "No music folder" in folders.toolTip()
    assert acts.add_folder.isEnabled() and acts.demo.isEnabled()
    w.menuBar().actions()[1].menu().aboutToShow.emit()  # Analyse ▸ as it opens
    models = acts.graph_models.menuAction()
    assert not models.isEnabled() and "No graph model yet" in models.toolTip()

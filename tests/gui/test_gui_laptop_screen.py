"""The window on a small laptop screen (a screenshot review at 1024x640, checked at 1400x860):
the training dock's column of texts needed a scrollbar for a long model line, and with the
dock open the window could not be 640 px high, so its status bar and the dock's foot were
below the screen's edge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_support import settle, window_with_the_dock_open
from musicsage.controllers.evaluation import describe_model
from musicsage.usecases.library import list_tracks

EVALUATION = {"graph": {"hr@10": 0.6, "mrr": 0.3}, "audio": {"hr@10": 0.3, "mrr": 0.1},
              "pairs": 43, "protocol": {"version": 3}}
"""Enough of an evaluation for the dock's idle hint ("Press Retrain to train a new …")."""


@pytest.fixture
def library(mapped_library, shared_helper):
    """The GUI tests' library with its map laid out once per run, and the run's one helper
    process for the tags of a selected track: each window here only has to open, not to start
    a child for its map and a helper for its tags (4 of its 5 s on 2 cores), where what is
    checked is its geometry."""
    return mapped_library


@pytest.mark.parametrize("size", [(1024, 640), (1400, 860)])
def test_a_long_model_line_needs_no_scrollbar_in_the_lowest_dock(qtbot, make_window, library,
                                                                  size):
    """The audio model's long name and the tracks the model did not see wrapped, in a column
    of 2/9 of the dock's width, into more lines than the dock at its lowest shows."""
    w = make_window(library)
    w.resize(*size)
    qtbot.waitUntil(lambda: w.size().toTuple() == size)
    w.show_training_dock()
    panel = w.training.panel
    model = describe_model({"id": 1, "audio_model": "musicnn-msd-max_pool", "unseen": 12,
                            "inductive": 12})
    panel.show_model(model, EVALUATION, running=False)
    w.resizeDocks([w.training], [1], Qt.Orientation.Vertical)  # dragged down as far as it goes
    qtbot.waitUntil(lambda: w.training.height() == w.training.minimumSizeHint().height())
    qtbot.wait(50)
    assert panel.status.text().startswith("Press Retrain") and "12 placed" in panel.model_line.text()
    assert panel.side_scroll.verticalScrollBar().maximum() == 0
    view = panel.side_scroll.viewport()
    bottom = panel.model_line.mapTo(view, panel.model_line.rect().bottomLeft()).y()
    assert bottom <= view.height()


def test_the_window_with_its_dock_open_fits_640_pixels_on_every_tab(qtbot, make_window,
                                                                    library):
    """The lists' default minimum height made the window's minimum 643 to 663 px with the
    dock open: at 1024x640 the status bar and the foot of the dock were cut off."""
    w = make_window(library)
    w.resize(1024, 640)
    qtbot.waitUntil(lambda: w.size().toTuple() == (1024, 640))
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(list_tracks(library)[3].id, play=False)
    settle(qtbot, w)
    w.show_training_dock()
    for tab in range(w.right.count()):
        w.right.setCurrentIndex(tab)
        qtbot.wait(50)
        assert w.minimumSizeHint().height() <= 640, w.right.tabText(tab)
        assert w.size().toTuple() == (1024, 640), w.right.tabText(tab)
        status = w.statusBar()
        assert status.isVisible() and status.geometry().bottom() < w.height()
        dock_foot = w.training.mapTo(w, w.training.rect().bottomLeft()).y()
        assert dock_foot < status.geometry().top()


def _whole_rows(lst) -> int:
    """The rows a list shows whole, as the user sees them."""
    view = lst.viewport().rect()
    return sum(view.contains(lst.visualItemRect(lst.topLevelItem(i)))
               for i in range(lst.topLevelItemCount()))


def _window_with_the_dock_open(qtbot, make_window, library, size: tuple[int, int]):
    """A window of ``size`` showing a track's two full neighbour lists (as with a graph
    model) and the training dock open on a trained model's evaluation."""
    w = make_window(library)
    w.resize(*size)
    qtbot.waitUntil(lambda: w.size().toTuple() == size)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(list_tracks(library)[3].id, play=False)
    panel = w.neighbours
    panel.graph_list.set_rows(panel.audio_list.rows)
    panel.graph_stack.setCurrentIndex(0)
    settle(qtbot, w)
    w.show_training_dock()
    w.training.panel.show_model("Model 1 on spectral", EVALUATION, running=False)
    qtbot.wait(100)
    return w


def test_each_neighbour_list_shows_four_rows_with_the_dock_open(qtbot, make_window, library):
    """At 1024x640 with the training dock open each list showed two rows and a half: the dock
    asked for 260 px (its table needs about 180) and a line kept empty for the current row's
    reason held 40 px under the lists. The reason now shows in the key's line."""
    w = _window_with_the_dock_open(qtbot, make_window, library, (1024, 640))
    panel = w.neighbours
    lists = (panel.graph_list, panel.audio_list)
    assert all(lst.topLevelItemCount() == 10 for lst in lists)
    assert min(map(_whole_rows, lists)) >= 4, [_whole_rows(lst) for lst in lists]
    table = w.training.panel.table
    assert table.verticalScrollBar().maximum() == 0, "the evaluation table stays whole"
    assert table.mapTo(w.training, table.rect().bottomLeft()).y() < w.training.height()
    panel.audio_list.setCurrentItem(panel.audio_list.topLevelItem(1))
    qtbot.wait(50)
    assert panel.legend.text().startswith("Why: ")
    assert min(map(_whole_rows, lists)) >= 4, "the reason takes no row from the lists"


def test_opening_the_dock_keeps_a_low_window_on_the_screen(qtbot, make_window, library):
    """At 800x500 opening the training dock made the window 623 px high, its foot and status
    bar below the screen. Below 640 px the dock may be lower than its panel, which scrolls."""
    w = make_window(library)
    w.resize(800, 500)
    qtbot.waitUntil(lambda: w.size().toTuple() == (800, 500))
    w.show_training_dock()
    qtbot.wait(100)
    assert w.training.isVisible() and w.training.height() > 0
    assert w.minimumSizeHint().height() <= 500
    assert w.size().toTuple() == (800, 500)
    w.resizeDocks([w.training], [1], Qt.Orientation.Vertical)  # dragged down as far as it goes
    qtbot.wait(50)
    scroll = w.training.scroll
    assert scroll.verticalScrollBar().maximum() > 0, "the panel scrolls in the low dock"
    w.resize(1024, 640)  # a taller window shows the panel whole again
    qtbot.waitUntil(lambda: w.size().toTuple() == (1024, 640))
    qtbot.wait(50)
    assert scroll.verticalScrollBar().maximum() == 0


USABLE = 120
"""The least height (px) at which a panel still shows a few rows, or a plot and a table."""


def test_at_800x500_the_dock_and_every_panel_get_a_usable_share(qtbot, make_window, library):
    """At 800x500 the training dock opened 44 px high, and no drag could make it higher: the
    library and the lists kept their whole height (about 330 px), so its plots and table were
    a strip. The dock now opens whole (up to half the room) and the library and the lists
    scroll; dragged down, the dock gives them their whole height back."""
    w = _window_with_the_dock_open(qtbot, make_window, library, (800, 500))
    lists = w.neighbours
    assert w.size().toTuple() == (800, 500)
    heights = {"training dock": w.training.height(), **{  # library, map, lists
        f"panel {i}": w.splitter.widget(i).height() for i in range(w.splitter.count())}}
    assert len(heights) == 4 and all(h >= USABLE for h in heights.values()), heights
    table = w.training.panel.table
    view = w.training.scroll.viewport()
    assert table.mapTo(view, table.rect().bottomLeft()).y() < view.height(), "the table whole"
    assert lists.graph_list.height() >= lists.graph_list.minimumHeight()
    w.right_scroll.ensureWidgetVisible(lists.audio_list)  # the audio list: a scroll away
    qtbot.wait(50)
    assert _in_sight(w.right_scroll, lists.audio_list) and _whole_rows(lists.audio_list) >= 2

    w.resizeDocks([w.training], [1], Qt.Orientation.Vertical)  # the user wants the lists
    w.right_scroll.verticalScrollBar().setValue(0)
    qtbot.wait(50)
    assert w.splitter.height() >= 330, "the panels get back the height they had"
    for lst in (lists.graph_list, lists.audio_list):
        assert _in_sight(w.right_scroll, lst) and _whole_rows(lst) >= 2, "both, unscrolled"


def _in_sight(scroll, widget) -> bool:
    """Whether ``widget`` lies whole within what ``scroll`` shows."""
    view = scroll.viewport()
    top = widget.mapTo(view, widget.rect().topLeft()).y()
    return 0 <= top and top + widget.height() <= view.height()


@pytest.mark.parametrize("size", [(1024, 640), (1400, 900)])
def test_a_roomy_window_never_scrolls_its_panels(qtbot, make_window, library, size):
    """The library and the lists scroll only on a window below 640 px: higher, they keep
    their whole height with the dock open, as before."""
    w = window_with_the_dock_open(qtbot, make_window, library, size)
    assert w.size().toTuple() == size
    for panel in (w.library_scroll, w.right_scroll, w.training.scroll):
        assert panel.verticalScrollBar().maximum() == 0


@pytest.mark.parametrize("size, loss_title", [((800, 500), "Loss"),
                                              ((1400, 860), "Training loss")])
def test_the_plots_titles_fit_their_plots(qtbot, make_window, library, size, loss_title):
    """At 800x500 the dock's plots are ~110 px wide and their titles read "Training los" and
    "Validatio": a plot takes the longest of its titles that fits, the full one where there
    is room."""
    from PySide6.QtGui import QFont, QFontMetrics

    w = _window_with_the_dock_open(qtbot, make_window, library, size)
    panel = w.training.panel
    font = QFont(panel.loss_plot.font())
    font.setPointSizeF(10)
    for plot in (panel.loss_plot, panel.val_plot):
        title = plot.plotItem.titleLabel.text
        assert QFontMetrics(font).horizontalAdvance(title) <= plot.plotItem.vb.width(), title
    assert panel.loss_plot.plotItem.titleLabel.text == loss_title


@pytest.mark.parametrize("state", [("track", "search", "dock"), ("dock",), ("track", "search")])
def test_a_roomy_window_can_be_made_as_low_as_a_laptop_screen(qtbot, make_window, library,
                                                               state):
    """With a track selected, search results and the training dock open, resize(800, 500)
    gave 800x651 (1024x600 gave 1024x651; the dock alone 800x617): the library and the lists
    asked for their whole height on a window of 640 px or more, so a window that was that
    high could never get lower. Made low from a roomy window, in each of these states, it is
    the size asked, its panels and dock usable; made roomy again, the panels show whole."""
    w = make_window(library)  # 1300x800: the states come about on a roomy window
    if "track" in state:
        with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
            w.app.selection.select(list_tracks(library)[3].id, play=False)
    if "search" in state:
        qtbot.keyClicks(w.library.search, "Song")
        qtbot.waitUntil(lambda: w.library.results.count() >= 10)
    settle(qtbot, w)
    if "dock" in state:
        w.show_training_dock()
        w.training.panel.show_model("Model 1 on spectral", EVALUATION, running=False)
    qtbot.wait(100)
    for size in ((800, 500), (1024, 600)):
        w.resize(*size)
        qtbot.wait(100)
        assert w.size().toTuple() == size, state
        assert w.minimumSizeHint().height() <= 500
        heights = {f"panel {i}": w.splitter.widget(i).height() for i in range(w.splitter.count())}
        if "dock" in state:
            heights["training dock"] = w.training.height()
            dock_foot = w.training.mapTo(w, w.training.rect().bottomLeft()).y()
            assert dock_foot < w.statusBar().geometry().top()
        assert all(h >= USABLE for h in heights.values()), (size, heights)
        assert w.statusBar().isVisible() and w.statusBar().geometry().bottom() < w.height()
        shown = [(w.library_scroll, w.library.results, "search"),
                 (w.right_scroll, w.neighbours.audio_list, "track")]
        for panel, widget, _s in (item for item in shown if item[2] in state):
            panel.ensureWidgetVisible(widget)  # a scroll away at most
            qtbot.wait(20)
            assert _in_sight(panel, widget), (size, type(widget).__name__)
        if "track" in state:
            assert _whole_rows(w.neighbours.audio_list) >= 2, size
    w.resize(1300, 800)
    qtbot.wait(100)
    for panel in (w.library_scroll, w.right_scroll):
        assert panel.verticalScrollBar().maximum() == 0, "whole again on a roomy window"

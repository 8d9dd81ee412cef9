"""The main window's Tab order: as the window reads, not as its widgets were made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from musicsage.gui.training_dock import tab_stops

if TYPE_CHECKING:
    from musicsage.gui.main_window import MainWindow


def order_tab_stops(w: "MainWindow") -> None:
    """Tab goes as the window reads: the library, the toolbar, the map, the lists' tabs
    and their page, the player, the training dock, the status line. Qt's order, that of the
    widgets' making, put the toolbar after the player and the tab bar after its page; within
    each part it stays (each panel makes its controls as they read)."""
    stops = [stop for stop in tab_stops(w) if stop.focusProxy() is None]
    parts = (w.library_scroll, w.toolbar, w.actions_.demo_banner, w.map,
             w.right.tabBar(), w.right_scroll, w.player, w.training,
             w.statusBar())
    ordered = list(dict.fromkeys(stop for part in parts for stop in stops
                                 if stop is part or part.isAncestorOf(stop)))
    # the tab widget, a stop that gives its tab bar the focus, goes with the bar (Qt left
    # it after the pages, and the bar, stepped to from there, after them)
    ordered.insert(ordered.index(w.right.tabBar()), w.right)
    for first, second in zip(ordered, ordered[1:]):
        QWidget.setTabOrder(first, second)

"""Tab through the window shows where the focus went on a tab, a check box and a chooser too,
on a light and on a dark theme: the style's own marks were a tint of the tab (1.8:1 on a
light theme, 1.4:1 on a dark one), a faint box round the check box's words (1.5:1 on a dark
theme) and a chooser's frame at 2.4:1 on a light one, below WCAG's 3:1 for what shows a
control's state. Now each is ringed as the toolbar's buttons are."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from musicsage.gui.neighbours import contrast

R = QPalette.ColorRole


def _palette(colours: dict) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


THEMES = {
    "light": None,  # the style's own (Fusion's, offscreen)
    "dark": _palette({R.Window: "#323232", R.WindowText: "#f0f0f0", R.Base: "#242424",
                      R.AlternateBase: "#2b2b2b", R.Text: "#f0f0f0", R.Button: "#353535",
                      R.ButtonText: "#f0f0f0", R.Highlight: "#2f65ca",
                      R.HighlightedText: "#ffffff", R.Light: "#505050", R.Mid: "#404040",
                      R.Dark: "#202020"}),  # Qt's dark Fusion, what a dark desktop gives
}


@pytest.fixture
def themed(request):
    """The application in ``request.param``'s theme, the default one back afterwards."""
    app = QApplication.instance()
    before = app.palette()
    if THEMES[request.param] is not None:
        app.setPalette(THEMES[request.param])
    yield request.param
    app.setPalette(before)


def _tab_to(qtbot, target: QWidget) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user gets there."""
    for _ in range(60):
        if QApplication.focusWidget() is target:
            return
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {type(target).__name__}")


def _ringed(widget: QWidget, x: int, unfocused: QColor) -> bool:
    """Whether a mark is drawn at ``x`` that the focus brought (its colour is not the one
    drawn there before) and that stands out 3:1 against the control beside it (3 px in)."""
    mark, beside = _edge(widget, x), _edge(widget, x + 3)
    moved = sum(abs(a - b) for a, b in zip(mark.getRgb()[:3], unfocused.getRgb()[:3]))
    return moved >= 60 and contrast(mark, beside) >= 3.0


def _edge(widget: QWidget, x: int) -> QColor:
    """The colour drawn at ``x`` (from the widget's left), half-way down."""
    image = widget.grab().toImage()
    return image.pixelColor(QPoint(x, image.height() // 2))


@pytest.mark.parametrize("themed", ["light", "dark"], indirect=True)
def test_tab_marks_the_tab_the_check_box_and_the_chooser_clearly(qtbot, make_window, library,
                                                                themed):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=60_000)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    tabs = w.right.tabBar()
    tab_left = tabs.tabRect(tabs.currentIndex()).left() + 1  # the current tab's left edge
    stops = [(w.space_combo, 1), (tabs, tab_left), (w.neighbours.variety_box, 1)]
    before = [_edge(widget, x) for widget, x in stops]
    w.library.search.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(w.library.search.hasFocus)
    for (widget, x), unfocused in zip(stops, before):
        _tab_to(qtbot, widget)
        name = widget.accessibleName() or type(widget).__name__
        qtbot.waitUntil(lambda: _ringed(widget, x, unfocused), timeout=5_000)
        assert widget.hasFocus(), name
    if os.environ.get("FOCUS_RING_PNG"):  # to look at: the window as the last Tab left it
        w.grab().save(f"{os.environ['FOCUS_RING_PNG']}-{themed}.png")


def test_the_ring_moves_with_the_arrow_keys_from_tab_to_tab(qtbot, make_window, library):
    """The arrow keys turn to the next tab, the focus staying on the tab bar: the ring goes
    to the tab now current, and leaves with the focus."""
    w = make_window(library)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    tabs = w.right.tabBar()
    first, second = (tabs.tabRect(i).left() + 1 for i in (0, 1))
    w.library.search.setFocus(Qt.FocusReason.TabFocusReason)
    before_first, before = _edge(tabs, first), _edge(tabs, second)
    _tab_to(qtbot, tabs)
    qtbot.waitUntil(lambda: _ringed(tabs, first, before_first), timeout=5_000)
    QTest.keyClick(tabs, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: tabs.currentIndex() == 1 and tabs.hasFocus())
    qtbot.waitUntil(lambda: _ringed(tabs, second, before), timeout=5_000)
    w.library.search.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: not _ringed(tabs, second, before), timeout=5_000)

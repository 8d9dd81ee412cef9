"""What the window offers a keyboard and a screen reader: every control that takes the focus
has a name a reader can say (the graph and the audio lists each their own), a focused control
over the dark map is visibly outlined, Tab does not stop on scroll areas that hold nothing to
act on, and the grey key line under the lists reads at WCAG's 4.5:1 on a light and on a dark
theme (it was 1.7:1 and 1.4:1)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from gui_support import settle, shown_map
from musicsage.gui.focus_ring import MAP_FOCUS_COLOUR as FOCUS_COLOUR
from musicsage.gui.map_view import Colouring


def _spoken_name(widget: QWidget) -> str:
    """What a screen reader says a control is: its accessible name (or the one Qt's
    accessibility bridge derives, a tab bar's current tab), a button's text or tooltip."""
    interface = QAccessible.queryAccessibleInterface(widget)
    derived = interface.text(QAccessible.Text.Name) if interface is not None else ""
    button = (widget.text() or widget.toolTip()) if isinstance(widget, QAbstractButton) else ""
    return widget.accessibleName() or derived or button


def _unnamed_focus_stops(w) -> list[str]:
    """The shown controls that take the focus with Tab and have no spoken name. A control
    whose focus goes to another (a tab widget to its tab bar, a spin box's editor to the
    spin box, the map's viewport to the map) is never focused itself: its proxy is checked.
    The toolbar's Map and Colour by choosers are walked too (they were left out while they
    had no name)."""
    unnamed = []
    for widget in w.findChildren(QWidget):
        if (not widget.isVisible() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                or widget.focusProxy() is not None):
            continue
        if not _spoken_name(widget):
            unnamed.append(f"{type(widget).__name__} in {type(widget.parentWidget()).__name__}")
    return unnamed


def test_every_control_that_takes_the_focus_has_a_name(qtbot, make_window, library):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=60_000)
    w.show_training_dock()  # its evaluation table too
    w.library.search.setText("a")  # its results list too
    qtbot.waitUntil(w.library.results.isVisible, timeout=30_000)
    w.app.queue.play_list([t.id for t in w.app.library.snapshot.tracks[:3]], "Region")
    for panel in (w.neighbours, w.suggestions, w.queue):
        w.right.setCurrentWidget(panel)
        qtbot.waitUntil(panel.isVisible)
        lists = (panel.list,) if panel is w.queue else (panel.graph_list, panel.audio_list)
        assert all(lst.isVisible() for lst in lists)
        assert _unnamed_focus_stops(w) == [], type(panel).__name__
    assert w.player.isVisible() and w.training.panel.table.isVisible()  # walked with each
    assert w.library.search.accessibleName() and w.library.playlists.accessibleName()
    assert w.neighbours.k_spin.accessibleName(), '"top 10" alone says not of what'


def test_the_graph_and_the_audio_lists_do_not_sound_alike(qtbot):
    from musicsage.gui.neighbours import NeighboursPanel
    from musicsage.gui.suggestions_panel import SuggestionsPanel

    lists = []
    for panel in (NeighboursPanel(), SuggestionsPanel()):
        qtbot.addWidget(panel)
        lists += [panel.graph_list, panel.audio_list]
    names = [lst.accessibleName() for lst in lists]
    assert all(names) and len(set(names)) == 4, names
    assert "Graph" in names[0] and "Audio" in names[1], names
    descriptions = [lst.accessibleDescription() for lst in lists]
    assert all(descriptions) and len(set(descriptions)) == 4, descriptions


def test_the_map_says_what_it_shows_and_the_keyboard_way_to_pick_a_track(qtbot):
    view, _tools = shown_map(qtbot, 500, 400)
    # the plot is what takes the focus (its viewport hands it on): a reader speaks of it
    assert view.plot.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert view.plot.viewport().focusProxy() is view.plot
    name, description = view.plot.accessibleName(), view.plot.accessibleDescription()
    assert "map" in name.lower()
    assert "point" in description and "track" in description
    assert "keyboard" in description and "search" in description and "lists" in description


# -- focus made visible -----------------------------------------------------------------------

def _near(colour: QColor, expected: str, tolerance: int = 40) -> bool:
    want = QColor(expected)
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3]))


def _left_edge(widget: QWidget, inset: int = 0) -> QColor:
    """The colour at the middle of the widget's left edge, as drawn."""
    image = widget.grab().toImage()
    return image.pixelColor(inset, image.height() // 2)


def _active(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_a_focused_button_over_the_map_is_outlined_and_keeps_its_size(qtbot):
    """The legend's header and the Pan/Lasso/Rectangle buttons had no border (none or
    transparent, on a dark map), the region bar's native buttons no focus mark: Tab reached
    them without a sign."""
    view, tools = shown_map(qtbot, 500, 400)
    view.set_points(np.arange(4), np.random.default_rng(0).random((4, 2)), list("abcd"),
                    Colouring(np.array([0, 0, 1, 1]), ["Jazz", "Folk"]))
    tools.show_region([0, 1])  # its bar's buttons too (native ones showed no focus there)
    _active(qtbot, view)
    buttons = {"legend": view.legend.header, **tools.mode_buttons, "play": tools.play_button,
               "save": tools.save_button, "clear": tools.clear_button}
    for name, button in buttons.items():
        before, size = _left_edge(button), button.size()
        assert not _near(before, FOCUS_COLOUR), name
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus)
        assert _near(_left_edge(button), FOCUS_COLOUR), f"{name}: no focus outline"
        assert button.size() == size, f"{name}: the outline took room"
        view.setFocus(Qt.FocusReason.OtherFocusReason)  # away, and the outline goes
        qtbot.waitUntil(lambda: not button.hasFocus())
        assert not _near(_left_edge(button), FOCUS_COLOUR), name


def _tab(qtbot) -> QWidget:
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.wait(20)
    return QApplication.focusWidget()


def test_tab_reaches_the_map_framed_without_stopping_on_scroll_areas(qtbot, make_window,
                                                                       library):
    """Tab stopped on the track details' scroll area and on the legend's (nothing to act on,
    no sign of focus), and on the map with no sign of focus either. Now a whole round of Tab
    stops on neither scroll area; the map, when reached, is framed, then come its legend
    button and its tools. A click on the map gives it the focus without the frame (the
    pointer shows where that went)."""
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=60_000)
    _active(qtbot, w)
    plot, frame = w.map.plot, w.map.focus_frame
    w.library.search.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(w.library.search.hasFocus)
    stops = []
    while len(stops) < 60 and (not stops or stops[-1] is not w.library.search):
        stops.append(_tab(qtbot))
        assert frame.isVisible() == (stops[-1] is plot)
        if stops[-1] is plot:
            assert frame.geometry() == plot.rect()
            assert _near(_left_edge(plot, 1), FOCUS_COLOUR), "the frame is drawn"
    assert stops[-1] is w.library.search, "a round of Tab"
    assert w.library.details_scroll not in stops and w.map.legend.scroll not in stops
    after_map = stops[stops.index(plot) + 1:stops.index(plot) + 3]
    assert after_map == [w.map.legend.header, w.map_tools.mode_buttons["pan"]]
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(plot.hasFocus)
    assert not frame.isVisible()
    assert not _near(_left_edge(plot, 1), FOCUS_COLOUR)


# -- the grey key line ------------------------------------------------------------------------

def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def _ratio(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _palette(window: str, text: str, mid: str) -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Base, window), (QPalette.ColorRole.Text, text),
                         (QPalette.ColorRole.Mid, mid)):
        palette.setColor(role, QColor(colour))
    return palette


LIGHT = _palette("#efefef", "#000000", "#b8b8b8")  # Fusion's: palette(mid) was 1.73:1
DARK = _palette("#2b2b2b", "#e0e0e0", "#404040")  # Breeze Dark-like: palette(mid) was 1.37:1


@pytest.mark.parametrize("panel_class", ["NeighboursPanel", "SuggestionsPanel"])
def test_the_key_line_under_the_lists_reads_on_light_and_dark_themes(qtbot, panel_class):
    from musicsage.gui import neighbours, suggestions_panel

    cls = getattr(neighbours, panel_class, None) or getattr(suggestions_panel, panel_class)
    window = QWidget()
    qtbot.addWidget(window)
    panel = cls(window)
    window.show()
    role = QPalette.ColorRole
    for theme in (LIGHT, DARK):  # the dark one set while the window runs: the grey follows
        window.setPalette(theme)
        qtbot.wait(10)
        line = panel.legend
        grey, back = line.palette().color(role.WindowText), panel.palette().color(role.Window)
        assert back == theme.color(role.Window)
        assert _ratio(grey, back) >= 4.5, f"{grey.name()} on {back.name()}"
        text = theme.color(role.WindowText)
        assert _ratio(grey, back) < _ratio(text, back), "still a grey key, not text"
        line.show_why("in Road Trip")  # a row's reason is text
        assert line.palette().color(role.WindowText) == text
        line.show_why("")
        assert line.palette().color(role.WindowText) == grey


def test_the_training_notes_read_on_light_and_dark_themes(qtbot):
    """The evaluation's notes were a fixed amber, #8a5a00: 2.3:1 on a dark theme."""
    from musicsage.gui.training_dock import TrainingPanel

    window = QWidget()
    qtbot.addWidget(window)
    panel = TrainingPanel(window)
    panel.show_metrics(None)
    window.show()
    role = QPalette.ColorRole
    for theme in (LIGHT, DARK):  # the dark one set while the window runs: the amber follows
        window.setPalette(theme)
        qtbot.wait(10)
        note, back = panel.notes_line.palette().color(role.WindowText), theme.color(role.Window)
        assert _ratio(note, back) >= 4.5, f"{note.name()} on {back.name()}"
        assert note.red() - note.blue() >= 40, f"{note.name()}: still a warning's amber"

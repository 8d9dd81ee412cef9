"""The welcome page's hint ("You can also drop music folders and playlist files … on this
window") reads at WCAG's 4.5:1 on its card, on a light theme and on a dark one: drawn in the
palette's placeholder grey it was 4.0:1 on Fusion's light card (black at half alpha on white)
and as faint on a dark desktop theme whose placeholder grey is dim. It is the grey of the
window's other hint lines (the key line under the lists, a missing file's row), worked out
on the card (its base and text colours, not the window's, which most themes draw apart): a
theme's tinted placeholder colour made it a hint unlike the others."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from PySide6.QtWidgets import QApplication

from musicsage.gui import colours, neighbours
from musicsage.gui.colours import contrast
from musicsage.gui.neighbours import hint_colour
from musicsage.gui.welcome import WelcomeView
from test_icons_theme import _ink

R = QPalette.ColorRole


def _theme(base: str, text: str, placeholder: QColor, window: str = "",
           window_text: str = "") -> QPalette:
    """A desktop theme: its card (base, text) and window colours (``window``,
    ``window_text``: the card's where not given)."""
    palette = QPalette()
    for role, colour in ((R.Window, QColor(window or base)),
                         (R.WindowText, QColor(window_text or text)),
                         (R.Base, QColor(base)), (R.Text, QColor(text)),
                         (R.Button, QColor(window or base)),
                         (R.ButtonText, QColor(window_text or text)),
                         (R.PlaceholderText, placeholder)):
        palette.setColor(role, colour)
    return palette


def _card(theme: QPalette) -> QPalette:
    """``theme`` with the card's colours as its window's: what the hint is worked out on."""
    card = QPalette(theme)
    card.setColor(R.Window, theme.color(R.Base))
    card.setColor(R.WindowText, theme.color(R.Text))
    return card


LIGHT = _theme("#ffffff", "#000000", QColor(0, 0, 0, 128), window="#efefef")
"""Fusion's light palette: its placeholder is the text colour at half alpha; the window is
greyer than the card."""
DARK = _theme("#303030", "#ffffff", QColor("#777777"), window="#1e1e1e", window_text="#dddddd")
"""A dark desktop theme with a dim placeholder grey (3.3:1 on its base), its window darker
than the card and its window text dimmer."""


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_welcome_hint_reads_at_four_and_a_half_to_one(qtbot, theme):
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(theme)  # the desktop's theme, as the window gets it
    try:
        _check_hint(qtbot, theme)
    finally:
        app.setPalette(before)


def _check_hint(qtbot, theme: QPalette) -> None:
    page = WelcomeView()
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    qtbot.waitExposed(page)
    shot = page.card.grab().toImage()
    base = theme.color(R.Base)
    area = page.hint.geometry()
    assert shot.pixelColor(area.left() + 1, area.top() + 1) == base, "the hint is on the card"
    ink = _ink(shot, area, base)
    assert contrast(ink, base) >= 4.5, f"hint {ink.name()} on {base.name()}"
    assert contrast(ink, base) < contrast(theme.color(R.Text), base), "still a hint's grey"


def test_the_welcome_hint_is_the_windows_hint_grey_worked_out_on_the_card(qtbot):
    theme = _theme("#ffffff", "#000000", QColor("#c0392b"),  # a reddish placeholder, 5.4:1
                   window="#efefef", window_text="#1a1a1a")
    expected = hint_colour(_card(theme)).name()
    assert expected != hint_colour(theme).name(), "the theme tells the card from the window"
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(theme)
    try:
        page = WelcomeView()
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        grey = page.hint.palette().color(R.WindowText)
        assert grey.name() == expected, f"{grey.name()}: not the other hints' grey on the card"
    finally:
        app.setPalette(before)


def test_the_hint_greys_are_measured_as_the_focus_rings_are():
    """One contrast measure and one mix for the hint greys and the focus rings: a copy in
    ``neighbours`` could drift from ``colours``' and the two tell a theme apart."""
    assert neighbours.contrast is colours.contrast and neighbours.mix is colours.mix

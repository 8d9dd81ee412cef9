"""The welcome page's hint ("You can also drop music folders and playlist files … on this
window") reads at WCAG's 4.5:1 on its card, on a light theme and on a dark one: drawn in the
palette's placeholder grey it was 4.0:1 on Fusion's light card (black at half alpha on white)
and as faint on a dark desktop theme whose placeholder grey is dim. It is the grey of the
window's other hint lines (the key line under the lists, a missing file's row), worked out
on the card: a theme's tinted placeholder colour made it a hint unlike the others."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from PySide6.QtWidgets import QApplication

from musicsage.gui.neighbours import contrast, hint_colour
from musicsage.gui.welcome import WelcomeView
from test_icons_theme import _ink

R = QPalette.ColorRole


def _theme(base: str, text: str, placeholder: QColor) -> QPalette:
    palette = QPalette()
    for role, colour in ((R.Window, QColor(base)), (R.WindowText, QColor(text)),
                         (R.Base, QColor(base)), (R.Text, QColor(text)),
                         (R.Button, QColor(base)), (R.ButtonText, QColor(text)),
                         (R.PlaceholderText, placeholder)):
        palette.setColor(role, colour)
    return palette


LIGHT = _theme("#ffffff", "#000000", QColor(0, 0, 0, 128))
"""Fusion's light palette: its placeholder is the text colour at half alpha."""
DARK = _theme("#303030", "#ffffff", QColor("#777777"))
"""A dark desktop theme with a dim placeholder grey (3.3:1 on its base)."""


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


def test_the_welcome_hint_is_the_windows_hint_grey(qtbot):
    theme = _theme("#ffffff", "#000000", QColor("#c0392b"))  # a reddish placeholder, 5.4:1
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(theme)
    try:
        page = WelcomeView()
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        grey = page.hint.palette().color(R.WindowText)
        assert grey.name() == hint_colour(theme).name(), f"{grey.name()}: not the other hints' grey"
    finally:
        app.setPalette(before)

"""The desktop's theme switched while the window is open (light to dark, and back): the
window's stylesheets kept the colours of the theme it opened in. The demo banner stayed pale
yellow while its "Back to my library" arrow was inked white (gone), the welcome card stayed
white, and the Playlist tab's missing rows kept the grey of the old theme. Starting dark was
fine: these are about the switch."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolButton

from musicsage.gui.neighbours import contrast, hint_colour, mix
from test_icons_theme import _icon_area, _ink

R = QPalette.ColorRole


def _dark() -> QPalette:
    """A desktop's dark theme, every role the window's styles read set."""
    palette = QPalette()
    for role, colour in ((R.Window, "#2b2b2b"), (R.WindowText, "#ffffff"), (R.Base, "#1e1e1e"),
                         (R.Text, "#ffffff"), (R.Button, "#353535"), (R.ButtonText, "#ffffff"),
                         (R.ToolTipBase, "#353535"), (R.ToolTipText, "#ffffff"),
                         (R.PlaceholderText, "#8c8c8c"), (R.Mid, "#303030")):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def switch_theme():
    """Set the application's palette (as a desktop theme switch does); the one before is put
    back at the end, so the other tests see the theme they always did."""
    app = QApplication.instance()
    before = app.palette()

    def switch(palette: QPalette) -> QPalette:
        app.setPalette(palette)
        app.processEvents()
        return app.palette()

    yield switch, before
    app.setPalette(before)


def _check_banner(w, theme: QPalette) -> None:
    bar, acts = w.actions_.demo_banner, w.actions_
    shot = bar.grab().toImage()
    back = shot.pixelColor(shot.width() - 3, shot.height() // 2)
    assert back == theme.color(R.ToolTipBase), back.name()
    button = next(b for b in bar.findChildren(QToolButton) if b.defaultAction() is acts.home)
    arrow = _ink(shot, _icon_area(button, bar), back)
    assert contrast(arrow, back) >= 3.0, f"arrow {arrow.name()} on {back.name()}"
    label = acts.demo_banner_text
    words = _ink(shot, label.geometry().adjusted(6, 2, -6, -2), back)
    assert contrast(words, back) >= 4.5, f"banner text {words.name()} on {back.name()}"


def _check_welcome(w, theme: QPalette) -> None:
    card = w.welcome.card.grab().toImage()
    assert card.pixelColor(card.width() // 2, 10) == theme.color(R.Base)
    ink, base = w.welcome.hint.palette().color(R.WindowText), theme.color(R.Base)
    hint = mix(base, ink, ink.alphaF())  # as drawn on the card: a half-transparent grey is faint
    shown = ink.name(QColor.NameFormat.HexArgb)
    assert contrast(hint, base) >= 4.5, f"hint {shown} on {base.name()}"
    assert (hint.lightness() > base.lightness()) == (base.lightness() < 128), "the new theme's"


def test_the_banner_and_the_welcome_card_follow_a_theme_switched_while_open(
        qtbot, make_window, ctx, switch_theme):
    switch, light = switch_theme
    w = make_window(ctx)  # an empty library: the welcome page
    assert w.stack.currentWidget() is w.welcome
    acts = w.actions_
    acts.demo_banner_text.setText("Demo library: generated tracks")
    acts.demo_banner.setVisible(True)
    acts.home.setVisible(True)
    for theme in (_dark(), light):  # light to dark, then back
        theme = switch(theme)
        _check_banner(w, theme)
        _check_welcome(w, theme)


def test_the_playlist_tabs_missing_rows_take_the_new_themes_grey(qtbot, switch_theme):
    from test_playlist_panel import _panel, _view

    switch, light = switch_theme
    panel = _panel(qtbot)
    panel.show_tracks(_view())  # its third row's file is missing
    missing = panel.list.topLevelItem(2)
    assert missing.foreground(1).color() == hint_colour(light)
    for theme in (_dark(), light):
        theme = switch(theme)
        assert missing.foreground(1).color() == hint_colour(theme)

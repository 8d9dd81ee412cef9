"""Icons on a dark theme: the style draws its glyphs (play, pause, previous, next, stop, the
speaker, the arrows) black whatever the theme, so on a dark one (window #202020, text white)
the player bar's buttons and the toolbar's Compute embeddings and Retrain were nearly
invisible (1.5:1). They are drawn in the theme's text colour now, and again when the theme
changes while the window is open; on a light theme they stay dark."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QToolButton, QWidget

from test_accessibility import _luminance, _ratio

R = QPalette.ColorRole
LEAST = 3.0
"""WCAG's contrast for the parts of a control one must see (1.4.11, non-text contrast)."""


def _theme(window: str, text: str, button: str) -> QPalette:
    palette = QPalette()
    for role, colour in ((R.Window, window), (R.WindowText, text), (R.Base, window),
                         (R.Text, text), (R.Button, button), (R.ButtonText, text)):
        palette.setColor(role, QColor(colour))
    return palette


DARK = _theme("#202020", "#ffffff", "#2d2d2d")
LIGHT = _theme("#efefef", "#000000", "#e6e6e6")
THEMES = {"dark": DARK, "light": LIGHT}


def _ink(image: QImage, rect: QRect, back: QColor) -> QColor:
    """The colour in ``rect`` of ``image`` that stands out most from ``back``: the icon's."""
    rect = rect.intersected(image.rect())
    colours = [image.pixelColor(x, y) for x in range(rect.left(), rect.right() + 1)
               for y in range(rect.top(), rect.bottom() + 1)]
    return max(colours, key=lambda c: _ratio(c, back))


def _assert_reads(ink: QColor, back: QColor, theme: str, what: str, least: float = LEAST):
    assert _ratio(ink, back) >= least, f"{what}: {ink.name()} on {back.name()}"
    lighter = _luminance(ink) > _luminance(back)
    assert lighter == (theme == "dark"), f"{what}: {ink.name()} on {back.name()}"


def _icon_area(button: QWidget, bar: QWidget) -> QRect:
    """Where a button's icon is drawn, in ``bar``'s coordinates (centred in the button)."""
    size = button.iconSize() if isinstance(button, QToolButton) else QSize(16, 16)
    centre = button.mapTo(bar, button.rect().center())
    return QRect(centre - QPoint(size.width() // 2, size.height() // 2), size)


def _check_player_bar(bar, theme: str) -> None:
    palette = THEMES[theme]
    shot = bar.grab().toImage()
    for button in (bar.play_button, bar.stop_button):  # enabled: a sound card is there
        _assert_reads(_ink(shot, _icon_area(button, bar), palette.color(R.Button)),
                      palette.color(R.Button), theme, button.accessibleName())
    # no queue: Previous and Next are disabled, dimmer but still seen
    for button in (bar.previous_button, bar.next_button):
        assert not button.isEnabled()
        _assert_reads(_ink(shot, _icon_area(button, bar), palette.color(R.Button)),
                      palette.color(R.Button), theme, button.accessibleName(), least=2.0)
    speaker = bar.volume_icon.geometry().adjusted(0, 2, 0, -2)  # on the bar itself
    _assert_reads(_ink(shot, speaker, palette.color(R.Window)), palette.color(R.Window),
                  theme, "volume")


def test_the_player_bar_icons_follow_a_theme_set_while_it_runs(qtbot, fake_streams):
    from musicsage.gui.player import PlayerBar

    window = QWidget()
    qtbot.addWidget(window)
    bar = PlayerBar(window, stream_factory=fake_streams)
    bar.resize(700, 40)
    window.show()
    qtbot.waitExposed(window)
    for theme in ("light", "dark", "light"):  # switched while shown: the icons follow
        window.setPalette(THEMES[theme])
        qtbot.wait(10)
        _check_player_bar(bar, theme)


def test_the_player_bar_icons_follow_the_application_theme(qtbot, fake_streams):
    """A desktop's dark theme is the application's palette (ApplicationPaletteChange)."""
    from musicsage.gui.player import PlayerBar

    app = QApplication.instance()
    before = app.palette()
    window = QWidget()
    qtbot.addWidget(window)
    bar = PlayerBar(window, stream_factory=fake_streams)
    bar.resize(700, 40)
    window.show()
    qtbot.waitExposed(window)
    try:
        app.setPalette(DARK)
        qtbot.wait(10)
        _check_player_bar(bar, "dark")
    finally:
        app.setPalette(before)


def _painted(icon: QIcon, back: QColor, mode=QIcon.Mode.Normal) -> QImage:
    pixmap = QPixmap(24, 24)
    pixmap.fill(back)
    p = QPainter(pixmap)
    icon.paint(p, QRect(0, 0, 24, 24), mode=mode)
    p.end()
    return pixmap.toImage()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_toolbar_glyphs_read_on_the_theme(qtbot, make_window, library, theme):
    """Compute embeddings (a waveform) and Retrain (a graph), on the bar and in the menus."""
    w = make_window(library)
    palette = THEMES[theme]
    w.setPalette(palette)
    qtbot.wait(10)
    acts, back = w.actions_, palette.color(R.Window)
    for action in (acts.embed, acts.retrain):
        image = _painted(action.icon(), back)
        _assert_reads(_ink(image, image.rect(), back), back, theme, action.text())
    w.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # as on a small window
    qtbot.wait(10)
    button = w.toolbar.widgetForAction(acts.retrain)
    assert button is not None and button.isVisible()
    shot = w.toolbar.grab().toImage()
    icon = _icon_area(button, w.toolbar)  # its text (not an icon) is in the tooltip now
    _assert_reads(_ink(shot, icon, back), back, theme, "Retrain on the toolbar")


def test_only_glyphs_take_the_theme_colour(qtbot):
    """A picture in colours (the folder of Add music folder…) reads on any theme: it is left
    as the style draws it; a black glyph is drawn in the text colour."""
    from musicsage.gui.icons import ink_icon, is_glyph

    style = QApplication.instance().style()
    folder = style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon)
    assert not is_glyph(folder.pixmap(32, 32).toImage())
    assert ink_icon(folder, DARK).cacheKey() == folder.cacheKey()
    play = style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
    assert is_glyph(play.pixmap(32, 32).toImage())
    back = DARK.color(R.Button)
    image = _painted(ink_icon(play, DARK), back)
    assert _ink(image, image.rect(), back) == QColor("#ffffff")

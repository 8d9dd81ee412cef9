"""The welcome page of an empty library, on a window made as small as it goes (or 600x450,
a window tiled on a laptop's screen), kept only the first of the card's four lines about
what musicsage does ("which tracks sound alike, and trains a graph model on your playlists
to" cut mid-line, the rest gone): the card's wrapped labels were squeezed below the height
their words need at the card's width. The page now scrolls instead, every line whole."""

from __future__ import annotations

import pytest


def _cut_labels(welcome) -> list[str]:
    """The page's shown wrapped labels given less height than their words need."""
    from PySide6.QtWidgets import QLabel

    return [label.text()[:40] for label in welcome.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.text()
            and label.height() < label.heightForWidth(label.width())]


@pytest.mark.parametrize("size", [(1, 1), (600, 450)])
def test_the_welcome_cards_words_are_whole_on_a_small_window(qtbot, make_window, ctx, size):
    w = make_window(ctx)
    assert w.stack.currentWidget() is w.welcome
    w.resize(*size)
    qtbot.wait(300)
    assert _cut_labels(w.welcome) == []
    # the focused button (Enter presses it) and the title in sight: at the least size the
    # page showed only the logo's top, "Add your music folder…" scrolled away
    assert w.welcome.focusWidget() is w.welcome.add_button
    qtbot.waitUntil(lambda: all(_in_view(w.welcome, widget) for widget in (
        w.welcome.title, w.welcome.add_button, w.welcome.demo_button)), timeout=5000)
    # what is out of sight is reached: the last line scrolls into view (isVisible() was
    # true of a widget scrolled away)
    bar = w.welcome.area.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert _in_view(w.welcome, w.welcome.hint)


def test_the_welcome_card_is_unchanged_on_a_roomy_window(qtbot, make_window, ctx):
    w = make_window(ctx)
    w.resize(1000, 760)
    qtbot.wait(300)
    assert _cut_labels(w.welcome) == []
    card = w.welcome.card
    top_left = card.mapTo(w.welcome, card.rect().topLeft())
    # centred sideways, above the middle as before (a stretch of 1 above, 2 below)
    assert abs((w.welcome.width() - card.width()) / 2 - top_left.x()) <= 2
    assert top_left.y() < w.welcome.height() - card.height() - top_left.y()


def _in_view(welcome, widget) -> bool:
    """Whether ``widget`` lies wholly inside the page's visible part (not scrolled away)."""
    from PySide6.QtCore import QRect

    viewport = welcome.area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    return viewport.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(600, 450), (1, 1)])
def test_a_demo_build_on_a_low_window_shows_its_bar_and_cancel(qtbot, make_window, ctx, size):
    """The page scrolls on a low window: a build that starts (Open demo library) brings its
    stage, bar and Cancel into view, and a build that stopped its words; at the top of the
    page they were below the fold (at the least size, the stage above the page's view)."""
    from musicsage.controllers.demo import STOPPED_STAGE
    from musicsage.progress import Progress

    w = make_window(ctx)
    w.resize(*size)
    qtbot.wait(200)
    w.welcome.show_busy("Composing and rendering music (1/6): rendering tracks")
    qtbot.waitUntil(lambda: _in_view(w.welcome, w.welcome.cancel_button)
                    and _in_view(w.welcome, w.welcome.progress)
                    and _in_view(w.welcome, w.welcome.stage)
                    and _cut_labels(w.welcome) == [])
    w.welcome.area.verticalScrollBar().setValue(0)  # the user scrolled back up
    w.welcome.show_progress(Progress(STOPPED_STAGE, 0, 0, "The demo build stopped: disk full. "
                                     "What it made is kept; Open demo library resumes it."))
    w.welcome.show_idle()
    qtbot.waitUntil(lambda: _in_view(w.welcome, w.welcome.stopped))

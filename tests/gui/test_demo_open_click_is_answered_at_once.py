"""Open demo library on a slow disk: the click is answered at once (the card's button says it
opens, the status line that the demo is read) while a worker reads the demo; a window closed
meanwhile is closed for good, not switched to the demo when the read ends."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from musicsage.context import AppContext
from musicsage.controllers import demo as demo_controller
from musicsage.gui.welcome import WelcomeView

SLOW_DISK_S = 1.0
DEMO_WORDS, READING_WORDS = "Open demo library", "Opening demo library…"


def _slow_look(monkeypatch) -> None:
    """The read takes :data:`SLOW_DISK_S` (a slow disk), run as the real one declares."""
    from musicsage.usecases.demo_look import look_at_demo

    def slow(ctx, options=None):
        time.sleep(SLOW_DISK_S)
        return look_at_demo(ctx, options)

    slow.execution = look_at_demo.execution
    monkeypatch.setattr(demo_controller, "look_at_demo", slow, raising=False)


def test_the_click_is_answered_at_once(qtbot, make_window, library, tmp_path, monkeypatch):
    _slow_look(monkeypatch)
    demo = AppContext.create(tmp_path / "demo")
    w = make_window(library, demo_ctx=lambda: demo)
    started = time.perf_counter()
    w.actions_.demo.trigger()
    assert time.perf_counter() - started < 0.5, "the window's thread waited for the read"
    assert w.status_line.task.text().startswith("Reading the demo library"), \
        w.status_line.task.text()
    w.actions_.demo.trigger()  # again, impatient: nothing more is asked
    qtbot.waitUntil(lambda: not w.app.demo.is_reading, timeout=10_000)


def test_a_window_closed_during_the_read_stays_closed(qtbot, make_window, library, tmp_path,
                                                      monkeypatch):
    _slow_look(monkeypatch)
    demo = AppContext.create(tmp_path / "demo")
    w = make_window(library, demo_ctx=lambda: demo)
    w.actions_.demo.trigger()
    w.close()
    qtbot.wait(int(SLOW_DISK_S * 1000) + 500)
    assert w.app.ctx == library and w.app.demo.task is None, "switched or built after the close"


def test_the_card_s_button_is_off_while_the_demo_is_read(qtbot):
    card = WelcomeView()
    qtbot.addWidget(card)
    card.show_reading(True)
    assert not card.demo_button.isEnabled() and card.demo_button.text() == READING_WORDS
    card.show_reading(False)
    assert card.demo_button.isEnabled() and card.demo_button.text() == DEMO_WORDS
    card.show_reading(True)
    card.show_busy("Building the demo library…")  # what the read found: a build
    card.show_reading(False)
    assert not card.demo_button.isEnabled(), "the build holds the button"

"""While Open demo library reads the demo (seconds on a slow disk), the library's controls are
off as during the build it may start, saying why, and back on once the read has said no build
runs; the welcome card's Add your music folder too. They stayed on: Compute embeddings clicked
then ran beside the build on the demo library, and Add music folder switched home under the
build. (The window test needs window_wiring's
``d.reading.connect(lambda _on: enable_library_actions(w))``.)"""

from __future__ import annotations

import time

from musicsage.context import AppContext
from musicsage.controllers import demo as demo_controller
from musicsage.gui.library_enabling import DEMO_READING_TIP

SLOW_DISK_S = 1.0


def _slow_look(monkeypatch) -> None:
    """The read takes :data:`SLOW_DISK_S` (a slow disk), run as the real one declares."""
    from musicsage.usecases.demo_look import look_at_demo

    def slow(ctx, options=None):
        time.sleep(SLOW_DISK_S)
        return look_at_demo(ctx, options)

    slow.execution = look_at_demo.execution
    monkeypatch.setattr(demo_controller, "look_at_demo", slow)


def test_the_library_s_controls_are_off_while_the_demo_is_read(qtbot, make_window, library,
                                                               tmp_path, monkeypatch):
    _slow_look(monkeypatch)
    demo = AppContext.create(tmp_path / "demo")
    # a demo the read refuses (its music folder holds it): no build follows the read
    w = make_window(library, demo_ctx=lambda: demo, demo_options={"music_dir": str(tmp_path)})
    acts = w.actions_
    controls = {"Add music folder": acts.add_folder, "Rescan": acts.rescan,
                "Compute embeddings": acts.embed, "Retrain": acts.retrain}
    assert all(c.isEnabled() for c in controls.values())
    acts.demo.trigger()
    assert w.app.demo.is_reading
    on = [name for name, c in controls.items() if c.isEnabled()]
    assert on == [], f"on while the demo is read: {on}"
    assert acts.embed.toolTip() == DEMO_READING_TIP
    qtbot.waitUntil(lambda: not w.app.demo.is_reading, timeout=10_000)
    assert w.app.notifications[-1][1].startswith("Cannot open the demo library: ")
    off = [name for name, c in controls.items() if not c.isEnabled()]
    assert off == [], f"still off after the read: {off}"


def test_the_card_s_add_folder_button_is_off_while_the_demo_is_read(qtbot):
    from musicsage.gui.welcome import WelcomeView

    card = WelcomeView()
    qtbot.addWidget(card)
    card.show_reading(True)
    assert not card.add_button.isEnabled(), "music could be added while the demo is read"
    card.show_reading(False)
    assert card.add_button.isEnabled(), "no build came of the read: the button is back"
    card.show_reading(True)
    card.show_busy("Building the demo library…")  # what the read found: a build
    card.show_reading(False)
    assert not card.add_button.isEnabled(), "the build holds the button"

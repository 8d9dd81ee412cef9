"""While Open demo library reads the demo, the library's greyed controls say the demo library
is being read, not built: no build runs yet, and "being built … or cancel the build" sent the
user to look for a build's progress and its Cancel. Once a build follows the read, they say the
build."""

from __future__ import annotations

import time

from musicsage.context import AppContext
from musicsage.controllers import demo as demo_controller
from musicsage.gui.library_enabling import DEMO_BUILDING_TIP

SLOW_DISK_S = 1.0


def _slow_look(monkeypatch) -> None:
    """The read takes :data:`SLOW_DISK_S` (a slow disk), run as the real one declares."""
    from musicsage.usecases.demo_look import look_at_demo

    def slow(ctx, options=None):
        time.sleep(SLOW_DISK_S)
        return look_at_demo(ctx, options)

    slow.execution = look_at_demo.execution
    monkeypatch.setattr(demo_controller, "look_at_demo", slow)


def test_the_greyed_controls_say_the_demo_is_being_read(qtbot, make_window, library, tmp_path,
                                                        monkeypatch):
    _slow_look(monkeypatch)
    demo = AppContext.create(tmp_path / "demo")
    # a demo the read refuses (its music folder holds it): no build follows the read
    w = make_window(library, demo_ctx=lambda: demo, demo_options={"music_dir": str(tmp_path)})
    acts = w.actions_
    acts.demo.trigger()
    assert w.app.demo.is_reading
    for control in (acts.add_folder, acts.rescan, acts.embed, acts.retrain):
        assert not control.isEnabled()
        tip = control.toolTip()
        assert tip.startswith("The demo library is being read"), (control.text(), tip)
        assert "built" not in tip and "cancel the read" in tip
        assert control.statusTip() == tip, control.text()
    qtbot.waitUntil(lambda: not w.app.demo.is_reading, timeout=10_000)
    assert acts.embed.isEnabled() and acts.embed.toolTip() != DEMO_BUILDING_TIP
    assert "being read" not in acts.embed.toolTip()

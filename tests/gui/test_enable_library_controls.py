"""The library's controls follow the state of the library shown, whatever changed it.

- Switching library (Back to my library, the demo opened) read the new one with every
  control on — Rescan, Compute embeddings, Retrain, Add music folder… — while a drop was
  refused at the same moment: only the first read greyed them.
- During a demo build the greyed controls showed their own tooltips (no reason), and with
  nothing read yet the map's controls said "add a music folder first" while Add music folder
  was greyed too.
- Back to my library during a demo build cancelled the build behind the status line's back:
  it said "Composing…" until the build stopped.
- A reason shown on a player bar's button was lost when its own tooltip changed meanwhile.
"""

from __future__ import annotations

import pytest

from gui_support import settle, slow_demo_build
from musicsage.context import AppContext
from musicsage.gui.library_enabling import (DEMO_BUILDING_TIP, EMPTY_LIBRARY_TIP,
                                            library_control_states)
from musicsage.gui.opening_page import OPENING_TIP
from musicsage.gui.tips import set_own_tip

NO_DEVICE = "playback disabled: no audio output device found (Error querying device -1)"


def _controls(w) -> list:
    acts = w.actions_
    return [*acts.need_a_library, *acts.need_a_readable_library, w.neighbours.retrain_button]


def _name(control) -> str:
    return control.text() if hasattr(control, "text") else control.accessibleName()


def _on(w) -> list[str]:
    return [_name(c) for c in _controls(w) if c.isEnabled()]


@pytest.fixture
def building(monkeypatch, make_window, mapped_library, tmp_path, qtbot):
    """A window on the user's library whose demo (a library of its own) is being built by a
    stand-in build that records nothing until cancelled."""
    import musicsage.controllers.demo as demo

    monkeypatch.setattr(demo, "build_demo", slow_demo_build)
    demo_ctx = AppContext.create(tmp_path / "demo")
    w = make_window(mapped_library, demo_ctx=lambda: demo_ctx)
    own = {c: c.toolTip() for c in _controls(w)}
    w.actions_.demo.trigger()
    qtbot.waitUntil(lambda: w.status_line.task.text().startswith("Composing"), timeout=10_000)
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
    return w, own


def test_every_library_control_has_a_state(qtbot, make_window, library):
    w = make_window(library)
    assert set(library_control_states(w)) == set(_controls(w))
    assert all(on for on, _why in library_control_states(w).values())


def test_during_a_demo_build_greyed_controls_say_why(qtbot, building):
    w, own = building
    acts = w.actions_
    assert w.app.library.snapshot.empty  # the stand-in build recorded nothing
    assert _on(w) == [], "on while the demo is being built"
    for control in _controls(w):
        assert control.toolTip() == DEMO_BUILDING_TIP, _name(control)

    w.app.tasks.cancel()  # the build stops: an empty demo library, music can be added
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=10_000)
    settle(qtbot, w)
    assert acts.add_folder.isEnabled() and acts.import_playlists.isEnabled()
    assert acts.add_folder.toolTip() == own[acts.add_folder]
    assert not acts.rescan.isEnabled() and acts.rescan.toolTip() == EMPTY_LIBRARY_TIP


def test_back_to_my_library_reads_it_with_the_controls_off(qtbot, building, held_read):
    w, own = building  # (held_read after it: the first read of the window is not held)
    cancelling = []
    w.app.tasks.cancelling.connect(cancelling.append)
    go = held_read
    build = w.app.demo.task
    w.actions_.home.trigger()
    # the one Cancel path: the status line says so at once, as for any Cancel
    assert cancelling == [build] and w.status_line.task.text() == "Cancelling…"
    try:
        qtbot.waitUntil(lambda: w.app.demo.task is None and w.workers.busy, timeout=10_000)
        assert w.app.ctx.data_dir == w.app.home_ctx.data_dir
        assert w.app.library.snapshot is None  # being read, held
        assert w.stack.currentWidget() is w.opening, "not the welcome page, its button on"
        assert _on(w) == [], "on while the library switched to is read"
        assert all(c.toolTip() == OPENING_TIP for c in _controls(w))
        assert not w.app.library.add_dropped([str(w.app.home_ctx.data_dir)])
    finally:
        go.set()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
    settle(qtbot, w)
    assert sorted(_on(w)) == sorted(_name(c) for c in _controls(w))
    assert {c: c.toolTip() for c in _controls(w) if c is not w.actions_.embed} == {
        c: tip for c, tip in own.items() if c is not w.actions_.embed}


def test_a_reason_on_the_player_bar_outlives_a_new_own_tip(qtbot, fake_streams):
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.set_availability(NO_DEVICE)
    why = bar.play_button.toolTip()
    assert "no audio output device found" in why
    set_own_tip(bar.play_button, "Play / pause (Space or the media key)")
    assert bar.play_button.toolTip() == why, "the reason it is off went"
    bar.set_can_start(True)  # a track to play
    bar.set_availability(None)
    assert bar.play_button.toolTip() == "Play / pause (Space or the media key)"
    bar.shutdown()

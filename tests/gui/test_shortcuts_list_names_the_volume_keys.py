"""Help ▸ Keyboard shortcuts names the volume slider's keys, and they do what it says: the
list gave the position slider's keys but not the volume's, the one other slider of the bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.gui.shortcuts_dialog import show_shortcuts

K = Qt.Key


def test_the_volume_keys_are_listed_and_do_what_the_list_says(qtbot, make_window, mapped_library,
                                                               fake_streams):
    w = make_window(mapped_library, stream_factory=fake_streams)
    rows = {keys: what for group, keys, what in show_shortcuts(w).rows()
            if group == "On the volume slider"}
    assert rows == {"Left, Right": "1 % quieter / louder", "PgDown, PgUp": "10 % quieter / louder",
                    "Home, End": "Silent / full volume"}
    w.activateWindow()
    volume = w.player.volume
    volume.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is volume)
    volume.setValue(50)
    for key, expected in ((K.Key_Right, 51), (K.Key_Left, 50), (K.Key_PageUp, 60),
                          (K.Key_PageDown, 50), (K.Key_End, 100), (K.Key_Home, 0)):
        qtbot.keyClick(volume, key)
        assert volume.value() == expected, key
        assert w.player.engine.volume == expected / 100

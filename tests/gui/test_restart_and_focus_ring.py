"""A restart keeps the selected track, the chosen playlist and the lists' tab (it forgot them:
the user started over from an empty Neighbours tab); a focused tool button is ringed in the
palette's highlight colour (the style's faint tint was all that showed Tab reached ⏮ ▶ ⏭ ■ or
the toolbar)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from musicsage.gui.focus_ring import FocusRing, ring_colour
from musicsage.gui.neighbours import contrast
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

R = QPalette.ColorRole


def test_a_restart_selects_the_track_again_and_opens_the_same_tab(qtbot, make_window,
                                                                   library, fake_streams):
    tid = list_tracks(library)[6].id
    w = make_window(library)
    w.actions_.play_on_select.setChecked(False)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    playlists = w.library.playlists
    playlists.setCurrentItem(playlists.item(playlists.count() - 1))
    pid = w.library.current_playlist()
    w.show_training_dock()  # open, but nothing to show in it: no model yet
    w.right.setCurrentIndex(_tab(w, "Queue"))
    w.close()
    w2 = make_window(library, wait=False, stream_factory=fake_streams)
    assert w2.right.tabText(w2.right.currentIndex()) == "Queue"
    qtbot.waitUntil(lambda: w2.app.selection.selected == tid, timeout=30_000)
    qtbot.waitUntil(lambda: bool(w2.neighbours.audio_list.track_ids()), timeout=30_000)
    assert w2.map.selected == tid
    assert w2.player.engine.state in ("empty", "stopped"), "selected, not played"
    assert w2.library.current_playlist() == pid, "the playlist chosen again"
    assert w2.app.suggestions.playlist_id == pid and len(w2.map.highlighted)
    assert w2.right.tabText(w2.right.currentIndex()) == "Queue", "the selection kept the tab"
    assert not w2.training.isVisible(), "no model: the dock would say only 'press Retrain'"


def _tab(w, title: str) -> int:
    return next(i for i in range(w.right.count()) if w.right.tabText(i) == title)


def test_a_screenshot_run_does_not_restore_the_users_last_track(qtbot, make_window, library):
    """A ``--screenshot`` run (settings not persisted) shows the library as given, not the
    track the user last had: the picture depended on the user's session (review)."""
    tid = list_tracks(library)[6].id
    w = make_window(library)
    w.actions_.play_on_select.setChecked(False)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    w.library.playlists.setCurrentItem(w.library.playlists.item(0))
    w.close()
    w2 = make_window(library, wait=False, persist_settings=False)  # as --screenshot makes it
    with qtbot.waitSignal(w2.snapshot_loaded, timeout=30_000):
        pass
    qtbot.wait(200)
    assert w2.app.selection.selected is None and w2.library.current_playlist() is None


def _settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_a_track_gone_since_or_of_another_library_is_not_selected(qtbot, make_window, library,
                                                                  tmp_path):
    s = _settings(tmp_path)
    for track, where in ((987654, library.data_dir), (list_tracks(library)[1].id, tmp_path),
                         ("not a number", library.data_dir)):
        s.setValue("session/track", track)
        s.setValue("session/library", str(where))
        s.setValue("view/tab", "no such tab")
        s.sync()
        notes = []
        w = make_window(library, wait=False)
        w.app.notified.connect(lambda level, text, *_: notes.append((level, text)))
        qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
        assert w.app.selection.selected is None and w.map.selected is None
        assert w.right.currentIndex() == 0
        assert not [n for n in notes if n[0] in ("warning", "error")], notes
        w.persist_settings = False
        w.close()
    assert _settings(tmp_path).value("session/track") == "not a number", "not saved over"


def test_a_restart_with_nothing_selected_selects_nothing(qtbot, make_window, library,
                                                          tmp_path):
    w = make_window(library)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(library)[3].id, play=False)
    w.app.selection.clear()
    w.close()
    assert _settings(tmp_path).value("session/track") is None


def _focus(qtbot, widget, reason=Qt.FocusReason.TabFocusReason) -> None:
    widget.setFocus(reason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _ring(button) -> FocusRing:
    return next(c for c in button.children() if isinstance(c, FocusRing))


def test_a_focused_toolbar_or_player_button_is_ringed_in_the_highlight_colour(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.player.set_can_start(True)  # a track to play (none selected: Play is off)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    embed = next(b for b in w.focus_rings if b.parentWidget().defaultAction() is
                 w.actions_.embed).parentWidget()
    for button in (embed, w.player.previous_button, w.player.play_button,
                   w.player.next_button, w.player.stop_button):
        if not button.isEnabled():
            continue
        _focus(qtbot, button)
        ring = _ring(button)
        assert ring.isVisible() and ring.geometry() == button.rect(), button.accessibleName()
        shot = button.grab().toImage()
        edge = shot.pixelColor(1, shot.height() // 2)
        colour = ring_colour(button.palette())
        assert abs(edge.red() - colour.red()) + abs(edge.blue() - colour.blue()) < 60, (
            edge.name(), colour.name())
    _focus(qtbot, w.neighbours.graph_list)
    assert not _ring(w.player.play_button).isVisible(), "gone with the focus"
    _focus(qtbot, w.player.play_button, Qt.FocusReason.MouseFocusReason)
    assert not _ring(w.player.play_button).isVisible(), "not after a click"


def test_the_ring_stands_out_on_light_and_dark_themes():
    for window, button, highlight, text in (
            ("#efefef", "#efefef", "#308cc6", "#000000"),  # Fusion's light theme
            ("#202020", "#2d2d2d", "#3daee9", "#ffffff"),  # a dark theme (Breeze's blue)
            ("#202020", "#2d2d2d", "#2a2f3a", "#ffffff")):  # a dark highlight on dark
        palette = QPalette()
        for role, colour in ((R.Window, window), (R.Button, button), (R.Highlight, highlight),
                             (R.ButtonText, text)):
            palette.setColor(role, QColor(colour))
        ring = ring_colour(palette)
        assert contrast(ring, QColor(button)) >= 3.0, (ring.name(), button)
        hue = QColor(highlight).hslHue()
        assert ring.hslHue() == hue or ring.hslSaturation() < 60, "the highlight's hue"
    assert ring_colour(QPalette(QColor("#efefef"))).name() != "#000000"

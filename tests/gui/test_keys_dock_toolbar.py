"""Esc in the training dock is the dock's (it cancelled the window's current task, a scan the
dock did not show): it cancels the run the dock shows, else gives the focus back; and Tab
reaches every toolbar button (Add music folder, Import playlists, Rescan, Retrain and Fit
took no focus), ringed when the keyboard brought the focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QToolButton

from musicsage.gui.focus_ring import FocusRing
from musicsage.gui.training_dock import TrainingDock

K = Qt.Key


class FakeTask:
    """A long task that runs until cancelled (what the window's controllers hold)."""

    def __init__(self, name: str = "Scanning") -> None:
        self.name, self.running, self.cancelled = name, True, 0

    def cancel(self) -> None:
        self.cancelled += 1

    def on_progress(self, _fn) -> "FakeTask":
        return self

    def on_finished(self, _fn) -> "FakeTask":
        return self


def _focus(qtbot, widget, reason=Qt.FocusReason.TabFocusReason) -> None:
    widget.setFocus(reason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _dock_in_a_window(qtbot):
    host = QMainWindow()
    qtbot.addWidget(host)
    field = QLineEdit(host)
    host.setCentralWidget(field)
    dock = TrainingDock(host)
    host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    host.show()
    _active(qtbot, host)
    asked: list[int] = []
    dock.panel.cancel_requested.connect(lambda: asked.append(1))
    return host, field, dock, asked


def test_esc_in_the_dock_cancels_its_run_and_between_runs_gives_the_focus_back(qtbot):
    host, field, dock, asked = _dock_in_a_window(qtbot)
    table = dock.panel.table
    _focus(qtbot, field)
    _focus(qtbot, table)
    qtbot.keyClick(table, K.Key_Escape)
    assert asked == [] and QApplication.focusWidget() is field, "no run: back where it was"
    dock.panel.start()
    _focus(qtbot, table)
    qtbot.keyClick(table, K.Key_Escape)
    assert asked == [1] and QApplication.focusWidget() is table, "a run: its Cancel"
    dock.panel.finish("cancelled")
    field.hide()  # gone since: the window's first Tab stop instead (none here but the dock's)
    qtbot.keyClick(table, K.Key_Escape)
    assert asked == [1] and QApplication.focusWidget() is table
    field.show()
    dock.setFloating(True)  # a window of its own: Esc brings the main window back
    _active(qtbot, dock)
    _focus(qtbot, table)
    qtbot.keyClick(table, K.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    assert QApplication.activeWindow() is host and asked == [1]


def test_esc_in_the_window_dock_cancels_no_scan_and_tab_reaches_the_toolbar(
        qtbot, make_window, mapped_library):
    w = make_window(mapped_library)
    _active(qtbot, w)
    scan = FakeTask()
    w.app.tasks.track(scan, "Scanning")  # the status line's current task; its Cancel is on
    assert w.actions_.cancel.isEnabled()
    w.show_training_dock()
    table, panel = w.training.panel.table, w.training.panel
    _focus(qtbot, w.map.plot)
    _focus(qtbot, table)
    qtbot.keyClick(table, K.Key_Escape)
    assert scan.cancelled == 0, "the dock showed no scan: Esc there cancelled it"
    assert QApplication.focusWidget() is w.map.plot
    training = w.app.training.task = FakeTask("Training")  # the window's Retrain runs
    panel.start()
    _focus(qtbot, table)
    qtbot.keyClick(table, K.Key_Escape)
    assert (training.cancelled, scan.cancelled) == (1, 0)
    assert panel.status.text() == "Cancelling…"
    w.app.training.task = None
    build = w.app.demo.task = FakeTask("Building the demo library")  # its training shown
    qtbot.keyClick(table, K.Key_Escape)
    assert (build.cancelled, scan.cancelled) == (1, 0), "the demo's: the Cancel did nothing"
    w.app.demo.task = None
    qtbot.keyClick(table, K.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert scan.cancelled == 1, "Ctrl+. cancels the current task from the dock still"
    panel.finish("cancelled")

    tb, acts = w.toolbar, w.actions_
    buttons = [tb.widgetForAction(a) for a in (acts.add_folder, acts.import_playlists,
                                               acts.rescan, acts.retrain, acts.fit)]
    embed = next(b for b in tb.findChildren(QToolButton) if b.defaultAction() is acts.embed)
    stops = buttons[:3] + [embed, buttons[3], w.space_combo, w.colour_combo, buttons[4]]
    assert all(b.isEnabled() for b in stops)
    _focus(qtbot, w.library.playlists)
    went = []
    for _ in stops + [w.map.plot]:
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Tab)
        went.append(QApplication.focusWidget())
    assert went == stops + [w.map.plot], "as the bar shows them, then the map"
    for back in reversed(stops[-3:]):  # Shift+Tab goes back out: no trap
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Backtab)
        assert QApplication.focusWidget() is back
    rescan = buttons[2]
    ring = next(c for c in rescan.children() if isinstance(c, FocusRing))
    assert ring in w.focus_rings
    _focus(qtbot, rescan)
    assert ring.isVisible() and ring.geometry() == rescan.rect()
    _focus(qtbot, w.map.plot)
    qtbot.mouseClick(buttons[4], Qt.MouseButton.LeftButton)  # Fit: a click keeps the focus
    assert QApplication.focusWidget() is w.map.plot and not ring.isVisible()

"""The window's size is kept when the screen it was saved on had another size.

Qt 6's ``restoreGeometry`` refuses the saved bytes when the screen's width differs by more
than a quarter from the one they were saved on (a laptop closed on its monitor, a new
monitor): the window opened at its first size, the size the user left forgotten. Now the
saved size is read from the bytes, and fitted to the screen there is now.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QRect, QSettings

from musicsage.gui.window_size import FRAME_ALLOWANCE, GEOMETRY_MAGIC, saved_normal_geometry


def _saved_geometry(normal: QRect, *, screen_width: int, maximized: bool = False) -> QByteArray:
    """``QWidget.saveGeometry``'s bytes (format 3.0) for a window ``normal`` on a screen
    ``screen_width`` wide."""
    data = QByteArray()
    out = QDataStream(data, QIODevice.OpenModeFlag.WriteOnly)
    out.writeUInt32(GEOMETRY_MAGIC)
    out.writeUInt16(3)
    out.writeUInt16(0)
    out << normal.adjusted(-2, -30, 2, 2)  # the frame
    out << normal
    out.writeInt32(0)
    out.writeUInt8(1 if maximized else 0)
    out.writeUInt8(0)
    out.writeInt32(screen_width)
    out << normal
    return data


def _window(qtbot, ctx, settings_file: str):
    from musicsage.gui.main_window import MainWindow

    w = MainWindow(ctx, settings=QSettings(settings_file, QSettings.Format.IniFormat),
                   probe_audio=False, show_dialogs=False)
    qtbot.addWidget(w)
    return w


def _saved_with(tmp_path, geometry: QByteArray) -> str:
    path = str(tmp_path / "settings.ini")
    s = QSettings(path, QSettings.Format.IniFormat)
    s.setValue("window/geometry", geometry)
    s.sync()
    return path


def test_the_size_saved_on_a_much_wider_screen_is_kept(qtbot, ctx, tmp_path):
    saved = QRect(40, 60, 620, 480)
    path = _saved_with(tmp_path, _saved_geometry(saved, screen_width=2560))
    probe = _window(qtbot, ctx, str(tmp_path / "other.ini"))
    assert not probe.restoreGeometry(_saved_geometry(saved, screen_width=2560))  # Qt refuses
    w = _window(qtbot, ctx, path)
    assert w.geometry().size().toTuple() == (620, 480)


def test_a_size_larger_than_the_screen_now_is_clamped_to_it(qtbot, ctx, tmp_path):
    path = _saved_with(tmp_path, _saved_geometry(QRect(0, 0, 2400, 1500), screen_width=2560))
    w = _window(qtbot, ctx, path)
    room = w.screen().availableGeometry()
    assert w.geometry().size().toTuple() == (room.width() - FRAME_ALLOWANCE.width(),
                                             room.height() - FRAME_ALLOWANCE.height())
    assert room.contains(w.geometry())


def test_bytes_that_are_no_saved_geometry_give_the_first_size(qtbot, ctx, tmp_path):
    from musicsage.gui.window_size import first_window_rect

    assert saved_normal_geometry(QByteArray(b"not a geometry at all")) is None
    assert saved_normal_geometry(QByteArray(b"\x01\xd9\xd0\xcb\x00\x03")) is None  # cut short
    path = _saved_with(tmp_path, QByteArray(b"\x01\xd9\xd0\xcb\x00\x03\x00\x00"))
    w = _window(qtbot, ctx, path)
    assert w.geometry() == first_window_rect(w.screen().availableGeometry())


def test_a_maximized_window_saved_on_another_screen_opens_maximized(qtbot, ctx, tmp_path):
    path = _saved_with(tmp_path, _saved_geometry(QRect(30, 40, 600, 450), screen_width=3840,
                                                 maximized=True))
    w = _window(qtbot, ctx, path)
    assert w.isMaximized()

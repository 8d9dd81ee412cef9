"""Saved window bytes cut short anywhere give the first window's size, never a sliver.

``QWidget.saveGeometry`` writes 66 bytes (format 3). Bytes cut after the maximized byte (a
settings file truncated by a full disk or a crash) were read as a whole record, Qt's
``restoreGeometry`` said it restored them, and the window opened 1×1, 0×0 or 798×0: a window
the user could not see or grab.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QMainWindow

from musicsage.gui.window_settings import restore_geometry
from musicsage.gui.window_size import first_window_rect, fitted, saved_normal_geometry


def _real_saved_bytes(qtbot):
    """What Qt itself saves for a 900×700 window."""
    saved = QMainWindow()
    qtbot.addWidget(saved)
    saved.setGeometry(QRect(100, 100, 900, 700))
    data = saved.saveGeometry()
    assert data.size() == 66
    return data


def test_no_cut_of_the_saved_bytes_is_read_as_a_geometry(qtbot):
    data = _real_saved_bytes(qtbot)
    assert saved_normal_geometry(data) == (QRect(100, 100, 900, 700), False)
    read = {cut: saved_normal_geometry(data.left(cut)) for cut in range(66)}
    assert {cut: got for cut, got in read.items() if got is not None} == {}


def test_the_window_opens_at_its_first_size_for_bytes_cut_after_the_maximized_byte(
        qtbot, ctx, tmp_path):
    from musicsage.gui.main_window import MainWindow

    data = _real_saved_bytes(qtbot)
    w = MainWindow(ctx, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   probe_audio=False, show_dialogs=False)
    qtbot.addWidget(w)
    first = first_window_rect(w.screen().availableGeometry())
    opened = {}
    for cut in (46, 47, 54, 58, 62, 65):
        restore_geometry(w, data.left(cut))
        opened[cut] = w.geometry()
    assert opened == {cut: first for cut in opened}


def test_a_whole_record_qt_restores_as_a_sliver_gives_its_sound_normal_rect(qtbot, ctx,
                                                                              tmp_path):
    """A record whole in form whose last rect (the one Qt 6 restores) is garbled, its normal
    rect sound: the size the user left, not the first size."""
    from PySide6.QtCore import QByteArray, QDataStream, QIODevice

    from musicsage.gui.main_window import MainWindow
    from musicsage.gui.window_size import GEOMETRY_MAGIC

    w = MainWindow(ctx, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   probe_audio=False, show_dialogs=False)
    qtbot.addWidget(w)
    data = QByteArray()
    out = QDataStream(data, QIODevice.OpenModeFlag.WriteOnly)
    out.writeUInt32(GEOMETRY_MAGIC)
    out.writeUInt16(3)
    out.writeUInt16(0)
    out << QRect(98, 70, 904, 732)
    out << QRect(100, 100, 900, 700)
    out.writeInt32(0)
    out.writeUInt8(0)
    out.writeUInt8(0)
    out.writeInt32(w.screen().geometry().width())  # the same screen: Qt takes the bytes
    out << QRect(100, 100, 700, 0)
    restore_geometry(w, data)
    assert w.geometry() == fitted(QRect(100, 100, 900, 700), w.screen().availableGeometry())
    assert w.geometry().size() != first_window_rect(w.screen().availableGeometry()).size()

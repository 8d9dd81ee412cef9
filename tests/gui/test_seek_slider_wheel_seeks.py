"""The mouse wheel over the position slider seeks, as its keys do: it moved the handle and the
bar's next poll put it back where the track was, so the wheel seemed to do nothing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from gui_support import write_tone
from musicsage.gui.player import PlayerBar

NOTCH = 120  # one step of a mouse wheel, in eighths of a degree


def _wheel(widget, notches: int) -> None:
    at = QPointF(widget.width() / 2, widget.height() / 2)
    QApplication.sendEvent(widget, QWheelEvent(
        at, widget.mapToGlobal(at), QPoint(0, 0), QPoint(0, notches * NOTCH),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False))


def test_the_wheel_over_the_position_slider_moves_the_track(qtbot, tmp_path, fake_streams):
    path = tmp_path / "long.wav"
    write_tone(path, seconds=120.0, sr=8000, channels=1)
    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.resize(900, 40)
    bar.show()
    bar.play_track(1, str(path), "Long")
    qtbot.waitUntil(lambda: bar.slider.maximum() > 100_000)  # the bar's poll knows the length
    bar.pause()
    _wheel(bar.slider, 1)  # up: on in the track
    qtbot.wait(3 * 40)  # a few of the bar's polls: they put an unsought handle back
    on = bar.engine.position_seconds
    assert on > 0, "the track moved on"
    assert bar.slider.value() == round(on * 1000)
    _wheel(bar.slider, -1)  # down: back
    qtbot.wait(3 * 40)
    assert bar.engine.position_seconds < on
    bar.shutdown()

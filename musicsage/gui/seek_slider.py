"""The player bar's position slider (:class:`SeekSlider`): a click jumps where it lands, and
the keys and the wheel seek as a drag does. Its own module, out of :mod:`musicsage.gui.player`
(which re-exports it), so that the bar kept room under the project's size limit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

SEEK_STEP_SECONDS = 5
"""How far an arrow key moves in the track (Page Up / Page Down: :data:`SEEK_PAGE_SECONDS`)."""
SEEK_PAGE_SECONDS = 30


class SeekSlider(QSlider):
    """A slider that jumps to where it is clicked (not page steps) and reports user seeks:
    a click, a drag once released, the keys (arrows, Page Up / Down, Home, End) and the
    mouse wheel — the keys and the wheel moved the handle without seeking, and the bar's
    next poll put it back.

    Its unit is the millisecond, not the frame: a QSlider holds a C int, which a track of
    2**31 frames overflows (13.5 h at 44.1 kHz, 3.1 h at 192 kHz); milliseconds last 24 days."""

    seek_requested = Signal(int)  # milliseconds into the track

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, 0)
        self.setAccessibleName("Position in track")
        self.setToolTip(f"Position in the track: ←/→ {SEEK_STEP_SECONDS} s, "
                        f"Page Down/Up {SEEK_PAGE_SECONDS} s, Home/End")
        self.setSingleStep(SEEK_STEP_SECONDS * 1000)
        self.setPageStep(SEEK_PAGE_SECONDS * 1000)
        self.sliderReleased.connect(lambda: self.seek_requested.emit(self.value()))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        before = self.value()
        super().keyPressEvent(event)  # QSlider's keys: the steps set above
        self._seek_if_moved(before)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        before = self.value()
        super().wheelEvent(event)  # a notch: the platform's lines (3) of the arrow's step
        self._seek_if_moved(before)

    def _seek_if_moved(self, before: int) -> None:
        """Seek where QSlider's own handling (a key, the wheel) moved the handle to."""
        if self.value() != before:
            self.seek_requested.emit(self.value())

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > 0:
            opt = QStyleOptionSlider()
            self.initStyleOption(opt)
            handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                                 QStyle.SubControl.SC_SliderHandle, self)
            if not handle.contains(event.position().toPoint()):
                value = QStyle.sliderValueFromPosition(
                    self.minimum(), self.maximum(), int(event.position().x()) - handle.width() // 2,
                    max(1, self.width() - handle.width()))
                self.setValue(value)
                self.seek_requested.emit(value)
                event.accept()
                return
        super().mousePressEvent(event)

"""The player bar: play/pause (Space), stop, seek slider, position/duration, volume.

All audio work is in :class:`musicsage.playback.PlaybackEngine` (Qt-free: decoding thread +
sound-card callback). This widget only drives it and polls its position with a timer, so the
GUI never waits on audio. When sound cannot be played (no PortAudio, no output device) the bar
is disabled and says why in its tooltip; the rest of the app does not care.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QSizePolicy, QSlider, QStyle, QStyleOptionSlider,
                               QToolButton, QWidget)

from musicsage.gui.plain import plain_tooltip
from musicsage.playback import PlaybackEngine, StreamFactory

POLL_MS = 40


def format_time(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class SeekSlider(QSlider):
    """A slider that jumps to where it is clicked (not page steps) and reports user seeks."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, 0)
        self.sliderReleased.connect(lambda: self.seek_requested.emit(self.value()))

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


class PlayerBar(QWidget):
    """Drives one :class:`PlaybackEngine`; the window calls :meth:`play_track`."""

    state_changed = Signal(str)
    error = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 stream_factory: StreamFactory | None = None) -> None:
        super().__init__(parent)
        self.engine = PlaybackEngine(stream_factory=stream_factory)
        self.available = stream_factory is not None
        self.unavailable_reason = "" if self.available else "checking the audio output…"
        self.track_id: int | None = None
        self._last_state = self.engine.state

        style = self.style()
        self.play_button = QToolButton(self)
        self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.clicked.connect(self.toggle)
        self.stop_button = QToolButton(self)
        self.stop_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.stop_button.setToolTip("Stop")
        self.stop_button.clicked.connect(self.stop)
        self.title_label = QLabel("Nothing playing", self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)  # a track's title is text
        self.title_label.setMinimumWidth(160)
        self.title_label.setMaximumWidth(360)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.position_label = QLabel("0:00", self)
        self.slider = SeekSlider(self)
        self.slider.seek_requested.connect(self.seek_frames)
        self.duration_label = QLabel("0:00", self)
        self.volume_icon = QLabel(self)
        self.volume_icon.setPixmap(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume).pixmap(16, 16))
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setFixedWidth(90)
        self.volume.setToolTip("Volume")
        self.volume.valueChanged.connect(lambda v: setattr(self.engine, "volume", v / 100))
        self.engine.volume = 0.8

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.play_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.title_label)
        row.addWidget(self.position_label)
        row.addWidget(self.slider, 1)
        row.addWidget(self.duration_label)
        row.addWidget(self.volume_icon)
        row.addWidget(self.volume)

        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        if not self.available:
            self._set_enabled(False, self.unavailable_reason)

    # -- availability ---------------------------------------------------------------------
    def set_availability(self, reason: str | None) -> None:
        """None: sound works. Otherwise disable the bar with ``reason`` as its tooltip."""
        self.available = reason is None
        self.unavailable_reason = reason or ""
        self._set_enabled(self.available, reason or "")

    def _set_enabled(self, enabled: bool, reason: str) -> None:
        for w in (self.play_button, self.stop_button, self.slider, self.volume):
            w.setEnabled(enabled)
        self.setToolTip("" if enabled else reason)
        if not enabled:
            self.title_label.setText("Playback unavailable")
            self.title_label.setToolTip(reason)

    # -- control --------------------------------------------------------------------------
    def play_track(self, track_id: int, path: str, title: str = "", artist: str = "") -> None:
        if not self.available:
            return
        self.track_id = track_id
        text = f"{title} — {artist}" if artist else (title or path)
        self.title_label.setText(self.title_label.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, self.title_label.maximumWidth()))
        self.title_label.setToolTip(plain_tooltip(f"{text}\n{path}"))
        self.engine.load(path, autoplay=True)
        self._poll()

    def toggle(self) -> None:
        if self.available:
            self.engine.toggle()
            self._poll()

    def stop(self) -> None:
        self.engine.stop()
        self._poll()

    def seek_frames(self, frame: int) -> None:
        self.engine.seek(frame)
        self._poll()

    def seek_seconds(self, seconds: float) -> None:
        self.engine.seek_seconds(seconds)
        self._poll()

    def shutdown(self) -> None:
        self._timer.stop()
        self.engine.close()

    # -- polling ---------------------------------------------------------------------------
    def _poll(self) -> None:
        eng = self.engine
        state = eng.state
        if state != self._last_state:
            self._last_state = state
            icon = (QStyle.StandardPixmap.SP_MediaPause if state in ("playing", "loading")
                    else QStyle.StandardPixmap.SP_MediaPlay)
            self.play_button.setIcon(self.style().standardIcon(icon))
            if state == "error":
                self.error.emit(eng.error)
            self.state_changed.emit(state)
        duration = eng.duration
        if self.slider.maximum() != duration:
            with QSignalBlocker(self.slider):
                self.slider.setMaximum(duration)
        if not self.slider.isSliderDown() and self.slider.value() != eng.position:
            with QSignalBlocker(self.slider):
                self.slider.setValue(eng.position)
        # set only on change: this runs 25 times a second
        for label, text in ((self.position_label, format_time(eng.position_seconds)),
                            (self.duration_label, format_time(eng.duration_seconds))):
            if label.text() != text:
                label.setText(text)

"""The player bar: previous, play/pause (Space), next, stop, seek slider, position/duration,
volume.

All audio work is in :class:`musicsage.playback.PlaybackEngine` (Qt-free: decoding thread +
sound-card callback). This widget only drives it and polls its position with a timer, so the
GUI never waits on audio. When sound cannot be played (no PortAudio, no output device) the bar
is disabled and says why in its tooltip; play/pause (Space, the media key) is then reported
(``play_refused``) for the window to say why nothing plays.

Its icons are the style's, inked in the theme's text colour (:mod:`musicsage.gui.icons`): drawn
black, they were nearly invisible on a dark theme.

Previous and Next (Ctrl+Left / Ctrl+Right, and the keyboard's media keys) step through the play
queue: the bar only asks; the queue decides what they play and when they are enabled. Alt+Left /
Alt+Right seek 5 s from anywhere in the window (the slider's arrows only where it has the
focus); the window's Playback menu lists these actions with their keys. A focused button is
ringed (:mod:`musicsage.gui.focus_ring`).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QSizePolicy, QSlider, QStyle, QToolButton,
                               QWidget)

from musicsage.controllers.now_playing import now_playing
from musicsage.controllers.queue import RESTART_AFTER_SECONDS
from musicsage.controllers.wording import no_sound_notice
from musicsage.gui.focus_ring import ring_focus
from musicsage.gui.heading_label import ElidedLine
from musicsage.gui.icons import PaletteIcons
from musicsage.gui.plain import plain_tooltip
from musicsage.gui.seek_slider import SEEK_PAGE_SECONDS, SEEK_STEP_SECONDS, SeekSlider
from musicsage.gui.tips import tip_unless
from musicsage.playback import PlaybackEngine, StreamFactory
from musicsage.text import format_length, format_time, printable, sentence

POLL_MS = 40
VOLUME_STEPS = (1, 10)
"""The volume slider's arrow and page steps, in percent (Help ▸ Keyboard shortcuts says them)."""
PREVIOUS_KEYS = ("Ctrl+Left", Qt.Key.Key_MediaPrevious)
NEXT_KEYS = ("Ctrl+Right", Qt.Key.Key_MediaNext)
PLAY_PAUSE_KEYS = (Qt.Key.Key_MediaTogglePlayPause, Qt.Key.Key_MediaPlay)
"""A keyboard's play/pause key sends one or the other (XF86AudioPlay on many)."""
PAUSE_KEYS = (Qt.Key.Key_MediaPause,)
"""A headset's or remote's own Pause (XF86AudioPause): it did nothing. It only pauses."""
SEEK_BACK_KEYS, SEEK_FORWARD_KEYS = ("Alt+Left",), ("Alt+Right",)
STOPPABLE = ("loading", "playing", "paused")
"""The engine's states Stop acts in: once stopped, ended or failed there is nothing to stop."""
TITLE_WIDTHS = (160, 360)
"""The title's least and most width (px): a long one gives way to the position slider."""
SEEK_MIN_WIDTH = 120
"""The position slider's least width (px): at the window's least width it was 20 px."""
NOTHING_PLAYING = "Nothing playing"
UNAVAILABLE_TITLE = "Playback unavailable"
DEVICE_WAIT, DEVICE_WAIT_TIP = "waiting…", "waiting for the sound device…"  # not a silent 0:00
SLIDER_MS_LIMIT = 2**31 - 1
"""The most a QSlider (a C int) holds: a header's absurd length (a damaged one) raised
OverflowError on every poll, and the labels froze; the slider stops there, the labels do not."""


def unavailable_tip(reason: str) -> str:
    """``reason`` (the audio probe's words, "playback disabled: no audio output device found
    (…)") as a greyed control's tooltip says it: plainly, with what to do."""
    line = no_sound_notice(reason)[0] if reason else "Playback unavailable"
    return line[:1].upper() + line[1:]


class PlayerBar(QWidget):
    """Drives one :class:`PlaybackEngine`; the window calls :meth:`play_track`.

    Each load's outcome is reported once, a failure with the engine's facts (``failed``:
    its ``error_kind`` and message): the bar watches the engine's ``generation`` with its
    state, since a second unplayable track right after a first reads "error" after "error"
    (its "loading" can be over before the next poll) and the queue was never told."""

    state_changed = Signal(str)
    failed = Signal(str, object)  # error_kind ("file" | "device"), message (its parts kept)
    previous_requested = Signal(float)  # seconds into the track: the queue decides what it does
    next_requested = Signal()
    play_refused = Signal()  # play/pause asked while nothing can play: the queue says why
    start_requested = Signal()  # Play with nothing loaded: the queue's or the selected track

    def __init__(self, parent: QWidget | None = None, *,
                 stream_factory: StreamFactory | None = None) -> None:
        super().__init__(parent)
        self.engine = PlaybackEngine(stream_factory=stream_factory)
        self.available = stream_factory is not None
        self.unavailable_reason = "" if self.available else "checking the audio output…"
        self.track_id: int | None = None
        self._last_seen = (self.engine.generation, self.engine.state, False)
        self._queue_steps = (False, False)  # the queue has an entry before / after its current
        self._queue_active = False  # the queue plays: Previous late in a track restarts it
        self._can_start = False  # with nothing loaded, Play has a track to play (set_can_start)
        self._ended_starts = False  # Play on an ended track starts the queue (set_ended_starts)

        self.icons = PaletteIcons(self)
        self._build_buttons()
        self._build_seek_actions()
        self.title_label = ElidedLine(NOTHING_PLAYING, self)  # elided to the room it has
        self.title_label.setMinimumWidth(TITLE_WIDTHS[0])
        self.title_label.setMaximumWidth(TITLE_WIDTHS[1])
        self.title_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.position_label = QLabel("0:00", self)
        self.slider = SeekSlider(self)
        self.slider.setMinimumWidth(SEEK_MIN_WIDTH)  # the title gives way first
        self.slider.seek_requested.connect(lambda ms: self.seek_seconds(ms / 1000))
        self.duration_label = QLabel("0:00", self)
        self.volume_icon = QLabel(self)  # on the bar itself, not on a button
        self.icons.set(self.volume_icon, QStyle.StandardPixmap.SP_MediaVolume,
                       QPalette.ColorRole.WindowText)
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(VOLUME_STEPS[0])
        self.volume.setPageStep(VOLUME_STEPS[1])
        self.volume.setValue(80)
        self.volume.setFixedWidth(90)
        self.volume.setToolTip("Volume")
        self.volume.setAccessibleName("Volume")
        self.volume.valueChanged.connect(lambda v: setattr(self.engine, "volume", v / 100))
        self.engine.volume = 0.8

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        for w in (self.previous_button, self.play_button, self.next_button, self.stop_button,
                  self.title_label, self.position_label):
            row.addWidget(w)
        row.addWidget(self.slider, 1)
        for w in (self.duration_label, self.volume_icon, self.volume):
            row.addWidget(w)

        self.focus_rings = ring_focus((self.previous_button, self.play_button, self.next_button,
                                       self.stop_button))
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        if not self.available:
            self._set_enabled(False, self.unavailable_reason)
        self._enable_play()
        self._enable_stop()
        self._enable_steps()

    def _build_buttons(self) -> None:
        """Previous, play/pause, next, stop — and their keys, which work wherever the focus
        is in the window (a text field keeps its own Ctrl+Left/Right)."""
        sp = QStyle.StandardPixmap
        back = f"{RESTART_AFTER_SECONDS:g} s"
        self.previous_action = self._action(
            "Previous track", sp.SP_MediaSkipBackward, PREVIOUS_KEYS,
            f"Previous in the queue ({{keys}}); after {back} of a track: its start again",
            lambda: self.previous_requested.emit(self.engine.position_seconds))
        self.next_action = self._action("Next track", sp.SP_MediaSkipForward, NEXT_KEYS,
                                        "Next in the queue ({keys})", self.next_requested.emit)
        self.play_pause_action = self._action("Play / pause", None, PLAY_PAUSE_KEYS, "",
                                              self.toggle)
        self.stop_action = self._action("Stop playback", None, (Qt.Key.Key_MediaStop,), "",
                                        self.stop)
        self.pause_action = self._action("Pause", None, PAUSE_KEYS, "", self.pause)
        # made in the order they show, ⏮ ▶ ⏭ ■: Tab follows the making (it went ⏮ ⏭ ▶ ■)
        self.previous_button = self._tool_button(self.previous_action)
        self.play_button = QToolButton(self)
        self.icons.set(self.play_button, sp.SP_MediaPlay)
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.setAccessibleName("Play")  # "Pause" while playing (_poll)
        self.play_button.clicked.connect(self.toggle)
        self.next_button = self._tool_button(self.next_action)
        self.stop_button = QToolButton(self)
        self.icons.set(self.stop_button, sp.SP_MediaStop)
        self.stop_button.setToolTip("Stop")
        self.stop_button.setAccessibleName("Stop")
        self.stop_button.clicked.connect(self.stop)

    def _build_seek_actions(self) -> None:
        """Back and forward 5 s, as the slider's arrows, but wherever the focus is (only a
        text field keeps its own Alt+Left/Right where the platform gives it one)."""
        step = SEEK_STEP_SECONDS
        self.seek_back_action = self._action(f"Back {step} s", None, SEEK_BACK_KEYS,
                                             f"{step} s back in the track ({{keys}})",
                                             lambda: self.seek_by(-step))
        self.seek_forward_action = self._action(f"Forward {step} s", None, SEEK_FORWARD_KEYS,
                                                f"{step} s on in the track ({{keys}})",
                                                lambda: self.seek_by(step))

    def _action(self, text: str, icon, keys: tuple, tip: str, slot) -> QAction:
        """An action of the bar with ``keys`` as application shortcuts (media keys reach the
        window whatever has the focus); ``{keys}`` in ``tip`` names the first."""
        action = QAction(text, self)
        if icon is not None:
            self.icons.set(action, icon)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        if tip:
            shown = QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(tip.format(keys=shown))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _tool_button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(action.text())
        return button

    # -- availability ---------------------------------------------------------------------
    def set_availability(self, reason: str | None) -> None:
        """None: sound works. Otherwise disable the bar with ``reason`` as its tooltip."""
        self.available = reason is None
        self.unavailable_reason = reason or ""
        self._set_enabled(self.available, reason or "")

    def _set_enabled(self, enabled: bool, reason: str) -> None:
        """Play, Stop, the position and the volume on or off together, each greyed one
        saying why in its tooltip (the Playback menu's entries follow the buttons: their
        tooltips say it there too); the bar keeps the whole reason in its own."""
        why = unavailable_tip(reason)
        for w in (self.play_button, self.stop_button, self.slider, self.volume_icon,
                  self.volume):
            tip_unless(w, None if enabled else why)
            w.setEnabled(enabled)
        self.setToolTip("" if enabled else reason)
        self._enable_play()
        self._enable_stop()
        if not enabled:
            self.title_label.setText(UNAVAILABLE_TITLE)
            self.title_label.setToolTip(reason)
        elif self.title_label.text() == UNAVAILABLE_TITLE:
            # sound found after all (the startup's check): the bar kept "Playback
            # unavailable", "checking the audio output…" in its tooltip, until a track played
            self.title_label.setText(NOTHING_PLAYING)
            self.title_label.setToolTip("")
        self._enable_steps()

    def set_can_start(self, can: bool) -> None:
        """Whether Play, with nothing loaded, has a track to start (the queue's, or the one
        selected): without one Play is greyed — it was on beside "Nothing playing" and did
        nothing."""
        self._can_start = can
        self._enable_play()

    def set_ended_starts(self, starts: bool) -> None:
        """Whether Play, the track loaded having ended, asks for the queue's next entry
        (``start_requested``) instead of that track again: the queue decides (an entry was
        added to it since it last played). A paused track resumes, a stopped one plays again
        from its start, as ever."""
        self._ended_starts = starts

    def nothing_loaded(self) -> bool:
        """No track to resume: none loaded yet, or the last one failed to open."""
        eng = self.engine
        return eng.state == "empty" or (eng.state == "error" and eng.error_kind != "device")

    def _enable_play(self) -> None:
        """Play on while there is something to play or resume (where sound works: without,
        :meth:`_set_enabled` greys it and says why)."""
        if self.available:
            self.play_button.setEnabled(self._can_start or not self.nothing_loaded())
            tip_unless(self.play_button, None if self.play_button.isEnabled()
                       else "Select a track to play it")

    def _enable_stop(self) -> None:
        """Stop on only while a track plays, is paused or loads: on with nothing to stop (a
        fresh window, after a stop, an end or a failure) it was a button that did nothing."""
        self.stop_button.setEnabled(self.available and self.engine.state in STOPPABLE)

    def set_queue_steps(self, has_previous: bool, has_next: bool, active: bool = False) -> None:
        """Whether the queue has an entry before / after its current one (it decides), and
        whether it plays (``active``: Previous then restarts a track played long enough)."""
        self._queue_steps = (has_previous, has_next)
        self._queue_active = active
        self._enable_steps()

    def _previous_enabled(self) -> bool:
        """Previous does something: an entry before, or (the queue playing) its track's start
        again once it is ``RESTART_AFTER_SECONDS`` in — the first entry's too."""
        late = self._queue_active and self.engine.position_seconds >= RESTART_AFTER_SECONDS
        return self.available and (self._queue_steps[0] or late)

    def _enable_steps(self) -> None:
        """Previous, next and the seeks on as the queue allows; with nothing to play sound
        on, off and saying why, as Play does (in the bar and the menu, tooltip and status
        tip): they kept "Next in the queue" while greyed."""
        self.previous_action.setEnabled(self._previous_enabled())
        self.next_action.setEnabled(self.available and self._queue_steps[1])
        why = None if self.available else unavailable_tip(self.unavailable_reason)
        for action in (self.previous_action, self.next_action, self.seek_back_action,
                       self.seek_forward_action):
            if action in (self.seek_back_action, self.seek_forward_action):
                action.setEnabled(self.available)
            tip_unless(action, why)
            action.setStatusTip(why or "")

    # -- control --------------------------------------------------------------------------
    def play_track(self, track_id: int, path: str, title: str = "", artist: str = "",
                   length_seconds: float | None = None) -> None:
        """Play the file at ``path`` (the OS path the engine opens) from its start;
        ``length_seconds``: its length in the library, which the seek bar shows for a file
        whose header states none (a FLAC stream rip: its end crept along with the decoding,
        and no seek went past it)."""
        if not self.available:
            return
        self.track_id = track_id
        line, tip = now_playing(path, title, artist)
        self.title_label.setText(line)
        self.title_label.setToolTip(plain_tooltip(tip))
        self.engine.load(path, autoplay=True, length_seconds=length_seconds)
        self._poll()

    def toggle(self) -> None:
        """Play or pause; where nothing can play, say so (``play_refused``): Space did nothing
        at all without a sound card. With nothing loaded, the window plays the queue's or the
        selected track (``start_requested``): the engine had nothing to play; so it does over
        an ended track when the queue says so (:meth:`set_ended_starts`)."""
        if not self.available:
            self.play_refused.emit()
            return
        if self.nothing_loaded() or (self._ended_starts and self.engine.state == "ended"):
            self.start_requested.emit()
            return
        self.engine.toggle()
        self._poll()

    def pause(self) -> None:
        """Pause, and nothing else: a second press leaves it paused (Play resumes)."""
        self.engine.pause()
        self._poll()

    def stop(self) -> None:
        self.engine.stop()
        self._poll()

    def restart(self) -> None:
        """The track from its start, playing on (or paused) as it was: Previous late in it;
        after a failed Play too (no output open: a seek in frames would be ignored then)."""
        self.seek_seconds(0.0)

    def seek_seconds(self, seconds: float) -> None:
        self.engine.seek_seconds(seconds)
        self._poll()

    def seek_by(self, seconds: float) -> None:
        """``seconds`` on (back, if negative) from where the track is; nothing without one.
        The length in seconds, known with no output open too (a Play that failed), as a
        slider click's is: the length in frames is 0 then, and the arrow keys did nothing. Not
        a track that failed to open: the bar shows 0:00, yet they moved its place on."""
        if self.engine.duration_seconds and not self.nothing_loaded():
            self.seek_seconds(max(0.0, self.engine.position_seconds + seconds))

    def _show_failure(self) -> None:
        """A track that could not be opened (damaged, deleted) is not playing: the bar says
        "Nothing playing", and why in its tooltip — it kept the failed track's title as if it
        played. A failed output keeps it: the track is loaded, and Play tries it again."""
        if self.nothing_loaded():
            self.title_label.setText(NOTHING_PLAYING)
            self.title_label.setToolTip(plain_tooltip(printable(sentence(self.engine.error))))

    def shutdown(self) -> None:
        self._timer.stop()
        self.engine.close()

    # -- polling ---------------------------------------------------------------------------
    def _poll(self) -> None:
        eng = self.engine
        # the generation first: only load() and close() change it, and only on this thread,
        # so the state read after it is that load's (a decoder thread sets the state only for
        # its own load)
        seen = (eng.generation, eng.state, eng.going)  # going: a Pause while it loads too
        if seen != self._last_seen:
            self._last_seen = seen
            state, going = seen[1:]
            pixmap = QStyle.StandardPixmap
            self.icons.set(self.play_button, pixmap.SP_MediaPause if going else pixmap.SP_MediaPlay)
            # what a press does now, as the icon shows: a reader said "Play / pause" always
            self.play_button.setAccessibleName("Pause" if going else "Play")
            self._enable_play()
            self._enable_stop()
            if state == "error":
                self._show_failure()
                self.failed.emit(eng.error_kind, eng.error)
            self.state_changed.emit(state)
        # a track that failed is no track: its place and length (the library's) showed
        # beside "Nothing playing", and the arrow keys moved that place
        secs = (0.0, 0.0) if self.nothing_loaded() else (eng.duration_seconds,
                                                         eng.position_seconds)
        duration, position = (min(round(s * 1000), SLIDER_MS_LIMIT) for s in secs)
        if self.slider.maximum() != duration:
            with QSignalBlocker(self.slider):
                self.slider.setMaximum(duration)
        if not self.slider.isSliderDown() and self.slider.value() != position:
            with QSignalBlocker(self.slider):
                self.slider.setValue(position)
        # set only on change: this runs 25 times a second
        if self.previous_action.isEnabled() != (previous := self._previous_enabled()):
            self.previous_action.setEnabled(previous)
        # a dragged handle's time: where the track goes on from once it is let go
        at = self.slider.value() / 1000 if self.slider.isSliderDown() else secs[1]
        waiting = eng.device_waiting and not self.slider.isSliderDown()  # a drag: its time
        for label, text in ((self.position_label, DEVICE_WAIT if waiting else format_time(at)),
                            (self.duration_label, format_length(secs[0]) or "0:00")):
            if label.text() != text:  # the short word keeps the bar's least width (+156 px)
                label.setText(text)
                label.setToolTip(DEVICE_WAIT_TIP if text == DEVICE_WAIT else "")

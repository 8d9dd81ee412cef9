"""The player bar with a recording longer than a slider's int holds, Previous on the queue's
first entry, and the music when the window closes while a background task winds down."""

from __future__ import annotations

import threading
import time

import numpy as np
import soundfile as sf
from PySide6.QtCore import Qt

from musicsage.controllers.queue import RESTART_AFTER_SECONDS


def _sparse_wav(path, hours: int, rate: int = 44100):
    """An 8-bit mono WAV of ``hours`` of silence, as a sparse file (no disk used)."""
    import struct

    frames = hours * 3600 * rate
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
    header = (b"RIFF" + struct.pack("<I", 36 + frames) + b"WAVEfmt " + fmt + b"data"
              + struct.pack("<I", frames))
    with open(path, "wb") as f:
        f.write(header)
        f.truncate(len(header) + frames)
    return frames


def test_a_14_hour_recording_seeks_from_the_slider(qtbot, tmp_path, fake_streams):
    """2**31 frames and more (13.5 h at 44.1 kHz, 3.1 h at 192 kHz) overflowed the slider: an
    OverflowError on every poll, and a slider that did nothing."""
    from musicsage.gui.player import PlayerBar

    path = tmp_path / "14 hours.wav"
    assert _sparse_wav(path, 14) > 2**31
    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.show()
    bar.play_track(1, str(path), "Fourteen hours")
    qtbot.waitUntil(lambda: bar.engine.state == "playing", timeout=30_000)
    qtbot.waitUntil(lambda: bar.slider.maximum() == 14 * 3600 * 1000, timeout=30_000)
    assert bar.duration_label.text() == "14:00:00"
    bar.seek_seconds(13 * 3600)
    qtbot.waitUntil(lambda: bar.slider.value() == 13 * 3600 * 1000, timeout=30_000)
    assert bar.position_label.text() == "13:00:00"
    bar.slider.setFocus()
    qtbot.keyClick(bar.slider, Qt.Key.Key_End)  # the slider's own seek: to the very end
    assert bar.engine.position == bar.engine.duration
    bar.shutdown()


def _queue_with_20_s_first(w):
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]
    path = w.app.library.snapshot.by_id[ids[0]].fs_path
    sf.write(path, (0.2 * np.sin(np.arange(16000 * 20) / 7)).astype(np.float32), 16000,
             format="FLAC")  # 20 s
    return ids


def test_previous_on_the_queues_first_entry_restarts_it_late_in_the_track(
        qtbot, make_window, library, fake_streams):
    """Its tooltip said "after 3 s of a track: its start again", yet it was greyed there."""
    w = make_window(library, stream_factory=fake_streams)
    w.app.queue.play_list(_queue_with_20_s_first(w), "Region")
    qtbot.waitUntil(lambda: w.player.engine.state == "playing", timeout=30_000)
    previous = w.player.previous_action
    assert not previous.isEnabled(), "at its start: nothing before the first entry"
    w.player.seek_seconds(RESTART_AFTER_SECONDS + 7)
    qtbot.waitUntil(previous.isEnabled, timeout=30_000)
    previous.trigger()
    assert w.player.engine.position == 0 and w.app.queue.current == 0
    qtbot.waitUntil(lambda: not previous.isEnabled(), timeout=30_000)
    w.player.seek_seconds(RESTART_AFTER_SECONDS + 7)
    qtbot.waitUntil(previous.isEnabled, timeout=30_000)
    w.app.selection.play_track(w.app.library.snapshot.tracks[5].id)  # not the queue's
    qtbot.waitUntil(lambda: w.player.engine.state == "playing", timeout=30_000)
    w.player.seek_seconds(RESTART_AFTER_SECONDS + 1)
    qtbot.wait(200)
    assert not previous.isEnabled(), "outside the queue, Previous has nothing to do"


def test_the_music_stops_before_the_window_waits_for_its_tasks(
        qtbot, make_window, library, realtime_streams):
    """A task still winding down kept the window open: the music played on meanwhile."""
    w = make_window(library, stream_factory=realtime_streams)
    w.app.queue.play_list(_queue_with_20_s_first(w), "Region")
    qtbot.waitUntil(lambda: w.player.engine.state == "playing", timeout=30_000)
    stream = realtime_streams.made[-1]
    silent_while_waited = threading.Event()

    def winding_down() -> None:  # a task that stops only after a while
        end = time.monotonic() + 30  # the window waits for tasks up to 60 s
        while time.monotonic() < end and not stream.closed:
            time.sleep(0.01)
        if stream.closed:
            silent_while_waited.set()

    w.workers.run("winding down", winding_down)
    qtbot.wait(50)
    w.close()
    assert silent_while_waited.is_set()

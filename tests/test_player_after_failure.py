"""The player bar after a track fails, and Stop with nothing to stop (a fake sound card, as
the playback tests use); the queue's Next once it stopped on a music folder that is gone."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from music_support import make_music


class FakeStream:
    """Stands in for the sound card: the engine's callback is never pulled, nothing sounds."""

    def __init__(self, samplerate, channels, callback):
        self.samplerate, self.channels, self.callback = samplerate, channels, callback

    def start(self):
        pass

    def stop(self):
        pass

    def close(self):
        pass


@pytest.fixture
def bar(qtbot):
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar(stream_factory=FakeStream)
    qtbot.addWidget(bar)
    bar.resize(900, 40)
    bar.show()
    yield bar
    bar.shutdown()


def _tone(path):
    import soundfile as sf

    sf.write(str(path), np.zeros((22050, 2), np.float32), 22050)
    return str(path)


def _played_to(qtbot, bar, state: str) -> None:
    qtbot.waitUntil(lambda: bar.engine.state == state, timeout=10_000)
    bar._poll()  # the bar's timer would: its state follows the engine's


@pytest.mark.parametrize("broken", ["damaged", "deleted"])
def test_a_track_that_fails_leaves_no_title_of_a_track_not_playing(qtbot, bar, tmp_path,
                                                                   broken):
    bar.play_track(1, _tone(tmp_path / "good.wav"), "Good Song", "Artist A")
    _played_to(qtbot, bar, "playing")
    assert bar.title_label.text() == "Good Song — Artist A"
    bad = tmp_path / "bad.flac"
    if broken == "damaged":
        bad.write_bytes(b"not audio at all" * 100)
    bar.play_track(2, str(bad), "Broken Song", "Artist B")
    _played_to(qtbot, bar, "error")
    assert bar.title_label.text() == "Nothing playing"
    tip = bar.title_label.toolTip()
    assert "bad.flac" in tip and "Broken Song" not in tip, tip  # the failure, not a title
    assert not bar.stop_button.isEnabled()
    bar.grab().save(str(tmp_path / "failed.png"))
    bar.play_track(1, str(tmp_path / "good.wav"), "Good Song", "Artist A")
    _played_to(qtbot, bar, "playing")
    assert bar.title_label.text() == "Good Song — Artist A", "a track that plays is named"


def test_stop_is_on_only_while_there_is_something_to_stop(qtbot, bar, tmp_path):
    assert not bar.stop_button.isEnabled(), "a fresh bar: nothing plays"
    bar.play_track(1, _tone(tmp_path / "good.wav"), "Good Song")
    _played_to(qtbot, bar, "playing")
    assert bar.stop_button.isEnabled()
    bar.toggle()
    _played_to(qtbot, bar, "paused")
    assert bar.stop_button.isEnabled(), "paused: Stop still goes back to the start"
    bar.stop_button.click()
    _played_to(qtbot, bar, "stopped")
    assert not bar.stop_button.isEnabled()
    bar.set_availability("playback disabled: no audio output device found")
    bar.set_availability(None)  # sound back: still nothing to stop
    assert not bar.stop_button.isEnabled() and bar.stop_button.toolTip() == "Stop"


@pytest.fixture
def two_folders(ctx, tmp_path):
    """A library of two music folders, two tracks each: ``(ctx, [folder], [[track ids]])``."""
    from musicsage.usecases.library import list_tracks, scan_library

    folders = [make_music(tmp_path / name, n_tracks=2, seconds=0.5)[0] for name in "ab"]
    scan_library(ctx, [str(f) for f in folders], [])
    tracks = list_tracks(ctx)
    ids = [[t.id for t in tracks if t.path.startswith(str(f) + "/")] for f in folders]
    assert [len(i) for i in ids] == [2, 2]
    return ctx, folders, ids


def _queue_app(ctx):
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner

    runner = InlineRunner()
    app = AppController(ctx, runner)
    runner.error.connect(app.task_failed)
    app.library.reload()
    runner.drain()
    played = []
    app.selection.play.connect(lambda *args: played.append(args[0]))
    return app, played


def _unplug(folder) -> None:
    shutil.move(str(folder), f"{folder}.unplugged")


def _fail(app, played) -> None:
    """The player reports the track it was asked for as not found, as the window does."""
    app.queue.play_failed("file", f"file not found: {app.library.snapshot.by_id[played[-1]].path}")


def _warnings(app) -> list[str]:
    return [text for level, text, *_ in app.notifications if level == "warning"]


def test_next_after_a_gone_folder_stopped_the_queue_moves_on_without_saying_it_again(
        two_folders):
    ctx, (a, b), (in_a, in_b) = two_folders
    app, played = _queue_app(ctx)
    _unplug(a)
    q = app.queue
    q.play_list(in_a + in_b, "Region")
    _fail(app, played)
    assert not q.active and len(_warnings(app)) == 1 and "cannot be found" in _warnings(app)[0]
    assert q.has_next(), "a track of the other folder is there to play"
    q.next()
    assert played[-1] == in_b[0] and q.active, "Next skips the gone folder's other track"
    assert len(_warnings(app)) == 1, "the folder-gone line is said once"


def test_next_is_off_when_only_the_gone_folder_is_left(two_folders):
    ctx, (a, _b), (in_a, in_b) = two_folders
    app, played = _queue_app(ctx)
    _unplug(a)
    q = app.queue
    q.play_list(in_b[:1] + in_a, "Region")
    q.track_ended()  # the first ends: the next is in the gone folder
    _fail(app, played)
    assert len(_warnings(app)) == 1
    assert not q.has_next(), "Next had nothing to play, and only said the line again"
    assert q.has_previous()
    shutil.move(f"{a}.unplugged", str(a))  # the drive is back: its tracks are tried again
    assert q.has_next()
    q.next()
    assert played[-1] == in_a[1] and q.active

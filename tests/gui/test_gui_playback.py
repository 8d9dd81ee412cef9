"""Playback: the engine feeds a (fake) sound card exactly, and the bar drives it."""

from __future__ import annotations

import re

import numpy as np
import pytest

from gui_support import wait_for, write_tone
from musicsage.playback import PlaybackEngine, probe_output


@pytest.mark.parametrize("ext", ["wav", "flac"])
def test_samples_delivered_in_order_then_seek_is_exact(tmp_path, fake_streams, ext):
    ref = write_tone(tmp_path / f"tone.{ext}", seconds=3.0)
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(tmp_path / f"tone.{ext}", autoplay=True)
    wait_for(lambda: eng.decoding_complete)
    stream = fake_streams.made[0]
    assert (stream.samplerate, stream.channels, stream.active) == (22050, 2, True)
    assert eng.duration == len(ref)
    a = stream.pull(1000)
    b = stream.pull(500)
    np.testing.assert_allclose(np.concatenate([a, b]), 0.8 * 0 + ref[:1500] * eng.volume, atol=1e-6)
    assert eng.position == 1500

    assert eng.seek(44_101) == 44_101
    assert eng.position == 44_101
    got = stream.pull(256)
    np.testing.assert_allclose(got, ref[44_101:44_357] * eng.volume, atol=1e-6)
    assert eng.position == 44_357


def test_pause_outputs_silence_and_keeps_position(tmp_path, fake_streams):
    ref = write_tone(tmp_path / "t.wav")
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(tmp_path / "t.wav", autoplay=True)
    wait_for(lambda: eng.decoding_complete)
    stream = fake_streams.made[0]
    stream.pull(300)
    eng.pause()
    assert eng.state == "paused"
    wait_for(lambda: not stream.active)  # stopped on a thread of its own (claims.py)
    assert not stream.pull(100).any()
    assert eng.position == 300
    eng.volume = 0.5
    eng.play()
    np.testing.assert_allclose(stream.pull(10), ref[300:310] * 0.5, atol=1e-6)


def test_end_of_track_and_stop(tmp_path, fake_streams):
    ref = write_tone(tmp_path / "t.wav", seconds=0.1)
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(tmp_path / "t.wav", autoplay=True)
    wait_for(lambda: eng.decoding_complete)
    stream = fake_streams.made[0]
    out = stream.pull(len(ref) + 100)
    np.testing.assert_allclose(out[: len(ref)], ref * eng.volume, atol=1e-6)
    assert not out[len(ref):].any()
    assert eng.state == "ended"
    eng.stop()
    assert eng.state == "stopped" and eng.position == 0


def test_realtime_stream_position_advances(tmp_path, realtime_streams):
    write_tone(tmp_path / "t.wav", seconds=5.0)
    eng = PlaybackEngine(stream_factory=realtime_streams)
    eng.load(tmp_path / "t.wav", autoplay=True)
    wait_for(lambda: eng.position > 0)
    p1 = eng.position_seconds
    wait_for(lambda: eng.position_seconds > p1 + 0.1)  # the card's own thread pulls on


def test_unreadable_file_gives_an_error_state(tmp_path, fake_streams):
    bad = tmp_path / "broken.flac"
    bad.write_bytes(b"not audio at all" * 100)
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(bad, autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert "broken.flac" in eng.error


def test_an_error_says_whether_the_file_or_the_output_failed(tmp_path, fake_streams):
    """A queue skips a track that cannot play, but must stop when the output itself failed
    (it skipped through every track, one warning each); and a poller sees each new load,
    even when the state reads "error" after "error"."""
    import threading

    from musicsage.playback import default_decoder
    from musicsage.playback.output import PlaybackUnavailable

    bad = tmp_path / "broken.flac"
    bad.write_bytes(b"not audio at all" * 100)
    gate = threading.Event()  # held shut, the worker cannot fail before the check below
    gate.set()
    eng = PlaybackEngine(stream_factory=fake_streams,
                         decoder=lambda path, start=0: gate.wait(5) and default_decoder(path))
    eng.load(bad, autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert eng.error_kind == "file" and eng.generation == 1
    gate.clear()
    eng.load(bad, autoplay=True)
    assert eng.generation == 2 and eng.error_kind == ""
    gate.set()
    wait_for(lambda: eng.state == "error")

    def no_device(rate, channels, callback):
        raise PlaybackUnavailable("no audio output device found")

    write_tone(tmp_path / "tone.wav")
    eng = PlaybackEngine(stream_factory=no_device)
    eng.load(tmp_path / "tone.wav", autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert eng.error_kind == "device"


def test_a_damaged_mp3_that_cannot_play_says_so_in_words_a_listener_reads(tmp_path,
                                                                           fake_streams):
    """libsndfile calls frames it cannot decode an "Unspecified internal error."; the player
    showed that as the reason. (It now plays the good first half, then says where it broke.)"""
    import random

    import soundfile as sf

    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile has no MP3 support")
    path = tmp_path / "damaged.mp3"
    sf.write(path, np.zeros((44100 * 20, 1), np.float32) + 0.1 * np.sin(
        np.arange(44100 * 20) / 7.0)[:, None], 44100, format="MP3")
    data = bytearray(path.read_bytes())
    rng = random.Random(1)
    data[len(data) // 2:len(data) // 2 + 20000] = bytes(rng.randrange(256) for _ in range(20000))
    path.write_bytes(bytes(data))
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.decoding_complete, timeout=20)
    fake_streams.made[0].pull(eng.duration + 100)
    assert eng.state == "error" and eng.error_kind == "file"
    assert re.fullmatch(r"cannot play damaged\.mp3 past 0:0\d: damaged audio data", eng.error)


def test_probe_reports_missing_portaudio(no_portaudio):
    reason = probe_output()
    assert reason and "PortAudio" in reason and "libportaudio2" in reason


def test_player_bar_plays_advances_and_seeks_exactly(qtbot, tmp_path, realtime_streams):
    from musicsage.gui.player import PlayerBar

    ref = write_tone(tmp_path / "t.wav", seconds=4.0)
    bar = PlayerBar(stream_factory=realtime_streams)
    qtbot.addWidget(bar)
    bar.play_track(7, str(tmp_path / "t.wav"), "Tone", "Tester")
    assert "Tone — Tester" in bar.title_label.text()
    # the sound card pulls in real time: the position and the slider advance by themselves
    qtbot.waitUntil(lambda: bar.engine.position > 4000, timeout=30_000)
    qtbot.waitUntil(lambda: bar.slider.maximum() == 4000 and bar.slider.value() > 0,
                    timeout=30_000)
    stream = realtime_streams.made[0]
    assert len(stream.samples) > 4000

    bar.toggle()  # pause: the card's thread stops pulling
    assert bar.engine.state == "paused"
    qtbot.waitUntil(lambda: not stream.active, timeout=20_000)  # on a thread of its own
    bar.seek_seconds(2.0)
    assert bar.engine.position == 44100
    qtbot.waitUntil(lambda: bar.position_label.text() == "0:02", timeout=30_000)
    got = stream.pull(700)  # the paused card is asked for more: silence, position kept
    assert not got.any() and bar.engine.position == 44100
    stream.realtime = False  # take over from the real-time thread for a deterministic look
    bar.toggle()
    assert bar.engine.state == "playing"
    got = stream.pull(700)
    np.testing.assert_allclose(got, ref[44100:44800] * bar.engine.volume, atol=1e-6)
    bar.shutdown()


def test_player_bar_disabled_with_reason(qtbot):
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar()
    qtbot.addWidget(bar)
    bar.set_availability("playback disabled: no audio output device")
    assert not bar.play_button.isEnabled() and not bar.slider.isEnabled()
    assert "no audio output device" in bar.toolTip()
    bar.play_track(1, "/nonexistent.flac", "x")
    assert bar.engine.state == "empty"
    bar.shutdown()


def test_m4a_plays_through_ffmpeg(tmp_path, fake_streams):
    import av

    path = tmp_path / "tone.m4a"
    sr = 44100
    with av.open(str(path), "w") as out:
        st = out.add_stream("aac", rate=sr, layout="stereo")
        t = np.arange(sr) / sr
        pcm = (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(np.stack([pcm, pcm]), format="fltp", layout="stereo")
        frame.sample_rate = sr
        for packet in st.encode(frame):
            out.mux(packet)
        for packet in st.encode(None):
            out.mux(packet)
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.decoding_complete or eng.state == "error")
    assert eng.state == "playing", eng.error
    assert abs(eng.duration_seconds - 1.0) < 0.1
    out = fake_streams.made[0].pull(20000)
    assert np.abs(out).max() > 0.1

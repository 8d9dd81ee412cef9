"""Playback when things go wrong: tracks clicked in quick succession, the output lost while
playing, a long file (memory), damaged files, and the lines a listener reads for each."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from gui_support import wait_for, write_tone
from musicsage.playback import PlaybackEngine, PlaybackUnavailable


@pytest.fixture(autouse=True)
def _no_rescan_left_behind(monkeypatch):
    """A lost output asks the next real stream to re-scan PortAudio's devices: not one that
    another test opens."""
    from musicsage.playback import output

    monkeypatch.setattr(output, "_rescan", False)


def test_a_late_start_of_the_previous_track_leaves_the_new_one_playing(tmp_path, fake_streams):
    """The previous track's worker claimed its stream's start, then was pre-empted; the user
    clicked another track meanwhile. Its start() came after load() had closed that stream:
    PortAudio said "stream is closed", the new track was marked failed (a queue skipped it)
    and its own stream kept running."""
    write_tone(tmp_path / "a.wav")
    write_tone(tmp_path / "b.wav")
    entered, release, started_closed = threading.Event(), threading.Event(), []

    def factory(rate, channels, callback):
        stream = fake_streams(rate, channels, callback)
        if len(fake_streams.made) == 1:
            start = stream.start

            def slow_start():  # the worker is pre-empted right at its start()
                entered.set()
                release.wait(5)
                started_closed.append(stream.closed)
                start()  # the fake, like PortAudio, refuses a closed stream

            stream.start = slow_start
        return stream

    eng = PlaybackEngine(stream_factory=factory)
    eng.load(tmp_path / "a.wav", autoplay=True)
    assert entered.wait(5)
    threading.Timer(0.3, release.set).start()
    eng.load(tmp_path / "b.wav", autoplay=True)  # the user's second click
    wait_for(lambda: started_closed and len(fake_streams.made) == 2 and eng.state == "playing")
    time.sleep(0.2)  # whatever the old worker does after its start(), it has done now
    old, new = fake_streams.made
    assert started_closed == [False]  # it started its own stream, before that was closed
    wait_for(lambda: old.closed)  # closed on a thread of its own (claims.py)
    assert not old.active
    assert (eng.state, eng.error, eng.path, new.active) == ("playing", "", str(tmp_path / "b.wav"),
                                                           True)
    eng.pause()
    wait_for(lambda: not new.active)  # stopped on a thread of its own (claims.py)


def test_an_output_lost_while_playing_is_a_device_error_and_play_goes_on_there(tmp_path,
                                                                              fake_streams):
    """PortAudio ends a stream whose device went away (its ``active`` turns false, nothing
    pulls the callback any more): the state stayed "playing" with the position frozen."""
    ref = write_tone(tmp_path / "t.wav", seconds=3.0)
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(tmp_path / "t.wav", autoplay=True)
    wait_for(lambda: eng.state == "playing" and fake_streams.made[0].active)
    lost = fake_streams.made[0]
    lost.pull(1000)
    lost.active = False  # unplugged: the stream stopped by itself, no stop() was asked
    wait_for(lambda: eng.state == "error")
    wait_for(lambda: lost.closed)  # closed on a thread of its own (claims.py)
    assert eng.error_kind == "device"
    assert eng.error == ("audio output lost (the sound device stopped): reconnect it or switch "
                         "the sound output, then press Play")
    generation = eng.generation

    eng.play()  # what the message says: the track goes on where it stopped, on a new stream
    wait_for(lambda: eng.state == "playing" and len(fake_streams.made) == 2)
    again = fake_streams.made[1]
    wait_for(lambda: again.active)
    assert eng.generation == generation + 1 and eng.position == 1000
    np.testing.assert_allclose(again.pull(500), ref[1000:1500] * eng.volume, atol=1e-6)


def test_a_stream_that_cannot_be_stopped_is_a_lost_output(tmp_path, fake_streams):
    """Pausing a stream whose device vanished: PortAudio's stop() raises. The engine said
    "paused", and Play "played" into the dead stream."""
    write_tone(tmp_path / "t.wav")
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(tmp_path / "t.wav", autoplay=True)
    wait_for(lambda: eng.state == "playing" and fake_streams.made[0].active)

    def device_gone():
        raise RuntimeError("Error stopping stream: Unanticipated host error")

    fake_streams.made[0].stop = device_gone
    eng.pause()  # the window waits at most ANSWER_SECONDS: a loaded machine may take longer
    wait_for(lambda: eng.state == "error")
    assert (eng.state, eng.error_kind) == ("error", "device")
    assert eng.error.startswith("audio output lost (Error stopping stream: Unanticipated host "
                                "error): ") and "\n" not in eng.error


def test_after_a_failed_output_the_next_stream_rescans_the_devices(monkeypatch):
    """PortAudio lists the devices once, when it starts: a device plugged in again (or another
    one) is found only after a re-scan, which the message's "then press Play" relies on."""
    import sys
    import types

    from musicsage.playback import output

    calls = []
    fake_sd = types.SimpleNamespace(
        _terminate=lambda: calls.append("terminate"),
        _initialize=lambda: calls.append("initialize"),
        OutputStream=lambda **kw: calls.append("open") or "stream")
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sd)
    output.sounddevice_stream(44100, 2, lambda *a: None)
    assert calls == ["open"]
    output.output_failed()
    output.sounddevice_stream(44100, 2, lambda *a: None)
    output.sounddevice_stream(44100, 2, lambda *a: None)
    assert calls == ["open", "terminate", "initialize", "open", "open"]


def test_no_output_device_names_the_files_own_rate(tmp_path):
    """Every rate failed; the message named 44100 Hz, the last fallback tried."""
    write_tone(tmp_path / "t.wav", sr=22050)

    def no_device(rate, channels, callback):
        raise PlaybackUnavailable(f"cannot open the audio output at {rate} Hz: no device")

    eng = PlaybackEngine(stream_factory=no_device)
    eng.load(tmp_path / "t.wav", autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert (eng.error, eng.error_kind) == ("cannot open the audio output at 22050 Hz: no device",
                                           "device")


@pytest.fixture
def small_bounds(monkeypatch):
    """Seconds ahead/behind scaled down, so a short file shows what a long one does."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "AHEAD_SECONDS", 3.0)
    monkeypatch.setattr(engine, "REFILL_SECONDS", 2.0)
    monkeypatch.setattr(engine, "BEHIND_SECONDS", 1.0)


def test_a_long_track_is_decoded_only_a_bound_ahead_and_plays_exactly(tmp_path, fake_streams,
                                                                     small_bounds):
    """The whole track was decoded into one array (a 1-hour FLAC: 1.25 GB, doubled when the
    header's length was short, copied under the lock the callback needs)."""
    rate = 8000
    ref = write_tone(tmp_path / "long.flac", seconds=90, sr=rate)
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(tmp_path / "long.flac")  # paused from the start: decoding stops at the bound
    wait_for(lambda: eng.state == "stopped")
    time.sleep(0.5)
    bound = (3 + 1) * rate + 2 * 65536  # ahead + behind + a block each side: < 1/4 of it
    assert eng.decoded_frames < 2 * 65536 and eng.duration == len(ref)
    eng.play()
    stream, played, most_held = fake_streams.made[0], [], 0
    while eng.state == "playing":
        wait_for(lambda: eng.decoded_frames >= min(eng.position + 997, len(ref)))
        played.append(stream.pull(997))  # an odd size: reads cross the chunks' edges
        most_held = max(most_held, eng.held_frames)
    assert eng.state == "ended" and most_held <= bound
    np.testing.assert_array_equal(np.concatenate(played)[:len(ref)], ref * eng.volume)


@pytest.mark.parametrize("ext", ["flac", "m4a"])
def test_a_seek_outside_what_is_decoded_reopens_the_file_exactly(tmp_path, fake_streams,
                                                                  small_bounds, ext):
    rate = 8000
    path = tmp_path / f"long.{ext}"
    if ext == "flac":
        write_tone(path, seconds=30, sr=rate)
    else:
        _write_m4a(path, seconds=30, rate=rate)
    from musicsage.playback import default_decoder

    ref = np.concatenate(list(default_decoder(str(path))[1]))  # every sample, read through
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing")
    stream = fake_streams.made[0]
    for target in (20 * rate + 123, 25 * rate + 7, 2 * rate + 999, 24 * rate + 5):
        assert eng.seek(target) == target
        wait_for(lambda: eng.decoded_frames >= target + 600)
        np.testing.assert_allclose(stream.pull(600), ref[target:target + 600] * eng.volume,
                                   atol=1e-6)
        assert eng.position == target + 600
    assert eng.held_frames <= (3 + 1) * rate + 2 * 65536


def _write_m4a(path, *, seconds, rate):
    import av

    with av.open(str(path), "w") as out:
        st = out.add_stream("aac", rate=rate, layout="mono")
        t = np.arange(int(seconds * rate)) / rate
        pcm = (0.3 * np.sin(2 * np.pi * 330 * t * (1 + t / seconds))).astype(np.float32)
        for i in range(0, len(pcm), 1024):
            frame = av.AudioFrame.from_ndarray(pcm[None, i:i + 1024].copy(), format="fltp",
                                               layout="mono")
            frame.sample_rate = rate
            for packet in st.encode(frame):
                out.mux(packet)
        for packet in st.encode(None):
            out.mux(packet)


@pytest.mark.parametrize("damage", ["truncated", "garbage in the middle"])
def test_a_damaged_flac_plays_up_to_the_damage_then_says_where(tmp_path, fake_streams, damage):
    """The first 65,536-frame read failed whole: nothing played, the error said libsndfile's
    "flac decoder lost sync." or "Internal psf_fseek() failed."."""
    path = tmp_path / "song.flac"
    ref = write_tone(path, seconds=6.0)
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        del data[len(data) // 3:]
    else:
        data[len(data) // 2:len(data) // 2 + 2000] = bytes(range(250)) * 8
    path.write_bytes(bytes(data))
    eng = PlaybackEngine(stream_factory=fake_streams)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.decoding_complete or eng.state == "error")
    good = eng.duration
    assert eng.state == "playing" and good > len(ref) // 4, eng.error
    line = f"cannot play song.flac past 0:0{good // 22050}: damaged audio data"
    assert eng.note == line  # said at once, while the good part plays
    out = fake_streams.made[0].pull(len(ref))
    np.testing.assert_allclose(out[:good], ref[:good] * eng.volume, atol=1e-6)
    assert (eng.state, eng.error, eng.error_kind) == ("error", line, "file")


def test_unreadable_files_get_one_plain_line_naming_the_file(tmp_path, fake_streams):
    """FFmpeg's text came through raw: "[Errno 1094995529] Invalid data found when processing
    input: "b'/path'"", "'AudioStream' object has no attribute 'rate'", "tuple index out of
    range" (an mp4 with only video)."""
    import struct

    import av

    (tmp_path / "text.mp3").write_text("this is not audio\n" * 100)
    (tmp_path / "empty.flac").write_bytes(b"")
    pcm = np.zeros(2000, "<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 0x1234, 1, 22050, 44100, 2, 16)  # a codec nobody knows
    (tmp_path / "odd codec.wav").write_bytes(
        b"RIFF" + struct.pack("<I", 20 + len(fmt) + len(pcm)) + b"WAVE" + b"fmt "
        + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(pcm)) + pcm)
    with av.open(str(tmp_path / "video.mp4"), "w") as out:
        vs = out.add_stream("mpeg4", rate=10)
        vs.width = vs.height = 64
        for _ in range(3):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for packet in vs.encode(frame):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
    expected = {
        "text.mp3": "cannot play text.mp3: not a readable audio file (damaged, or not audio?)",
        "empty.flac": "cannot play empty.flac: the file is empty",
        "odd codec.wav": "cannot play odd codec.wav: its audio codec is not supported",
        "video.mp4": "cannot play video.mp4: the file has no audio",
    }
    for name, line in expected.items():
        eng = PlaybackEngine(stream_factory=fake_streams)
        eng.load(tmp_path / name, autoplay=True)
        wait_for(lambda: eng.state == "error")
        assert (eng.error, eng.error_kind) == (line, "file")


def test_a_file_without_read_permission_says_so_in_a_line(tmp_path, monkeypatch):
    """It said "[Errno 13] Permission denied: b'/path'" (FFmpeg's turn, after libsndfile's)."""
    import errno

    from musicsage.errors import MusicsageError
    from musicsage.playback import decoders

    write_tone(tmp_path / "locked.wav")

    def denied(path, mode="r"):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(decoders, "open", denied, raising=False)  # root reads any file
    with pytest.raises(MusicsageError) as caught:
        decoders.pyav_blocks(str(tmp_path / "locked.wav"))
    assert str(caught.value) == ("cannot play locked.wav: permission denied (the file is not "
                                 "readable; give your user read access to it)")

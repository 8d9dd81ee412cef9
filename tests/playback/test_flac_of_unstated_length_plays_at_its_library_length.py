"""A FLAC whose header states no length (STREAMINFO's total samples 0: a stream rip, a live
recording piped to the encoder). The library counts its length when it scans it; the player,
which re-opens the file at each seek, cannot count it there (that decodes the whole file at
every seek). Without the library's length the player showed only what it had decoded so far: the
slider's end crept along 30 s ahead of the position, and a seek further on stopped there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 (a fixture)

from musicsage.playback import PlaybackEngine

SR = 22050
SECONDS = 90


def _stream_rip(path: Path) -> np.ndarray:
    """A mono FLAC of ``SECONDS`` (a rising tone: each place sounds its own) whose header
    states no length; the samples written (16-bit: within 1/32768 of them)."""
    t = np.arange(SECONDS * SR) / SR
    tone = (0.3 * np.sin(2 * np.pi * (200 + 2 * t) * t)).astype(np.float32)
    sf.write(path, tone, SR, format="FLAC", subtype="PCM_16")
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO first, as written
    data[21] &= 0xF0  # its 36 bits of total samples zeroed
    data[22:26] = bytes(4)
    path.write_bytes(bytes(data))
    with sf.SoundFile(path) as snd:
        assert snd.frames >= 2**62, "libsndfile: no length stated"
    return tone


def test_the_library_length_is_shown_and_a_seek_goes_past_what_is_decoded(tmp_path,
                                                                          quick_worker):
    path = tmp_path / "live set.flac"
    written = _stream_rip(path)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(str(path), autoplay=True, length_seconds=float(SECONDS))
    assert eng.duration_seconds == SECONDS, "known while it opens"
    wait_for(lambda: eng.state == "playing")
    assert eng.duration == SECONDS * SR, "the slider's end: the whole track, not 30 s ahead"
    assert eng.seek_seconds(80.0) == 80 * SR, "a seek past what is decoded is not held back"
    wait_for(lambda: eng.decoded_frames > 80 * SR + 512)
    heard = output.cards[-1].pull(512)[:, 0]
    assert np.allclose(heard, written[80 * SR:80 * SR + 512], atol=1e-4), "exact"
    assert eng.position == 80 * SR + 512
    eng.close()


def test_a_library_length_longer_than_the_file_ends_where_the_audio_does(tmp_path,
                                                                         quick_worker):
    """The file was cut since it was scanned: the track ends where its audio does, the
    length then that one (no error, no silence played on)."""
    path = tmp_path / "rip.flac"
    _stream_rip(path)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(str(path), autoplay=True, length_seconds=SECONDS + 60.0)
    wait_for(lambda: eng.state == "playing")
    assert eng.seek_seconds(SECONDS - 0.5) == round((SECONDS - 0.5) * SR)
    wait_for(lambda: eng.decoding_complete)
    assert eng.duration == SECONDS * SR
    while eng.state == "playing":
        output.cards[-1].pull(4096)
    assert eng.state == "ended" and not eng.note
    eng.close()


def test_the_player_bar_shows_the_length_it_is_given(qtbot, tmp_path):
    from musicsage.gui.player import PlayerBar

    path = tmp_path / "radio.flac"
    _stream_rip(path)
    bar = PlayerBar(stream_factory=Output())
    qtbot.addWidget(bar)
    bar.play_track(1, str(path), "Radio", length_seconds=float(SECONDS))
    qtbot.waitUntil(lambda: bar.engine.state == "playing", timeout=30_000)
    bar._poll()
    assert bar.duration_label.text() == "1:30"
    assert bar.slider.maximum() == SECONDS * 1000
    bar.seek_seconds(75.0)
    assert bar.position_label.text() == "1:15"
    bar.shutdown()

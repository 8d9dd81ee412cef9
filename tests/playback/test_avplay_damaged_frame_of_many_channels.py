"""A damaged AAC frame that claims 19-44 channels in a 5.1 file (the fuzzer's files): analysis
refuses it as damage (:func:`musicsage.audio.pyav_read.refuse_damaged`), but playback's own
PyAV path handed it to its resampler, which raised "Frame does not match AudioResampler
setup.": the player said "cannot play live.mkv: Frame does not match AudioResampler setup."
and dropped the blocks decoded before it. Now it is "cannot play live.mkv past M:SS: damaged
audio data", after every frame before the damage has played. A 7.1 AAC file plays (mixed
down to stereo). Each file is played in a child process: a planar frame of many channels
could kill the process that reads its planes, and must not take the test run with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PLAY = r"""
import sys
sys.path[:0] = ["tests/audio", "tests/playback"]
from pathlib import Path

import av
import numpy as np
from playback_support import Output, wait_for
from test_avcrash_frames_of_many_channels import damaged_as_the_fuzzer_did, write_surround

from musicsage.playback import PlaybackEngine, default_decoder, engine, output

engine.WATCH_SECONDS, output._rescan = 0.01, False  # as the quick_worker fixture
folder, case = Path(sys.argv[1]), sys.argv[2]
whole = folder / "whole.mkv"
if case == "damaged":
    write_surround(whole, "5.1", [0.3] * 6, seconds=4.0)
    path = folder / "live.mkv"
    path.write_bytes(damaged_as_the_fuzzer_did(whole))
    before = 0  # the samples of the frames before the first that claims many channels
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.audio[0]):
            if frame.layout.nb_channels > 8:
                break
            before += frame.samples
    print("before:", before, flush=True)
else:
    path = folder / "concert.m4a"
    write_surround(path, "7.1", [0.8, 0.4, 0.2, 0.0, 0.2, 0.2, 0.2, 0.2], seconds=4.0)
header, blocks = default_decoder(str(path))
got = 0
try:
    for block in blocks:
        assert block.ndim == 2 and block.shape[1] == header.channels == 2, block.shape
        got += len(block)
        level = float(np.abs(block).max())
    print("decoded:", got, "level: %.3f" % level, flush=True)
except Exception as exc:
    print("decoded:", got, "then:", type(exc).__name__, exc, flush=True)
if case != "damaged":  # a seek into it
    header, blocks = default_decoder(str(path), start=header.samplerate)
    print("from 1 s:", sum(len(b) for b in blocks), flush=True)
sound = Output()
eng = PlaybackEngine(stream_factory=sound)
eng.load(str(path), autoplay=True)
wait_for(lambda: eng.state != "loading" and (eng.state != "playing" or sound.cards[0].active))
while eng.state == "playing":
    sound.cards[0].pull(header.samplerate)
    wait_for(lambda: eng.decoding_complete or eng.decoded_frames > eng.position)
print("player:", eng.state, eng.error, flush=True)
"""


def play_in_child(folder: Path, case: str) -> list[str]:
    """The lines the child printed; fails the test where the child died or raised."""
    run = subprocess.run([sys.executable, "-c", PLAY, str(folder), case], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"the playing process died ({run.returncode}): {run.stderr[-1500:]}"
    return run.stdout.splitlines()


def test_a_frame_claiming_many_channels_is_damage_after_the_audio_before_it(tmp_path):
    pytest.importorskip("av")
    before, decoded, player = play_in_child(tmp_path, "damaged")
    samples = int(before.removeprefix("before: "))
    assert samples > 0, "the damage lies past the file's start"
    assert decoded == f"decoded: {samples} then: DamagedAudio live.mkv: damaged audio data"
    assert player.startswith("player: error cannot play live.mkv past 0:0"), player
    assert player.endswith(": damaged audio data"), player


def test_a_7_1_aac_file_plays_mixed_down_to_stereo(tmp_path):
    pytest.importorskip("av")
    decoded, seek, player = play_in_child(tmp_path, "7.1")
    frames, level = decoded.removeprefix("decoded: ").split(" level: ")
    assert abs(int(frames) - 4 * 48000) <= 2048, decoded  # (the encoder's padding)
    assert 0.2 < float(level) <= 1.0, decoded
    assert abs(int(seek.removeprefix("from 1 s: ")) - 3 * 48000) <= 2048, seek
    assert player.rstrip() == "player: ended", player  # no error line

"""A damaged AAC frame claiming 19-44 channels, and a plain 7.1 AAC file, killed the whole
process (SIGSEGV inside PyAV's ``to_ndarray``: its plane walk reads past FFmpeg's pointers
for a planar frame of 8 channels or more). ``embed``, ``tags`` and the window died with no
line, on every run. Each file is read in a child process here, so that without the fix the
child dies (its exit status says so), not the test run."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SR = 48000

READ = r"""
import sys
from musicsage.audio import decode
from musicsage.audio.embed_job import prepare_track
from musicsage.audio.spectral import SpectralEmbedder

path = sys.argv[1]
print("embed:", prepare_track(SpectralEmbedder(), 1, path).error, flush=True)
try:  # as `tags` reads a file (musicnn's tagger: decode.load)
    audio = decode.load(path, sr=48000, max_seconds=30)
    print("load: amplitude %.3f" % (abs(audio[4800:]).max()), flush=True)
except decode.DecodeError as exc:
    print("load:", exc, flush=True)
"""


def write_surround(path: Path, layout: str, gains: list[float], seconds: float = 1.0) -> None:
    """An AAC file of ``layout``, channel i a 440 Hz sine at ``gains[i]``. Frames go in
    packed and FFmpeg makes them planar: PyAV cannot fill a planar frame of 8 channels."""
    import av

    t = np.arange(int(seconds * SR)) / SR
    x = np.stack([g * np.sin(2 * np.pi * 440 * t) for g in gains]).astype(np.float32)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=SR)
        stream.layout = layout
        planar = av.AudioResampler(format="fltp", layout=layout, rate=SR)
        for i in range(0, x.shape[1], 1024):
            packed = np.ascontiguousarray(x[:, i:i + 1024].T).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(packed, format="flt", layout=layout)
            frame.sample_rate, frame.pts = SR, i
            for converted in planar.resample(frame):
                for packet in stream.encode(converted):
                    container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def claims_many_channels(data: bytes) -> bool:
    """Whether FFmpeg decodes a frame of more than 8 channels from ``data`` (only its layout
    is looked at, never its planes, so this process is safe)."""
    import av

    try:
        with av.open(io.BytesIO(data)) as container:
            return any(frame.layout.nb_channels > 8
                       for frame in container.decode(container.streams.audio[0]))
    except av.FFmpegError:
        return False


def damaged_as_the_fuzzer_did(path: Path) -> bytes:
    """``path``'s bytes with four 0xFF bytes written into one AAC packet, as the reviewer's
    fuzzer damaged the files that crashed: the first place (a few dozen tries) where FFmpeg
    then reads a program config element claiming more than 8 channels."""
    import av

    data = path.read_bytes()
    with av.open(str(path)) as container:
        packets = [(p.pos, p.size) for p in container.demux(container.streams.audio[0])
                   if p.size and p.pos is not None]
    for pos, size in packets[2:]:
        for k in range(0, min(size - 4, 64), 4):
            damaged = data[:pos + k] + b"\xff" * 4 + data[pos + k + 4:]
            if claims_many_channels(damaged):
                return damaged
    raise AssertionError("no place in the packets gives a frame of many channels")


def read_in_child(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", READ, str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_a_damaged_aac_frame_claiming_many_channels_is_said_not_a_crash(tmp_path):
    whole = tmp_path / "whole.mkv"
    write_surround(whole, "5.1", [0.3] * 6, seconds=2.0)
    bad = tmp_path / "live.mkv"
    bad.write_bytes(damaged_as_the_fuzzer_did(whole))
    run = read_in_child(bad)
    assert run.returncode == 0, f"the reading process died ({run.returncode}): {run.stderr[-800:]}"
    lines = run.stdout.splitlines()
    assert lines[0].startswith("embed: live.mkv: damaged audio data at 0:0"), lines
    assert "channels, the file has 6)" in lines[0]
    assert lines[1].startswith("load: live.mkv: damaged audio data at 0:0"), lines


def test_a_7_1_aac_file_is_read_each_channel_its_own(tmp_path):
    p = tmp_path / "concert.m4a"
    gains = [0.8, 0.4, 0.2, 0.0, 0.0, 0.0, 0.0, 0.2]  # mean 0.2, where each channel is its own
    write_surround(p, "7.1", gains)
    run = read_in_child(p)
    assert run.returncode == 0, f"the reading process died ({run.returncode}): {run.stderr[-800:]}"
    assert run.stdout.splitlines()[0] == "embed: None"
    amplitude = float(run.stdout.splitlines()[1].removeprefix("load: amplitude "))
    assert abs(amplitude - np.mean(gains)) < 0.03

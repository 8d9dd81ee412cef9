"""Long demo tracks encode without crashing: a single libsndfile write of about two minutes of
Vorbis overflowed the C stack and killed the process (exit 139), so ``demo --seconds 120`` died.
The encoder runs in a subprocess, so a segmentation fault fails the test instead of pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from musicsage.demo.plan import FORMATS, SAMPLE_RATE

SECONDS = 120

ENCODE = """
import sys
from pathlib import Path
import numpy as np
from musicsage.demo.library import encode_audio
sr, seconds, ext, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
t = np.arange(sr * seconds, dtype=np.float32) / sr
samples = (0.3 * np.sin(2 * np.pi * 220.0 * t)).astype(np.float32)
encode_audio(path, samples, sr, ext)
"""


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_two_minute_track_encodes_and_decodes_to_its_length(ext, tmp_path):
    import soundfile as sf

    path = tmp_path / f".long.{ext}.part"  # the temporary name write_track encodes to
    done = subprocess.run([sys.executable, "-c", ENCODE, str(SAMPLE_RATE), str(SECONDS), ext,
                           str(path)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, f"{ext} encoder exited {done.returncode}: {done.stderr[-500:]}"
    info = sf.info(path)
    assert info.samplerate == SAMPLE_RATE and info.channels == 1
    # MP3 pads with encoder delay; every format must hold the whole two minutes
    assert abs(info.frames - SAMPLE_RATE * SECONDS) < SAMPLE_RATE * 0.15, info.frames
    with sf.SoundFile(path) as f:  # decode the end too, not just the header
        f.seek(max(0, info.frames - SAMPLE_RATE))
        tail = f.read(SAMPLE_RATE, dtype="float32")
    assert len(tail) > 0.9 * SAMPLE_RATE and 0.1 < float(abs(tail).max()) <= 1.0

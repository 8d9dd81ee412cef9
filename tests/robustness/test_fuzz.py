"""A small seeded fuzz: random bytes and random mutations of valid M3U/PLS/XSPF/WAV/FLAC (and
MP3, Ogg) files through the playlist readers and the decoders. No hang, no crash, and no
exception but the project's own (``MusicsageError`` and its subclasses): a bad file is one
message for one file, never the end of a scan.

The run happens in a child process (``fuzz_child.py``): a crash in a C library (libsndfile,
FFmpeg, expat) there is a non-zero exit here, and a hang is a timeout naming the case.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from robust_support import REPO, child_env

CHILD = Path(__file__).with_name("fuzz_child.py")
PER_CALL_LIMIT_S = 5.0


@pytest.mark.parametrize("seed", [15])
def test_fuzzed_playlists_and_audio_give_only_musicsage_errors(tmp_path, seed):
    try:
        proc = subprocess.run([sys.executable, str(CHILD), str(seed), str(tmp_path), "300", "60"],
                              capture_output=True, text=True, cwd=REPO, env=child_env(),
                              timeout=240)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        last = [line for line in out.splitlines() if line.startswith("case ")][-1:]
        pytest.fail(f"the fuzz run hung at {last}")
    out = proc.stdout.splitlines()
    assert proc.returncode == 0 and out and out[-1] == "done", \
        (proc.returncode, out[-3:], proc.stderr[-2000:])  # a crash: the last case is named
    results = list(zip(out[:-1:2], out[1:-1:2]))
    unexpected = [(case, result) for case, result in results if result.startswith("UNEXPECTED")]
    assert unexpected == []
    slow = [(case, result) for case, result in results
            if float(result.rsplit(" ", 1)[1]) > PER_CALL_LIMIT_S]
    assert slow == []
    outcomes = [result.split(" ", 1)[0] for _, result in results]
    assert len(results) > 2000 and outcomes.count("ok") > 100 and outcomes.count("expected") > 500

"""A decoder or DSP failure on odd data is one track's failure, said on its ``failed:`` line
(``a.wav: ValueError: …``); it was also logged as a warning with its traceback, and the
command line (which configures no logging) printed that traceback among its lines through
Python's last-resort handler: a traceback for bad input."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[2]


def test_a_track_failing_oddly_prints_its_failure_without_a_traceback(tmp_path):
    path = tmp_path / "a.wav"
    sf.write(path, np.zeros(22050, np.float32), 22050)
    script = textwrap.dedent(f"""
        from musicsage.audio.embed_job import prepare_track
        from musicsage.audio.spectral import SpectralEmbedder

        class Odd(SpectralEmbedder):
            def prepare(self, excerpts):
                raise ValueError("odd data")

        print(prepare_track(Odd(), 1, {str(path)!r}).error)
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "a.wav: ValueError: odd data"
    assert "Traceback" not in run.stderr, run.stderr


def test_its_traceback_is_kept_for_a_debugging_log_only(tmp_path, caplog):
    """The traceback is not lost: it goes to a debugging log (DEBUG, with its exception),
    deliberately under every level a handler of the app shows; nothing at INFO or above."""
    import logging

    from musicsage.audio.embed_job import prepare_track
    from musicsage.audio.spectral import SpectralEmbedder

    class Odd(SpectralEmbedder):
        def prepare(self, excerpts):
            raise ValueError("odd data")

    path = tmp_path / "a.wav"
    sf.write(path, np.zeros(22050, np.float32), 22050)
    with caplog.at_level(logging.DEBUG, logger="musicsage.audio.embed_job"):
        assert prepare_track(Odd(), 1, str(path)).error == "a.wav: ValueError: odd data"
    records = [r for r in caplog.records if r.name == "musicsage.audio.embed_job"]
    assert [r.levelno for r in records] == [logging.DEBUG]
    assert records[0].exc_info and "odd data" in str(records[0].exc_info[1])

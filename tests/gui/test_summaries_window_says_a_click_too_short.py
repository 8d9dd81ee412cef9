"""The window's library summary said "1 could not be read" of a click of 200 samples, as of a
damaged file to replace, where ``embed`` said it was too short to analyse."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from musicsage.cli import main
from musicsage.context import AppContext


def _write(path, samples: int, freq: float = 440.0) -> None:
    t = np.arange(samples) / 16000
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), 16000,
             format="WAV")


def test_the_summary_says_a_click_is_too_short(qtbot, make_window, tmp_path, capsys):
    music, data_dir = tmp_path / "music", tmp_path / "data"
    music.mkdir()
    _write(music / "a.wav", 32000, 220.0)
    _write(music / "b.wav", 32000, 880.0)
    _write(music / "click.wav", 200)
    assert main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    assert main(["--data-dir", str(data_dir), "embed", "--model", "spectral"]) == 0
    capsys.readouterr()
    w = make_window(AppContext.create(data_dir))
    qtbot.waitUntil(lambda: "embedded" in w.library.summary.text(), timeout=30_000)
    text = w.library.summary.text()
    assert "2 of 3 embedded, 1 too short to analyse" in text, text
    assert "could not be read" not in text, text

"""The window's line on a track to be analysed again whose analysis fails (task embedstate).

A track holding a vector of other analysis settings (the library's settings changed since)
whose analysis with the current ones fails — a file too short to analyse, a long mix the
memory runs out on at a larger ``--max-seconds`` — keeps its old vector. The window's status
line said "1 track still to be analysed again (…): Analyse ▸ Compute embeddings finishes the
re-analysis" after every run that failed it again, sending the user to a button that mends
nothing; it says the track failed, and that the button says why.
"""

from __future__ import annotations

import numpy as np
import soundfile as sf

from musicsage.cli import main
from musicsage.controllers.reanalysis import lacking_line, read_with_left_out
from musicsage.library.db import connect
from musicsage.library.queries import store_embedding
from musicsage.usecases.snapshot import load_snapshot


def _library(ctx, tmp_path, capsys) -> None:
    """Three tones and a one-sample click embedded with spectral; the click with a vector of
    other settings (not padding: kept), and embedded again (it fails)."""
    music = tmp_path / "music"
    music.mkdir()
    t = np.arange(22050) / 22050
    for i, hz in enumerate((220, 440, 880)):
        sf.write(music / f"tone{i}.wav", (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32),
                 22050)
    sf.write(music / "one.wav", np.array([0.5], dtype=np.float32), 22050)
    data = ["--data-dir", str(ctx.data_dir)]
    assert main(["scan", str(music), *data]) == 0
    assert main(["embed", "--model", "spectral", *data]) == 0
    conn = connect(ctx)
    one = conn.execute("SELECT id FROM tracks WHERE title = 'one'").fetchone()[0]
    store_embedding(conn, one, "spectral", "spectral1;sr=22050;max=10;excerpts=3",
                    np.linspace(0.1, 1.0, 265, dtype=np.float32))
    conn.commit()
    assert main(["embed", *data]) == 0
    capsys.readouterr()


def test_a_track_whose_reanalysis_failed_is_not_sent_to_compute_embeddings(
        ctx, tmp_path, capsys):
    _library(ctx, tmp_path, capsys)
    line = lacking_line(*read_with_left_out(load_snapshot, ctx))
    assert "finishes the re-analysis" not in line
    assert line == ("1 track to be analysed again failed its analysis with the current "
                    "settings (the audio map leaves out 1 analysed with other settings than "
                    "the rest): Analyse ▸ Compute embeddings tries again and says why")


"""``embed --model spectral`` on a library of another model, when the spectral vectors were
all there but for files that fail: the run embedded none (they failed again), and so the
library stayed on its old model — without a word, although ``--model`` switches it and the
library held spectral vectors for every other track. A model with no vector at all (every
file failed) is still no switch, and the run now says the library keeps its model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from embed_support import track_row

from musicsage.library.db import connect
from musicsage.library.queries import set_setting, store_embedding
from musicsage.usecases.embedding import current_audio_model_id, embed_library

OTHER = "musicnn-msd-max_pool"


def _tone(path: Path, hz: float) -> Path:
    t = np.arange(22050 * 2) / 22050
    sf.write(path, (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32), 22050)
    return path


def _on_other_model(ctx, ids: list[int]) -> None:
    """The library switched to another model since (every track has its vector)."""
    conn = connect(ctx)
    for track_id in ids:
        store_embedding(conn, track_id, OTHER, "v1", np.ones(8, np.float32))
    set_setting(conn, "audio_model", OTHER)


def test_switching_back_switches_though_only_failing_files_were_left(ctx, tmp_path):
    ids = [track_row(ctx, _tone(tmp_path / f"t{i}.wav", 300.0 + 200 * i)) for i in range(2)]
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVEfmt garbage")
    ids.append(track_row(ctx, broken))
    assert embed_library(ctx, "spectral").embedded == 2
    _on_other_model(ctx, ids)
    assert current_audio_model_id(ctx) == OTHER

    rep = embed_library(ctx, "spectral")

    assert (rep.total, rep.embedded, rep.failed) == (1, 0, 1)
    assert current_audio_model_id(ctx) == "spectral", "--model spectral did not switch"


def test_a_model_whose_every_file_failed_is_no_switch_and_says_so(ctx, tmp_path):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVEfmt garbage")
    _on_other_model(ctx, [track_row(ctx, broken)])

    rep = embed_library(ctx, "spectral")

    assert (rep.total, rep.embedded, rep.failed) == (1, 0, 1)
    assert current_audio_model_id(ctx) == OTHER
    assert f"the library still uses {OTHER}" in rep.reason

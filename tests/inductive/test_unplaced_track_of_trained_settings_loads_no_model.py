"""A track with an audio vector of the settings the graph model was trained on but no graph
vector yet (imported after training, or an embed stopped before placing it) is told to
embed, at the cost that advice always had: no torch import, no model load. Loading the
model.pt to see whether it loads (for a model written by a newer musicsage) took every
``similar``, ``radio``, ``suggest`` and ``map`` about such a track from 1.5 s to 4–10 s, to
say the same words; the ``embed`` it is sent to says itself when the model cannot be used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from musicsage.errors import EMBED_HINT
from musicsage.usecases.embedding import embed_library

REPO = Path(__file__).resolve().parents[2]
CODE = """
import sys
from musicsage.context import AppContext
from musicsage.usecases.embedding import unplaced_note
note = unplaced_note(AppContext.create(sys.argv[1]), "the query track", [int(sys.argv[2])])
print("torch" in sys.modules)
print(note)
"""


def test_a_track_of_the_trained_settings_is_told_to_embed_without_torch(trained, add_music):
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect
    from musicsage.usecases.graph_vectors import inductive_path

    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")  # its audio vector, of the trained settings
    inductive_path(current_model(connect(ctx), ctx)).unlink()  # its graph vector gone

    out = subprocess.run([sys.executable, "-c", CODE, str(ctx.data_dir), str(new[0])],
                         capture_output=True, text=True, cwd=REPO, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(REPO)})

    assert out.returncode == 0, out.stderr
    loaded, note = out.stdout.splitlines()
    assert loaded == "False", note
    assert note.endswith(f"({EMBED_HINT})"), note
